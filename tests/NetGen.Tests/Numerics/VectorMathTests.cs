using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// <see cref="VectorMath"/> against double precision: a sweep over the bit patterns of every binade (subnormals, ±0 and
/// both infinities included), special values and saturation, and bit-identity of the scalar overload with the vector
/// overloads (CI repeats the suite with Vector512 and with all hardware intrinsics off, so each width is checked
/// accelerated and in software).
/// </summary>
public sealed class VectorMathTests
{
    /// <summary>Every 4099th bit pattern of each sign: ~520,000 values per sign, spread evenly over all binades.</summary>
    private const uint SweepStride = 4099;

    public sealed record MathFunction(string Name, double UlpBound, Func<float, float> Scalar, Func<Vector256<float>, Vector256<float>> Vector256,
        Func<Vector512<float>, Vector512<float>> Vector512, Func<double, double> Exact)
    {
        public override string ToString() => Name;
    }

    private const double Lambda = ActivationKernels.SeluLambda, LambdaAlpha = ActivationKernels.SeluLambda * ActivationKernels.SeluAlpha;

    /// <summary>The bounds are those documented on <see cref="VectorMath"/>: the exhaustive maxima, rounded up.</summary>
    public static TheoryData<MathFunction> Functions => new(
        new MathFunction("Exp", 1.02, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, Math.Exp),
        new MathFunction("Log", 0.87, VectorMath.Log, VectorMath.Log, VectorMath.Log, Math.Log),
        new MathFunction("Tanh", 2.5, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, Math.Tanh),
        new MathFunction("Sigmoid", 2.41, VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, Sigmoid),
        new MathFunction("Softplus", 1.73, VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus, Softplus),
        new MathFunction("Elu", 0.96, x => VectorMath.Elu(x, 1f), x => VectorMath.Elu(x, 1f), x => VectorMath.Elu(x, 1f), x => x > 0 ? x : ExpM1(x)),
        new MathFunction("Selu", 1.7, VectorMath.Selu, VectorMath.Selu, VectorMath.Selu, x => x > 0 ? Lambda * x : LambdaAlpha * ExpM1(x)));

    [Theory]
    [MemberData(nameof(Functions))]
    public void Scalar_form_is_within_its_ulp_bound_everywhere(MathFunction function)
    {
        (double worst, float at) = (0, 0);
        foreach (float x in Sweep())
        {
            double error = UlpError(function.Scalar(x), function.Exact(x));
            if (error > worst)
            {
                (worst, at) = (error, x);
            }
        }
        Assert.True(worst <= function.UlpBound, $"{function.Name}({at:R}) is {worst:F3} ulp off (bound {function.UlpBound})");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Vector_forms_are_bit_identical_to_the_scalar_form(MathFunction function)
    {
        // Unaccelerated widths run the runtime's software vectors: the same operations, so the same bits again.
        float[] xs = [.. Sweep()];
        Span<float> lanes = stackalloc float[16];
        for (int i = 0; i + 16 <= xs.Length; i += 16)
        {
            ReadOnlySpan<float> chunk = xs.AsSpan(i, 16);
            function.Vector512(Vector512.Create(chunk)).CopyTo(lanes);
            AssertSameAsScalar(function, chunk, lanes, "Vector512");
            function.Vector256(Vector256.Create(chunk[..8])).CopyTo(lanes);
            function.Vector256(Vector256.Create(chunk[8..])).CopyTo(lanes[8..]);
            AssertSameAsScalar(function, chunk, lanes, "Vector256");
        }
    }

    [Fact]
    public void Exp_handles_the_ends_of_its_range()
    {
        Assert.Equal(1f, VectorMath.Exp(0f));
        Assert.Equal(1f, VectorMath.Exp(-0f));
        Assert.Equal(0f, VectorMath.Exp(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(float.PositiveInfinity));
        Assert.True(float.IsNaN(VectorMath.Exp(float.NaN)));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(88.72284f)); // just above ln(float.MaxValue)
        Assert.True(float.IsFinite(VectorMath.Exp(88.72283f)));
        Assert.Equal(float.Epsilon, VectorMath.Exp(-103.2789f)); // ln 2⁻¹⁴⁹: the smallest subnormal
        Assert.Equal(0f, VectorMath.Exp(-104f));
        Assert.Equal(0f, VectorMath.Exp(-1e30f));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(1e30f));
    }

