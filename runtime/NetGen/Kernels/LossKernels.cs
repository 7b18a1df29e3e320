using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Losses and their output gradients, called by generated networks. Each returns the mean over the
/// <c>rows</c> samples of the per-sample loss documented on <see cref="Loss"/>, and writes the gradient of that mean
/// (so already divided by <c>rows</c>). The terms are computed in float with <see cref="VectorMath"/> and summed in
/// double; a sample's gradient does not depend on the other samples of the batch. The <c>…Sum</c> forms take part of a
/// batch (a shard of it, in a generated backward pass that gives each thread whole shards): they return the sum of the
/// part's losses, for the caller to add up and divide by the batch size, and write the gradient of the batch's mean.
/// </summary>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossKernels
{
    /// <summary>Per sample ½Σ(a − y)²; <paramref name="gradient"/> = (a − y)/rows, i.e. ∂L/∂a.</summary>
    public static float SquaredError(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
        => (float)(SquaredErrorSum(outputs, targets, gradient, rows, columns, rows) / rows);

    /// <summary>As <see cref="SquaredError"/> for <paramref name="rows"/> samples of a batch of <paramref name="batchSize"/>:
    /// the sum of their losses, and the gradient of the batch's mean, (a − y)/batchSize.</summary>
    public static double SquaredErrorSum(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns, int batchSize)
    {
        int count = Check(outputs, targets, gradient, rows, columns, batchSize);
        return ElementWise.SumLoss(default(SquaredErrorOp), outputs[..count], targets[..count], gradient[..count], count, 1f / batchSize);
    }

    /// <summary>Binary cross-entropy of σ(z) computed from the logits z as max(z,0) − z·y + ln(1 + e^−|z|);
    /// <paramref name="gradient"/> = (σ(z) − y)/rows, i.e. ∂L/∂z.</summary>
    public static float BinaryCrossEntropyWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
        => (float)(BinaryCrossEntropyWithLogitsSum(logits, targets, gradient, rows, columns, rows) / rows);

    /// <summary>As <see cref="BinaryCrossEntropyWithLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/> for <paramref name="rows"/> samples of a batch of
    /// <paramref name="batchSize"/>: the sum of their losses, and the gradient of the batch's mean.</summary>
    public static double BinaryCrossEntropyWithLogitsSum(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns, int batchSize)
    {
        int count = Check(logits, targets, gradient, rows, columns, batchSize);
        return ElementWise.SumLoss(default(BinaryCrossEntropyOp), logits[..count], targets[..count], gradient[..count], count, 1f / batchSize);
    }

    /// <summary>
    /// Binary cross-entropy with class weights, from the logits z: w₀·(1 − y)·softplus(z) + w₁·y·softplus(−z) per value,
    /// which is PyTorch's <c>binary_cross_entropy_with_logits(z, y, weight=w₀, pos_weight=w₁/w₀)</c> and, for a label y of 0
    /// or 1, the unweighted loss times w[y]. <paramref name="classWeights"/> is (w₀, w₁), or empty for the unweighted loss
    /// (<see cref="BinaryCrossEntropyWithLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int)"/>,
    /// bit for bit); the trainer passes the class weights times n/W, so that the mean over the rows is the weighted mean
    /// (see <c>ClassWeights</c>). <paramref name="gradient"/> = (w₀·(1 − y)·σ(z) − w₁·y·σ(−z))/rows, i.e. ∂L/∂z.
    /// </summary>
    public static float BinaryCrossEntropyWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns,
        ReadOnlySpan<float> classWeights)
        => (float)(BinaryCrossEntropyWithLogitsSum(logits, targets, gradient, rows, columns, rows, classWeights) / rows);

    /// <summary>As <see cref="BinaryCrossEntropyWithLogits(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, ReadOnlySpan{float})"/>
    /// for <paramref name="rows"/> samples of a batch of <paramref name="batchSize"/>: the sum of their losses, and the
    /// gradient of the batch's mean.</summary>
    public static double BinaryCrossEntropyWithLogitsSum(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns,
        int batchSize, ReadOnlySpan<float> classWeights)
    {
        if (classWeights.IsEmpty)
        {
            return BinaryCrossEntropyWithLogitsSum(logits, targets, gradient, rows, columns, batchSize);
        }
        CheckClassWeights(classWeights, nameof(classWeights));
        int count = Check(logits, targets, gradient, rows, columns, batchSize);
        return ElementWise.SumLoss(new WeightedBinaryCrossEntropyOp(classWeights[0], classWeights[1]), logits[..count], targets[..count], gradient[..count], count,
            1f / batchSize);
    }

    /// <summary>Copies binary cross-entropy's class weights (w₀, w₁), or none, into a network's <paramref name="destination"/>,
    /// which is reused when it has the length already (so a trainer setting them for every batch allocates nothing).</summary>
    /// <exception cref="ArgumentException">Not 0 or 2 weights, or a weight that is negative or not finite.</exception>
    public static void CopyClassWeights(ReadOnlySpan<float> weights, ref float[] destination)
    {
        if (!weights.IsEmpty)
        {
            CheckClassWeights(weights, nameof(weights));
        }
        if (destination.Length != weights.Length)
        {
            destination = new float[weights.Length];
        }
        weights.CopyTo(destination);
    }

    private static void CheckClassWeights(ReadOnlySpan<float> weights, string argument)
    {
        if (weights.Length != 2 || !(weights[0] >= 0f && float.IsFinite(weights[0]) && weights[1] >= 0f && float.IsFinite(weights[1])))
        {
            throw new ArgumentException($"Binary cross-entropy takes two class weights (class 0, class 1), finite and ≥ 0, or none; got [{string.Join(", ", Array.ConvertAll(weights.ToArray(), w => w.ToString(CultureInfo.InvariantCulture)))}].", argument);
        }
    }

    /// <summary>Categorical cross-entropy −Σ y ln softmax(z) per row, computed with log-sum-exp from the logits z;
    /// <paramref name="gradient"/> = ((Σy)·softmax(z) − y)/rows, i.e. ∂L/∂z. A row narrower than a vector is one
    /// partial vector.</summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
        => (float)(SoftmaxCrossEntropySum(logits, targets, gradient, rows, columns, rows) / rows);

    /// <summary>As <see cref="SoftmaxCrossEntropy"/> for <paramref name="rows"/> samples of a batch of
    /// <paramref name="batchSize"/>: the sum of their losses, and the gradient of the batch's mean.</summary>
    public static double SoftmaxCrossEntropySum(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns, int batchSize)
    {
        int count = Check(logits, targets, gradient, rows, columns, batchSize);
        logits = logits[..count];
        targets = targets[..count];
        gradient = gradient[..count];
        float scale = 1f / batchSize;
        return Vector512.IsHardwareAccelerated ? SoftmaxCrossEntropy<Simd512>(logits, targets, gradient, columns, scale)
            : Vector256.IsHardwareAccelerated ? SoftmaxCrossEntropy<Simd256>(logits, targets, gradient, columns, scale)
            : SoftmaxCrossEntropyScalar(logits, targets, gradient, columns, scale);
    }

    /// <summary>Hinge Σ max(0, 1 − y·a) with y ∈ {−1, +1}; <paramref name="gradient"/> = −y/rows where y·a &lt; 1, else 0.</summary>
    public static float Hinge(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
        => (float)(HingeSum(outputs, targets, gradient, rows, columns, rows) / rows);

    /// <summary>As <see cref="Hinge"/> for <paramref name="rows"/> samples of a batch of <paramref name="batchSize"/>: the
    /// sum of their losses, and the gradient of the batch's mean.</summary>
    public static double HingeSum(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns, int batchSize)
    {
        int count = Check(outputs, targets, gradient, rows, columns, batchSize);
        return ElementWise.SumLoss(default(HingeOp), outputs[..count], targets[..count], gradient[..count], count, 1f / batchSize);
    }

    // Per row, with d = z − max z ≤ 0 and S = Σ e^d: the loss is Σ y (ln S − d), two non-negative terms, and the
    // gradient (Σy)·e^d/S − y. Three passes over the row's chunks: the maximum, then e^d (kept in the gradient span) with
    // the sums of e^d and y, then the gradient and the loss terms.
    private static double SoftmaxCrossEntropy<TVector>(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int columns, float scale)
        where TVector : struct, ISimdFloat<TVector>
    {
        int width = TVector.Count;
        TVector factor = TVector.Create(scale);
        TVector lower = TVector.Zero, upper = TVector.Zero;
        int start = 0;
        if (columns <= width)
        {
            // A row in one vector, kept in registers, as in the general path below (which the last few rows take, with
            // the same bits).
            ref float zr = ref MemoryMarshal.GetReference(logits);
            ref float yr = ref MemoryMarshal.GetReference(targets);
            ref float gr = ref MemoryMarshal.GetReference(gradient);
            TVector lanes = TVector.FirstLanes(columns);
            for (; start + width <= logits.Length; start += columns)
            {
                TVector z = TVector.ConditionalSelect(lanes, TVector.LoadUnsafe(ref zr, (nuint)start), TVector.Create(float.NegativeInfinity));
                TVector y = TVector.LoadUnsafe(ref yr, (nuint)start) & lanes;
                TVector d = z - TVector.Create(TVector.MaxAcross(z));
                TVector e = TVector.Exp(d);
                float expSum = TVector.SumAcross(e), targetSum = TVector.SumAcross(y);
                TVector g = TVector.FusedMultiplyAdd(e, TVector.Create(targetSum / expSum), -y) * factor;
                PartialVectors.StoreLanes(ref gr, (nuint)start, lanes, g);
                // Spare lanes: y = 0 and d = −∞, whose product is NaN; the mask clears them.
                TVector terms = (y * (TVector.Create(VectorMath.Log(expSum)) - d)) & lanes;
                TVector.AddWidened(terms, ref lower, ref upper);
            }
        }
        for (; start < logits.Length; start += columns)
        {
            TVector max = TVector.Create(float.NegativeInfinity);
            for (int c = 0; c < columns; c += width)
            {
                max = TVector.MaxNative(max, PartialVectors.Load<TVector>(logits, start + c, columns - c, float.NegativeInfinity));
            }
            TVector rowMax = TVector.Create(TVector.MaxAcross(max));
            TVector exponentials = TVector.Zero, targetSums = TVector.Zero;
            for (int c = 0; c < columns; c += width)
            {
                TVector e = TVector.Exp(PartialVectors.Load<TVector>(logits, start + c, columns - c, float.NegativeInfinity) - rowMax);
                exponentials += e;
                targetSums += PartialVectors.Load<TVector>(targets, start + c, columns - c, 0f);
                PartialVectors.Store(gradient, start + c, columns - c, e);
            }
            float expSum = TVector.SumAcross(exponentials), targetSum = TVector.SumAcross(targetSums);
            TVector logSum = TVector.Create(VectorMath.Log(expSum));
            TVector softmaxScale = TVector.Create(targetSum / expSum);
            for (int c = 0; c < columns; c += width)
            {
                // Spare lanes: z = y = e = 0, so their loss term is 0.
                TVector y = PartialVectors.Load<TVector>(targets, start + c, columns - c, 0f);
                TVector d = PartialVectors.Load<TVector>(logits, start + c, columns - c, 0f) - rowMax;
                TVector e = PartialVectors.Load<TVector>(gradient, start + c, columns - c, 0f);
                PartialVectors.Store(gradient, start + c, columns - c, TVector.FusedMultiplyAdd(e, softmaxScale, -y) * factor);
                TVector terms = y * (logSum - d);
                TVector.AddWidened(terms, ref lower, ref upper);
            }
        }
        return TVector.SumWidened(lower, upper);
    }

    private static double SoftmaxCrossEntropyScalar(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int columns, float scale)
    {
        double sum = 0;
        for (int start = 0; start < logits.Length; start += columns)
        {
            ReadOnlySpan<float> z = logits.Slice(start, columns);
            ReadOnlySpan<float> y = targets.Slice(start, columns);
            Span<float> g = gradient.Slice(start, columns);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            float expSum = 0f, targetSum = 0f;
            for (int c = 0; c < columns; c++)
            {
                g[c] = VectorMath.Exp(z[c] - max);
                expSum += g[c];
                targetSum += y[c];
            }
            float logSum = VectorMath.Log(expSum), softmaxScale = targetSum / expSum;
            for (int c = 0; c < columns; c++)
            {
                sum += y[c] * (logSum - (z[c] - max));
                g[c] = MathF.FusedMultiplyAdd(g[c], softmaxScale, -y[c]) * scale;
            }
        }
        return sum;
    }

    private static int Check(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, rows);
        int count = rows * columns;
        if (outputs.Length < count || targets.Length < count || gradient.Length < count)
        {
            throw new ArgumentException($"A batch of {rows} × {columns} needs {count} floats; got outputs {outputs.Length}, targets {targets.Length}, gradient {gradient.Length}.");
        }
        return count;
    }

    private readonly struct SquaredErrorOp : ILossOp
    {
        public float Invoke(float output, float target, out float derivative)
        {
            derivative = output - target;
            return 0.5f * derivative * derivative;
        }

        public Vector256<float> Invoke(Vector256<float> output, Vector256<float> target, out Vector256<float> derivative)
        {
            derivative = output - target;
            return Vector256.Create(0.5f) * derivative * derivative;
        }

        public Vector512<float> Invoke(Vector512<float> output, Vector512<float> target, out Vector512<float> derivative)
        {
            derivative = output - target;
            return Vector512.Create(0.5f) * derivative * derivative;
        }
    }

    /// <summary>With e = e^−|z|: σ(z) = (z ≥ 0 ? 1 : e)/(1 + e) and the loss max(z, 0) − z·y + ln(1 + e) share one exponential.</summary>
    private readonly struct BinaryCrossEntropyOp : ILossOp
    {
        public float Invoke(float z, float y, out float derivative)
        {
            float e = VectorMath.Exp(-MathF.Abs(z));
            derivative = (z >= 0f ? 1f : e) / (1f + e) - y;
            return MathF.FusedMultiplyAdd(-z, y, MathF.Max(z, 0f)) + VectorMath.Log1pUnitInterval(e);
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative)
        {
            Vector256<float> e = VectorMath.Exp(-Vector256.Abs(z));
            derivative = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), Vector256<float>.One, e) / (Vector256<float>.One + e) - y;
            return Vector256.FusedMultiplyAdd(-z, y, Vector256.MaxNative(z, Vector256<float>.Zero)) + VectorMath.Log1pUnitInterval(e);
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative)
        {
            Vector512<float> e = VectorMath.Exp(-Vector512.Abs(z));
            derivative = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One, e) / (Vector512<float>.One + e) - y;
            return Vector512.FusedMultiplyAdd(-z, y, Vector512.MaxNative(z, Vector512<float>.Zero)) + VectorMath.Log1pUnitInterval(e);
        }
    }

    /// <summary>
    /// With c₀ = w₀·(1 − y), c₁ = w₁·y (both ≥ 0) and e = e^−|z|: softplus(±z) = max(±z, 0) + ln(1 + e), so the loss
    /// c₀·max(z, 0) + c₁·max(−z, 0) + (c₀ + c₁)·ln(1 + e) is a sum of non-negative terms (nothing cancels however large |z|
    /// is), and the gradient c₀·σ(z) − c₁·σ(−z) = (c₀·p − c₁·q)/(1 + e) with (p, q) = (1, e) for z ≥ 0, else (e, 1): one
    /// exponential, and blends instead of branches.
    /// </summary>
    private readonly struct WeightedBinaryCrossEntropyOp(float negative, float positive) : ILossOp
    {
        public float Invoke(float z, float y, out float derivative)
        {
            float c0 = MathF.FusedMultiplyAdd(-negative, y, negative), c1 = positive * y;
            float e = VectorMath.Exp(-MathF.Abs(z));
            bool nonNegative = z >= 0f;
            derivative = MathF.FusedMultiplyAdd(c0, nonNegative ? 1f : e, -c1 * (nonNegative ? e : 1f)) / (1f + e);
            return MathF.FusedMultiplyAdd(c0, MathF.Max(z, 0f), c1 * MathF.Max(-z, 0f)) + (c0 + c1) * VectorMath.Log1pUnitInterval(e);
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative)
        {
            Vector256<float> w0 = Vector256.Create(negative);
            Vector256<float> c0 = Vector256.FusedMultiplyAdd(-w0, y, w0), c1 = Vector256.Create(positive) * y;
            Vector256<float> e = VectorMath.Exp(-Vector256.Abs(z));
            Vector256<float> nonNegative = Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero);
            Vector256<float> p = Vector256.ConditionalSelect(nonNegative, Vector256<float>.One, e), q = Vector256.ConditionalSelect(nonNegative, e, Vector256<float>.One);
            derivative = Vector256.FusedMultiplyAdd(c0, p, -c1 * q) / (Vector256<float>.One + e);
            return Vector256.FusedMultiplyAdd(c0, Vector256.MaxNative(z, Vector256<float>.Zero), c1 * Vector256.MaxNative(-z, Vector256<float>.Zero))
                + (c0 + c1) * VectorMath.Log1pUnitInterval(e);
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative)
        {
            Vector512<float> w0 = Vector512.Create(negative);
            Vector512<float> c0 = Vector512.FusedMultiplyAdd(-w0, y, w0), c1 = Vector512.Create(positive) * y;
            Vector512<float> e = VectorMath.Exp(-Vector512.Abs(z));
            Vector512<float> nonNegative = Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero);
            Vector512<float> p = Vector512.ConditionalSelect(nonNegative, Vector512<float>.One, e), q = Vector512.ConditionalSelect(nonNegative, e, Vector512<float>.One);
            derivative = Vector512.FusedMultiplyAdd(c0, p, -c1 * q) / (Vector512<float>.One + e);
            return Vector512.FusedMultiplyAdd(c0, Vector512.MaxNative(z, Vector512<float>.Zero), c1 * Vector512.MaxNative(-z, Vector512<float>.Zero))
                + (c0 + c1) * VectorMath.Log1pUnitInterval(e);
        }
    }

    private readonly struct HingeOp : ILossOp
    {
        public float Invoke(float output, float target, out float derivative)
        {
            float margin = target * output;
            bool inside = margin < 1f;
            derivative = inside ? -target : 0f;
            return inside ? 1f - margin : 0f;
        }

        public Vector256<float> Invoke(Vector256<float> output, Vector256<float> target, out Vector256<float> derivative)
        {
            Vector256<float> margin = target * output;
            Vector256<float> inside = Vector256.LessThan(margin, Vector256<float>.One);
            derivative = -target & inside;
            return (Vector256<float>.One - margin) & inside;
        }

        public Vector512<float> Invoke(Vector512<float> output, Vector512<float> target, out Vector512<float> derivative)
        {
            Vector512<float> margin = target * output;
            Vector512<float> inside = Vector512.LessThan(margin, Vector512<float>.One);
            derivative = -target & inside;
            return (Vector512<float>.One - margin) & inside;
        }
    }
}
