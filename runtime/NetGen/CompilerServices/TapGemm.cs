using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// <c>C[i, j] (start)= Σ_t A[i, t]·B[t, j]</c> over the steps t of <see cref="Offsets"/> and the <see cref="Columns"/>
/// floats j of each row: <c>A[i, t] = A[i·ARow + t·AStep]</c>, <c>B[t, j] = B[Offsets[t] + j]</c>,
/// <c>C[i, j] = C[i·CRow + j]</c>. The accumulators start at <c>RowStart[i]</c> in every column when it is not a null
/// reference (a bias), else at C when <see cref="Accumulate"/>, else at 0. With <see cref="ARepeats"/>, all of that
/// again for each pair of offsets, in order.
/// </summary>
internal readonly ref struct TapProduct(ref float a, nint aRow, nint aStep, ref float b, int[] offsets, ref float c, nint cRow, int columns,
    ref float rowStart, bool accumulate, int[]? aRepeats = null, int[]? cRepeats = null)
{
    public readonly ref float A = ref a;
    /// <summary>When given, the whole product runs once per entry, with A and C moved by the entry's offsets (the input
    /// gradient's kernel positions, in one call).</summary>
    public readonly int[]? ARepeats = aRepeats, CRepeats = cRepeats;
    public readonly nint ARow = aRow, AStep = aStep;
    public readonly ref float B = ref b;
    public readonly int[] Offsets = offsets;
    public readonly ref float C = ref c;
    public readonly nint CRow = cRow;
    public readonly int Columns = columns;
    public readonly ref float RowStart = ref rowStart;
    public readonly bool Accumulate = accumulate;
}

