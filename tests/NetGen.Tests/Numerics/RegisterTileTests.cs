using System;
using System.Collections.Generic;
using NetGen.CompilerServices;
using Xunit;
using static NetGen.Tests.Numerics.KernelData;

namespace NetGen.Tests.Numerics;

/// <summary>
/// The runtime's register-tiled GEMM against a plain loop that does the same operations in the same order, bit for bit,
/// for every unit type (Vector512 runs in software where the machine lacks it), tile height, unit layout (side by side
/// and overlapping), start (zero, a bias row, the output itself) and fused activation; and its single-sample kernel.
/// </summary>
public sealed class RegisterTileTests
{
    private delegate void Gemm(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha);

    private static readonly (string Name, int Lanes, bool Fused)[] UnitTypes =
    [
        ("Gemm512", 16, true), ("Gemm256", 8, true), ("Gemm128", 4, true), ("GemmFusedScalar", 1, true), ("GemmScalar", 1, false),
    ];

    private static Gemm Entry(string name) => name switch
    {
        "Gemm512" => RegisterTile.Gemm512,
        "Gemm256" => RegisterTile.Gemm256,
        "Gemm128" => RegisterTile.Gemm128,
        "GemmFusedScalar" => RegisterTile.GemmFusedScalar,
        _ => RegisterTile.GemmScalar,
    };

