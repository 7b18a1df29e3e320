using System;
using NetGen.Classical;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Classical;

[Network(Loss = Loss.SquaredError)]
[Input(3)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(2, Activation.Sigmoid, Name = "out")]
public partial class SmallMse;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(3)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(2, Activation.Sigmoid, Name = "out")]
public partial class SmallBce;

[Network(Loss = Loss.CrossEntropy)]
[Input(3)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(3, Activation.Softmax, Name = "out")]
public partial class SmallCe;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(3)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(3, Name = "out")]
public partial class SmallLogits;

[Network(Loss = Loss.Hinge)]
[Input(3)]
[Dense(4, Activation.Tanh, Name = "hidden")]
[Dense(2, Name = "out")]
public partial class SmallHinge;

/// <summary>No bias in the first layer: the input Jacobian cannot use the bias trick.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(3)]
[Dense(4, Activation.Tanh, Bias = false, Name = "hidden")]
[Dense(2, Activation.Sigmoid, Name = "out")]
public partial class SmallNoBias;

/// <summary>
/// Jacobians and Hessians of generated networks against an independent computation: <see cref="ReferenceNetwork"/> (a
/// double-precision MLP written from the textbook formulas) differentiated by central differences in double.
/// </summary>
public sealed class NetworkDerivativeTests
{
    private static readonly float[] s_input = [0.5f, -0.25f, 0.75f];

