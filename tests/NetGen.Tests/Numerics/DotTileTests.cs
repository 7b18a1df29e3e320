using System;
using System.Linq;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's dot-product tiles against double precision, for each unit type (a type the machine does not accelerate
/// runs in software), and the order of each sum fixed by the shapes: every element has the bits it has when computed
/// alone, whatever tile computed it.
/// </summary>
public class DotTileTests
{
    private delegate void Products(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha);

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string unit in new[] { "512", "256", "128", "scalar" })
        {
            // Lengths with no remainder, each remainder a 256- and a 128-bit vector leave, and single elements.
            foreach (int inner in new[] { 1, 3, 4, 8, 13, 16, 29, 40, 784 })
            {
                data.Add(unit, inner);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Products_match_double_precision_and_each_element_alone(string unit, int inner)
    {
        Products products = unit switch
        {
            "512" => DotTile.Products512,
            "256" => DotTile.Products256,
            "128" => DotTile.Products128,
            _ => DotTile.ProductsScalar,
        };
        const int rows = 7, columns = 6, cRow = columns + 1;
        var random = new Random(inner);
        float[] a = KernelData.Values(random, rows * inner), b = KernelData.Values(random, columns * inner);
        float[] start = KernelData.Values(random, columns);
        float[] c = new float[rows * cRow], activated = new float[rows * cRow];
        const float alpha = 0.25f;
        // The start is one row (a bias: row stride 0), C and the activation rows of cRow floats.
        products(rows, columns, inner, new TileOperand(ref a[0], inner, 1), new TileOperand(ref b[0], inner, 1), new TileOperand(ref c[0], cRow, 1),
            new TileOperand(ref start[0], 0, 1), new TileOperand(ref activated[0], cRow, 1), alpha);

        for (int i = 0; i < rows; i++)
        {
            for (int q = 0; q < columns; q++)
            {
                double expected = start[q];
                for (int t = 0; t < inner; t++)
                {
                    expected += (double)a[i * inner + t] * b[q * inner + t];
                }
                float value = c[i * cRow + q];
                Assert.True(Math.Abs(expected - value) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"C[{i}, {q}]: expected {expected}, got {value}");
                Assert.Equal(value >= 0f ? value : alpha * value, activated[i * cRow + q]);

                float alone = 0f;
                products(1, 1, inner, new TileOperand(ref a[i * inner], inner, 1), new TileOperand(ref b[q * inner], inner, 1),
                    new TileOperand(ref alone, 0, 1), new TileOperand(ref start[q], 0, 1), default, 0f);
                Assert.Equal(BitConverter.SingleToInt32Bits(alone), BitConverter.SingleToInt32Bits(value));
            }
        }
        Assert.All(c.AsSpan().ToArray().Where((_, index) => index % cRow == columns), gap => Assert.Equal(0f, gap));
    }
}