    public enum StartKind
    {
        Zero,
        BiasRow,
        Output,
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach ((string name, int lanes, bool _) in UnitTypes)
        {
            foreach ((int rows, int tileRows) in new[] { (1, 8), (13, 8), (13, 6), (7, 4), (5, 2), (3, 1) })
            {
                foreach (int units in new[] { 1, 2 })
                {
                    // Two units side by side, or overlapping by two columns (the last vector of a narrow panel).
                    foreach (int unitOffset in units == 1 ? [0] : lanes > 2 ? new[] { lanes, lanes - 2 } : [lanes])
                    {
                        foreach (StartKind start in Enum.GetValues<StartKind>())
                        {
                            yield return [name, rows, tileRows, units, unitOffset, start, start == StartKind.BiasRow ? 0.1f : float.NaN];
                        }
                    }
                }
            }
            yield return [name, 9, 8, 2, lanes, StartKind.Zero, 0f];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_plain_loop_bit_for_bit(string entry, int rows, int tileRows, int units, int unitOffset, StartKind start, float alpha)
    {
        (_, int lanes, bool fused) = Array.Find(UnitTypes, u => u.Name == entry);
        const int inner = 7, aRow = 11, aStep = 1, bStep = 40, cRow = 37;
        int width = (units - 1) * unitOffset + lanes;
        var random = new Random(rows * 31 + tileRows * 7 + units + unitOffset);
        float[] a = Values(random, rows * aRow + inner * aStep);
        float[] b = Values(random, inner * bStep + width);
        float[] bias = Values(random, width);
        float[] c = Values(random, rows * cRow + width);
        float[] expected = (float[])c.Clone();
        bool activate = !float.IsNaN(alpha);
        float[] activated = new float[rows * cRow + width];
        float[] expectedActivated = new float[activated.Length];

        for (int i = 0; i < rows; i++)
        {
            // Units in order, so an overlapping unit's shared columns end as the later unit computed them, like the tile.
            for (int q = 0; q < units; q++)
            {
                for (int l = 0; l < lanes; l++)
                {
                    int column = q * unitOffset + l;
                    float acc = start switch
                    {
                        StartKind.BiasRow => bias[column],
                        StartKind.Output => c[i * cRow + column],
                        _ => 0f,
                    };
                    for (int t = 0; t < inner; t++)
                    {
                        float x = a[i * aRow + t * aStep], w = b[t * bStep + column];
                        acc = fused ? MathF.FusedMultiplyAdd(x, w, acc) : acc + x * w;
                    }
                    expected[i * cRow + column] = acc;
                    expectedActivated[i * cRow + column] = acc >= 0f ? acc : alpha * acc;
                }
            }
        }

        TileOperand startOperand = start switch
        {
            StartKind.BiasRow => new(ref bias[0], 0, 0),
            StartKind.Output => new(ref c[0], cRow, 0),
            _ => default,
        };
        Entry(entry)(rows, tileRows, inner, units, unitOffset, new(ref a[0], aRow, aStep), new(ref b[0], 0, bStep), new(ref c[0], cRow, 0),
            startOperand, activate ? new(ref activated[0], cRow, 0) : default, activate ? alpha : 0f);

        Assert.Equal(Bits(expected), Bits(c));
        if (activate)
        {
            Assert.Equal(Bits(expectedActivated), Bits(activated));
        }
    }

    private delegate void Row(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha);

    private static readonly (string Name, int Lanes)[] RowUnitTypes = [("Row512", 16), ("Row256", 8), ("Row128", 4), ("RowFusedScalar", 1)];

    private static Row RowEntry(string name) => name switch
    {
        "Row512" => RegisterTile.Row512,
        "Row256" => RegisterTile.Row256,
        "Row128" => RegisterTile.Row128,
        _ => RegisterTile.RowFusedScalar,
    };

    /// <summary>Every unit type, units per group, group count (whole chunks of twelve accumulators, and the groups left
    /// over), with and without the skipping of zero inputs, a bias and a fused activation.</summary>
    public static IEnumerable<object[]> RowCases()
    {
        foreach ((string name, _) in RowUnitTypes)
        {
            foreach (int units in new[] { 1, 2, 3, 4 })
            {
                foreach (int groups in new[] { 1, 2, 3, 5, 8, 15, 25 })
                {
                    yield return [name, units, groups, false, float.NaN];
                    yield return [name, units, groups, true, 0.25f];
                }
            }
        }
    }

    /// <summary>The single-sample kernel against a plain loop: each output adds its steps in order with one fused
    /// multiply-add each, skipping the zero inputs when told; the inputs hold zeros, so skipping them must not change a
    /// bit (the weights are finite and no start is −0).</summary>
    [Theory]
    [MemberData(nameof(RowCases))]
    public void The_row_kernel_matches_the_plain_loop_bit_for_bit(string entry, int units, int groups, bool skipZeros, float alpha)
    {
        (_, int lanes) = Array.Find(RowUnitTypes, u => u.Name == entry);
        const int inner = 19, aStep = 1, bStep = 3;
        // Units side by side (a full panel, the kernel's instantiation with literal offsets) or spaced at run time.
        int unitOffset = skipZeros ? lanes : lanes + 1, groupWidth = (units - 1) * unitOffset + lanes;
        int bRow = inner * bStep + groupWidth + 5, cRow = groupWidth + 3;
        var random = new Random(units * 131 + groups * 17 + (skipZeros ? 1 : 0));
        float[] a = Values(random, inner * aStep);
        for (int t = 0; t < inner; t += 3)
        {
            a[t * aStep] = 0f;
        }
        float[] b = Values(random, groups * bRow);
        float[] bias = Values(random, groups * cRow);
        float[] c = new float[groups * cRow];
        float[] expected = new float[c.Length];
        bool activate = !float.IsNaN(alpha);
        float[] activated = new float[c.Length];
        float[] expectedActivated = new float[c.Length];
        for (int g = 0; g < groups; g++)
        {
            for (int q = 0; q < units; q++)
            {
                for (int l = 0; l < lanes; l++)
                {
                    int column = g * cRow + q * unitOffset + l;
                    float acc = bias[column];
                    for (int t = 0; t < inner; t++)
                    {
                        acc = MathF.FusedMultiplyAdd(a[t * aStep], b[g * bRow + t * bStep + q * unitOffset + l], acc);
                    }
                    expected[column] = acc;
                    expectedActivated[column] = acc >= 0f ? acc : alpha * acc;
                }
            }
        }

        RowEntry(entry)(groups, units, inner, unitOffset, skipZeros, new(ref a[0], 0, aStep), new(ref b[0], bRow, bStep), new(ref c[0], cRow, 0),
            new(ref bias[0], cRow, 0), activate ? new(ref activated[0], cRow, 0) : default, activate ? alpha : 0f);

        Assert.Equal(Bits(expected), Bits(c));
        if (activate)
        {
            Assert.Equal(Bits(expectedActivated), Bits(activated));
        }
    }

    [Fact]
    public void The_row_kernel_rejects_what_it_does_not_have()
    {
        float[] x = new float[64];
        Assert.Throws<ArgumentOutOfRangeException>("units", () => RegisterTile.Row256(1, 5, 1, 8, false,
            new(ref x[0], 0, 1), new(ref x[0], 0, 1), new(ref x[0], 0, 0), default, default, 0f));
        Assert.Throws<ArgumentOutOfRangeException>("groups", () => RegisterTile.Row256(-1, 1, 1, 0, false,
            new(ref x[0], 0, 1), new(ref x[0], 0, 1), new(ref x[0], 0, 0), default, default, 0f));
        Assert.Throws<ArgumentException>("a", () => RegisterTile.Row256(1, 1, 1, 0, false,
            new(ref x[0], 0, 2), new(ref x[0], 0, 1), new(ref x[0], 0, 0), default, default, 0f));
    }

    [Fact]
    public void Rejects_tiles_it_does_not_have()
    {
        float[] x = new float[64];
        Assert.Throws<ArgumentOutOfRangeException>("units", () => RegisterTile.Gemm256(1, 8, 1, 3, 8,
            new(ref x[0], 1, 1), new(ref x[0], 0, 1), new(ref x[0], 1, 0), default, default, 0f));
        Assert.Throws<ArgumentOutOfRangeException>("tileRows", () => RegisterTile.Gemm256(1, 5, 1, 1, 0,
            new(ref x[0], 1, 1), new(ref x[0], 0, 1), new(ref x[0], 1, 0), default, default, 0f));
    }
}
