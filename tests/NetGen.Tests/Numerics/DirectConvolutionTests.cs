using System;
using System.Collections.Generic;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's stride-1 convolution against a plain double-precision convolution, on whichever SIMD path this process
/// runs (the suite runs on all three): shapes that take the weight gradient along the grid and along the output
/// channels, tiles with remainders, kernels wider than a tile, dilation, no padding and no bias.
/// </summary>
public class DirectConvolutionTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        // channels, height, width, out channels, kernel height, kernel width, padding, dilation, bias
        [1, 28, 28, 6, 5, 5, 2, 1, true],   // LeNet's first convolution: along the grid
        [6, 14, 14, 16, 5, 5, 0, 1, true],  // LeNet's second: along the channels
        [3, 9, 7, 5, 3, 3, 1, 1, false],    // odd sizes, no bias
        [2, 8, 11, 8, 3, 3, 1, 1, true],    // 8 channels: along the channels on AVX2, the grid on AVX-512
        [2, 6, 6, 32, 3, 3, 1, 1, true],    // four vectors of channels on AVX2
        [2, 10, 12, 7, 1, 7, 3, 1, true],   // a kernel wider than a gradient tile
        [3, 12, 12, 9, 3, 3, 2, 2, true],   // dilation
        [4, 5, 5, 13, 1, 1, 0, 1, true],    // 1×1
        [2, 9, 9, 24, 7, 5, 3, 1, false],   // taps of several kernel rows per tile
        [1, 3, 4, 3, 3, 4, 0, 1, true],     // a one-position output
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_both_gradients_match_a_plain_convolution(int c, int h, int w, int o, int kh, int kw, int padding, int dilation, bool bias)
    {
        var shape = ConvolutionReference.Direct(c, h, w, o, kh, kw, padding, dilation);
        var random = new Random(c * 1000 + o * 10 + kw);
        const int n = 3;
        float[] x = KernelData.Values(random, n * shape.Inputs);
        float[] weights = KernelData.Values(random, o * c * kh * kw);
        float[] biases = bias ? KernelData.Values(random, o) : [];
        float[] dz = KernelData.Values(random, n * shape.Outputs);
        var convolution = new DirectConvolution(c, h, w, o, kh, kw, padding, dilation);
        ScratchWithGuard scratch = new(convolution.ScratchSize(training: true));

        float[] z = new float[n * shape.Outputs];
        convolution.Forward(ref x[0], ref weights[0], ref bias ? ref biases[0] : ref NullRef(), ref z[0], ref scratch.Start, n);
        scratch.AssertUntouchedAfter();
        ConvolutionReference.AssertClose(shape.Forward(x, weights, biases, n), z, "z");

        // The gradients add to what the buffers hold.
        float[] weightGradient = KernelData.Values(random, weights.Length);
        float[] biasGradient = bias ? KernelData.Values(random, o) : [];
        double[] expectedWeights = Array.ConvertAll(weightGradient, v => (double)v);
        double[] expectedBias = Array.ConvertAll(biasGradient, v => (double)v);
        shape.WeightGradient(x, dz, expectedWeights, bias ? expectedBias : null, n);
        convolution.BackwardWeights(ref x[0], ref dz[0], ref weightGradient[0], ref bias ? ref biasGradient[0] : ref NullRef(), ref scratch.Start, n);
        scratch.AssertUntouchedAfter();
        ConvolutionReference.AssertClose(expectedWeights, weightGradient, "∂W");
        ConvolutionReference.AssertClose(expectedBias, biasGradient, "∂bias");

        float[] dx = KernelData.Values(random, x.Length);
        convolution.BackwardInput(ref dz[0], ref weights[0], ref dx[0], ref scratch.Start, n);
        scratch.AssertUntouchedAfter();
        ConvolutionReference.AssertClose(shape.InputGradient(dz, weights, n), dx, "dx");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_sample_alone_gives_the_bits_it_gives_in_a_batch(int c, int h, int w, int o, int kh, int kw, int padding, int dilation, bool bias)
    {
        var shape = ConvolutionReference.Direct(c, h, w, o, kh, kw, padding, dilation);
        var random = new Random(7);
        const int n = 4;
        float[] x = KernelData.Values(random, n * shape.Inputs);
        float[] weights = KernelData.Values(random, o * c * kh * kw);
        float[] biases = KernelData.Values(random, o);
        var convolution = new DirectConvolution(c, h, w, o, kh, kw, padding, dilation);
        float[] scratch = new float[convolution.ScratchSize(training: false)];
        float[] batch = new float[n * shape.Outputs];
        convolution.Forward(ref x[0], ref weights[0], ref bias ? ref biases[0] : ref NullRef(), ref batch[0], ref scratch[0], n);
        float[] alone = new float[shape.Outputs];
        convolution.Forward(ref x[2 * shape.Inputs], ref weights[0], ref bias ? ref biases[0] : ref NullRef(), ref alone[0], ref scratch[0], 1);
        Assert.Equal(KernelData.Bits(batch.AsSpan(2 * shape.Outputs, shape.Outputs).ToArray()), KernelData.Bits(alone));
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_input_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new DirectConvolution(1, 4, 4, 2, 7, 3, padding: 1, dilation: 1));
        Assert.Contains("7×3", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectConvolution(1, 4, 4, 2, 3, 3, padding: -1, dilation: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectConvolution(1, 4, 4, 0, 3, 3, padding: 0, dilation: 1));
    }

    private static ref float NullRef() => ref System.Runtime.CompilerServices.Unsafe.NullRef<float>();
}