    internal static INetwork Create(string kind, int capacity = 8) => kind switch
    {
        "mse" => new SmallMse(seed: 11, capacity: capacity),
        "bce" => new SmallBce(seed: 11, capacity: capacity),
        "ce" => new SmallCe(seed: 11, capacity: capacity),
        "logits" => new SmallLogits(seed: 11, capacity: capacity),
        "hinge" => new SmallHinge(seed: 11, capacity: capacity),
        "nobias" => new SmallNoBias(seed: 11, capacity: capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>position in the reference's (PyTorch) parameter order → index in the network's buffer.</summary>
    internal static int[] ReferenceToBuffer(INetwork net)
    {
        float[] indices = new float[net.ParameterCount];
        for (int j = 0; j < indices.Length; j++)
        {
            indices[j] = j;
        }
        var map = new System.Collections.Generic.List<int>();
        foreach (ParameterTensor tensor in net.Tensors)
        {
            float[] slice = new float[tensor.Length];
            tensor.CopyTo(indices, slice);
            map.AddRange(Array.ConvertAll(slice, v => (int)v));
        }
        return map.ToArray();
    }

    [Theory]
    [InlineData("mse", 1e-5)]
    [InlineData("bce", 1e-5)]
    [InlineData("ce", 1e-5)]
    [InlineData("hinge", 1e-5)]
    [InlineData("logits", 1e-3)]
    public void Parameter_Jacobian_matches_finite_differences_of_the_reference(string kind, double tolerance)
    {
        INetwork net = Create(kind);
        var reference = new ReferenceNetwork(net);
        int[] map = ReferenceToBuffer(net);
        double[] jacobian = NetworkDerivatives.ParameterJacobian(net, s_input, out JacobianMethod method);
        Assert.Equal(kind == "logits" ? JacobianMethod.CentralDifferences : JacobianMethod.Backpropagation, method);
        int m = net.OutputSize, p = net.ParameterCount;
        double worst = 0, largest = 0;
        for (int r = 0; r < p; r++)
        {
            double saved = reference[r];
            const double h = 1e-6;
            reference[r] = saved + h;
            double[] plus = reference.Forward(s_input, 1);
            reference[r] = saved - h;
            double[] minus = reference.Forward(s_input, 1);
            reference[r] = saved;
            for (int k = 0; k < m; k++)
            {
                double expected = (plus[k] - minus[k]) / (2 * h);
                largest = Math.Max(largest, Math.Abs(expected));
                worst = Math.Max(worst, Math.Abs(jacobian[k * p + map[r]] - expected));
            }
        }
        Assert.True(largest > 1e-2, "the Jacobian is not trivially small");
        Assert.True(worst <= tolerance * Math.Max(1, largest), $"max |error| {worst:E2} vs max |J| {largest:E2}");
    }

    [Theory]
    [InlineData("mse", 1e-5)]
    [InlineData("bce", 1e-5)]
    [InlineData("ce", 1e-5)]
    [InlineData("hinge", 1e-5)]
    [InlineData("logits", 1e-3)]
    [InlineData("nobias", 1e-3)]
    public void Input_Jacobian_matches_finite_differences_of_the_reference(string kind, double tolerance)
    {
        INetwork net = Create(kind);
        var reference = new ReferenceNetwork(net);
        double[] jacobian = NetworkDerivatives.InputJacobian(net, s_input, out JacobianMethod method);
        bool exact = kind is not ("logits" or "nobias");
        Assert.Equal(exact ? JacobianMethod.Backpropagation : JacobianMethod.CentralDifferences, method);
        int m = net.OutputSize, n = net.InputSize;
        const float h = 1f / 1024; // x ± h is exact in float for these inputs
        double worst = 0, largest = 0;
        for (int i = 0; i < n; i++)
        {
            float[] x = (float[])s_input.Clone();
            x[i] = s_input[i] + h;
            double[] plus = reference.Forward(x, 1);
            x[i] = s_input[i] - h;
            double[] minus = reference.Forward(x, 1);
            for (int k = 0; k < m; k++)
            {
                double expected = (plus[k] - minus[k]) / (2.0 * h);
                largest = Math.Max(largest, Math.Abs(expected));
                worst = Math.Max(worst, Math.Abs(jacobian[k * n + i] - expected));
            }
        }
        Assert.True(largest > 1e-2, "the Jacobian is not trivially small");
        // The reference's own truncation error is h²/6·|f‴| ≈ 1e-7.
        Assert.True(worst <= tolerance * Math.Max(1, largest), $"max |error| {worst:E2} vs max |J| {largest:E2}");
    }

    internal static (float[] Inputs, float[] Targets) Data(INetwork net, int count, long seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextGaussian();
        }
        var targets = new float[count * net.OutputSize];
        for (int s = 0; s < count; s++)
        {
            int label = random.NextInt(net.OutputSize);
            for (int o = 0; o < net.OutputSize; o++)
            {
                targets[s * net.OutputSize + o] = net.Loss == Loss.Hinge ? (o == label ? 1 : -1) : (o == label ? 1 : 0);
            }
        }
        return (inputs, targets);
    }

    private static double[] ReferenceHessian(INetwork net, float[] inputs, float[] targets, int count)
    {
        var reference = new ReferenceNetwork(net);
        int p = net.ParameterCount;
        var hessian = new double[p * p];
        var plus = new double[p];
        var minus = new double[p];
        const double h = 1e-5;
        for (int c = 0; c < p; c++)
        {
            double saved = reference[c];
            reference[c] = saved + h;
            reference.LossAndGradient(inputs, targets, count, plus);
            reference[c] = saved - h;
            reference.LossAndGradient(inputs, targets, count, minus);
            reference[c] = saved;
            for (int r = 0; r < p; r++)
            {
                hessian[r * p + c] = (plus[r] - minus[r]) / (2 * h);
            }
        }
        return hessian;
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    [InlineData("ce")]
    [InlineData("logits")]
    public void Loss_Hessian_matches_finite_differences_of_the_reference_gradient(string kind)
    {
        // Capacity 8 with 20 samples: the mean is accumulated over batches of 8, 8 and 4.
        INetwork net = Create(kind, capacity: 8);
        (float[] inputs, float[] targets) = Data(net, 20, 3);
        float[] before = net.Parameters.ToArray();
        double[] hessian = NetworkDerivatives.Hessian(net, inputs, targets, 20);
        Assert.Equal(before, net.Parameters.ToArray());
        double[] expected = ReferenceHessian(net, inputs, targets, 20);
        int[] map = ReferenceToBuffer(net);
        int p = net.ParameterCount;
        double worst = 0, largest = 0;
        for (int r = 0; r < p; r++)
        {
            for (int c = 0; c < p; c++)
            {
                double e = expected[r * p + c];
                largest = Math.Max(largest, Math.Abs(e));
                worst = Math.Max(worst, Math.Abs(hessian[map[r] * p + map[c]] - e));
            }
        }
        Assert.True(largest > 1e-2, "the Hessian is not trivially small");
        Assert.True(worst <= 1e-3 * largest, $"max |error| {worst:E2} vs max |H| {largest:E2}");

        double[] diagonal = NetworkDerivatives.HessianDiagonal(net, inputs, targets, 20);
        for (int j = 0; j < p; j++)
        {
            Assert.Equal(hessian[j * p + j], diagonal[j], 1e-9 * largest);
        }
    }

    [Fact]
    public void Hessian_vector_product_matches_the_full_Hessian()
    {
        INetwork net = Create("bce");
        (float[] inputs, float[] targets) = Data(net, 20, 4);
        double[] hessian = NetworkDerivatives.Hessian(net, inputs, targets, 20);
        int p = net.ParameterCount;
        var random = new SeededRandom(9);
        var v = new double[p];
        for (int j = 0; j < p; j++)
        {
            v[j] = random.NextGaussian();
        }
        double[] product = NetworkDerivatives.HessianVectorProduct(net, inputs, targets, 20, v);
        double largest = 0;
        var expected = new double[p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                expected[i] += hessian[i * p + j] * v[j];
            }
            largest = Math.Max(largest, Math.Abs(expected[i]));
        }
        for (int i = 0; i < p; i++)
        {
            Assert.True(Math.Abs(product[i] - expected[i]) <= 2e-3 * largest, $"component {i}: {product[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Loss_gradient_over_batches_matches_the_reference()
    {
        INetwork net = Create("ce", capacity: 8);
        (float[] inputs, float[] targets) = Data(net, 20, 5);
        var gradient = new double[net.ParameterCount];
        double loss = NetworkDerivatives.LossGradient(net, inputs, targets, 20, gradient);
        var reference = new ReferenceNetwork(net);
        var expected = new double[net.ParameterCount];
        double expectedLoss = reference.LossAndGradient(inputs, targets, 20, expected);
        Assert.Equal(expectedLoss, loss, 1e-5);
        int[] map = ReferenceToBuffer(net);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r], gradient[map[r]], 1e-5);
        }
    }
}
