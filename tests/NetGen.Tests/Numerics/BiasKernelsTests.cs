using System;
using NetGen.CompilerServices;
using Xunit;
using static NetGen.Tests.Numerics.KernelData;

namespace NetGen.Tests.Numerics;

/// <summary>The bias kernels against plain loops that add in the same order, bit for bit.</summary>
public sealed class BiasKernelsTests
{
    /// <summary>Column counts that exercise whole Vector512 and Vector256 blocks and the scalar columns after them.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(10, 5)]
    [InlineData(16, 2)]
    [InlineData(40, 9)]
    [InlineData(128, 32)]
    public void Column_sums_add_each_row_in_order(int columns, int rows)
    {
        var random = new Random(columns * 7 + rows);
        float[] values = Values(random, rows * columns);
        float[] sums = Values(random, columns);
        float[] expected = (float[])sums.Clone();
        for (int j = 0; j < columns; j++)
        {
            for (int s = 0; s < rows; s++)
            {
                expected[j] += values[s * columns + j];
            }
        }

        BiasKernels.AddColumnSums(ref values[0], rows, columns, ref sums[0]);

        Assert.Equal(Bits(expected), Bits(sums));
    }

    [Fact]
    public void Channel_sums_add_each_plane_from_zero_then_to_the_sum()
    {
        var random = new Random(3);
        const int channels = 3, pixels = 37;
        float[] values = Values(random, channels * pixels);
        float[] sums = Values(random, channels);
        float[] expected = (float[])sums.Clone();
        for (int c = 0; c < channels; c++)
        {
            float total = 0f;
            for (int p = 0; p < pixels; p++)
            {
                total += values[c * pixels + p];
            }
            expected[c] += total;
        }

        BiasKernels.AddChannelSums(ref values[0], ref sums[0], channels, pixels);

        Assert.Equal(Bits(expected), Bits(sums));
    }

    [Fact]
    public void Channel_bias_is_added_to_every_value_of_its_plane()
    {
        float[] planes = [1f, 2f, 3f, 4f, 5f, 6f];
        float[] bias = [10f, 20f];

        BiasKernels.AddChannelBias(ref bias[0], ref planes[0], 2, 3);

        Assert.Equal([11f, 12f, 13f, 24f, 25f, 26f], planes);
    }
}
