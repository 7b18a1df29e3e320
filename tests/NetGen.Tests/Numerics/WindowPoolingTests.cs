using System;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's general pooling against plain loops over each window (PyTorch's definitions), bit for bit: windows that
/// overlap and that skip rows, padding that clips windows, ties (the first maximum wins), a NaN, a fused ReLU
/// derivative, and global average pooling.
/// </summary>
public class WindowPoolingTests
{
    public static TheoryData<int, int, int, int, int> Shapes() => new()
    {
        // height, width, kernel, stride, padding
        { 7, 7, 3, 2, 1 },  // overlapping windows clipped by the padding
        { 9, 6, 3, 3, 0 },  // 3×3/3
        { 8, 8, 2, 3, 1 },  // windows that skip rows and columns
        { 5, 11, 4, 1, 2 }, // stride 1, padding half the window
        { 6, 6, 6, 1, 0 },  // one window: global pooling
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_backward_match_plain_loops_bit_for_bit(int height, int width, int kernel, int stride, int padding)
    {
        const int channels = 3, n = 2;
        var random = new Random(height * 100 + width * 10 + kernel);
        float[] x = KernelData.Values(random, n * channels * height * width);
        // Ties: every fourth value repeats its left neighbour. One NaN, which a max takes only as a window's first element.
        for (int i = 1; i < x.Length; i += 4)
        {
            x[i] = x[i - 1];
        }
        x[5] = float.NaN;
        var reference = new Reference(channels, height, width, kernel, stride, padding);
        var pooling = new WindowPooling(channels, height, width, kernel, kernel, stride, padding);
        float[] sourceZ = KernelData.Values(random, x.Length);
        float[] dz = KernelData.Values(random, n * reference.OutputSize);

        float[] z = new float[dz.Length];
        pooling.MaxForward(ref x[0], ref z[0], n);
        Assert.Equal(KernelData.Bits(reference.Forward(x, n, max: true)), KernelData.Bits(z));
        pooling.AverageForward(ref x[0], ref z[0], n);
        Assert.Equal(KernelData.Bits(reference.Forward(x, n, max: false)), KernelData.Bits(z));

        foreach (bool relu in new[] { false, true })
        {
            float[] dx = KernelData.Values(random, x.Length);
            ref float source = ref relu ? ref sourceZ[0] : ref System.Runtime.CompilerServices.Unsafe.NullRef<float>();
            pooling.MaxBackward(ref x[0], ref source, ref dz[0], ref dx[0], n);
            Assert.Equal(KernelData.Bits(reference.Backward(x, relu ? sourceZ : null, dz, n, max: true)), KernelData.Bits(dx));
        }
        float[] averageDx = KernelData.Values(random, x.Length);
        pooling.AverageBackward(ref dz[0], ref averageDx[0], n);
        Assert.Equal(KernelData.Bits(reference.Backward(x, null, dz, n, max: false)), KernelData.Bits(averageDx));
    }

    [Fact]
    public void Global_pooling_is_the_mean_of_each_channel()
    {
        float[] x = [1, 2, 3, 4, 10, 20, 30, 40];
        float[] z = new float[2];
        WindowPooling.Global(2, 2, 2).AverageForward(ref x[0], ref z[0], 1);
        Assert.Equal([2.5f, 25f], z);
    }

    [Fact]
    public void A_window_that_could_lie_in_the_padding_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new WindowPooling(1, 8, 8, 3, 3, 2, padding: 2));
        Assert.Contains("more than half", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WindowPooling(1, 2, 2, 5, 5, 1, padding: 1));
    }

    private sealed record Reference(int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
    {
        private int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

        private int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

        private int InputSize => Channels * Height * Width;

        public int OutputSize => Channels * OutHeight * OutWidth;

        /// <summary>The image indexes of the window of (c, oy, ox), row by row.</summary>
        private System.Collections.Generic.IEnumerable<int> Window(int c, int oy, int ox)
        {
            for (int ky = 0; ky < Kernel; ky++)
            {
                for (int kx = 0; kx < Kernel; kx++)
                {
                    int iy = oy * Stride - Padding + ky, ix = ox * Stride - Padding + kx;
                    if (iy >= 0 && iy < Height && ix >= 0 && ix < Width)
                    {
                        yield return (c * Height + iy) * Width + ix;
                    }
                }
            }
        }

        private int ArgMax(float[] x, int sample, int c, int oy, int ox)
        {
            int best = -1;
            foreach (int i in Window(c, oy, ox))
            {
                if (best < 0 || x[sample + i] > x[sample + best])
                {
                    best = i;
                }
            }
            return best;
        }

        public float[] Forward(float[] x, int n, bool max)
        {
            float[] z = new float[n * OutputSize];
            ForEachOutput(n, (s, c, oy, ox, o) =>
            {
                if (max)
                {
                    z[o] = x[s * InputSize + ArgMax(x, s * InputSize, c, oy, ox)];
                    return;
                }
                float sum = 0f;
                foreach (int i in Window(c, oy, ox))
                {
                    sum += x[s * InputSize + i];
                }
                z[o] = sum * (1f / (Kernel * Kernel));
            });
            return z;
        }

        public float[] Backward(float[] x, float[]? sourceZ, float[] dz, int n, bool max)
        {
            float[] dx = new float[n * InputSize];
            ForEachOutput(n, (s, c, oy, ox, o) =>
            {
                if (max)
                {
                    int best = s * InputSize + ArgMax(x, s * InputSize, c, oy, ox);
                    if (sourceZ is null || sourceZ[best] >= 0f)
                    {
                        dx[best] += dz[o];
                    }
                    return;
                }
                foreach (int i in Window(c, oy, ox))
                {
                    dx[s * InputSize + i] += dz[o] * (1f / (Kernel * Kernel));
                }
            });
            return dx;
        }

        private void ForEachOutput(int n, Action<int, int, int, int, int> visit)
        {
            for (int s = 0; s < n; s++)
            {
                for (int c = 0; c < Channels; c++)
                {
                    for (int oy = 0; oy < OutHeight; oy++)
                    {
                        for (int ox = 0; ox < OutWidth; ox++)
                        {
                            visit(s, c, oy, ox, s * OutputSize + (c * OutHeight + oy) * OutWidth + ox);
                        }
                    }
                }
            }
        }
    }
}
