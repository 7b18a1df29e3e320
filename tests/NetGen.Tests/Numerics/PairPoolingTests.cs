using System;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's 2×2/2 pooling against plain loops, bit for bit, on whichever SIMD path this process runs: widths whose
/// rows end in a 256-bit block, a 128-bit block, a single window or all three, odd last rows and columns (in no window),
/// ties (the first maximum wins) and a fused ReLU derivative.
/// </summary>
public class PairPoolingTests
{
    public static TheoryData<int, int> Sizes() => new()
    {
        { 28, 28 }, // LeNet: 14 outputs a row, 4 + 4 + 4 + 2
        { 10, 10 }, // 5: 4 + 1
        { 6, 14 },  // 7: 4 + 2 + 1
        { 5, 7 },   // odd: the last row and column are in no window
        { 2, 2 },   // one window
        { 4, 16 },  // 8: two whole blocks
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forward_and_backward_match_plain_loops_bit_for_bit(int height, int width)
    {
        const int planes = 3;
        var random = new Random(height * 100 + width);
        float[] x = KernelData.Values(random, planes * height * width);
        // Ties: every fourth value repeats its left neighbour, so windows hold equal maxima.
        for (int i = 1; i < x.Length; i += 4)
        {
            x[i] = x[i - 1];
        }
        float[] sourceZ = KernelData.Values(random, x.Length);
        int outputs = planes * (height / 2) * (width / 2);
        float[] dz = KernelData.Values(random, outputs);

        foreach (bool max in new[] { true, false })
        {
            float[] z = new float[outputs];
            if (max)
            {
                PairPooling.MaxForward(ref x[0], ref z[0], planes, height, width);
            }
            else
            {
                PairPooling.AverageForward(ref x[0], ref z[0], planes, height, width);
            }
            Assert.Equal(KernelData.Bits(Forward(x, planes, height, width, max)), KernelData.Bits(z));
        }

        foreach (bool relu in new[] { false, true })
        {
            float[] dx = KernelData.Values(random, x.Length);
            ref float source = ref relu ? ref sourceZ[0] : ref System.Runtime.CompilerServices.Unsafe.NullRef<float>();
            PairPooling.MaxBackward(ref x[0], ref source, ref dz[0], ref dx[0], planes, height, width);
            Assert.Equal(KernelData.Bits(MaxBackward(x, relu ? sourceZ : null, dz, planes, height, width)), KernelData.Bits(dx));
        }

        float[] spread = KernelData.Values(random, x.Length);
        PairPooling.AverageBackward(ref dz[0], ref spread[0], planes, height, width);
        Assert.Equal(KernelData.Bits(AverageBackward(dz, planes, height, width)), KernelData.Bits(spread));
    }

    private static float[] Forward(float[] x, int planes, int height, int width, bool max)
    {
        int oh = height / 2, ow = width / 2;
        float[] z = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int c = 0; c < ow; c++)
                {
                    (float a, float b, float d, float e) = Window(x, p, y, c, height, width);
                    float best = a;
                    best = b > best ? b : best;
                    best = d > best ? d : best;
                    best = e > best ? e : best;
                    z[(p * oh + y) * ow + c] = max ? best : (a + b + d + e) * 0.25f;
                }
            }
        }
        return z;
    }

    private static float[] MaxBackward(float[] x, float[]? sourceZ, float[] dz, int planes, int height, int width)
    {
        int oh = height / 2, ow = width / 2;
        float[] dx = new float[x.Length];
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int c = 0; c < ow; c++)
                {
                    (float a, float b, float d, float e) = Window(x, p, y, c, height, width);
                    int[] at = [Index(p, 2 * y, 2 * c, height, width), Index(p, 2 * y, 2 * c + 1, height, width),
                        Index(p, 2 * y + 1, 2 * c, height, width), Index(p, 2 * y + 1, 2 * c + 1, height, width)];
                    int taken = 0;
                    float best = a;
                    foreach ((float value, int k) in new[] { (b, 1), (d, 2), (e, 3) })
                    {
                        if (value > best)
                        {
                            (best, taken) = (value, k);
                        }
                    }
                    float g = dz[(p * oh + y) * ow + c];
                    dx[at[taken]] = sourceZ is null || sourceZ[at[taken]] >= 0f ? g : 0f;
                }
            }
        }
        return dx;
    }

    private static float[] AverageBackward(float[] dz, int planes, int height, int width)
    {
        int oh = height / 2, ow = width / 2;
        float[] dx = new float[planes * height * width];
        for (int p = 0; p < planes; p++)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int c = 0; c < ow; c++)
                {
                    float share = dz[(p * oh + y) * ow + c] * 0.25f;
                    dx[Index(p, 2 * y, 2 * c, height, width)] = share;
                    dx[Index(p, 2 * y, 2 * c + 1, height, width)] = share;
                    dx[Index(p, 2 * y + 1, 2 * c, height, width)] = share;
                    dx[Index(p, 2 * y + 1, 2 * c + 1, height, width)] = share;
                }
            }
        }
        return dx;
    }

    private static int Index(int plane, int row, int column, int height, int width) => (plane * height + row) * width + column;

    private static (float, float, float, float) Window(float[] x, int plane, int y, int c, int height, int width)
        => (x[Index(plane, 2 * y, 2 * c, height, width)], x[Index(plane, 2 * y, 2 * c + 1, height, width)],
            x[Index(plane, 2 * y + 1, 2 * c, height, width)], x[Index(plane, 2 * y + 1, 2 * c + 1, height, width)]);
}
