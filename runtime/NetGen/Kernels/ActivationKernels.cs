using System;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Vectorized activations and their backward products, called by generated networks. Each forward maps the
/// pre-activations <c>z</c> to <c>a</c> (the spans may be the same); each backward multiplies <c>delta</c> (∂L/∂a on
/// entry, ∂L/∂z on exit) by f'(z). Conventions at kinks are those documented on <see cref="Activation"/>.
/// </summary>
public static class ActivationKernels
{
    /// <summary>SELU's λ (Klambauer et al. 2017).</summary>
    public const float SeluLambda = 1.0507009873554805f;

    /// <summary>SELU's α.</summary>
    public const float SeluAlpha = 1.6732632423543772f;

    /// <summary>σ(z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(default(SigmoidOp), z, a);

    /// <summary>delta ·= σ(1 − σ).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(default(SigmoidDerivative), z, a, delta);

    /// <summary>tanh z.</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(default(TanhOp), z, a);

    /// <summary>delta ·= 1 − tanh².</summary>
    public static void TanhBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(default(TanhDerivative), z, a, delta);

    /// <summary>max(0, z).</summary>
    public static void ReLU(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(new LeakyReLUOp(0f), z, a);

    /// <summary>delta ·= [z ≥ 0].</summary>
    public static void ReLUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(new LeakyReLUDerivative(0f), z, a, delta);

    /// <summary>z for z ≥ 0, else α·z.</summary>
    public static void LeakyReLU(ReadOnlySpan<float> z, Span<float> a, float alpha) => ElementWise.Map(new LeakyReLUOp(alpha), z, a);

    /// <summary>delta ·= (z ≥ 0 ? 1 : α).</summary>
    public static void LeakyReLUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta, float alpha) => ElementWise.MultiplyByDerivative(new LeakyReLUDerivative(alpha), z, a, delta);

    /// <summary>z for z &gt; 0, else α(e^z − 1).</summary>
    public static void ELU(ReadOnlySpan<float> z, Span<float> a, float alpha) => ElementWise.Map(new EluOp(1f, alpha), z, a);