    [Fact]
    public void Log_handles_zero_negatives_infinity_and_subnormals()
    {
        Assert.Equal(0f, VectorMath.Log(1f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(0f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(-0f));
        Assert.True(float.IsNaN(VectorMath.Log(-1f)));
        Assert.True(float.IsNaN(VectorMath.Log(float.NegativeInfinity)));
        Assert.True(float.IsNaN(VectorMath.Log(float.NaN)));
        Assert.Equal(float.PositiveInfinity, VectorMath.Log(float.PositiveInfinity));
        Assert.True(UlpError(VectorMath.Log(float.Epsilon), Math.Log(float.Epsilon)) <= 1);
        Assert.True(UlpError(VectorMath.Log(float.MaxValue), Math.Log(float.MaxValue)) <= 1);
    }

    [Fact]
    public void Tanh_saturates_to_exactly_one_and_keeps_tiny_values()
    {
        foreach (float x in new[] { 9.010913f, 9.5f, 10f, 100f, 1e30f, float.MaxValue, float.PositiveInfinity })
        {
            Assert.Equal(1f, VectorMath.Tanh(x));
            Assert.Equal(-1f, VectorMath.Tanh(-x));
        }
        Assert.True(UlpError(VectorMath.Tanh(9f), Math.Tanh(9)) <= 1); // 1 − 3.05e-8: 1 − 2⁻²⁴ or 1 are both within an ulp
        Assert.Equal(0f, VectorMath.Tanh(0f));
        Assert.True(float.IsNegative(VectorMath.Tanh(-0f)));
        Assert.Equal(float.Epsilon, VectorMath.Tanh(float.Epsilon));
        Assert.Equal(-1e-30f, VectorMath.Tanh(-1e-30f));
        Assert.True(float.IsNaN(VectorMath.Tanh(float.NaN)));
    }

    [Fact]
    public void Sigmoid_is_never_nan_for_a_number_and_stays_accurate_when_tiny()
    {
        Assert.Equal(0.5f, VectorMath.Sigmoid(0f));
        Assert.Equal(0.5f, VectorMath.Sigmoid(-0f));
        Assert.Equal(1f, VectorMath.Sigmoid(17f));
        Assert.Equal(1f, VectorMath.Sigmoid(float.MaxValue));
        Assert.Equal(1f, VectorMath.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Sigmoid(float.NegativeInfinity));
        Assert.Equal(0f, VectorMath.Sigmoid(-float.MaxValue));
        Assert.True(UlpError(VectorMath.Sigmoid(-80f), Sigmoid(-80)) <= 2.5); // 1.8e-35: relative accuracy kept
        Assert.True(UlpError(VectorMath.Sigmoid(-100f), Sigmoid(-100)) <= 2.5); // a subnormal result
        Assert.True(float.IsNaN(VectorMath.Sigmoid(float.NaN)));
    }

    [Fact]
    public void Softplus_elu_and_selu_at_their_ends()
    {
        Assert.Equal(0f, VectorMath.Softplus(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.Softplus(float.PositiveInfinity));
        Assert.Equal(100f, VectorMath.Softplus(100f));
        Assert.True(UlpError(VectorMath.Softplus(-50f), Softplus(-50)) <= 2); // ln(1 + e⁻⁵⁰) ≈ e⁻⁵⁰, not 0
        Assert.True(UlpError(VectorMath.Softplus(0f), Math.Log(2)) <= 1);
        Assert.Equal(-1f, VectorMath.Elu(float.NegativeInfinity, 1f));
        Assert.Equal(-0.5f, VectorMath.Elu(-100f, 0.5f));
        Assert.Equal(0f, VectorMath.Elu(0f, 1f));
        Assert.True(UlpError(VectorMath.Elu(-1e-6f, 1f), ExpM1(-1e-6f)) <= 1); // no cancellation in e^x − 1
        Assert.Equal((float)-LambdaAlpha, VectorMath.Selu(float.NegativeInfinity));
        Assert.True(float.IsNaN(VectorMath.Softplus(float.NaN)));
        Assert.True(float.IsNaN(VectorMath.Elu(float.NaN, 1f)));
        Assert.True(float.IsNaN(VectorMath.Selu(float.NaN)));
    }

    [Fact]
    public void Piecewise_activations_follow_the_documented_conventions()
    {
        Assert.Equal(0f, VectorMath.ReLU(-3f));
        Assert.False(float.IsNegative(VectorMath.ReLU(-3f)));
        Assert.Equal(2f, VectorMath.ReLU(2f));
        Assert.True(float.IsNaN(VectorMath.ReLU(float.NaN)));
        Assert.Equal(-0.03f, VectorMath.LeakyReLU(-3f, 0.01f));
        Assert.Equal(1f, VectorMath.Threshold(0f, -1f));
        Assert.Equal(-1f, VectorMath.Threshold(-1e-30f, -1f));
        Assert.Equal(0f, VectorMath.Threshold(-2f, 0f));
        Assert.Equal(Vector512.Create(0f), VectorMath.ReLU(Vector512.Create(-3f)));
        Assert.Equal(Vector256.Create(-0.03f), VectorMath.LeakyReLU(Vector256.Create(-3f), 0.01f));
    }

    /// <summary>Every <see cref="SweepStride"/>th bit pattern from +0 to +∞ and from −0 to −∞, then NaN.</summary>
    internal static IEnumerable<float> Sweep()
    {
        for (ulong bits = 0; bits <= 0x7F800000; bits += SweepStride)
        {
            yield return BitConverter.UInt32BitsToSingle((uint)bits);
            yield return BitConverter.UInt32BitsToSingle((uint)bits | 0x80000000);
        }
        yield return float.PositiveInfinity;
        yield return float.NegativeInfinity;
        yield return float.NaN;
    }

    /// <summary>|actual − exact| in units of the last place of the float nearest <paramref name="exact"/> (2⁻¹⁴⁹ for
    /// subnormals); 0 when both are the same infinity or both NaN, +∞ when one is NaN and the other not.</summary>
    internal static double UlpError(float actual, double exact)
    {
        if (double.IsNaN(exact) || float.IsNaN(actual))
        {
            return double.IsNaN(exact) && float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }
        float nearest = (float)exact;
        if (float.IsInfinity(nearest))
        {
            return actual == nearest ? 0 : double.PositiveInfinity;
        }
        double magnitude = Math.Abs((double)nearest);
        double ulp = magnitude < 1.1754943508222875e-38 ? Math.ScaleB(1.0, -149) : Math.ScaleB(1.0, Math.ILogB(magnitude) - 23);
        return Math.Abs(actual - exact) / ulp;
    }

    internal static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    internal static double Softplus(double x) => Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));

    /// <summary>ln(1 + x) to double precision (Goldberg's correction of the rounding in 1 + x).</summary>
    internal static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x − 1 to double precision, also near 0.</summary>
    internal static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    private static void AssertSameAsScalar(MathFunction function, ReadOnlySpan<float> xs, ReadOnlySpan<float> lanes, string width)
    {
        for (int j = 0; j < xs.Length; j++)
        {
            float scalar = function.Scalar(xs[j]);
            bool same = BitConverter.SingleToInt32Bits(scalar) == BitConverter.SingleToInt32Bits(lanes[j]) || (float.IsNaN(scalar) && float.IsNaN(lanes[j]));
            Assert.True(same, $"{function.Name}({xs[j]:R}): {width} gives {lanes[j]:R}, scalar {scalar:R}");
        }
    }
}
