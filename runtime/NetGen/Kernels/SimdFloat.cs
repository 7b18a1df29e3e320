using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// One vector of floats at one width, so that a kernel is written once for Vector512 and Vector256: generic in a struct
/// <typeparamref name="TSelf"/>, it is compiled by the JIT once per width with every member inlined, and each width runs
/// the same operations in the same order. (The runtime's own <c>ISimdVector</c> is not public in .NET 9 or 10.)
/// </summary>
internal interface ISimdFloat<TSelf>
    where TSelf : struct, ISimdFloat<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }

    static abstract TSelf Create(float value);
    static abstract TSelf Create(ReadOnlySpan<float> values);
    static abstract TSelf LoadUnsafe(ref float source, nuint offset);
    void StoreUnsafe(ref float destination, nuint offset);
    void CopyTo(Span<float> destination);

    static abstract TSelf operator +(TSelf left, TSelf right);
    static abstract TSelf operator -(TSelf left, TSelf right);
    static abstract TSelf operator *(TSelf left, TSelf right);
    static abstract TSelf operator /(TSelf left, TSelf right);
    static abstract TSelf operator &(TSelf left, TSelf right);
    static abstract TSelf operator -(TSelf value);

    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf addend);
    static abstract TSelf ConditionalSelect(TSelf condition, TSelf whenTrue, TSelf whenFalse);
    static abstract TSelf MaxNative(TSelf left, TSelf right);
    static abstract TSelf Max(TSelf left, TSelf right);
    static abstract TSelf Min(TSelf left, TSelf right);

    /// <summary>The platform's horizontal sum (<c>Vector512.Sum</c> or <c>Vector256.Sum</c>).</summary>
    static abstract float Sum(TSelf value);

    /// <summary>All bits set in lanes [0, count), clear in the others.</summary>
    static abstract TSelf FirstLanes(int count);

    /// <summary>The largest lane (NaN lanes may be ignored; callers propagate NaN through their sums).</summary>
    static abstract float MaxAcross(TSelf value);

    /// <summary>The sum of the lanes, always in the same order (halves, then quarters, then pairs).</summary>
    static abstract float SumAcross(TSelf value);

    /// <summary>Adds the lanes of <paramref name="terms"/>, widened to double, to two accumulators that hold double lanes
    /// in float vectors' bits (the lower half's lanes to <paramref name="lower"/>, the upper half's to <paramref name="upper"/>).</summary>
    static abstract void AddWidened(TSelf terms, ref TSelf lower, ref TSelf upper);

    /// <summary>The horizontal double sum of the accumulators of <see cref="AddWidened"/>.</summary>
    static abstract double SumWidened(TSelf lower, TSelf upper);

    /// <summary><see cref="VectorMath.Exp(Vector512{float})"/> at this width.</summary>
    static abstract TSelf Exp(TSelf x);

    // The element-wise ops keep one overload per width; these pick it.
    static abstract TSelf Invoke<TOp>(TOp op, TSelf x)
        where TOp : struct, IUnaryOp;

    static abstract TSelf Invoke<TOp>(TOp op, TSelf output, TSelf target, out TSelf derivative)
        where TOp : struct, ILossOp;
}

