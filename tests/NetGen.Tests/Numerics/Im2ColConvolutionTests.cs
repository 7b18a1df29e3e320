using System;
using System.Collections.Generic;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's im2col convolution and transposed convolution against a plain double-precision loop, on whichever SIMD
/// path this process runs (the suite runs on all three): strides, padding, dilation, output padding, grids whose pixel
/// count leaves every kind of vector remainder, more and fewer channels than a tile, no bias.
/// </summary>
public class Im2ColConvolutionTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        // transposed, channels, height, width, out channels, kernel height, kernel width, stride, padding, dilation, output padding, bias
        [false, 3, 9, 9, 5, 3, 3, 2, 1, 1, 0, true],    // 5×5 grid: 25 pixels, a vector and a remainder on every path
        [false, 1, 28, 28, 6, 5, 5, 3, 2, 1, 0, true],  // 10×10 grid
        [false, 4, 8, 8, 16, 1, 1, 2, 0, 1, 0, true],   // a residual's strided projection
        [false, 2, 11, 7, 3, 3, 2, 2, 1, 2, 0, false],  // dilation, a non-square kernel, no bias
        [false, 2, 40, 40, 9, 3, 3, 2, 1, 1, 0, true],  // 20×20 grid: 400 pixels, whole tiles and rows of 7 output channels
        [false, 3, 5, 5, 4, 5, 5, 4, 0, 1, 0, true],    // a single output pixel
        [true, 4, 3, 3, 2, 3, 3, 2, 1, 1, 1, true],     // output padding
        [true, 3, 5, 4, 6, 4, 4, 2, 1, 1, 0, true],     // the DCGAN up-sampling shape
        [true, 2, 6, 6, 3, 3, 3, 1, 1, 2, 0, false],    // stride 1 with dilation, no bias
        [true, 5, 4, 4, 7, 2, 3, 3, 0, 1, 2, true],     // output padding 2, a non-square kernel
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_both_gradients_match_a_plain_loop(bool transposed, int c, int h, int w, int o, int kh, int kw,
        int stride, int padding, int dilation, int outputPadding, bool bias)
    {
        var shape = new ConvolutionReference(transposed, c, h, w, o, kh, kw, stride, padding, dilation, outputPadding);
        var random = new Random(c * 1000 + o * 10 + kw + (transposed ? 7 : 0));
        const int n = 3;
        float[] x = KernelData.Values(random, n * shape.Inputs);
        float[] weights = KernelData.Values(random, o * c * kh * kw);
        float[] biases = bias ? KernelData.Values(random, o) : [];
        float[] dz = KernelData.Values(random, n * shape.Outputs);
        Im2ColConvolution convolution = shape.Create();
        ScratchWithGuard scratch = new(convolution.ScratchSize);

        float[] z = KernelData.Values(random, n * shape.Outputs);
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
    public void A_sample_alone_gives_the_bits_it_gives_in_a_batch(bool transposed, int c, int h, int w, int o, int kh, int kw,
        int stride, int padding, int dilation, int outputPadding, bool bias)
    {
        var shape = new ConvolutionReference(transposed, c, h, w, o, kh, kw, stride, padding, dilation, outputPadding);
        var random = new Random(11);
        const int n = 4;
        float[] x = KernelData.Values(random, n * shape.Inputs);
        float[] dz = KernelData.Values(random, n * shape.Outputs);
        float[] weights = KernelData.Values(random, o * c * kh * kw);
        float[] biases = KernelData.Values(random, o);
        Im2ColConvolution convolution = shape.Create();
        float[] scratch = new float[convolution.ScratchSize];

        float[] batch = new float[n * shape.Outputs], alone = new float[shape.Outputs];
        convolution.Forward(ref x[0], ref weights[0], ref bias ? ref biases[0] : ref NullRef(), ref batch[0], ref scratch[0], n);
        convolution.Forward(ref x[2 * shape.Inputs], ref weights[0], ref bias ? ref biases[0] : ref NullRef(), ref alone[0], ref scratch[0], 1);
        Assert.Equal(KernelData.Bits(batch.AsSpan(2 * shape.Outputs, shape.Outputs).ToArray()), KernelData.Bits(alone));

        float[] batchDx = new float[n * shape.Inputs], aloneDx = new float[shape.Inputs];
        convolution.BackwardInput(ref dz[0], ref weights[0], ref batchDx[0], ref scratch[0], n);
        convolution.BackwardInput(ref dz[2 * shape.Outputs], ref weights[0], ref aloneDx[0], ref scratch[0], 1);
        Assert.Equal(KernelData.Bits(batchDx.AsSpan(2 * shape.Inputs, shape.Inputs).ToArray()), KernelData.Bits(aloneDx));
    }

    [Fact]
    public void An_output_size_the_arguments_do_not_give_is_refused()
    {
        // A 9×9 input, kernel 3, stride 2, padding 1 gives 5×5.
        var error = Assert.Throws<ArgumentException>(() => new Im2ColConvolution(3, 9, 9, 4, 5, 6, 3, 3, 2, 1, 1, transposed: false));
        Assert.Contains("gives 5 outputs, not 6", error.Message, StringComparison.Ordinal);
        // Transposed, a 3×3 input, kernel 3, stride 2, padding 1: 5×5, or 6×6 with an output padding of 1; never 7.
        _ = new Im2ColConvolution(4, 3, 3, 2, 6, 5, 3, 3, 2, 1, 1, transposed: true);
        error = Assert.Throws<ArgumentException>(() => new Im2ColConvolution(4, 3, 3, 2, 7, 5, 3, 3, 2, 1, 1, transposed: true));
        Assert.Contains("output height of 7", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Im2ColConvolution(4, 3, 3, 2, 5, 5, 3, 3, 0, 1, 1, transposed: true));
    }

    private static ref float NullRef() => ref System.Runtime.CompilerServices.Unsafe.NullRef<float>();

}
