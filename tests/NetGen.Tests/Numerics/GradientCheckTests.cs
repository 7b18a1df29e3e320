using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// Every activation × loss: the generated float network against the double-precision <see cref="ReferenceNetwork"/>,
/// whose own gradient is first verified by central finite differences in double precision. Runs on whichever SIMD path
/// the process has (CI repeats the suite with Vector512 and with all hardware intrinsics off).
/// </summary>
public sealed class GradientCheckTests
{
    private const int Batch = 7;

    public static TheoryData<string> Networks => new(NetworkFactory.Names);

    public static TheoryData<string> SmoothNetworks => new(NetworkFactory.Names.Where(n => !NetworkFactory.HasKinks(n)));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Reference_gradient_matches_central_differences_in_double(string name)
    {
        INetwork network = NetworkFactory.Create(name, seed: 3);
        var reference = new ReferenceNetwork(network);
        (float[] inputs, float[] targets) = RandomBatch(network, seed: 11);
        double[] analytic = new double[reference.ParameterCount];
        reference.LossAndGradient(inputs, targets, Batch, analytic);

        // Bound: |fd − analytic| ≤ 1e-7 + 1e-6·|analytic| with h = 1e-6 (truncation ~h², rounding ~1e-16/h).
        const double h = 1e-6;
        for (int p = 0; p < reference.ParameterCount; p++)
        {
            double saved = reference[p];
            reference[p] = saved + h;
            double plus = reference.LossAndGradient(inputs, targets, Batch, null);
            reference[p] = saved - h;
            double minus = reference.LossAndGradient(inputs, targets, Batch, null);
            reference[p] = saved;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - analytic[p]) <= 1e-7 + 1e-6 * Math.Abs(analytic[p]),
                $"{name} parameter {p}: finite difference {fd:R} vs backpropagation {analytic[p]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Generated_forward_loss_and_gradient_match_the_reference(string name)
    {
        INetwork network = NetworkFactory.Create(name, seed: 5);
        (float[] inputs, float[] targets) = RandomBatch(network, seed: 13);
        AssertMatchesReference(name, network, inputs, targets, Batch);
    }

    /// <summary>Outputs and loss of one forward and backward pass within 1e-5 of the double <see cref="ReferenceNetwork"/>,
    /// every gradient element within 1e-4 of the gradient's largest magnitude.</summary>
    internal static void AssertMatchesReference(string name, INetwork network, float[] inputs, float[] targets, int n)
    {
        var reference = new ReferenceNetwork(network);
        float[] outputs = new float[n * network.OutputSize];
        network.Forward(inputs, outputs, n);
        double[] expectedOutputs = reference.Forward(inputs, n);
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.True(Math.Abs(outputs[i] - expectedOutputs[i]) <= 1e-5 + 1e-5 * Math.Abs(expectedOutputs[i]),
                $"{name} output {i}: generated {outputs[i]:R} vs reference {expectedOutputs[i]:R}");
        }

        network.ZeroGradients();
        float loss = network.Backward(targets, n);
        double[] expectedGradient = new double[reference.ParameterCount];
        double expectedLoss = reference.LossAndGradient(inputs, targets, n, expectedGradient);
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Max(1, Math.Abs(expectedLoss)), $"{name} loss: generated {loss:R} vs reference {expectedLoss:R}");

