using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// Register-tiled dot products, for products whose reduction runs along contiguous memory in both operands:
/// <c>C[i, q] = start[i, q] + Σ_t A[i, t] · B[q, t]</c> for rows <c>i &lt; rows</c>, columns <c>q &lt; columns</c> and
/// <c>t &lt; inner</c>, with <c>A[i, t] = a[i·a.Row + t]</c>, <c>B[q, t] = b[q·b.Row + t]</c> and
/// <c>C[i, q] = c[i·c.Row + q·c.Step]</c> (start and activated laid out the same way with their own strides; no start:
/// 0). The operand <c>activated</c>, when given, receives <c>z ≥ 0 ? z : α·z</c> of each result. A dense layer's last 1–3
/// output columns (a row of x against a column of W) and a convolution's weight gradient (rows of the gradient against
/// rows of the im2col matrix) are such products.
/// </summary>
/// <remarks>
/// Each sum runs in a fixed order whatever the tile: lane-wise partial sums over whole vectors of the unit type, their
/// horizontal sum, then the elements that do not fill a vector one fused multiply-add at a time; the start is added to
/// the finished sum. The scalar path multiplies and adds without fusing. Columns run in tiles of up to 4, rows in tiles of 4 (2 with 4
/// columns), so that at most 12 accumulators live.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DotTile
{
    /// <summary>Partial sums in <see cref="Vector512{T}"/>.</summary>
    public static void Products512(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha)
        => Run<Vector512<float>, Ops512>(rows, columns, inner, a, b, c, start, activated, alpha);

    /// <summary>Partial sums in <see cref="Vector256{T}"/>.</summary>
    public static void Products256(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha)
        => Run<Vector256<float>, Ops256>(rows, columns, inner, a, b, c, start, activated, alpha);

    /// <summary>Partial sums in <see cref="Vector128{T}"/>.</summary>
    public static void Products128(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha)
        => Run<Vector128<float>, Ops128>(rows, columns, inner, a, b, c, start, activated, alpha);

    /// <summary>One element at a time with a multiply and an add (the path for machines without SIMD).</summary>
    public static void ProductsScalar(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha)
        => Run<float, ScalarOps>(rows, columns, inner, a, b, c, start, activated, alpha);

    /// <summary>The widest unit type this machine accelerates whose vector fits <paramref name="inner"/>.</summary>
    internal static void Products(int rows, int columns, nint inner, TileOperand a, TileOperand b, TileOperand c,
        TileOperand start, TileOperand activated, float alpha)
    {
        if (Vector512.IsHardwareAccelerated && inner >= 16)
        {
            Products512(rows, columns, inner, a, b, c, start, activated, alpha);
        }
        else if (Vector256.IsHardwareAccelerated && inner >= 8)
        {
            Products256(rows, columns, inner, a, b, c, start, activated, alpha);
        }
        else if (Vector256.IsHardwareAccelerated && inner >= 4)
        {
            Products128(rows, columns, inner, a, b, c, start, activated, alpha);
        }
        else
        {
            ProductsScalar(rows, columns, inner, a, b, c, start, activated, alpha);
        }
    }

    private static void Run<TV, TOps>(int rows, int columns, nint inner, scoped in TileOperand a, scoped in TileOperand b,
        scoped in TileOperand c, scoped in TileOperand start, scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        for (int q = 0; q < columns; q += 4)
        {
            switch (Math.Min(4, columns - q))
            {
                case 1: Rows<TV, TOps, One>(rows, q, inner, a, b, c, start, activated, alpha); break;
                case 2: Rows<TV, TOps, Two>(rows, q, inner, a, b, c, start, activated, alpha); break;
                case 3: Rows<TV, TOps, Three>(rows, q, inner, a, b, c, start, activated, alpha); break;
                default: Rows<TV, TOps, Four>(rows, q, inner, a, b, c, start, activated, alpha); break;
            }
        }
    }

    private static void Rows<TV, TOps, TColumns>(int rows, int q, nint inner, scoped in TileOperand a, scoped in TileOperand b,
        scoped in TileOperand c, scoped in TileOperand start, scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TColumns : struct, ICount
    {
        int r = TColumns.Value < 4 ? Tiles<TV, TOps, Four, TColumns>(0, rows, q, inner, a, b, c, start, activated, alpha) : 0;
        r = Tiles<TV, TOps, Two, TColumns>(r, rows, q, inner, a, b, c, start, activated, alpha);
        Tiles<TV, TOps, One, TColumns>(r, rows, q, inner, a, b, c, start, activated, alpha);
    }

    /// <summary>Tiles of rows [r, r + TRows) × columns [q, q + TColumns) from row <paramref name="first"/> while whole tiles
    /// fit below <paramref name="count"/>; returns the first row left. One call runs every tile, and nothing is called
    /// inside it: the accumulators stay in registers over each reduction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Tiles<TV, TOps, TRows, TColumns>(int first, int count, int q, nint inner, scoped in TileOperand a, scoped in TileOperand b,
        scoped in TileOperand c, scoped in TileOperand start, scoped in TileOperand activated, float alpha)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TRows : struct, ICount
        where TColumns : struct, ICount
    {
        int rows = TRows.Value, columns = TColumns.Value;
        nint lanes = TOps.Lanes, full = inner / lanes * lanes;
        ref float w0 = ref Unsafe.Add(ref b.Origin, q * b.Row);
        ref float w1 = ref Unsafe.Add(ref w0, b.Row);
        ref float w2 = ref Unsafe.Add(ref w0, 2 * b.Row);
        ref float w3 = ref Unsafe.Add(ref w0, 3 * b.Row);
        // The operands' fields in locals: a store through C could alias them, and they would be read again after each.
        bool hasStart = !start.IsNone, activate = !activated.IsNone;
        ref float cOrigin = ref c.Origin, startOrigin = ref start.Origin, activatedOrigin = ref activated.Origin;
        nint cRowStride = c.Row, cStep = c.Step, startRowStride = start.Row, startStep = start.Step;
        nint activatedRowStride = activated.Row, activatedStep = activated.Step;
        int r = first;
        for (; r + rows <= count; r += rows)
        {
            ref float x0 = ref Unsafe.Add(ref a.Origin, r * a.Row);
            ref float x1 = ref Unsafe.Add(ref x0, a.Row);
            ref float x2 = ref Unsafe.Add(ref x0, 2 * a.Row);
            ref float x3 = ref Unsafe.Add(ref x0, 3 * a.Row);
            TV acc00 = TOps.Zero, acc01 = TOps.Zero, acc02 = TOps.Zero, acc03 = TOps.Zero;
            TV acc10 = TOps.Zero, acc11 = TOps.Zero, acc12 = TOps.Zero, acc13 = TOps.Zero;
            TV acc20 = TOps.Zero, acc21 = TOps.Zero, acc22 = TOps.Zero, acc23 = TOps.Zero;
            TV acc30 = TOps.Zero, acc31 = TOps.Zero, acc32 = TOps.Zero, acc33 = TOps.Zero;
            for (nint t = 0; t < full; t += lanes)
            {
                TV v0 = TOps.Load(ref Unsafe.Add(ref x0, t));
                TV v1 = rows > 1 ? TOps.Load(ref Unsafe.Add(ref x1, t)) : TOps.Zero;
                TV v2 = rows > 2 ? TOps.Load(ref Unsafe.Add(ref x2, t)) : TOps.Zero;
                TV v3 = rows > 3 ? TOps.Load(ref Unsafe.Add(ref x3, t)) : TOps.Zero;
                TV w = TOps.Load(ref Unsafe.Add(ref w0, t));
                acc00 = TOps.MultiplyAdd(v0, w, acc00);
                if (rows > 1) { acc10 = TOps.MultiplyAdd(v1, w, acc10); }
                if (rows > 2) { acc20 = TOps.MultiplyAdd(v2, w, acc20); }
                if (rows > 3) { acc30 = TOps.MultiplyAdd(v3, w, acc30); }
                if (columns > 1)
                {
                    w = TOps.Load(ref Unsafe.Add(ref w1, t));
                    acc01 = TOps.MultiplyAdd(v0, w, acc01);
                    if (rows > 1) { acc11 = TOps.MultiplyAdd(v1, w, acc11); }
                    if (rows > 2) { acc21 = TOps.MultiplyAdd(v2, w, acc21); }
                    if (rows > 3) { acc31 = TOps.MultiplyAdd(v3, w, acc31); }
                }
                if (columns > 2)
                {
                    w = TOps.Load(ref Unsafe.Add(ref w2, t));
                    acc02 = TOps.MultiplyAdd(v0, w, acc02);
                    if (rows > 1) { acc12 = TOps.MultiplyAdd(v1, w, acc12); }
                    if (rows > 2) { acc22 = TOps.MultiplyAdd(v2, w, acc22); }
                    if (rows > 3) { acc32 = TOps.MultiplyAdd(v3, w, acc32); }
                }
                if (columns > 3)
                {
                    w = TOps.Load(ref Unsafe.Add(ref w3, t));
                    acc03 = TOps.MultiplyAdd(v0, w, acc03);
                    if (rows > 1) { acc13 = TOps.MultiplyAdd(v1, w, acc13); }
                    if (rows > 2) { acc23 = TOps.MultiplyAdd(v2, w, acc23); }
                    if (rows > 3) { acc33 = TOps.MultiplyAdd(v3, w, acc33); }
                }
            }

            float s00 = TOps.Sum(acc00), s01 = TOps.Sum(acc01), s02 = TOps.Sum(acc02), s03 = TOps.Sum(acc03);
            float s10 = TOps.Sum(acc10), s11 = TOps.Sum(acc11), s12 = TOps.Sum(acc12), s13 = TOps.Sum(acc13);
            float s20 = TOps.Sum(acc20), s21 = TOps.Sum(acc21), s22 = TOps.Sum(acc22), s23 = TOps.Sum(acc23);
            float s30 = TOps.Sum(acc30), s31 = TOps.Sum(acc31), s32 = TOps.Sum(acc32), s33 = TOps.Sum(acc33);
            // The elements that do not fill a vector, one fused multiply-add each.
            for (nint t = full; t < inner; t++)
            {
                float e0 = Unsafe.Add(ref x0, t);
                float e1 = rows > 1 ? Unsafe.Add(ref x1, t) : 0f, e2 = rows > 2 ? Unsafe.Add(ref x2, t) : 0f, e3 = rows > 3 ? Unsafe.Add(ref x3, t) : 0f;
                float f = Unsafe.Add(ref w0, t);
                s00 = MathF.FusedMultiplyAdd(e0, f, s00);
                if (rows > 1) { s10 = MathF.FusedMultiplyAdd(e1, f, s10); }
                if (rows > 2) { s20 = MathF.FusedMultiplyAdd(e2, f, s20); }
                if (rows > 3) { s30 = MathF.FusedMultiplyAdd(e3, f, s30); }
                if (columns > 1)
                {
                    f = Unsafe.Add(ref w1, t);
                    s01 = MathF.FusedMultiplyAdd(e0, f, s01);
                    if (rows > 1) { s11 = MathF.FusedMultiplyAdd(e1, f, s11); }
                    if (rows > 2) { s21 = MathF.FusedMultiplyAdd(e2, f, s21); }
                    if (rows > 3) { s31 = MathF.FusedMultiplyAdd(e3, f, s31); }
                }
                if (columns > 2)
                {
                    f = Unsafe.Add(ref w2, t);
                    s02 = MathF.FusedMultiplyAdd(e0, f, s02);
                    if (rows > 1) { s12 = MathF.FusedMultiplyAdd(e1, f, s12); }
                    if (rows > 2) { s22 = MathF.FusedMultiplyAdd(e2, f, s22); }
                    if (rows > 3) { s32 = MathF.FusedMultiplyAdd(e3, f, s32); }
                }
                if (columns > 3)
                {
                    f = Unsafe.Add(ref w3, t);
                    s03 = MathF.FusedMultiplyAdd(e0, f, s03);
                    if (rows > 1) { s13 = MathF.FusedMultiplyAdd(e1, f, s13); }
                    if (rows > 2) { s23 = MathF.FusedMultiplyAdd(e2, f, s23); }
                    if (rows > 3) { s33 = MathF.FusedMultiplyAdd(e3, f, s33); }
                }
            }

            // The tile's rows of C, start and activation from their references, which no store can move.
            PutRow(ref cOrigin, cRowStride, cStep, ref startOrigin, startRowStride, startStep, ref activatedOrigin, activatedRowStride,
                activatedStep, hasStart, activate, alpha, r, q, columns, s00, s01, s02, s03);
            if (rows > 1)
            {
                PutRow(ref cOrigin, cRowStride, cStep, ref startOrigin, startRowStride, startStep, ref activatedOrigin, activatedRowStride,
                    activatedStep, hasStart, activate, alpha, r + 1, q, columns, s10, s11, s12, s13);
            }
            if (rows > 2)
            {
                PutRow(ref cOrigin, cRowStride, cStep, ref startOrigin, startRowStride, startStep, ref activatedOrigin, activatedRowStride,
                    activatedStep, hasStart, activate, alpha, r + 2, q, columns, s20, s21, s22, s23);
            }
            if (rows > 3)
            {
                PutRow(ref cOrigin, cRowStride, cStep, ref startOrigin, startRowStride, startStep, ref activatedOrigin, activatedRowStride,
                    activatedStep, hasStart, activate, alpha, r + 3, q, columns, s30, s31, s32, s33);
            }
        }
        return r;
    }

    /// <summary>Row <paramref name="row"/> of a tile: C = start + sum for its first <paramref name="columns"/> elements, and
    /// their activation when asked for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRow(ref float cOrigin, nint cRowStride, nint cStep, ref float startOrigin, nint startRowStride, nint startStep,
        ref float activatedOrigin, nint activatedRowStride, nint activatedStep, bool hasStart, bool activate, float alpha,
        nint row, nint q, int columns, float v0, float v1, float v2, float v3)
    {
        ref float cRow = ref Unsafe.Add(ref cOrigin, row * cRowStride + q * cStep);
        ref float startRow = ref Unsafe.Add(ref startOrigin, row * startRowStride + q * startStep);
        ref float activatedRow = ref Unsafe.Add(ref activatedOrigin, row * activatedRowStride + q * activatedStep);
        Put(ref cRow, cStep, ref startRow, startStep, ref activatedRow, activatedStep, hasStart, activate, alpha, 0, v0);
        if (columns > 1) { Put(ref cRow, cStep, ref startRow, startStep, ref activatedRow, activatedStep, hasStart, activate, alpha, 1, v1); }
        if (columns > 2) { Put(ref cRow, cStep, ref startRow, startStep, ref activatedRow, activatedStep, hasStart, activate, alpha, 2, v2); }
        if (columns > 3) { Put(ref cRow, cStep, ref startRow, startStep, ref activatedRow, activatedStep, hasStart, activate, alpha, 3, v3); }
    }

    /// <summary>Element j of a row: C = start + sum, and its activation when asked for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref float cRow, nint cStep, ref float startRow, nint startStep, ref float activatedRow, nint activatedStep,
        bool hasStart, bool activate, float alpha, nint j, float sum)
    {
        float value = hasStart ? Unsafe.Add(ref startRow, j * startStep) + sum : sum;
        Unsafe.Add(ref cRow, j * cStep) = value;
        if (activate)
        {
            Unsafe.Add(ref activatedRow, j * activatedStep) = value >= 0f ? value : alpha * value;
        }
    }
}
