using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// One operand of a <see cref="RegisterTile"/>: its element at (row i, step t) is <c>Origin[i · Row + t · Step]</c>. The
/// default value is no operand (<see cref="IsNone"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct TileOperand
{
    /// <summary>The operand at <paramref name="origin"/> with strides <paramref name="row"/> and <paramref name="step"/>.</summary>
    public TileOperand(ref float origin, nint row, nint step)
    {
        Origin = ref origin;
        Row = row;
        Step = step;
    }

    /// <summary>The element at row 0, step 0.</summary>
    public readonly ref float Origin;

    /// <summary>Floats from one row to the next (0: every row is the same, as a bias).</summary>
    public readonly nint Row;

    /// <summary>Floats from one step of the reduction to the next.</summary>
    public readonly nint Step;

    /// <summary>Whether this is the default value, no operand.</summary>
    public bool IsNone => Unsafe.IsNullRef(ref Origin);
}

/// <summary>
/// The register-tiled broadcast GEMM that the generated kernels of dense layers run:
/// <c>C[i, q] (start)= Σ_t A[i, t] · B[t, q]</c> for rows <c>i &lt; rows</c>, units <c>q &lt; units</c> (each one vector of
/// columns, or one column on the scalar paths) and steps <c>t &lt; inner</c>. A is broadcast: <c>A[i, t] = a[i·a.Row +
/// t·a.Step]</c>; unit q of B and C sits <c>q · unitOffset</c> floats after unit 0: <c>B[t, q] = b[t·b.Step + q·unitOffset]</c>,
/// <c>C[i, q] = c[i·c.Row + q·unitOffset]</c>. The accumulators start from the operand <c>start</c> (laid out as C, its
/// own row stride; a row stride of 0 repeats one row, a bias) or from zero when it is none, and the operand
/// <c>activated</c>, when given, receives <c>z ≥ 0 ? z : α·z</c> of each result z (ReLU: α = 0).
/// </summary>
/// <remarks>
/// Rows run in tiles of <c>tileRows</c> (1, 2, 3, 4, 6 or 8), then one tile of each smaller power of two. Every element
/// accumulates over t in order with one fused multiply-add per step (an unfused multiply and add on <see cref="GemmScalar"/>),
/// so the result does not depend on the tiling: a row gets the same bits alone or in any tile. Strides are run-time values;
/// the loop bumps one pointer per operand, which runs as fast as literal strides.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RegisterTile
{
    /// <summary>Units of <see cref="Vector512{T}"/> (16 floats).</summary>
    public static void Gemm512(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => Run<Vector512<float>, Ops512>(rows, tileRows, inner, units, unitOffset, a, b, c, start, activated, alpha);

    /// <summary>Units of <see cref="Vector256{T}"/> (8 floats).</summary>
    public static void Gemm256(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => Run<Vector256<float>, Ops256>(rows, tileRows, inner, units, unitOffset, a, b, c, start, activated, alpha);

    /// <summary>Units of <see cref="Vector128{T}"/> (4 floats).</summary>
    public static void Gemm128(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => Run<Vector128<float>, Ops128>(rows, tileRows, inner, units, unitOffset, a, b, c, start, activated, alpha);

    /// <summary>Units of one column with a fused multiply-add (the columns left over on the vector paths).</summary>
    public static void GemmFusedScalar(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => Run<float, FusedScalarOps>(rows, tileRows, inner, units, unitOffset, a, b, c, start, activated, alpha);

    /// <summary>Units of one column with a multiply and an add (the scalar path, for machines without SIMD).</summary>
    public static void GemmScalar(int rows, int tileRows, nint inner, int units, nint unitOffset,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => Run<float, ScalarOps>(rows, tileRows, inner, units, unitOffset, a, b, c, start, activated, alpha);

    /// <summary>The single-sample GEMM with units of <see cref="Vector512{T}"/>: see <see cref="RowGemm{TV, TOps}"/>.</summary>
    public static void Row512(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => RowGemm<Vector512<float>, Ops512>(groups, units, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);

    /// <summary>The single-sample GEMM with units of <see cref="Vector256{T}"/>.</summary>
    public static void Row256(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => RowGemm<Vector256<float>, Ops256>(groups, units, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);

    /// <summary>The single-sample GEMM with units of <see cref="Vector128{T}"/>.</summary>
    public static void Row128(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => RowGemm<Vector128<float>, Ops128>(groups, units, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);

    /// <summary>The single-sample GEMM with units of one column and a fused multiply-add.</summary>
    public static void RowFusedScalar(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        TileOperand a, TileOperand b, TileOperand c, TileOperand start, TileOperand activated, float alpha)
        => RowGemm<float, FusedScalarOps>(groups, units, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);

    /// <summary>Accumulators a single-sample chunk keeps in registers: with the latency of a fused multiply-add of about
    /// five cycles and two of them per cycle, ten independent chains keep the units busy; twelve leave room for the
    /// broadcast on the sixteen registers of AVX2. A pass over the inputs costs about the same for any number of chains
    /// up to that, so fewer, fuller passes are faster.</summary>
    private const int RowAccumulators = 12;

    /// <summary>
    /// One row of A times several groups of B, the single-sample forward of a dense layer whose weights lie in panels:
    /// <c>C[g, q] (start)= Σ_t A[t] · B[g, t, q]</c> for groups <c>g &lt; groups</c> (the panels), units
    /// <c>q &lt; units</c> of each group and steps <c>t &lt; inner</c>, with <c>A[t] = a[t]</c> (a step of 1),
    /// <c>B[g, t, q] = b[g·b.Row + t·b.Step + q·unitOffset]</c> and <c>C[g, q] = c[g·c.Row + q·unitOffset]</c> (start and
    /// activated laid out as C). Groups run in chunks of up to <see cref="RowAccumulators"/> accumulators, so that the
    /// multiply-adds of one step are independent, and the groups left over in one chunk more. With
    /// <paramref name="skipZeros"/>, steps whose A is exactly 0 are skipped: FMA(0, w, acc) = acc for every finite w and
    /// every acc but −0, so the result has the same bits as the batch tile's unless a weight is not finite or the start is
    /// −0.
    /// </summary>
    private static void RowGemm<TV, TOps>(int groups, int units, nint inner, nint unitOffset, bool skipZeros,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(groups);
        if (a.Step != 1)
        {
            // One induction variable walks A and B: the loop that skips zeros is then as short as a written-out one.
            throw new ArgumentException("The single-sample kernel reads A as one contiguous row (a step of 1).", nameof(a));
        }
        // Units side by side (a full panel) get their offsets as constants of the instantiation.
        bool adjacent = unitOffset == TOps.Lanes;
        switch (units)
        {
            case 1:
                RowGroups<TV, TOps, One, Adjacent>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 2 when adjacent:
                RowGroups<TV, TOps, Two, Adjacent>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 2:
                RowGroups<TV, TOps, Two, Spaced>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 3 when adjacent:
                RowGroups<TV, TOps, Three, Adjacent>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 3:
                RowGroups<TV, TOps, Three, Spaced>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 4 when adjacent:
                RowGroups<TV, TOps, Four, Adjacent>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 4:
                RowGroups<TV, TOps, Four, Spaced>(groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(units), units, "A single-sample chunk holds 1 to 4 units per group.");
        }
    }

    /// <summary>Chunks of <see cref="RowAccumulators"/> / TUnits groups, then the groups left over as one chunk.</summary>
    private static void RowGroups<TV, TOps, TUnits, TLayout>(int groups, nint inner, nint unitOffset, bool skipZeros,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
        where TLayout : struct, IUnitLayout
    {
        int g = TUnits.Value switch
        {
            1 => RowChunks<TV, TOps, Twelve, TUnits, TLayout>(0, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha),
            2 => RowChunks<TV, TOps, Six, TUnits, TLayout>(0, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha),
            3 => RowChunks<TV, TOps, Four, TUnits, TLayout>(0, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha),
            _ => RowChunks<TV, TOps, Three, TUnits, TLayout>(0, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha),
        };
        // The rest, fewer groups than a full chunk: one pass more (each size instantiated only where it fits).
        switch (groups - g)
        {
            case 0:
                break;
            case 1:
                RowChunks<TV, TOps, One, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 2:
                RowChunks<TV, TOps, Two, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 3:
                RowChunks<TV, TOps, Three, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 4:
                RowChunks<TV, TOps, Four, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 5:
                RowChunks<TV, TOps, Five, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 6:
                RowChunks<TV, TOps, Six, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 7:
                RowChunks<TV, TOps, Seven, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 8:
                RowChunks<TV, TOps, Eight, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 9:
                RowChunks<TV, TOps, Nine, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 10:
                RowChunks<TV, TOps, Ten, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            case 11:
                RowChunks<TV, TOps, Eleven, TUnits, TLayout>(g, groups, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
                break;
            default:
                throw new InvalidOperationException("More groups left than a chunk holds.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RowChunks<TV, TOps, TGroups, TUnits, TLayout>(int first, int groups, nint inner, nint unitOffset, bool skipZeros,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TGroups : struct, ICount
        where TUnits : struct, ICount
        where TLayout : struct, IUnitLayout
    {
        if (TGroups.Value * TUnits.Value > RowAccumulators)
        {
            // A chunk this size would spill its accumulators; RowGroups never asks for one.
            throw new InvalidOperationException("A single-sample chunk holds at most twelve accumulators.");
        }
        int g = first;
        for (; g + TGroups.Value <= groups; g += TGroups.Value)
        {
            RowChunk<TV, TOps, TGroups, TUnits, TLayout>(g, inner, unitOffset, skipZeros, a, b, c, start, activated, alpha);
        }
        return g;
    }

    /// <summary>Groups [g, g + TGroups) of a <see cref="RowGemm{TV, TOps}"/>: accumulator k holds unit k mod TUnits of
    /// group g + k / TUnits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowChunk<TV, TOps, TGroups, TUnits, TLayout>(int g, nint inner, nint unitOffset, bool skipZeros,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TGroups : struct, ICount
        where TUnits : struct, ICount
        where TLayout : struct, IUnitLayout
    {
        int count = TGroups.Value * TUnits.Value;
        nint uo = TLayout.Contiguous ? TOps.Lanes : unitOffset;
        TV acc0 = TOps.Zero, acc1 = TOps.Zero, acc2 = TOps.Zero, acc3 = TOps.Zero, acc4 = TOps.Zero, acc5 = TOps.Zero;
        TV acc6 = TOps.Zero, acc7 = TOps.Zero, acc8 = TOps.Zero, acc9 = TOps.Zero, acc10 = TOps.Zero, acc11 = TOps.Zero;
        if (!start.IsNone)
        {
            ref float s = ref Unsafe.Add(ref start.Origin, g * start.Row);
            nint row = start.Row;
            acc0 = TOps.Load(ref s);
            if (count > 1) { acc1 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(1, row, uo))); }
            if (count > 2) { acc2 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(2, row, uo))); }
            if (count > 3) { acc3 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(3, row, uo))); }
            if (count > 4) { acc4 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(4, row, uo))); }
            if (count > 5) { acc5 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(5, row, uo))); }
            if (count > 6) { acc6 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(6, row, uo))); }
            if (count > 7) { acc7 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(7, row, uo))); }
            if (count > 8) { acc8 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(8, row, uo))); }
            if (count > 9) { acc9 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(9, row, uo))); }
            if (count > 10) { acc10 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(10, row, uo))); }
            if (count > 11) { acc11 = TOps.Load(ref Unsafe.Add(ref s, Unit<TUnits>(11, row, uo))); }
        }

        // One reference per group; the units of a group sit at fixed offsets from it (literal ones when they are side by
        // side), so few registers hold the addresses.
        nint groupStride = b.Row;
        ref float g0 = ref Unsafe.Add(ref b.Origin, g * groupStride);
        ref float g1 = ref Unsafe.Add(ref g0, TGroups.Value > 1 ? 1 * groupStride : 0);
        ref float g2 = ref Unsafe.Add(ref g0, TGroups.Value > 2 ? 2 * groupStride : 0);
        ref float g3 = ref Unsafe.Add(ref g0, TGroups.Value > 3 ? 3 * groupStride : 0);
        ref float g4 = ref Unsafe.Add(ref g0, TGroups.Value > 4 ? 4 * groupStride : 0);
        ref float g5 = ref Unsafe.Add(ref g0, TGroups.Value > 5 ? 5 * groupStride : 0);
        ref float g6 = ref Unsafe.Add(ref g0, TGroups.Value > 6 ? 6 * groupStride : 0);
        ref float g7 = ref Unsafe.Add(ref g0, TGroups.Value > 7 ? 7 * groupStride : 0);
        ref float g8 = ref Unsafe.Add(ref g0, TGroups.Value > 8 ? 8 * groupStride : 0);
        ref float g9 = ref Unsafe.Add(ref g0, TGroups.Value > 9 ? 9 * groupStride : 0);
        ref float g10 = ref Unsafe.Add(ref g0, TGroups.Value > 10 ? 10 * groupStride : 0);
        ref float g11 = ref Unsafe.Add(ref g0, TGroups.Value > 11 ? 11 * groupStride : 0);
        ref float x0 = ref a.Origin;
        nint bStep = b.Step;
        for (nint t = 0, bt = 0; t < inner; t++, bt += bStep)
        {
            float value = Unsafe.Add(ref x0, t);
            if (skipZeros && value == 0f)
            {
                continue;
            }
            TV x = TOps.Broadcast(value);
            acc0 = TOps.MultiplyAdd(x, TOps.Load(ref Unsafe.Add(ref g0, bt)), acc0);
            if (count > 1) { acc1 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(1, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc1); }
            if (count > 2) { acc2 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(2, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc2); }
            if (count > 3) { acc3 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(3, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc3); }
            if (count > 4) { acc4 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(4, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc4); }
            if (count > 5) { acc5 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(5, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc5); }
            if (count > 6) { acc6 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(6, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc6); }
            if (count > 7) { acc7 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(7, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc7); }
            if (count > 8) { acc8 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(8, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc8); }
            if (count > 9) { acc9 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(9, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc9); }
            if (count > 10) { acc10 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(10, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc10); }
            if (count > 11) { acc11 = TOps.MultiplyAdd(x, TOps.Load(ref Weight<TUnits>(11, bt, uo, ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7, ref g8, ref g9, ref g10, ref g11)), acc11); }
        }

        StoreChunk<TV, TOps, TUnits>(ref Unsafe.Add(ref c.Origin, g * c.Row), c.Row, uo, count, false, 0f,
            acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7, acc8, acc9, acc10, acc11);
        if (!activated.IsNone)
        {
            StoreChunk<TV, TOps, TUnits>(ref Unsafe.Add(ref activated.Origin, g * activated.Row), activated.Row, uo, count, true, alpha,
                acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7, acc8, acc9, acc10, acc11);
        }
    }

    /// <summary>The weights of accumulator k of a single-sample chunk at step offset <paramref name="bt"/>: unit
    /// k mod TUnits of group k / TUnits (k is a constant of the caller, so the choice folds away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Weight<TUnits>(int k, nint bt, nint unitOffset,
        ref float g0, ref float g1, ref float g2, ref float g3, ref float g4, ref float g5, ref float g6, ref float g7, ref float g8, ref float g9, ref float g10, ref float g11)
        where TUnits : struct, ICount
    {
        nint offset = bt + (k % TUnits.Value) * unitOffset;
        switch (k / TUnits.Value)
        {
            case 0: return ref Unsafe.Add(ref g0, offset);
            case 1: return ref Unsafe.Add(ref g1, offset);
            case 2: return ref Unsafe.Add(ref g2, offset);
            case 3: return ref Unsafe.Add(ref g3, offset);
            case 4: return ref Unsafe.Add(ref g4, offset);
            case 5: return ref Unsafe.Add(ref g5, offset);
            case 6: return ref Unsafe.Add(ref g6, offset);
            case 7: return ref Unsafe.Add(ref g7, offset);
            case 8: return ref Unsafe.Add(ref g8, offset);
            case 9: return ref Unsafe.Add(ref g9, offset);
            case 10: return ref Unsafe.Add(ref g10, offset);
            default: return ref Unsafe.Add(ref g11, offset);
        }
    }

    /// <summary>Where accumulator k of a single-sample chunk lies from its first: unit k mod TUnits of group k / TUnits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Unit<TUnits>(int k, nint groupStride, nint unitOffset)
        where TUnits : struct, ICount
        => (k / TUnits.Value) * groupStride + (k % TUnits.Value) * unitOffset;

    /// <summary>Stores the first <paramref name="count"/> accumulators of a single-sample chunk, or their Leaky ReLU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreChunk<TV, TOps, TUnits>(ref float o, nint groupStride, nint unitOffset, int count, bool activate, float alpha,
        TV v0, TV v1, TV v2, TV v3, TV v4, TV v5, TV v6, TV v7, TV v8, TV v9, TV v10, TV v11)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
    {
        if (activate)
        {
            (v0, v1, v2, v3) = (TOps.LeakyRelu(v0, alpha), TOps.LeakyRelu(v1, alpha), TOps.LeakyRelu(v2, alpha), TOps.LeakyRelu(v3, alpha));
            (v4, v5, v6, v7) = (TOps.LeakyRelu(v4, alpha), TOps.LeakyRelu(v5, alpha), TOps.LeakyRelu(v6, alpha), TOps.LeakyRelu(v7, alpha));
            (v8, v9, v10, v11) = (TOps.LeakyRelu(v8, alpha), TOps.LeakyRelu(v9, alpha), TOps.LeakyRelu(v10, alpha), TOps.LeakyRelu(v11, alpha));
        }
        TOps.Store(v0, ref o);
        if (count > 1) { TOps.Store(v1, ref Unsafe.Add(ref o, Unit<TUnits>(1, groupStride, unitOffset))); }
        if (count > 2) { TOps.Store(v2, ref Unsafe.Add(ref o, Unit<TUnits>(2, groupStride, unitOffset))); }
        if (count > 3) { TOps.Store(v3, ref Unsafe.Add(ref o, Unit<TUnits>(3, groupStride, unitOffset))); }
        if (count > 4) { TOps.Store(v4, ref Unsafe.Add(ref o, Unit<TUnits>(4, groupStride, unitOffset))); }
        if (count > 5) { TOps.Store(v5, ref Unsafe.Add(ref o, Unit<TUnits>(5, groupStride, unitOffset))); }
        if (count > 6) { TOps.Store(v6, ref Unsafe.Add(ref o, Unit<TUnits>(6, groupStride, unitOffset))); }
        if (count > 7) { TOps.Store(v7, ref Unsafe.Add(ref o, Unit<TUnits>(7, groupStride, unitOffset))); }
        if (count > 8) { TOps.Store(v8, ref Unsafe.Add(ref o, Unit<TUnits>(8, groupStride, unitOffset))); }
        if (count > 9) { TOps.Store(v9, ref Unsafe.Add(ref o, Unit<TUnits>(9, groupStride, unitOffset))); }
        if (count > 10) { TOps.Store(v10, ref Unsafe.Add(ref o, Unit<TUnits>(10, groupStride, unitOffset))); }
        if (count > 11) { TOps.Store(v11, ref Unsafe.Add(ref o, Unit<TUnits>(11, groupStride, unitOffset))); }
    }


    private static void Run<TV, TOps>(int rows, int tileRows, nint inner, int units, nint unitOffset,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        if (units == 2)
        {
            Rows<TV, TOps, Two>(rows, tileRows, inner, unitOffset, a, b, c, start, activated, alpha);
        }
        else if (units == 1)
        {
            Rows<TV, TOps, One>(rows, tileRows, inner, unitOffset, a, b, c, start, activated, alpha);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "A register tile holds 1 or 2 units.");
        }
    }

    private static void Rows<TV, TOps, TUnits>(int rows, int tileRows, nint inner, nint unitOffset,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
    {
        int r = tileRows switch
        {
            8 => Tiles<TV, TOps, Eight, TUnits>(0, rows, inner, unitOffset, a, b, c, start, activated, alpha),
            6 => Tiles<TV, TOps, Six, TUnits>(0, rows, inner, unitOffset, a, b, c, start, activated, alpha),
            3 => Tiles<TV, TOps, Three, TUnits>(0, rows, inner, unitOffset, a, b, c, start, activated, alpha),
            4 or 2 or 1 => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(tileRows), tileRows, "Tiles hold 1, 2, 3, 4, 6 or 8 rows."),
        };
        if (tileRows >= 4)
        {
            r = Tiles<TV, TOps, Four, TUnits>(r, rows, inner, unitOffset, a, b, c, start, activated, alpha);
        }
        if (tileRows >= 2)
        {
            r = Tiles<TV, TOps, Two, TUnits>(r, rows, inner, unitOffset, a, b, c, start, activated, alpha);
        }
        Tiles<TV, TOps, One, TUnits>(r, rows, inner, unitOffset, a, b, c, start, activated, alpha);
    }

    /// <summary>Tiles of TRows rows × TUnits units from row <paramref name="first"/> while whole tiles fit below
    /// <paramref name="rows"/>; returns the first row left. The accumulators of a tile stay in registers for the whole
    /// reduction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Tiles<TV, TOps, TRows, TUnits>(int first, int rows, nint inner, nint unitOffset,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
        where TUnits : struct, ICount
    {
        int r = first;
        for (; r + TRows.Value <= rows; r += TRows.Value)
        {
            Tile<TV, TOps, TRows, TUnits>(r, inner, unitOffset, a, b, c, start, activated, alpha);
        }
        return r;
    }

    /// <summary>Rows [r, r + TRows) × TUnits units: one call per tile (a body this large is not inlined); a tile's setup
    /// is small beside a reduction of a few dozen steps, and the generator writes shorter reductions out itself.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile<TV, TOps, TRows, TUnits>(int r, nint inner, nint unitOffset,
        scoped in TileOperand a, scoped in TileOperand b, scoped in TileOperand c, scoped in TileOperand start,
        scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
        where TUnits : struct, ICount
    {
        bool two = TUnits.Value == 2;
        TV acc00 = TOps.Zero, acc01 = TOps.Zero, acc10 = TOps.Zero, acc11 = TOps.Zero;
        TV acc20 = TOps.Zero, acc21 = TOps.Zero, acc30 = TOps.Zero, acc31 = TOps.Zero;
        TV acc40 = TOps.Zero, acc41 = TOps.Zero, acc50 = TOps.Zero, acc51 = TOps.Zero;
        TV acc60 = TOps.Zero, acc61 = TOps.Zero, acc70 = TOps.Zero, acc71 = TOps.Zero;
        if (!start.IsNone)
        {
            ref float s = ref Unsafe.Add(ref start.Origin, r * start.Row);
            nint row = start.Row;
            acc00 = TOps.Load(ref s);
            if (two) { acc01 = TOps.Load(ref Unsafe.Add(ref s, unitOffset)); }
            if (TRows.Value > 1) { Load2(ref Unsafe.Add(ref s, row), unitOffset, two, ref acc10, ref acc11); }
            if (TRows.Value > 2) { Load2(ref Unsafe.Add(ref s, 2 * row), unitOffset, two, ref acc20, ref acc21); }
            if (TRows.Value > 3) { Load2(ref Unsafe.Add(ref s, 3 * row), unitOffset, two, ref acc30, ref acc31); }
            if (TRows.Value > 4) { Load2(ref Unsafe.Add(ref s, 4 * row), unitOffset, two, ref acc40, ref acc41); }
            if (TRows.Value > 5) { Load2(ref Unsafe.Add(ref s, 5 * row), unitOffset, two, ref acc50, ref acc51); }
            if (TRows.Value > 6) { Load2(ref Unsafe.Add(ref s, 6 * row), unitOffset, two, ref acc60, ref acc61); }
            if (TRows.Value > 7) { Load2(ref Unsafe.Add(ref s, 7 * row), unitOffset, two, ref acc70, ref acc71); }
        }

        // One reference per row of A, bumped together by the step; B is bumped by its own step.
        ref float a0 = ref Unsafe.Add(ref a.Origin, r * a.Row);
        ref float a1 = ref Unsafe.Add(ref a0, a.Row);
        ref float a2 = ref Unsafe.Add(ref a0, 2 * a.Row);
        ref float a3 = ref Unsafe.Add(ref a0, 3 * a.Row);
        ref float a4 = ref Unsafe.Add(ref a0, 4 * a.Row);
        ref float a5 = ref Unsafe.Add(ref a0, 5 * a.Row);
        ref float a6 = ref Unsafe.Add(ref a0, 6 * a.Row);
        ref float a7 = ref Unsafe.Add(ref a0, 7 * a.Row);
        ref float bt = ref b.Origin;
        nint aStep = a.Step, bStep = b.Step, at = 0;
        for (nint t = 0; t < inner; t++)
        {
            TV b0 = TOps.Load(ref bt);
            TV b1 = two ? TOps.Load(ref Unsafe.Add(ref bt, unitOffset)) : TOps.Zero;
            bt = ref Unsafe.Add(ref bt, bStep);
            TV x = TOps.Broadcast(Unsafe.Add(ref a0, at));
            acc00 = TOps.MultiplyAdd(x, b0, acc00);
            if (two) { acc01 = TOps.MultiplyAdd(x, b1, acc01); }
            if (TRows.Value > 1)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a1, at));
                acc10 = TOps.MultiplyAdd(x, b0, acc10);
                if (two) { acc11 = TOps.MultiplyAdd(x, b1, acc11); }
            }
            if (TRows.Value > 2)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a2, at));
                acc20 = TOps.MultiplyAdd(x, b0, acc20);
                if (two) { acc21 = TOps.MultiplyAdd(x, b1, acc21); }
            }
            if (TRows.Value > 3)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a3, at));
                acc30 = TOps.MultiplyAdd(x, b0, acc30);
                if (two) { acc31 = TOps.MultiplyAdd(x, b1, acc31); }
            }
            if (TRows.Value > 4)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a4, at));
                acc40 = TOps.MultiplyAdd(x, b0, acc40);
                if (two) { acc41 = TOps.MultiplyAdd(x, b1, acc41); }
            }
            if (TRows.Value > 5)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a5, at));
                acc50 = TOps.MultiplyAdd(x, b0, acc50);
                if (two) { acc51 = TOps.MultiplyAdd(x, b1, acc51); }
            }
            if (TRows.Value > 6)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a6, at));
                acc60 = TOps.MultiplyAdd(x, b0, acc60);
                if (two) { acc61 = TOps.MultiplyAdd(x, b1, acc61); }
            }
            if (TRows.Value > 7)
            {
                x = TOps.Broadcast(Unsafe.Add(ref a7, at));
                acc70 = TOps.MultiplyAdd(x, b0, acc70);
                if (two) { acc71 = TOps.MultiplyAdd(x, b1, acc71); }
            }
            at += aStep;
        }

        Store2<TV, TOps>(ref Unsafe.Add(ref c.Origin, r * c.Row), c.Row, unitOffset, two, TRows.Value,
            acc00, acc01, acc10, acc11, acc20, acc21, acc30, acc31, acc40, acc41, acc50, acc51, acc60, acc61, acc70, acc71);
        if (!activated.IsNone)
        {
            ref float o = ref Unsafe.Add(ref activated.Origin, r * activated.Row);
            Store2<TV, TOps>(ref o, activated.Row, unitOffset, two, TRows.Value,
                TOps.LeakyRelu(acc00, alpha), TOps.LeakyRelu(acc01, alpha), TOps.LeakyRelu(acc10, alpha), TOps.LeakyRelu(acc11, alpha),
                TOps.LeakyRelu(acc20, alpha), TOps.LeakyRelu(acc21, alpha), TOps.LeakyRelu(acc30, alpha), TOps.LeakyRelu(acc31, alpha),
                TOps.LeakyRelu(acc40, alpha), TOps.LeakyRelu(acc41, alpha), TOps.LeakyRelu(acc50, alpha), TOps.LeakyRelu(acc51, alpha),
                TOps.LeakyRelu(acc60, alpha), TOps.LeakyRelu(acc61, alpha), TOps.LeakyRelu(acc70, alpha), TOps.LeakyRelu(acc71, alpha));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Load2(ref float row, nint unitOffset, bool two, ref TV first, ref TV second)
        {
            first = TOps.Load(ref row);
            if (two)
            {
                second = TOps.Load(ref Unsafe.Add(ref row, unitOffset));
            }
        }
    }

    /// <summary>Stores the accumulators of the first <paramref name="rows"/> rows (one or two units each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2<TV, TOps>(ref float c, nint row, nint unitOffset, bool two, int rows,
        TV v00, TV v01, TV v10, TV v11, TV v20, TV v21, TV v30, TV v31, TV v40, TV v41, TV v50, TV v51, TV v60, TV v61, TV v70, TV v71)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        StoreRow(ref c, v00, v01);
        if (rows > 1) { StoreRow(ref Unsafe.Add(ref c, row), v10, v11); }
        if (rows > 2) { StoreRow(ref Unsafe.Add(ref c, 2 * row), v20, v21); }
        if (rows > 3) { StoreRow(ref Unsafe.Add(ref c, 3 * row), v30, v31); }
        if (rows > 4) { StoreRow(ref Unsafe.Add(ref c, 4 * row), v40, v41); }
        if (rows > 5) { StoreRow(ref Unsafe.Add(ref c, 5 * row), v50, v51); }
        if (rows > 6) { StoreRow(ref Unsafe.Add(ref c, 6 * row), v60, v61); }
        if (rows > 7) { StoreRow(ref Unsafe.Add(ref c, 7 * row), v70, v71); }

        void StoreRow(ref float destination, TV first, TV second)
        {
            TOps.Store(first, ref destination);
            if (two)
            {
                TOps.Store(second, ref Unsafe.Add(ref destination, unitOffset));
            }
        }
    }
}
