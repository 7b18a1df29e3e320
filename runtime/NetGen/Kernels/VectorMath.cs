using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// Element-wise math and activations on one <see cref="Vector512{T}"/>, one <see cref="Vector256{T}"/> or one
/// <see cref="float"/>, for generated kernels that apply an activation while the values are still in registers (in a
/// GEMM's output pass, say) and for the span kernels of <see cref="ActivationKernels"/> and <see cref="LossKernels"/>.
/// </summary>
/// <remarks>
/// <para>
/// The three overloads of a function run the same operations in the same order — the same polynomials, fused
/// multiply-adds, divisions and bit manipulations, all correctly rounded IEEE operations — so they return bit-identical
/// results: a value gives the same answer whichever width handles it, on every machine, with or without AVX-512.
/// </para>
/// <para>
/// Accuracy, as the largest error against the double-precision function over all 2³² float bit patterns (measured once
/// exhaustively; tests/NetGen.Tests/Numerics/VectorMathTests.cs repeats it on every 4099th pattern): <see cref="Exp(float)"/>
/// 1.02 ulp, subnormal results included; <see cref="Log(float)"/> 0.87 ulp; <see cref="Tanh(float)"/> 2.5 ulp;
/// <see cref="Sigmoid(float)"/> 2.41 ulp, also where σ(x) is tiny; <see cref="Softplus(float)"/> 1.73 ulp, also where
/// ln(1 + eˣ) ≈ eˣ; <see cref="Elu(float, float)"/> 0.96 ulp and <see cref="Selu(float)"/> 1.7 ulp, also near 0 (e^x − 1
/// is computed without cancellation). NaN in gives NaN out. tanh(±x) is ±1 exactly for |x| ≥ 9.0109 (where the float
/// nearest tanh x is 1), σ is 1 from x = 16.64 on and 0 only below ln(2⁻¹⁵⁰) ≈ −103.97, and e^x is +∞ above
/// ln(float.MaxValue) and 0 below ln(2⁻¹⁵⁰). Conventions at kinks are those of <see cref="Activation"/>.
/// </para>
/// </remarks>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    // e^x = 2ⁿ · e^r with n = round(x / ln 2) and r = x − n ln 2 ∈ [−ln2/2, ln2/2]. Adding 1.5·2²³ rounds x·log₂e to an
    // integer n held in the low mantissa bits, without a float-to-int conversion.
    private const float Log2E = 1.44269504f;
    private const float RoundingShifter = 12582912f;
    private const int RoundingShifterBits = 0x4B400000;

    // ln 2 split so that n·Ln2High is exact for |n| < 2⁸ (Cody and Waite).
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // Outside this range e^x is 0 or +∞ in float; inside it n stays in [−150, 128], which the two-step scaling covers.
    private const float ExpMinArgument = -104f;
    private const float ExpMaxArgument = 89f;

    // Below this, e^x − 1 rounds to −1 (e^x < 2⁻²⁵).
    private const float ExpM1MinArgument = -18f;

    // e^r − 1 − r ≈ r²·(E2 + E3 r + E4 r² + E5 r³ + E6 r⁴) on |r| ≤ ln2/2: minimax fit of e^r's relative error,
    // 3.1e-9 before rounding the coefficients to float.
    private const float E2 = 0.49999994f, E3 = 0.16666521f, E4 = 0.04166839f, E5 = 0.00836871f, E6 = 0.0013814613f;

    // ln(1 + f) ≈ f − f²/2 + f³·(L0 + L1 f + … + L7 f⁷) on f ∈ [√½ − 1, √2 − 1]: minimax fit of the relative error,
    // 5.8e-9 before rounding.
    private const float L0 = 0.3333333f, L1 = -0.2500082f, L2 = 0.20001227f, L3 = -0.16623357f;
    private const float L4 = 0.14201757f, L5 = -0.13160181f, L6 = 0.12761578f, L7 = -0.07634503f;

    // m ∈ [√½, √2) for the mantissa of a logarithm's argument: the bit pattern of √½.
    private const int SqrtHalfBits = 0x3F3504F3;
    private const float SqrtTwoMinusOne = 0.41421357f;

    // From 13·ln 2 ≈ 9.0109 on, 1 − tanh x < 2⁻²⁵ and the nearest float is 1.
    private const float TanhSaturation = 9.010913f;

    private const float SmallestNormal = 1.17549435e-38f; // 2⁻¹²⁶
    private const float SubnormalScale = 8388608f; // 2²³

    // ---------------------------------------------------------------------------------------------------------------
    // e^x

    /// <summary>e^x (≤ 1.02 ulp; 0 below −103.97, +∞ above 88.72, NaN for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(ExpMinArgument)), Vector512.Create(ExpMaxArgument));
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(clamped, Vector512.Create(Log2E), Vector512.Create(RoundingShifter));
        Vector512<float> n = shifted - Vector512.Create(RoundingShifter);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> p = ExpM1Reduced(r) + Vector512<float>.One;
        Vector512<float> result = Avx512F.IsSupported ? Avx512F.Scale(p, n) : ScaleByPowerOfTwo(p, shifted.AsInt32() - Vector512.Create(RoundingShifterBits));
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, result);
    }

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(ExpMinArgument)), Vector256.Create(ExpMaxArgument));
        Vector256<float> shifted = Vector256.FusedMultiplyAdd(clamped, Vector256.Create(Log2E), Vector256.Create(RoundingShifter));
        Vector256<float> n = shifted - Vector256.Create(RoundingShifter);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = ExpM1Reduced(r) + Vector256<float>.One;
        Vector256<float> result = Avx512F.VL.IsSupported ? Avx512F.VL.Scale(p, n) : ScaleByPowerOfTwo(p, shifted.AsInt32() - Vector256.Create(RoundingShifterBits));
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, result);
    }

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        float clamped = MathF.Min(MathF.Max(x, ExpMinArgument), ExpMaxArgument);
        float shifted = MathF.FusedMultiplyAdd(clamped, Log2E, RoundingShifter);
        float n = shifted - RoundingShifter;
        float r = MathF.FusedMultiplyAdd(n, -Ln2High, clamped);
        r = MathF.FusedMultiplyAdd(n, -Ln2Low, r);
        float p = ExpM1Reduced(r) + 1f;
        float result = ScaleByPowerOfTwo(p, BitConverter.SingleToInt32Bits(shifted) - RoundingShifterBits);
        return float.IsNaN(x) ? x : result;
    }

    /// <summary>e^r − 1 for |r| ≤ ln2/2, accurate also for tiny r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpM1Reduced(Vector512<float> r)
    {
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(E6), r, Vector512.Create(E5));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E4));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E3));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(E2));
        return Vector512.FusedMultiplyAdd(q, r * r, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpM1Reduced(Vector256<float> r)
    {
        Vector256<float> q = Vector256.FusedMultiplyAdd(Vector256.Create(E6), r, Vector256.Create(E5));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E4));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E3));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(E2));
        return Vector256.FusedMultiplyAdd(q, r * r, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpM1Reduced(float r)
    {
        float q = MathF.FusedMultiplyAdd(E6, r, E5);
        q = MathF.FusedMultiplyAdd(q, r, E4);
        q = MathF.FusedMultiplyAdd(q, r, E3);
        q = MathF.FusedMultiplyAdd(q, r, E2);
        return MathF.FusedMultiplyAdd(q, r * r, r);
    }

    // p·2ⁿ for n ∈ [−150, 128] in two exact steps of 2^⌊n/2⌋ and 2^⌈n/2⌉, each a normal float: only the second product
    // rounds, so the result is the correctly rounded p·2ⁿ — the same as AVX-512's vscalefps, subnormals and ∞ included.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ScaleByPowerOfTwo(Vector512<float> p, Vector512<int> n)
    {
        Vector512<int> half = Vector512.ShiftRightArithmetic(n, 1);
        Vector512<float> first = Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle();
        Vector512<float> second = Vector512.ShiftLeft(n - half + Vector512.Create(127), 23).AsSingle();
        return p * first * second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ScaleByPowerOfTwo(Vector256<float> p, Vector256<int> n)
    {
        Vector256<int> half = Vector256.ShiftRightArithmetic(n, 1);
        Vector256<float> first = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        Vector256<float> second = Vector256.ShiftLeft(n - half + Vector256.Create(127), 23).AsSingle();
        return p * first * second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScaleByPowerOfTwo(float p, int n)
    {
        int half = n >> 1;
        float first = BitConverter.Int32BitsToSingle((half + 127) << 23);
        float second = BitConverter.Int32BitsToSingle((n - half + 127) << 23);
        return p * first * second;
    }

    /// <summary>e^x − 1 for x ≤ 0 (ELU's negative branch, tanh), without the cancellation of computing e^x first; NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpM1NonPositive(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.MaxNative(Vector512.MinNative(x, Vector512<float>.Zero), Vector512.Create(ExpM1MinArgument));
        Vector512<float> shifted = Vector512.FusedMultiplyAdd(clamped, Vector512.Create(Log2E), Vector512.Create(RoundingShifter));
        Vector512<float> n = shifted - Vector512.Create(RoundingShifter);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        // e^x − 1 = 2ⁿ(e^r − 1) + (2ⁿ − 1); n ∈ [−26, 0], so 2ⁿ is a normal float built from its exponent bits.
        Vector512<float> power = Vector512.ShiftLeft(shifted.AsInt32() - Vector512.Create(RoundingShifterBits - 127), 23).AsSingle();
        Vector512<float> result = Vector512.FusedMultiplyAdd(power, ExpM1Reduced(r), power - Vector512<float>.One);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpM1NonPositive(Vector256<float> x)
    {
        Vector256<float> clamped = Vector256.MaxNative(Vector256.MinNative(x, Vector256<float>.Zero), Vector256.Create(ExpM1MinArgument));
        Vector256<float> shifted = Vector256.FusedMultiplyAdd(clamped, Vector256.Create(Log2E), Vector256.Create(RoundingShifter));
        Vector256<float> n = shifted - Vector256.Create(RoundingShifter);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> power = Vector256.ShiftLeft(shifted.AsInt32() - Vector256.Create(RoundingShifterBits - 127), 23).AsSingle();
        Vector256<float> result = Vector256.FusedMultiplyAdd(power, ExpM1Reduced(r), power - Vector256<float>.One);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpM1NonPositive(float x)
    {
        float clamped = MathF.Max(MathF.Min(x, 0f), ExpM1MinArgument);
        float shifted = MathF.FusedMultiplyAdd(clamped, Log2E, RoundingShifter);
        float n = shifted - RoundingShifter;
        float r = MathF.FusedMultiplyAdd(n, -Ln2High, clamped);
        r = MathF.FusedMultiplyAdd(n, -Ln2Low, r);
        float power = BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(shifted) - (RoundingShifterBits - 127)) << 23);
        float result = MathF.FusedMultiplyAdd(power, ExpM1Reduced(r), power - 1f);
        return float.IsNaN(x) ? x : result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ln x

    /// <summary>ln x (≤ 0.87 ulp; −∞ at ±0, NaN below 0 and for NaN, +∞ at +∞; subnormal arguments are exact inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        Vector512<float> subnormal = Vector512.LessThan(x, Vector512.Create(SmallestNormal));
        Vector512<float> scaled = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(SubnormalScale), x);
        Vector512<int> bits = scaled.AsInt32();
        Vector512<int> k = Vector512.ShiftRightArithmetic(bits - Vector512.Create(SqrtHalfBits), 23);
        Vector512<float> f = (bits - Vector512.ShiftLeft(k, 23)).AsSingle() - Vector512<float>.One;
        Vector512<float> exponent = Vector512.ConvertToSingle(k) - (subnormal & Vector512.Create(23f));
        Vector512<float> result = Vector512.FusedMultiplyAdd(exponent, Vector512.Create(Ln2High), f + Vector512.FusedMultiplyAdd(exponent, Vector512.Create(Ln2Low), Log1pTail(f)));
        // Zero, negative, infinite and NaN arguments: −∞, NaN, +∞ and NaN.
        Vector512<float> special = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity),
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(float.NaN), x));
        Vector512<float> regular = Vector512.GreaterThan(x, Vector512<float>.Zero) & Vector512.LessThan(x, Vector512.Create(float.PositiveInfinity));
        return Vector512.ConditionalSelect(regular, result, special);
    }

    /// <inheritdoc cref="Log(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<float> subnormal = Vector256.LessThan(x, Vector256.Create(SmallestNormal));
        Vector256<float> scaled = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(SubnormalScale), x);
        Vector256<int> bits = scaled.AsInt32();
        Vector256<int> k = Vector256.ShiftRightArithmetic(bits - Vector256.Create(SqrtHalfBits), 23);
        Vector256<float> f = (bits - Vector256.ShiftLeft(k, 23)).AsSingle() - Vector256<float>.One;
        Vector256<float> exponent = Vector256.ConvertToSingle(k) - (subnormal & Vector256.Create(23f));
        Vector256<float> result = Vector256.FusedMultiplyAdd(exponent, Vector256.Create(Ln2High), f + Vector256.FusedMultiplyAdd(exponent, Vector256.Create(Ln2Low), Log1pTail(f)));
        Vector256<float> special = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity),
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(float.NaN), x));
        Vector256<float> regular = Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.LessThan(x, Vector256.Create(float.PositiveInfinity));
        return Vector256.ConditionalSelect(regular, result, special);
    }

    /// <inheritdoc cref="Log(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        bool subnormal = x < SmallestNormal;
        float scaled = subnormal ? x * SubnormalScale : x;
        int bits = BitConverter.SingleToInt32Bits(scaled);
        int k = (bits - SqrtHalfBits) >> 23;
        float f = BitConverter.Int32BitsToSingle(bits - (k << 23)) - 1f;
        float exponent = k - (subnormal ? 23f : 0f);
        float result = MathF.FusedMultiplyAdd(exponent, Ln2High, f + MathF.FusedMultiplyAdd(exponent, Ln2Low, Log1pTail(f)));
        float special = x == 0f ? float.NegativeInfinity : x < 0f ? float.NaN : x;
        return x > 0f && x < float.PositiveInfinity ? result : special;
    }

    /// <summary>ln(1 + f) − f for f ∈ [√½ − 1, √2 − 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log1pTail(Vector512<float> f)
    {
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(L7), f, Vector512.Create(L6));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L5));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L4));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L3));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L2));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L1));
        q = Vector512.FusedMultiplyAdd(q, f, Vector512.Create(L0));
        Vector512<float> f2 = f * f;
        return Vector512.FusedMultiplyAdd(q, f2 * f, f2 * Vector512.Create(-0.5f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log1pTail(Vector256<float> f)
    {
        Vector256<float> q = Vector256.FusedMultiplyAdd(Vector256.Create(L7), f, Vector256.Create(L6));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L5));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L4));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L3));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L2));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L1));
        q = Vector256.FusedMultiplyAdd(q, f, Vector256.Create(L0));
        Vector256<float> f2 = f * f;
        return Vector256.FusedMultiplyAdd(q, f2 * f, f2 * Vector256.Create(-0.5f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Log1pTail(float f)
    {
        float q = MathF.FusedMultiplyAdd(L7, f, L6);
        q = MathF.FusedMultiplyAdd(q, f, L5);
        q = MathF.FusedMultiplyAdd(q, f, L4);
        q = MathF.FusedMultiplyAdd(q, f, L3);
        q = MathF.FusedMultiplyAdd(q, f, L2);
        q = MathF.FusedMultiplyAdd(q, f, L1);
        q = MathF.FusedMultiplyAdd(q, f, L0);
        float f2 = f * f;
        return MathF.FusedMultiplyAdd(q, f2 * f, f2 * -0.5f);
    }

    /// <summary>ln(1 + e) for e ∈ [0, 1] (NaN for NaN): 1 + e is never formed, so a tiny e is not lost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Log1pUnitInterval(Vector512<float> e)
    {
        // Above √2 − 1, ln(1 + e) = ln 2 + ln(1 + f) with f = (1 + e)/2 − 1 = (e − 1)/2.
        Vector512<float> large = Vector512.GreaterThan(e, Vector512.Create(SqrtTwoMinusOne));
        Vector512<float> f = Vector512.ConditionalSelect(large, (e - Vector512<float>.One) * Vector512.Create(0.5f), e);
        Vector512<float> k = large & Vector512<float>.One;
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(Ln2High), f + Vector512.FusedMultiplyAdd(k, Vector512.Create(Ln2Low), Log1pTail(f)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Log1pUnitInterval(Vector256<float> e)
    {
        Vector256<float> large = Vector256.GreaterThan(e, Vector256.Create(SqrtTwoMinusOne));
        Vector256<float> f = Vector256.ConditionalSelect(large, (e - Vector256<float>.One) * Vector256.Create(0.5f), e);
        Vector256<float> k = large & Vector256<float>.One;
        return Vector256.FusedMultiplyAdd(k, Vector256.Create(Ln2High), f + Vector256.FusedMultiplyAdd(k, Vector256.Create(Ln2Low), Log1pTail(f)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Log1pUnitInterval(float e)
    {
        bool large = e > SqrtTwoMinusOne;
        float f = large ? (e - 1f) * 0.5f : e;
        float k = large ? 1f : 0f;
        return MathF.FusedMultiplyAdd(k, Ln2High, f + MathF.FusedMultiplyAdd(k, Ln2Low, Log1pTail(f)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Activations

    /// <summary>tanh x (≤ 2.5 ulp; ±1 exactly for |x| ≥ 9.0109; x itself for subnormal x, ±0 kept).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        // tanh t = −m/(2 + m) with m = e^−2t − 1 ∈ (−1, 0] for t = |x|: no overflow, and no cancellation near 0, where
        // m ≈ −2t keeps its relative accuracy. (A rational minimax fit is cheaper but less accurate in float: docs/decisions/0001.)
        Vector512<float> t = Vector512.Abs(x);
        Vector512<float> m = ExpM1NonPositive(t * Vector512.Create(-2f));
        // The comparison is false for NaN, which flows through m.
        Vector512<float> magnitude = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(t, Vector512.Create(TanhSaturation)), Vector512<float>.One, -m / (Vector512.Create(2f) + m));
        return Vector512.CopySign(magnitude, x);
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> t = Vector256.Abs(x);
        Vector256<float> m = ExpM1NonPositive(t * Vector256.Create(-2f));
        Vector256<float> magnitude = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(t, Vector256.Create(TanhSaturation)), Vector256<float>.One, -m / (Vector256.Create(2f) + m));
        return Vector256.CopySign(magnitude, x);
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float t = MathF.Abs(x);
        float m = ExpM1NonPositive(t * -2f);
        float magnitude = t >= TanhSaturation ? 1f : -m / (2f + m);
        return MathF.CopySign(magnitude, x);
    }

    /// <summary>σ(x) = 1/(1 + e^−x) (≤ 2.41 ulp everywhere, never NaN for a number: 0 below −103.97, 1 above 16.64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        // With e = e^−|x| ≤ 1: σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, so nothing overflows and a tiny σ keeps
        // its relative accuracy.
        Vector512<float> e = Exp(-Vector512.Abs(x));
        Vector512<float> numerator = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One, e);
        return numerator / (Vector512<float>.One + e);
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        Vector256<float> e = Exp(-Vector256.Abs(x));
        Vector256<float> numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, e);
        return numerator / (Vector256<float>.One + e);
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        float e = Exp(-MathF.Abs(x));
        float numerator = x >= 0f ? 1f : e;
        return numerator / (1f + e);
    }

    /// <summary>ln(1 + e^x), computed as max(x, 0) + ln(1 + e^−|x|) (≤ 1.73 ulp; e^x where that is the float answer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x) =>
        Vector512.MaxNative(x, Vector512<float>.Zero) + Log1pUnitInterval(Exp(-Vector512.Abs(x)));

    /// <inheritdoc cref="Softplus(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x) =>
        Vector256.MaxNative(x, Vector256<float>.Zero) + Log1pUnitInterval(Exp(-Vector256.Abs(x)));

    /// <inheritdoc cref="Softplus(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => MathF.Max(x, 0f) + Log1pUnitInterval(Exp(-MathF.Abs(x)));

    /// <summary>x for x &gt; 0, else α(e^x − 1) (≤ 0.96 ulp, also near 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Elu(Vector512<float> x, float alpha) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(alpha) * ExpM1NonPositive(x));

    /// <inheritdoc cref="Elu(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Elu(Vector256<float> x, float alpha) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(alpha) * ExpM1NonPositive(x));

    /// <inheritdoc cref="Elu(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Elu(float x, float alpha) => x > 0f ? x : alpha * ExpM1NonPositive(x);

    /// <summary>λx for x &gt; 0, else λα(e^x − 1), with <see cref="ActivationKernels.SeluLambda"/> and <see cref="ActivationKernels.SeluAlpha"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Selu(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * Vector512.Create(ActivationKernels.SeluLambda),
            Vector512.Create(ActivationKernels.SeluLambda * ActivationKernels.SeluAlpha) * ExpM1NonPositive(x));

    /// <inheritdoc cref="Selu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Selu(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * Vector256.Create(ActivationKernels.SeluLambda),
            Vector256.Create(ActivationKernels.SeluLambda * ActivationKernels.SeluAlpha) * ExpM1NonPositive(x));

    /// <inheritdoc cref="Selu(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Selu(float x) =>
        x > 0f ? x * ActivationKernels.SeluLambda : ActivationKernels.SeluLambda * ActivationKernels.SeluAlpha * ExpM1NonPositive(x);

    /// <summary>max(0, x): +0 for x &lt; 0, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ReLU(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x);

    /// <inheritdoc cref="ReLU(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ReLU(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);

    /// <inheritdoc cref="ReLU(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReLU(float x) => x < 0f ? 0f : x;

    /// <summary>x for x ≥ 0, else αx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyReLU(Vector512<float> x, float alpha) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * Vector512.Create(alpha));

    /// <inheritdoc cref="LeakyReLU(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LeakyReLU(Vector256<float> x, float alpha) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * Vector256.Create(alpha));

    /// <inheritdoc cref="LeakyReLU(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyReLU(float x, float alpha) => x >= 0f ? x : x * alpha;

    /// <summary>1 for x ≥ 0, else <paramref name="below"/>: −1 gives Sign, 0 gives Step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Threshold(Vector512<float> x, float below) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(below));

    /// <inheritdoc cref="Threshold(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Threshold(Vector256<float> x, float below) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(below));

    /// <inheritdoc cref="Threshold(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Threshold(float x, float below) => x >= 0f ? 1f : below;
}