        // Float kernels against double: each element within 1e-4 of the gradient's largest magnitude.
        double[] gradient = reference.GradientOf(network);
        double scale = Math.Max(expectedGradient.Max(Math.Abs), 1e-3);
        for (int p = 0; p < gradient.Length; p++)
        {
            Assert.True(Math.Abs(gradient[p] - expectedGradient[p]) <= 1e-4 * scale,
                $"{name} gradient {p}: generated {gradient[p]:R} vs reference {expectedGradient[p]:R} (scale {scale:R})");
        }
    }

    /// <summary>Finite differences taken directly on the generated float network, for the continuously differentiable
    /// networks (a kink of ReLU, SELU, ELU with α ≠ 1 or hinge inside ±h makes a difference quotient meaningless at the
    /// step size float needs; those networks are covered by the two checks above).</summary>
    [Theory]
    [MemberData(nameof(SmoothNetworks))]
    public void Generated_gradient_matches_central_differences_of_the_generated_loss(string name)
    {
        INetwork network = NetworkFactory.Create(name, seed: 7);
        (float[] inputs, float[] targets) = RandomBatch(network, seed: 17);
        float[] outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        network.ZeroGradients();
        network.Backward(targets, Batch);
        float[] gradient = network.Gradients.ToArray();
        double scale = Math.Max(gradient.Max(Math.Abs), 1e-3);

        // h = 1e-2 in float: rounding noise ~6e-8·L/h, truncation ~h²; bound 2e-3 of the largest gradient magnitude.
        const float h = 1e-2f;
        var random = new SeededRandom(19);
        for (int trial = 0; trial < 40; trial++)
        {
            int p = random.NextInt(network.ParameterCount);
            float saved = network.Parameters[p];
            network.Parameters[p] = saved + h;
            double plus = LossOf(network, inputs, targets, outputs);
            network.Parameters[p] = saved - h;
            double minus = LossOf(network, inputs, targets, outputs);
            network.Parameters[p] = saved;
            double fd = (plus - minus) / (2.0 * h);
            Assert.True(Math.Abs(fd - gradient[p]) <= 2e-3 * scale,
                $"{name} parameter {p}: finite difference {fd:R} vs backpropagation {gradient[p]:R} (scale {scale:R})");
        }
    }

    private static double LossOf(INetwork network, float[] inputs, float[] targets, float[] outputs)
    {
        network.Forward(inputs, outputs, Batch);
        return network.Backward(targets, Batch);
    }

    /// <summary>Inputs N(0,1); targets valid for the loss: one-hot rows for cross-entropy, {0,1} for BCE, ±1 for hinge,
    /// N(0, 0.5²) for squared error.</summary>
    internal static (float[] Inputs, float[] Targets) RandomBatch(INetwork network, int seed)
    {
        var random = new SeededRandom(seed);
        float[] inputs = new float[Batch * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextGaussian();
        }
        int k = network.OutputSize;
        float[] targets = new float[Batch * k];
        for (int s = 0; s < Batch; s++)
        {
            int hot = random.NextInt(k);
            for (int o = 0; o < k; o++)
            {
                targets[s * k + o] = network.Loss switch
                {
                    Loss.CrossEntropy or Loss.SoftmaxCrossEntropy => o == hot ? 1f : 0f,
                    Loss.BinaryCrossEntropy => random.NextInt(2),
                    Loss.Hinge => random.NextInt(2) * 2 - 1,
                    _ => (float)(0.5 * random.NextGaussian()),
                };
            }
        }
        return (inputs, targets);
    }
}

/// <summary>The test networks by name, so theories show which network failed.</summary>
internal static class NetworkFactory
{
    private static readonly Dictionary<string, Func<int, INetwork>> s_factories = new()
    {
        [nameof(IdentityMse)] = seed => new IdentityMse(seed, capacity: 8),
        [nameof(SigmoidMse)] = seed => new SigmoidMse(seed, capacity: 8),
        [nameof(TanhMse)] = seed => new TanhMse(seed, capacity: 8),
        [nameof(ReLUMse)] = seed => new ReLUMse(seed, capacity: 8),
        [nameof(LeakyReLUMse)] = seed => new LeakyReLUMse(seed, capacity: 8),
        [nameof(EluMse)] = seed => new EluMse(seed, capacity: 8),
        [nameof(SeluMse)] = seed => new SeluMse(seed, capacity: 8),
        [nameof(SoftplusMse)] = seed => new SoftplusMse(seed, capacity: 8),
        [nameof(SoftmaxMse)] = seed => new SoftmaxMse(seed, capacity: 8),
        [nameof(SigmoidBce)] = seed => new SigmoidBce(seed, capacity: 8),
        [nameof(SoftmaxCe)] = seed => new SoftmaxCe(seed, capacity: 8),
        [nameof(LogitsCe)] = seed => new LogitsCe(seed, capacity: 8),
        [nameof(LinearHinge)] = seed => new LinearHinge(seed, capacity: 8),
        [nameof(TanhHingeNoBias)] = seed => new TanhHingeNoBias(seed, capacity: 8),
        [nameof(WideBce)] = seed => new WideBce(seed, capacity: 8),
    };

    public static IEnumerable<string> Names => s_factories.Keys;

    public static INetwork Create(string name, int seed) => s_factories[name](seed);

    /// <summary>Networks whose loss is not continuously differentiable in the parameters.</summary>
    public static bool HasKinks(string name) => name is nameof(ReLUMse) or nameof(LeakyReLUMse) or nameof(EluMse) or nameof(SeluMse)
        or nameof(LogitsCe) or nameof(LinearHinge) or nameof(TanhHingeNoBias);
}
