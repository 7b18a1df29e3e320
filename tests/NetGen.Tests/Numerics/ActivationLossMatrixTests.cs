using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>Every hidden activation with every loss: the generated gradient against central differences of the double
/// reference (h = 1e-6), bound 1e-4 of the gradient's largest magnitude.</summary>
public sealed class ActivationLossMatrixTests
{
    private static readonly Dictionary<string, Func<INetwork>> s_networks = new()
    {
        [nameof(MatrixIdentitySquaredError)] = () => new MatrixIdentitySquaredError(seed: 21, capacity: 8),
        [nameof(MatrixIdentityBinaryCrossEntropy)] = () => new MatrixIdentityBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixIdentityCrossEntropy)] = () => new MatrixIdentityCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixIdentitySoftmaxCrossEntropy)] = () => new MatrixIdentitySoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixIdentityHinge)] = () => new MatrixIdentityHinge(seed: 21, capacity: 8),
        [nameof(MatrixSigmoidSquaredError)] = () => new MatrixSigmoidSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixSigmoidBinaryCrossEntropy)] = () => new MatrixSigmoidBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSigmoidCrossEntropy)] = () => new MatrixSigmoidCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSigmoidSoftmaxCrossEntropy)] = () => new MatrixSigmoidSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSigmoidHinge)] = () => new MatrixSigmoidHinge(seed: 21, capacity: 8),
        [nameof(MatrixTanhSquaredError)] = () => new MatrixTanhSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixTanhBinaryCrossEntropy)] = () => new MatrixTanhBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixTanhCrossEntropy)] = () => new MatrixTanhCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixTanhSoftmaxCrossEntropy)] = () => new MatrixTanhSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixTanhHinge)] = () => new MatrixTanhHinge(seed: 21, capacity: 8),
        [nameof(MatrixReLUSquaredError)] = () => new MatrixReLUSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixReLUBinaryCrossEntropy)] = () => new MatrixReLUBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixReLUCrossEntropy)] = () => new MatrixReLUCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixReLUSoftmaxCrossEntropy)] = () => new MatrixReLUSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixReLUHinge)] = () => new MatrixReLUHinge(seed: 21, capacity: 8),
        [nameof(MatrixLeakyReLUSquaredError)] = () => new MatrixLeakyReLUSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixLeakyReLUBinaryCrossEntropy)] = () => new MatrixLeakyReLUBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixLeakyReLUCrossEntropy)] = () => new MatrixLeakyReLUCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixLeakyReLUSoftmaxCrossEntropy)] = () => new MatrixLeakyReLUSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixLeakyReLUHinge)] = () => new MatrixLeakyReLUHinge(seed: 21, capacity: 8),
        [nameof(MatrixELUSquaredError)] = () => new MatrixELUSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixELUBinaryCrossEntropy)] = () => new MatrixELUBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixELUCrossEntropy)] = () => new MatrixELUCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixELUSoftmaxCrossEntropy)] = () => new MatrixELUSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixELUHinge)] = () => new MatrixELUHinge(seed: 21, capacity: 8),
        [nameof(MatrixSELUSquaredError)] = () => new MatrixSELUSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixSELUBinaryCrossEntropy)] = () => new MatrixSELUBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSELUCrossEntropy)] = () => new MatrixSELUCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSELUSoftmaxCrossEntropy)] = () => new MatrixSELUSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSELUHinge)] = () => new MatrixSELUHinge(seed: 21, capacity: 8),
        [nameof(MatrixSoftplusSquaredError)] = () => new MatrixSoftplusSquaredError(seed: 21, capacity: 8),
        [nameof(MatrixSoftplusBinaryCrossEntropy)] = () => new MatrixSoftplusBinaryCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSoftplusCrossEntropy)] = () => new MatrixSoftplusCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSoftplusSoftmaxCrossEntropy)] = () => new MatrixSoftplusSoftmaxCrossEntropy(seed: 21, capacity: 8),
        [nameof(MatrixSoftplusHinge)] = () => new MatrixSoftplusHinge(seed: 21, capacity: 8),
    };

    public static TheoryData<string> Names => new(s_networks.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_central_differences_in_double(string name)
    {
        INetwork network = s_networks[name]();
        var reference = new ReferenceNetwork(network);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 23);
        float[] outputs = new float[7 * network.OutputSize];
        network.Forward(inputs, outputs, 7);
        network.ZeroGradients();
        float loss = network.Backward(targets, 7);
        double expectedLoss = reference.LossAndGradient(inputs, targets, 7, null);
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Max(1, Math.Abs(expectedLoss)), $"{name} loss {loss:R} vs {expectedLoss:R}");
        double[] expected = reference.NumericGradient(inputs, targets, 7);
        double[] actual = reference.GradientOf(network);
        double scale = Math.Max(expected.Max(Math.Abs), 1e-3);
        for (int p = 0; p < actual.Length; p++)
        {
            Assert.True(Math.Abs(actual[p] - expected[p]) <= 1e-4 * scale, $"{name} gradient {p}: {actual[p]:R} vs {expected[p]:R} (scale {scale:R})");
        }
    }
}
