using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Vectorized activations and their backward products, called by generated networks. Each forward maps the
/// pre-activations <c>z</c> to <c>a</c> (the spans may be the same); each backward multiplies <c>delta</c> (∂L/∂a on
/// entry, ∂L/∂z on exit) by f'(z). Conventions at kinks are those documented on <see cref="Activation"/>. The functions
/// themselves, and their accuracy, are those of <see cref="VectorMath"/>; generated code calls its per-vector forms to
/// apply an activation without a separate pass.
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
    public static void ReLU(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(default(ReLUOp), z, a);

    /// <summary>delta ·= [z ≥ 0].</summary>
    public static void ReLUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta) => ElementWise.MultiplyByDerivative(new LeakyReLUDerivative(0f), z, a, delta);

    /// <summary>z for z ≥ 0, else α·z.</summary>
    public static void LeakyReLU(ReadOnlySpan<float> z, Span<float> a, float alpha) => ElementWise.Map(new LeakyReLUOp(alpha), z, a);

    /// <summary>delta ·= (z ≥ 0 ? 1 : α).</summary>
    public static void LeakyReLUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta, float alpha) => ElementWise.MultiplyByDerivative(new LeakyReLUDerivative(alpha), z, a, delta);

    /// <summary>z for z &gt; 0, else α(e^z − 1).</summary>
    public static void ELU(ReadOnlySpan<float> z, Span<float> a, float alpha) => ElementWise.Map(new EluOp(alpha), z, a);

    /// <summary>delta ·= (z &gt; 0 ? 1 : a + α).</summary>
    public static void ELUBackward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta, float alpha) => ElementWise.MultiplyByDerivative(new EluDerivative(1f, alpha), z, a, delta);

    /// <summary>λz for z &gt; 0, else λα(e^z − 1).</summary>
    public static void SELU(ReadOnlySpan<float> z, Span<float> a) => ElementWise.Map(default(SeluOp), z, a);

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
    /// subtracted first so no exponent overflows. A row narrower than a vector is one partial vector; a row's result does
    /// not depend on the other rows.</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int rows, int columns)
    {
        CheckRows(z.Length, a.Length, rows, columns);
        z = z[..(rows * columns)];
        a = a[..(rows * columns)];
        if (Vector512.IsHardwareAccelerated)
        {
            Softmax<Simd512>(z, a, columns);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Softmax<Simd256>(z, a, columns);
        }
        else
        {
            SoftmaxScalar(z, a, rows, columns);
        }
    }

    /// <summary>Softmax Jacobian–vector product per row: delta_i ← s_i (delta_i − Σ_k delta_k s_k).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> a, Span<float> delta, int rows, int columns)
    {
        CheckRows(a.Length, delta.Length, rows, columns);
        a = a[..(rows * columns)];
        delta = delta[..(rows * columns)];
        if (Vector512.IsHardwareAccelerated)
        {
            SoftmaxBackward<Simd512>(a, delta, columns);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            SoftmaxBackward<Simd256>(a, delta, columns);
        }
        else
        {
            SoftmaxBackwardScalar(a, delta, rows, columns);
        }
    }

    private static void Softmax<TVector>(ReadOnlySpan<float> z, Span<float> a, int columns)
        where TVector : struct, ISimdFloat<TVector>
    {
        int width = TVector.Count;
        int start = 0;
        if (columns <= width)
        {
            // A row in one vector, kept in registers. Only rows whose whole vector lies inside the spans go here; the
            // last few take the general path below, which gives the same bits.
            ref float zr = ref MemoryMarshal.GetReference(z);
            ref float ar = ref MemoryMarshal.GetReference(a);
            TVector lanes = TVector.FirstLanes(columns);
            for (; start + width <= z.Length; start += columns)
            {
                TVector row = TVector.ConditionalSelect(lanes, TVector.LoadUnsafe(ref zr, (nuint)start), TVector.Create(float.NegativeInfinity));
                TVector e = TVector.Exp(row - TVector.Create(TVector.MaxAcross(row)));
                PartialVectors.StoreLanes(ref ar, (nuint)start, lanes, e / TVector.Create(TVector.SumAcross(e)));
            }
        }
        for (; start < z.Length; start += columns)
        {
            TVector max = TVector.Create(float.NegativeInfinity);
            for (int c = 0; c < columns; c += width)
            {
                max = TVector.MaxNative(max, PartialVectors.Load<TVector>(z, start + c, columns - c, float.NegativeInfinity));
            }
            TVector rowMax = TVector.Create(TVector.MaxAcross(max));
            TVector sum = TVector.Zero;
            for (int c = 0; c < columns; c += width)
            {
                // Spare lanes hold −∞, so their e^(z − max) is 0 and adds nothing.
                TVector e = TVector.Exp(PartialVectors.Load<TVector>(z, start + c, columns - c, float.NegativeInfinity) - rowMax);
                sum += e;
                PartialVectors.Store(a, start + c, columns - c, e);
            }
            TVector total = TVector.Create(TVector.SumAcross(sum));
            for (int c = 0; c < columns; c += width)
            {
                PartialVectors.Store(a, start + c, columns - c, PartialVectors.Load<TVector>(a, start + c, columns - c, 0f) / total);
            }
        }
    }

    private static void SoftmaxScalar(ReadOnlySpan<float> z, Span<float> a, int rows, int columns)
    {
        for (int start = 0; start < rows * columns; start += columns)
        {
            ReadOnlySpan<float> zr = z.Slice(start, columns);
            Span<float> ar = a.Slice(start, columns);
            float max = float.NegativeInfinity;
            foreach (float v in zr)
            {
                max = MathF.Max(max, v);
            }
            float sum = 0f;
            for (int c = 0; c < columns; c++)
            {
                float e = VectorMath.Exp(zr[c] - max);
                ar[c] = e;
                sum += e;
            }
            for (int c = 0; c < columns; c++)
            {
                ar[c] /= sum;
            }
        }
    }

    private static void SoftmaxBackward<TVector>(ReadOnlySpan<float> a, Span<float> delta, int columns)
        where TVector : struct, ISimdFloat<TVector>
    {
        int width = TVector.Count;
        for (int start = 0; start < delta.Length; start += columns)
        {
            TVector products = TVector.Zero;
            for (int c = 0; c < columns; c += width)
            {
                products = TVector.FusedMultiplyAdd(PartialVectors.Load<TVector>(delta, start + c, columns - c, 0f), PartialVectors.Load<TVector>(a, start + c, columns - c, 0f), products);
            }
            TVector dot = TVector.Create(TVector.SumAcross(products));
            for (int c = 0; c < columns; c += width)
            {
                TVector d = PartialVectors.Load<TVector>(delta, start + c, columns - c, 0f);
                PartialVectors.Store(delta, start + c, columns - c, PartialVectors.Load<TVector>(a, start + c, columns - c, 0f) * (d - dot));
            }
        }
    }

    private static void SoftmaxBackwardScalar(ReadOnlySpan<float> a, Span<float> delta, int rows, int columns)
    {
        for (int start = 0; start < rows * columns; start += columns)
        {
            ReadOnlySpan<float> s = a.Slice(start, columns);
            Span<float> d = delta.Slice(start, columns);
            float dot = 0f;
            for (int c = 0; c < columns; c++)
            {
                dot = MathF.FusedMultiplyAdd(d[c], s[c], dot);
            }
            for (int c = 0; c < columns; c++)
            {
                d[c] = s[c] * (d[c] - dot);
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
        public float Invoke(float x) => VectorMath.Sigmoid(x);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Sigmoid(x);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Sigmoid(x);
    }

    private readonly struct SigmoidDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => a * (1f - a);
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => a * (Vector256<float>.One - a);
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => a * (Vector512<float>.One - a);
    }

    private readonly struct TanhOp : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.Tanh(x);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Tanh(x);
    }

    private readonly struct TanhDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => MathF.FusedMultiplyAdd(-a, a, 1f);
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256.FusedMultiplyAdd(-a, a, Vector256<float>.One);
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512.FusedMultiplyAdd(-a, a, Vector512<float>.One);
    }

    private readonly struct ReLUOp : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.ReLU(x);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.ReLU(x);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.ReLU(x);
    }

    private readonly struct LeakyReLUOp(float alpha) : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.LeakyReLU(x, alpha);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.LeakyReLU(x, alpha);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.LeakyReLU(x, alpha);
    }

    private readonly struct LeakyReLUDerivative(float alpha) : IDerivativeOp
    {
        public float Invoke(float z, float a) => z >= 0f ? 1f : alpha;
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), Vector256<float>.One, Vector256.Create(alpha));
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(alpha));
    }

    private readonly struct EluOp(float alpha) : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.Elu(x, alpha);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Elu(x, alpha);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Elu(x, alpha);
    }

    private readonly struct SeluOp : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.Selu(x);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Selu(x);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Selu(x);
    }

    /// <summary>ELU's derivative scaled by λ: SELU is λ = 1.0507, α = 1.6733; plain ELU is λ = 1.</summary>
    private readonly struct EluDerivative(float lambda, float alpha) : IDerivativeOp
    {
        public float Invoke(float z, float a) => z > 0f ? lambda : a + lambda * alpha;
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), Vector256.Create(lambda), a + Vector256.Create(lambda * alpha));
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), Vector512.Create(lambda), a + Vector512.Create(lambda * alpha));
    }

    private readonly struct SoftplusOp : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.Softplus(x);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Softplus(x);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Softplus(x);
    }

    private readonly struct SoftplusDerivative : IDerivativeOp
    {
        public float Invoke(float z, float a) => VectorMath.Sigmoid(z);
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a) => VectorMath.Sigmoid(z);
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a) => VectorMath.Sigmoid(z);
    }

    /// <summary>1 for x ≥ 0, else <c>below</c> (−1 for Sign, 0 for Step).</summary>
    private readonly struct ThresholdOp(float below) : IUnaryOp
    {
        public float Invoke(float x) => VectorMath.Threshold(x, below);
        public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Threshold(x, below);
        public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Threshold(x, below);
    }
}