    /// <summary>delta ·= (z &gt; 0 ? 1 : a + α).</summary>
    public static void ELUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta, float alpha) => ElementWise.MultiplyByDerivative(new EluDerivative(1f, alpha), z, a, delta);

    /// <summary>λz for z &gt; 0, else λα(e^z − 1).</summary>
    public static void SELU(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(new EluOp(SeluLambda, SeluAlpha), z, a);

    /// <summary>delta ·= (z &gt; 0 ? λ : a + λα).</summary>
    public static void SELUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(new EluDerivative(SeluLambda, SeluAlpha), z, a, delta);

    /// <summary>ln(1 + e^z), computed as max(z, 0) + ln(1 + e^−|z|).</summary>
    public static void Softplus(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(default(SoftplusOp), z, a);

    /// <summary>delta ·= σ(z).</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(default(SoftplusDerivative), z, a, delta);

    /// <summary>+1 for z ≥ 0, else −1.</summary>
    public static void Sign(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(new ThresholdOp(-1f), z, a);

    /// <summary>1 for z ≥ 0, else 0.</summary>
    public static void Step(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(new ThresholdOp(0f), z, a);

    /// <summary>Row-wise softmax of <paramref name="rows"/> rows of <paramref name="columns"/> values, with the row maximum
    /// subtracted first so no exponent overflows.</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int rows, int columns)
    {
        CheckRows(z.Length, a.Length, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> zr = z.Slice(r * columns, columns);
            Span<float> ar = a.Slice(r * columns, columns);
            float max = float.NegativeInfinity;
            foreach (float v in zr)
            {
                max = MathF.Max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                float e = MathF.Exp(zr[c] - max);
                ar[c] = e;
                sum += e;
            }
            float inverse = (float)(1.0 / sum);
            for (int c = 0; c < columns; c++)
            {
                ar[c] *= inverse;
            }
        }
    }

    /// <summary>Softmax Jacobian–vector product per row: delta_i ← s_i (delta_i − Σ_k delta_k s_k).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> a, Span<float> delta, int rows, int columns)
    {
        CheckRows(a.Length, delta.Length, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> s = a.Slice(r * columns, columns);
            Span<float> d = delta.Slice(r * columns, columns);
            double dot = 0;
            for (int c = 0; c < columns; c++)
            {
                dot += (double)d[c] * s[c];
            }
            for (int c = 0; c < columns; c++)
            {
                d[c] = s[c] * (float)(d[c] - dot);
            }
        }
    }

    private static void CheckRows(int sourceLength, int destinationLength, int rows, int columns)
    {
        if (rows < 0 || columns <= 0 || sourceLength < rows * columns || destinationLength < rows * columns)
        {
            throw new ArgumentException($"Spans of {sourceLength} and {destinationLength} floats cannot hold {rows} rows of {columns}.");
        }
    }

    private readonly struct SigmoidOp : IUnaryOp
    {
        public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
        public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
    }

    private readonly struct SigmoidDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => a * (1f - a);
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => a * (Vector256<float>.One - a);
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => a * (Vector512<float>.One - a);
    }

    private readonly struct TanhOp : IUnaryOp
    {
        public float Invoke(float x) => MathF.Tanh(x);

        // tanh|x| = (1 − e^−2|x|) / (1 + e^−2|x|): the exponent is ≤ 0, so nothing overflows.
        public Vector256<float> Invoke(Vector256<float> x)
        {
            Vector256<float> t = Vector256.Exp(Vector256.Create(-2f) * Vector256.Abs(x));
            return Vector256.CopySign((Vector256<float>.One - t) / (Vector256<float>.One + t), x);
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            Vector512<float> t = Vector512.Exp(Vector512.Create(-2f) * Vector512.Abs(x));
            return Vector512.CopySign((Vector512<float>.One - t) / (Vector512<float>.One + t), x);
        }
    }

    private readonly struct TanhDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => 1f - a * a;
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256<float>.One - a * a;
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512<float>.One - a * a;
    }

    private readonly struct LeakyReLUOp(float alpha) : IUnaryOp
    {
        public float Invoke(float x) => x >= 0f ? x : alpha * x;
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * alpha);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * alpha);
    }

    private readonly struct LeakyReLUDerivative(float alpha) : IDerivativeOp
    {
        public float Invoke(float z, float a) => z >= 0f ? 1f : alpha;
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(alpha));
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(alpha));
    }

    /// <summary>ELU scaled by λ: SELU is λ = 1.0507, α = 1.6733; plain ELU is λ = 1.</summary>
    private readonly struct EluOp(float lambda, float alpha) : IUnaryOp
    {
        public float Invoke(float x) => x > 0f ? lambda * x : lambda * alpha * (MathF.Exp(x) - 1f);

        public Vector256<float> Invoke(Vector256<float> x)
        {
            Vector256<float> negative = Vector256.Create(lambda * alpha) * (Vector256.Exp(Vector256.Min(x, Vector256<float>.Zero)) - Vector256<float>.One);
            return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * lambda, negative);
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            Vector512<float> negative = Vector512.Create(lambda * alpha) * (Vector512.Exp(Vector512.Min(x, Vector512<float>.Zero)) - Vector512<float>.One);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * lambda, negative);
        }
    }

    private readonly struct EluDerivative(float lambda, float alpha) : IDerivativeOp
    {
        public float Invoke(float z, float a) => z > 0f ? lambda : a + lambda * alpha;
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), Vector256.Create(lambda), a + Vector256.Create(lambda * alpha));
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), Vector512.Create(lambda), a + Vector512.Create(lambda * alpha));
    }

    private readonly struct SoftplusOp : IUnaryOp
    {
        public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(x)));
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(x)));
    }

    private readonly struct SoftplusDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => default(SigmoidOp).Invoke(z);
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => default(SigmoidOp).Invoke(z);
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => default(SigmoidOp).Invoke(z);
    }

    /// <summary>1 for x ≥ 0, else <c>below</c> (−1 for Sign, 0 for Step).</summary>
    private readonly struct ThresholdOp(float below) : IUnaryOp
    {
        public float Invoke(float x) => x >= 0f ? 1f : below;
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(below));
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(below));
    }
}