/// <summary>
/// The register-tiled broadcast GEMM of the convolutions, <see cref="TapProduct"/>: tiles of up to 8 rows × 2 vectors of
/// columns whose accumulators stay in registers over every step, then one vector, then narrower vectors and single
/// columns for what is left of a row. Each element accumulates over the steps in order with one fused multiply-add per
/// step (a multiply and an add on the path for machines without SIMD), so its bits do not depend on the tiling.
/// </summary>
internal static class TapGemm
{
    public static void Multiply(int rows, scoped in TapProduct product)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Multiply<Vector512<float>, Ops512>(rows, 8, product);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Multiply<Vector256<float>, Ops256>(rows, 6, product);
        }
        else
        {
            Multiply<float, ScalarOps>(rows, 4, product);
        }
    }

    /// <summary>Rows in the fewest equal tiles of at most <paramref name="maxRows"/> (the last may be smaller).</summary>
    private static void Multiply<TV, TOps>(int rows, int maxRows, scoped in TapProduct p)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        int tile = Balanced(rows, maxRows);
        for (int r = 0; r < rows; r += tile)
        {
            ref float start = ref Unsafe.IsNullRef(ref p.RowStart) ? ref p.RowStart : ref Unsafe.Add(ref p.RowStart, r);
            var rowTile = new TapProduct(ref Unsafe.Add(ref p.A, r * p.ARow), p.ARow, p.AStep, ref p.B, p.Offsets, ref Unsafe.Add(ref p.C, r * p.CRow),
                p.CRow, p.Columns, ref start, p.Accumulate, p.ARepeats, p.CRepeats);
            switch (Math.Min(tile, rows - r))
            {
                case 1: TapColumns<TV, TOps, One>(rowTile); break;
                case 2: TapColumns<TV, TOps, Two>(rowTile); break;
                case 3: TapColumns<TV, TOps, Three>(rowTile); break;
                case 4: TapColumns<TV, TOps, Four>(rowTile); break;
                case 5: TapColumns<TV, TOps, Five>(rowTile); break;
                case 6: TapColumns<TV, TOps, Six>(rowTile); break;
                case 7: TapColumns<TV, TOps, Seven>(rowTile); break;
                default: TapColumns<TV, TOps, Eight>(rowTile); break;
            }
        }
    }

    /// <summary>The columns of a row tile in tiles of two units, then one, then what is left of the row in narrower
    /// vectors and single columns (fused, as the vectors are).</summary>
    private static void TapColumns<TV, TOps, TRows>(scoped in TapProduct p)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
    {
        int units = p.Columns / TOps.Lanes;
        nint pairs = (nint)(units / 2) * 2 * TOps.Lanes;
        TapTiles<TV, TOps, TRows, Two>(p, 0, pairs);
        if (units % 2 != 0)
        {
            TapTiles<TV, TOps, TRows, One>(p, pairs, pairs + TOps.Lanes);
        }
        nint done = (nint)units * TOps.Lanes, end = p.Columns;
        if (done == end)
        {
            return;
        }
        if (TOps.Lanes > 8 && end - done >= 8)
        {
            TapTiles<Vector256<float>, Ops256, TRows, One>(p, done, done + 8);
            done += 8;
        }
        if (TOps.Lanes > 4 && end - done >= 4)
        {
            TapTiles<Vector128<float>, Ops128, TRows, One>(p, done, done + 4);
            done += 4;
        }
        if (done < end)
        {
            TapTiles<float, FusedScalarOps, TRows, One>(p, done, end);
        }
    }

    /// <summary>Tiles of TRows rows × TUnits units over columns [<paramref name="first"/>, <paramref name="end"/>); the
    /// accumulators of a tile stay in registers over every step.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TapTiles<TV, TOps, TRows, TUnits>(scoped in TapProduct p, nint first, nint end)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
        where TUnits : struct, ICount
    {
        int repeats = p.ARepeats?.Length ?? 1;
        for (int k = 0; k < repeats; k++)
        {
            ref float a = ref p.ARepeats is null ? ref p.A : ref Unsafe.Add(ref p.A, p.ARepeats[k]);
            ref float target = ref p.CRepeats is null ? ref p.C : ref Unsafe.Add(ref p.C, p.CRepeats[k]);
            TapRepeat<TV, TOps, TRows, TUnits>(p, ref a, ref target, first, end);
        }
    }

    /// <summary>One pass of <see cref="TapTiles"/> with A and C at the given references.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TapRepeat<TV, TOps, TRows, TUnits>(scoped in TapProduct p, ref float a, ref float target, nint first, nint end)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
        where TUnits : struct, ICount
    {
        bool two = TUnits.Value == 2, fromRow = !Unsafe.IsNullRef(ref p.RowStart), accumulate = p.Accumulate;
        int rows = TRows.Value;
        nint lanes = TOps.Lanes, cRow = p.CRow, aRow = p.ARow, aStep = p.AStep;
        // One reference per row of A, read at the same step; B at the offset of each step.
        ref float a0 = ref a;
        ref float a1 = ref Unsafe.Add(ref a0, aRow);
        ref float a2 = ref Unsafe.Add(ref a0, 2 * aRow);
        ref float a3 = ref Unsafe.Add(ref a0, 3 * aRow);
        ref float a4 = ref Unsafe.Add(ref a0, 4 * aRow);
        ref float a5 = ref Unsafe.Add(ref a0, 5 * aRow);
        ref float a6 = ref Unsafe.Add(ref a0, 6 * aRow);
        ref float a7 = ref Unsafe.Add(ref a0, 7 * aRow);
        ref float s = ref p.RowStart;
        int[] offsets = p.Offsets;
        for (nint j = first; j < end; j += TUnits.Value * lanes)
        {
            ref float c = ref Unsafe.Add(ref target, j);
            TV acc00 = TOps.Zero, acc01 = TOps.Zero, acc10 = TOps.Zero, acc11 = TOps.Zero;
            TV acc20 = TOps.Zero, acc21 = TOps.Zero, acc30 = TOps.Zero, acc31 = TOps.Zero;
            TV acc40 = TOps.Zero, acc41 = TOps.Zero, acc50 = TOps.Zero, acc51 = TOps.Zero;
            TV acc60 = TOps.Zero, acc61 = TOps.Zero, acc70 = TOps.Zero, acc71 = TOps.Zero;
            if (fromRow)
            {
                acc00 = acc01 = TOps.Broadcast(s);
                if (rows > 1) { acc10 = acc11 = TOps.Broadcast(Unsafe.Add(ref s, 1)); }
                if (rows > 2) { acc20 = acc21 = TOps.Broadcast(Unsafe.Add(ref s, 2)); }
                if (rows > 3) { acc30 = acc31 = TOps.Broadcast(Unsafe.Add(ref s, 3)); }
                if (rows > 4) { acc40 = acc41 = TOps.Broadcast(Unsafe.Add(ref s, 4)); }
                if (rows > 5) { acc50 = acc51 = TOps.Broadcast(Unsafe.Add(ref s, 5)); }
                if (rows > 6) { acc60 = acc61 = TOps.Broadcast(Unsafe.Add(ref s, 6)); }
                if (rows > 7) { acc70 = acc71 = TOps.Broadcast(Unsafe.Add(ref s, 7)); }
            }
            else if (accumulate)
            {
                acc00 = TOps.Load(ref c);
                acc01 = two ? TOps.Load(ref Unsafe.Add(ref c, lanes)) : TOps.Zero;
                if (rows > 1) { acc10 = TOps.Load(ref Unsafe.Add(ref c, cRow)); acc11 = two ? TOps.Load(ref Unsafe.Add(ref c, cRow + lanes)) : TOps.Zero; }
                if (rows > 2) { acc20 = TOps.Load(ref Unsafe.Add(ref c, 2 * cRow)); acc21 = two ? TOps.Load(ref Unsafe.Add(ref c, 2 * cRow + lanes)) : TOps.Zero; }
                if (rows > 3) { acc30 = TOps.Load(ref Unsafe.Add(ref c, 3 * cRow)); acc31 = two ? TOps.Load(ref Unsafe.Add(ref c, 3 * cRow + lanes)) : TOps.Zero; }
                if (rows > 4) { acc40 = TOps.Load(ref Unsafe.Add(ref c, 4 * cRow)); acc41 = two ? TOps.Load(ref Unsafe.Add(ref c, 4 * cRow + lanes)) : TOps.Zero; }
                if (rows > 5) { acc50 = TOps.Load(ref Unsafe.Add(ref c, 5 * cRow)); acc51 = two ? TOps.Load(ref Unsafe.Add(ref c, 5 * cRow + lanes)) : TOps.Zero; }
                if (rows > 6) { acc60 = TOps.Load(ref Unsafe.Add(ref c, 6 * cRow)); acc61 = two ? TOps.Load(ref Unsafe.Add(ref c, 6 * cRow + lanes)) : TOps.Zero; }
                if (rows > 7) { acc70 = TOps.Load(ref Unsafe.Add(ref c, 7 * cRow)); acc71 = two ? TOps.Load(ref Unsafe.Add(ref c, 7 * cRow + lanes)) : TOps.Zero; }
            }

            // Two steps per pass of the loop (then the odd one): the loop's own instructions are a fifth of a step's.
            ref float b = ref Unsafe.Add(ref p.B, j);
            ref int offset = ref MemoryMarshal.GetArrayDataReference(offsets);
            nint at = 0, steps = offsets.Length, t = 0;
            for (; t + 1 < steps; t += 2, at += 2 * aStep)
            {
                {
                    ref float bt0 = ref Unsafe.Add(ref b, Unsafe.Add(ref offset, 0));
                    TV b0 = TOps.Load(ref bt0);
                    TV b1 = two ? TOps.Load(ref Unsafe.Add(ref bt0, lanes)) : TOps.Zero;
                    TV x = TOps.Broadcast(Unsafe.Add(ref a0, at));
                    acc00 = TOps.MultiplyAdd(x, b0, acc00);
                    if (two) { acc01 = TOps.MultiplyAdd(x, b1, acc01); }
                    if (rows > 1)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a1, at));
                        acc10 = TOps.MultiplyAdd(x, b0, acc10);
                        if (two) { acc11 = TOps.MultiplyAdd(x, b1, acc11); }
                    }
                    if (rows > 2)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a2, at));
                        acc20 = TOps.MultiplyAdd(x, b0, acc20);
                        if (two) { acc21 = TOps.MultiplyAdd(x, b1, acc21); }
                    }
                    if (rows > 3)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a3, at));
                        acc30 = TOps.MultiplyAdd(x, b0, acc30);
                        if (two) { acc31 = TOps.MultiplyAdd(x, b1, acc31); }
                    }
                    if (rows > 4)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a4, at));
                        acc40 = TOps.MultiplyAdd(x, b0, acc40);
                        if (two) { acc41 = TOps.MultiplyAdd(x, b1, acc41); }
                    }
                    if (rows > 5)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a5, at));
                        acc50 = TOps.MultiplyAdd(x, b0, acc50);
                        if (two) { acc51 = TOps.MultiplyAdd(x, b1, acc51); }
                    }
                    if (rows > 6)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a6, at));
                        acc60 = TOps.MultiplyAdd(x, b0, acc60);
                        if (two) { acc61 = TOps.MultiplyAdd(x, b1, acc61); }
                    }
                    if (rows > 7)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a7, at));
                        acc70 = TOps.MultiplyAdd(x, b0, acc70);
                        if (two) { acc71 = TOps.MultiplyAdd(x, b1, acc71); }
                    }
                }
                {
                    ref float bt1 = ref Unsafe.Add(ref b, Unsafe.Add(ref offset, 1));
                    TV b0 = TOps.Load(ref bt1);
                    TV b1 = two ? TOps.Load(ref Unsafe.Add(ref bt1, lanes)) : TOps.Zero;
                    TV x = TOps.Broadcast(Unsafe.Add(ref a0, at + aStep));
                    acc00 = TOps.MultiplyAdd(x, b0, acc00);
                    if (two) { acc01 = TOps.MultiplyAdd(x, b1, acc01); }
                    if (rows > 1)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a1, at + aStep));
                        acc10 = TOps.MultiplyAdd(x, b0, acc10);
                        if (two) { acc11 = TOps.MultiplyAdd(x, b1, acc11); }
                    }
                    if (rows > 2)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a2, at + aStep));
                        acc20 = TOps.MultiplyAdd(x, b0, acc20);
                        if (two) { acc21 = TOps.MultiplyAdd(x, b1, acc21); }
                    }
                    if (rows > 3)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a3, at + aStep));
                        acc30 = TOps.MultiplyAdd(x, b0, acc30);
                        if (two) { acc31 = TOps.MultiplyAdd(x, b1, acc31); }
                    }
                    if (rows > 4)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a4, at + aStep));
                        acc40 = TOps.MultiplyAdd(x, b0, acc40);
                        if (two) { acc41 = TOps.MultiplyAdd(x, b1, acc41); }
                    }
                    if (rows > 5)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a5, at + aStep));
                        acc50 = TOps.MultiplyAdd(x, b0, acc50);
                        if (two) { acc51 = TOps.MultiplyAdd(x, b1, acc51); }
                    }
                    if (rows > 6)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a6, at + aStep));
                        acc60 = TOps.MultiplyAdd(x, b0, acc60);
                        if (two) { acc61 = TOps.MultiplyAdd(x, b1, acc61); }
                    }
                    if (rows > 7)
                    {
                        x = TOps.Broadcast(Unsafe.Add(ref a7, at + aStep));
                        acc70 = TOps.MultiplyAdd(x, b0, acc70);
                        if (two) { acc71 = TOps.MultiplyAdd(x, b1, acc71); }
                    }
                }
                offset = ref Unsafe.Add(ref offset, 2);
            }
            if (t < steps)
            {
                ref float bt0 = ref Unsafe.Add(ref b, Unsafe.Add(ref offset, 0));
                TV b0 = TOps.Load(ref bt0);
                TV b1 = two ? TOps.Load(ref Unsafe.Add(ref bt0, lanes)) : TOps.Zero;
                TV x = TOps.Broadcast(Unsafe.Add(ref a0, at));
                acc00 = TOps.MultiplyAdd(x, b0, acc00);
                if (two) { acc01 = TOps.MultiplyAdd(x, b1, acc01); }
                if (rows > 1)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a1, at));
                    acc10 = TOps.MultiplyAdd(x, b0, acc10);
                    if (two) { acc11 = TOps.MultiplyAdd(x, b1, acc11); }
                }
                if (rows > 2)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a2, at));
                    acc20 = TOps.MultiplyAdd(x, b0, acc20);
                    if (two) { acc21 = TOps.MultiplyAdd(x, b1, acc21); }
                }
                if (rows > 3)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a3, at));
                    acc30 = TOps.MultiplyAdd(x, b0, acc30);
                    if (two) { acc31 = TOps.MultiplyAdd(x, b1, acc31); }
                }
                if (rows > 4)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a4, at));
                    acc40 = TOps.MultiplyAdd(x, b0, acc40);
                    if (two) { acc41 = TOps.MultiplyAdd(x, b1, acc41); }
                }
                if (rows > 5)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a5, at));
                    acc50 = TOps.MultiplyAdd(x, b0, acc50);
                    if (two) { acc51 = TOps.MultiplyAdd(x, b1, acc51); }
                }
                if (rows > 6)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a6, at));
                    acc60 = TOps.MultiplyAdd(x, b0, acc60);
                    if (two) { acc61 = TOps.MultiplyAdd(x, b1, acc61); }
                }
                if (rows > 7)
                {
                    x = TOps.Broadcast(Unsafe.Add(ref a7, at));
                    acc70 = TOps.MultiplyAdd(x, b0, acc70);
                    if (two) { acc71 = TOps.MultiplyAdd(x, b1, acc71); }
                }
            }

            TOps.Store(acc00, ref c);
            if (two) { TOps.Store(acc01, ref Unsafe.Add(ref c, lanes)); }
            if (rows > 1) { TOps.Store(acc10, ref Unsafe.Add(ref c, cRow)); if (two) { TOps.Store(acc11, ref Unsafe.Add(ref c, cRow + lanes)); } }
            if (rows > 2) { TOps.Store(acc20, ref Unsafe.Add(ref c, 2 * cRow)); if (two) { TOps.Store(acc21, ref Unsafe.Add(ref c, 2 * cRow + lanes)); } }
            if (rows > 3) { TOps.Store(acc30, ref Unsafe.Add(ref c, 3 * cRow)); if (two) { TOps.Store(acc31, ref Unsafe.Add(ref c, 3 * cRow + lanes)); } }
            if (rows > 4) { TOps.Store(acc40, ref Unsafe.Add(ref c, 4 * cRow)); if (two) { TOps.Store(acc41, ref Unsafe.Add(ref c, 4 * cRow + lanes)); } }
            if (rows > 5) { TOps.Store(acc50, ref Unsafe.Add(ref c, 5 * cRow)); if (two) { TOps.Store(acc51, ref Unsafe.Add(ref c, 5 * cRow + lanes)); } }
            if (rows > 6) { TOps.Store(acc60, ref Unsafe.Add(ref c, 6 * cRow)); if (two) { TOps.Store(acc61, ref Unsafe.Add(ref c, 6 * cRow + lanes)); } }
            if (rows > 7) { TOps.Store(acc70, ref Unsafe.Add(ref c, 7 * cRow)); if (two) { TOps.Store(acc71, ref Unsafe.Add(ref c, 7 * cRow + lanes)); } }
        }
    }

    /// <summary>The size of each of the fewest equal tiles of at most <paramref name="max"/> that cover
    /// <paramref name="count"/> (the last tile may be smaller).</summary>
    public static int Balanced(int count, int max)
    {
        int tiles = (count + max - 1) / max;
        return (count + tiles - 1) / tiles;
    }
}
