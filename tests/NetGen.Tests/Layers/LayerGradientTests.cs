using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Layers;

/// <summary>
/// Central finite differences of the generated loss against back-propagation, in training mode, for every normalization,
/// dropout, noise, weight-norm and residual layer. Masks and noise are held fixed by restoring the network's generator
/// state before every pass, so the loss is a deterministic function of the parameters.
/// </summary>
public sealed class LayerGradientTests
{
    private const int Batch = 6;

    private static readonly Dictionary<string, Func<INetwork>> s_networks = new()
    {
        [nameof(DenseBatchNorm)] = () => new DenseBatchNorm(seed: 1, capacity: 8),
        [nameof(ConvBatchNorm)] = () => new ConvBatchNorm(seed: 2, capacity: 8),
        [nameof(PlainBatchNorm)] = () => new PlainBatchNorm(seed: 3, capacity: 8),
        [nameof(DenseLayerNorm)] = () => new DenseLayerNorm(seed: 4, capacity: 8),
        [nameof(ConvLayerNorm)] = () => new ConvLayerNorm(seed: 5, capacity: 8),
        [nameof(ConvGroupNorm)] = () => new ConvGroupNorm(seed: 6, capacity: 8),
        [nameof(ConvLocalResponseNorm)] = () => new ConvLocalResponseNorm(seed: 7, capacity: 8),
        [nameof(DenseDropout)] = () => new DenseDropout(seed: 8, capacity: 8),
        [nameof(DenseAlphaDropout)] = () => new DenseAlphaDropout(seed: 9, capacity: 8),
        [nameof(DenseNoise)] = () => new DenseNoise(seed: 10, capacity: 8),
        [nameof(DenseWeightNorm)] = () => new DenseWeightNorm(seed: 11, capacity: 8),
        [nameof(ConvWeightNorm)] = () => new ConvWeightNorm(seed: 12, capacity: 8),
        [nameof(DenseResidual)] = () => new DenseResidual(seed: 13, capacity: 8),
        [nameof(DenseProjectedResidual)] = () => new DenseProjectedResidual(seed: 14, capacity: 8),
        [nameof(ConvProjectedResidual)] = () => new ConvProjectedResidual(seed: 15, capacity: 8),
        [nameof(SharedSkips)] = () => new SharedSkips(seed: 16, capacity: 8),
        [nameof(MixedNetwork)] = () => new MixedNetwork(seed: 17, capacity: 8),
    };

    public static TheoryData<string> Networks => new(s_networks.Keys);

    internal static INetwork Create(string name) => s_networks[name]();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backpropagation_matches_central_differences_in_training_mode(string name)
    {
        INetwork network = Create(name);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 21);
        // RandomBatch fills 7 samples; use the first Batch of them.
        SeededRandomState masks = network.Engine().Random.State;
        float[] outputs = new float[Batch * network.OutputSize];

        double LossAt()
        {
            network.Engine().Random.State = masks;
            network.Forward(inputs.AsSpan(0, Batch * network.InputSize), outputs, Batch);
            return network.Backward(targets.AsSpan(0, Batch * network.OutputSize), Batch);
        }

        network.ZeroGradients();
        LossAt();
        float[] gradient = network.Gradients.ToArray();
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        double scale = Math.Max(gradient.Max(Math.Abs), 1e-3);

        // h = 1e-2 in float: rounding noise ~6e-8·L/h, truncation ~h²·|∂³L|; bound 3e-3 of the largest gradient. The
        // max-pool and ReLU of MixedNetwork can switch inside ±h: it uses h = 2e-3, and a parameter is skipped when the
        // second difference shows a kink (more than 1e-5·L, against a float noise of ~1e-7·L).
        float h = name == nameof(MixedNetwork) ? 2e-3f : 1e-2f;
        var random = new SeededRandom(23);
        int checkedCount = 0;
        for (int trial = 0; trial < 200 && checkedCount < 60; trial++)
        {
            int p = trial < network.ParameterCount ? trial : random.NextInt(network.ParameterCount);
            float saved = network.Parameters[p];
            double center = LossAt();
            network.Parameters[p] = saved + h;
            double plus = LossAt();
            network.Parameters[p] = saved - h;
            double minus = LossAt();
            network.Parameters[p] = saved;
            if (name == nameof(MixedNetwork) && Math.Abs((plus - center) - (center - minus)) > 1e-5 * Math.Max(1, Math.Abs(center)))
            {
                continue; // a kink lies within ±h
            }
            double fd = (plus - minus) / (2.0 * h);
            Assert.True(Math.Abs(fd - gradient[p]) <= 3e-3 * scale,
                $"{name} parameter {p} ({TensorOf(network, p)}): finite difference {fd:R} vs backpropagation {gradient[p]:R} (scale {scale:R})");
            checkedCount++;
        }
        Assert.True(checkedCount >= Math.Min(30, network.ParameterCount), $"{name}: only {checkedCount} parameters could be checked");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_tensor_receives_a_gradient(string name)
    {
        INetwork network = Create(name);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 29);
        float[] outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs.AsSpan(0, Batch * network.InputSize), outputs, Batch);
        network.ZeroGradients();
        network.Backward(targets.AsSpan(0, Batch * network.OutputSize), Batch);
        foreach (ParameterTensor tensor in network.Tensors)
        {
            Assert.True(tensor.Slice(network.Gradients).ToArray().Any(g => g != 0f), $"{name}: {tensor.Name} got no gradient");
        }
    }

    private static string TensorOf(INetwork network, int index)
        => network.Tensors.First(t => index >= t.Offset && index < t.Offset + t.Length).Name;
}
