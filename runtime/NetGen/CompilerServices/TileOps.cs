using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

// The type arguments the register-tiled kernels (RegisterTile, DirectConvolution) are specialised with: counts known to
// the JIT as constants, and the operations of one unit of columns (a vector of one width, or one float).

internal interface ICount
{
    static abstract int Value { get; }
}

/// <summary>A choice the JIT knows as a constant (for one: whether a kernel's taps are dilated).</summary>
internal interface IFlag
{
    static abstract bool Value { get; }
}

internal readonly struct Yes : IFlag
{
    public static bool Value => true;
}

internal readonly struct No : IFlag
{
    public static bool Value => false;
}

/// <summary>Whether the units of a single-sample chunk's group lie side by side (a full panel: each one vector after
/// the last) or at a run-time offset (the overlapping units of a narrower last panel).</summary>
internal interface IUnitLayout
{
    static abstract bool Contiguous { get; }
}

internal readonly struct Adjacent : IUnitLayout
{
    public static bool Contiguous => true;
}

internal readonly struct Spaced : IUnitLayout
{
    public static bool Contiguous => false;
}

internal readonly struct One : ICount
{
    public static int Value => 1;
}

internal readonly struct Two : ICount
{
    public static int Value => 2;
}

internal readonly struct Four : ICount
{
    public static int Value => 4;
}

internal readonly struct Three : ICount
{
    public static int Value => 3;
}

internal readonly struct Five : ICount
{
    public static int Value => 5;
}

internal readonly struct Seven : ICount
{
    public static int Value => 7;
}

internal readonly struct Nine : ICount
{
    public static int Value => 9;
}

internal readonly struct Ten : ICount
{
    public static int Value => 10;
}

internal readonly struct Eleven : ICount
{
    public static int Value => 11;
}

internal readonly struct Twelve : ICount
{
    public static int Value => 12;
}

internal readonly struct Six : ICount
{
    public static int Value => 6;
}

internal readonly struct Eight : ICount
{
    public static int Value => 8;
}

/// <summary>The operations of one unit type: a vector of one width, or one float.</summary>
internal interface ITileOps<TV>
    where TV : struct
{
    static abstract TV Zero { get; }

    /// <summary>Floats in one unit.</summary>
    static abstract int Lanes { get; }

    static abstract TV Load(ref float source);

    static abstract void Store(TV value, ref float destination);

    static abstract TV Broadcast(float value);

    /// <summary>a · b + addend (fused on the vector paths and <see cref="FusedScalarOps"/>).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV addend);

    /// <summary>z ≥ 0 ? z : α·z, the expression of the runtime's activation pass.</summary>
    static abstract TV LeakyRelu(TV z, float alpha);

    static abstract TV Add(TV a, TV b);

    /// <summary>The sum of the lanes (the value itself on the scalar paths).</summary>
    static abstract float Sum(TV value);
}

internal readonly struct Ops512 : ITileOps<Vector512<float>>
{
    public static Vector512<float> Zero => Vector512<float>.Zero;

    public static int Lanes => 16;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}

internal readonly struct Ops256 : ITileOps<Vector256<float>>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;

    public static int Lanes => 8;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
}

internal readonly struct Ops128 : ITileOps<Vector128<float>>
{
    public static Vector128<float> Zero => Vector128<float>.Zero;

    public static int Lanes => 4;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
}

internal readonly struct FusedScalarOps : ITileOps<float>
{
    public static float Zero => 0f;

    public static int Lanes => 1;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;
}

internal readonly struct ScalarOps : ITileOps<float>
{
    public static float Zero => 0f;

    public static int Lanes => 1;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;
}
