using System;

namespace NetGen.Kernels;

/// <summary>
/// Losses and their output gradients, called by generated networks. Each returns the mean over the
/// <c>rows</c> samples of the per-sample loss documented on <see cref="Loss"/>, and writes the gradient of that mean
/// (so already divided by <c>rows</c>). Sums are accumulated in double.
/// </summary>
public static class LossKernels
{
    /// <summary>Per sample ½Σ(a − y)²; <paramref name="gradient"/> = (a − y)/rows, i.e. ∂L/∂a.</summary>
    public static float SquaredError(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
    {
        int count = Check(outputs, targets, gradient, rows, columns);
        float scale = 1f / rows;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            float difference = outputs[i] - targets[i];
            sum += 0.5 * difference * difference;
            gradient[i] = difference * scale;
        }
        return (float)(sum / rows);
    }

    /// <summary>Binary cross-entropy of σ(z) computed from the logits z as max(z,0) − z·y + ln(1 + e^−|z|);
    /// <paramref name="gradient"/> = (σ(z) − y)/rows, i.e. ∂L/∂z.</summary>
    public static float BinaryCrossEntropyWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
    {
        int count = Check(logits, targets, gradient, rows, columns);
        float scale = 1f / rows;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            float z = logits[i], y = targets[i];
            sum += Math.Max(z, 0.0) - (double)z * y + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
            float sigmoid = 1f / (1f + MathF.Exp(-z));
            gradient[i] = (sigmoid - y) * scale;
        }
        return (float)(sum / rows);
    }

    /// <summary>Categorical cross-entropy −Σ y ln softmax(z) per row, computed with log-sum-exp from the logits z;
    /// <paramref name="gradient"/> = ((Σy)·softmax(z) − y)/rows, i.e. ∂L/∂z.</summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
    {
        Check(logits, targets, gradient, rows, columns);
        float scale = 1f / rows;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> z = logits.Slice(r * columns, columns);
            ReadOnlySpan<float> y = targets.Slice(r * columns, columns);
            Span<float> g = gradient.Slice(r * columns, columns);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            double expSum = 0, targetSum = 0, targetDotLogits = 0;
            for (int c = 0; c < columns; c++)
            {
                expSum += Math.Exp(z[c] - max);
                targetSum += y[c];
                targetDotLogits += (double)y[c] * z[c];
            }
            double logSumExp = max + Math.Log(expSum);
            sum += targetSum * logSumExp - targetDotLogits;
            for (int c = 0; c < columns; c++)
            {
                double softmax = Math.Exp(z[c] - logSumExp);
                g[c] = (float)(targetSum * softmax - y[c]) * scale;
            }
        }
        return (float)(sum / rows);
    }

    /// <summary>Hinge Σ max(0, 1 − y·a) with y ∈ {−1, +1}; <paramref name="gradient"/> = −y/rows where y·a &lt; 1, else 0.</summary>
    public static float Hinge(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
    {
        int count = Check(outputs, targets, gradient, rows, columns);
        float scale = 1f / rows;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            float margin = targets[i] * outputs[i];
            if (margin < 1f)
            {
                sum += 1.0 - margin;
                gradient[i] = -targets[i] * scale;
            }
            else
            {
                gradient[i] = 0f;
            }
        }
        return (float)(sum / rows);
    }

    private static int Check(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        int count = rows * columns;
        if (outputs.Length < count || targets.Length < count || gradient.Length < count)
        {
            throw new ArgumentException($"A batch of {rows} × {columns} needs {count} floats; got outputs {outputs.Length}, targets {targets.Length}, gradient {gradient.Length}.");
        }
        return count;
    }
}
