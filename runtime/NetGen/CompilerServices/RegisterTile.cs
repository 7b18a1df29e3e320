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
/// Rows run in tiles of <c>tileRows</c> (1, 2, 4, 6 or 8), then one tile of each smaller power of two. Every element
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
            4 or 2 or 1 => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(tileRows), tileRows, "Tiles hold 1, 2, 4, 6 or 8 rows."),
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

    private interface ICount
    {
        static abstract int Value { get; }
    }

    private readonly struct One : ICount
    {
        public static int Value => 1;
    }

    private readonly struct Two : ICount
    {
        public static int Value => 2;
    }

    private readonly struct Four : ICount
    {
        public static int Value => 4;
    }

    private readonly struct Six : ICount
    {
        public static int Value => 6;
    }

    private readonly struct Eight : ICount
    {
        public static int Value => 8;
    }

    /// <summary>The operations of one unit type: a vector of one width, or one float.</summary>
    private interface ITileOps<TV>
        where TV : struct
    {
        static abstract TV Zero { get; }

        static abstract TV Load(ref float source);

        static abstract void Store(TV value, ref float destination);

        static abstract TV Broadcast(float value);

        /// <summary>a · b + addend (fused on the vector paths and <see cref="FusedScalarOps"/>).</summary>
        static abstract TV MultiplyAdd(TV a, TV b, TV addend);

        /// <summary>z ≥ 0 ? z : α·z, the expression of the runtime's activation pass.</summary>
        static abstract TV LeakyRelu(TV z, float alpha);
    }

    private readonly struct Ops512 : ITileOps<Vector512<float>>
    {
        public static Vector512<float> Zero => Vector512<float>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend)
            => Vector512.FusedMultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> LeakyRelu(Vector512<float> z, float alpha)
            => Vector512.ConditionalSelect(
                Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), z, z * alpha);
    }

    private readonly struct Ops256 : ITileOps<Vector256<float>>
    {
        public static Vector256<float> Zero => Vector256<float>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend)
            => Vector256.FusedMultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> LeakyRelu(Vector256<float> z, float alpha)
            => Vector256.ConditionalSelect(
                Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), z, z * alpha);
    }

    private readonly struct Ops128 : ITileOps<Vector128<float>>
    {
        public static Vector128<float> Zero => Vector128<float>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float source) => Vector128.LoadUnsafe(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> value, ref float destination) => value.StoreUnsafe(ref destination);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> addend)
            => Vector128.FusedMultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> LeakyRelu(Vector128<float> z, float alpha)
            => Vector128.ConditionalSelect(
                Vector128.GreaterThanOrEqual(z, Vector128<float>.Zero), z, z * alpha);
    }

    private readonly struct FusedScalarOps : ITileOps<float>
    {
        public static float Zero => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(ref float source) => source;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float value, ref float destination) => destination = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Broadcast(float value) => value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float MultiplyAdd(float a, float b, float addend) => MathF.FusedMultiplyAdd(a, b, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float LeakyRelu(float z, float alpha) => z >= 0f ? z : alpha * z;
    }

    private readonly struct ScalarOps : ITileOps<float>
    {
        public static float Zero => 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(ref float source) => source;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float value, ref float destination) => destination = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Broadcast(float value) => value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float MultiplyAdd(float a, float b, float addend) => addend + a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float LeakyRelu(float z, float alpha) => z >= 0f ? z : alpha * z;
    }
}