/// <summary>A <see cref="Vector512{T}"/> of floats as an <see cref="ISimdFloat{TSelf}"/>.</summary>
internal readonly struct Simd512(Vector512<float> value) : ISimdFloat<Simd512>
{
    public Vector512<float> Value { get; } = value;

    public static int Count => Vector512<float>.Count;
    public static Simd512 Zero => new(Vector512<float>.Zero);
    public static Simd512 One => new(Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(ReadOnlySpan<float> values) => new(Vector512.Create(values));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LoadUnsafe(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreUnsafe(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyTo(Span<float> destination) => Value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator +(Simd512 left, Simd512 right) => new(left.Value + right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 left, Simd512 right) => new(left.Value - right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator *(Simd512 left, Simd512 right) => new(left.Value * right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator /(Simd512 left, Simd512 right) => new(left.Value / right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator &(Simd512 left, Simd512 right) => new(left.Value & right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 FusedMultiplyAdd(Simd512 a, Simd512 b, Simd512 addend) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, addend.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 ConditionalSelect(Simd512 condition, Simd512 whenTrue, Simd512 whenFalse) =>
        new(Vector512.ConditionalSelect(condition.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MaxNative(Simd512 left, Simd512 right) => new(Vector512.MaxNative(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 left, Simd512 right) => new(Vector512.Max(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Min(Simd512 left, Simd512 right) => new(Vector512.Min(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd512 value) => Vector512.Sum(value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 FirstLanes(int count) => new(Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Simd512 value) => Simd256.MaxAcross(new(Vector256.MaxNative(value.Value.GetLower(), value.Value.GetUpper())));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Simd512 value) => Simd256.SumAcross(new(value.Value.GetLower() + value.Value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Simd512 terms, ref Simd512 lower, ref Simd512 upper)
    {
        lower = new((lower.Value.AsDouble() + Vector512.WidenLower(terms.Value)).AsSingle());
        upper = new((upper.Value.AsDouble() + Vector512.WidenUpper(terms.Value)).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Simd512 lower, Simd512 upper) => Vector512.Sum(lower.Value.AsDouble() + upper.Value.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Exp(Simd512 x) => new(VectorMath.Exp(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Invoke<TOp>(TOp op, Simd512 x)
        where TOp : struct, IUnaryOp => new(op.Invoke(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Invoke<TOp>(TOp op, Simd512 output, Simd512 target, out Simd512 derivative)
        where TOp : struct, ILossOp
    {
        Simd512 terms = new(op.Invoke(output.Value, target.Value, out Vector512<float> d));
        derivative = new(d);
        return terms;
    }
}

/// <summary>A <see cref="Vector256{T}"/> of floats as an <see cref="ISimdFloat{TSelf}"/>.</summary>
internal readonly struct Simd256(Vector256<float> value) : ISimdFloat<Simd256>
{
    public Vector256<float> Value { get; } = value;

    public static int Count => Vector256<float>.Count;
    public static Simd256 Zero => new(Vector256<float>.Zero);
    public static Simd256 One => new(Vector256<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(ReadOnlySpan<float> values) => new(Vector256.Create(values));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LoadUnsafe(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreUnsafe(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyTo(Span<float> destination) => Value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator +(Simd256 left, Simd256 right) => new(left.Value + right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 left, Simd256 right) => new(left.Value - right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator *(Simd256 left, Simd256 right) => new(left.Value * right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator /(Simd256 left, Simd256 right) => new(left.Value / right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator &(Simd256 left, Simd256 right) => new(left.Value & right.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 FusedMultiplyAdd(Simd256 a, Simd256 b, Simd256 addend) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, addend.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 ConditionalSelect(Simd256 condition, Simd256 whenTrue, Simd256 whenFalse) =>
        new(Vector256.ConditionalSelect(condition.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MaxNative(Simd256 left, Simd256 right) => new(Vector256.MaxNative(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Max(Simd256 left, Simd256 right) => new(Vector256.Max(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Min(Simd256 left, Simd256 right) => new(Vector256.Min(left.Value, right.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd256 value) => Vector256.Sum(value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 FirstLanes(int count) => new(Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Simd256 value)
    {
        Vector128<float> m = Vector128.MaxNative(value.Value.GetLower(), value.Value.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Simd256 value)
    {
        Vector128<float> s = value.Value.GetLower() + value.Value.GetUpper();
        s += Vector128.Shuffle(s, Vector128.Create(2, 3, 0, 1));
        s += Vector128.Shuffle(s, Vector128.Create(1, 0, 3, 2));
        return s.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Simd256 terms, ref Simd256 lower, ref Simd256 upper)
    {
        lower = new((lower.Value.AsDouble() + Vector256.WidenLower(terms.Value)).AsSingle());
        upper = new((upper.Value.AsDouble() + Vector256.WidenUpper(terms.Value)).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Simd256 lower, Simd256 upper) => Vector256.Sum(lower.Value.AsDouble() + upper.Value.AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Exp(Simd256 x) => new(VectorMath.Exp(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Invoke<TOp>(TOp op, Simd256 x)
        where TOp : struct, IUnaryOp => new(op.Invoke(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Invoke<TOp>(TOp op, Simd256 output, Simd256 target, out Simd256 derivative)
        where TOp : struct, ILossOp
    {
        Simd256 terms = new(op.Invoke(output.Value, target.Value, out Vector256<float> d));
        derivative = new(d);
        return terms;
    }
}
