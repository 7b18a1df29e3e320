using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// Per-class weights of a cross-entropy loss, as PyTorch's <c>CrossEntropyLoss(weight=…)</c>: sample i with class yᵢ
/// counts w[yᵢ] times, and the batch's loss is Σᵢ w[yᵢ]·lᵢ / Σᵢ w[yᵢ] (PyTorch's <c>reduction='mean'</c>). The weights are
/// data, not shape: <see cref="TrainerOptions.ClassWeights"/> sets them for a run without recompiling the network.
/// </summary>
/// <remarks>
/// A cross-entropy's loss and gradient are linear in the target row (<see cref="Loss.CrossEntropy"/>: loss −Σ y ln s,
/// gradient (Σy)·s − y), so the weighted loss is the network's own loss of target rows scaled by w[c]·n/W, with W the
/// batch's total target weight Σᵢ Σ_c w[c]·y[i,c] (Σᵢ w[yᵢ] for one-hot rows). That is what <see cref="WeightTargets"/> writes and
/// what the trainer feeds the network; the generated loss itself is unchanged.
/// Binary cross-entropy's loss is not linear in its one target y (softplus(z) − z·y: the first term does not scale with
/// it), so its kernel applies the two class weights itself, w₀·(1 − y)·softplus(z) + w₁·y·softplus(−z) (w[y] times the loss
/// for y = 0 or 1); the trainer gives the network (w₀, w₁)·n/W before each pass, W = Σᵢ w₀·(1 − yᵢ) + w₁·yᵢ.
/// </remarks>
public static class ClassWeights
{
    /// <summary>Weights that give every class the same total weight, as scikit-learn's
    /// <c>compute_class_weight('balanced')</c>: n_samples / (n_classes · count of the class).</summary>
    /// <exception cref="ArgumentException">A class has no sample (its weight would be infinite).</exception>
    public static float[] Balanced(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Balanced(data.Labels, data.ClassCount);
    }

    /// <summary>As <see cref="Balanced(Dataset)"/> for labels in [0, <paramref name="classCount"/>).</summary>
    /// <exception cref="ArgumentException">There are no labels, a label is out of range, or a class has no sample.</exception>
    public static float[] Balanced(ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (labels.IsEmpty)
        {
            throw new ArgumentException("There are no labels to count.", nameof(labels));
        }
        long[] counts = new long[classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
            {
                throw new ArgumentException($"Label {i} is {label}; the classes are 0 … {classCount - 1}.", nameof(labels));
            }
            counts[label]++;
        }
        float[] weights = new float[classCount];
        for (int c = 0; c < classCount; c++)
        {
            if (counts[c] == 0)
            {
                throw new ArgumentException($"Class {c} has no sample among the {labels.Length} labels, so its balanced weight would be infinite.", nameof(labels));
            }
            weights[c] = (float)((double)labels.Length / ((double)classCount * counts[c]));
        }
        return weights;
    }

    /// <summary>
    /// Writes into <paramref name="weightedTargets"/> the target rows for which a network's mean loss
    /// (<see cref="INetwork.Backward"/>) is the class-weighted mean loss of <paramref name="targets"/>, with its gradient:
    /// each value y[c] becomes y[c]·w[c]·n/W, n the number of <paramref name="rows"/> and W their total target weight, which is
    /// returned. A batch whose targets all have weight 0 gets zero rows, so its loss and gradient are 0 (PyTorch's are
    /// 0/0 = NaN).
    /// </summary>
    /// <param name="classWeights">One finite, non-negative weight per class (per target column).</param>
    /// <param name="targets">Row-major targets, <paramref name="rows"/> rows of <c>classWeights.Length</c> values.</param>
    /// <param name="weightedTargets">Where the scaled rows go; may be <paramref name="targets"/> itself.</param>
    /// <param name="rows">The batch size.</param>
    /// <exception cref="ArgumentException">A weight is negative or not finite, or a span is too short.</exception>
    public static double WeightTargets(ReadOnlySpan<float> classWeights, ReadOnlySpan<float> targets, Span<float> weightedTargets, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Check(classWeights, classWeights.Length, nameof(classWeights));
        int count = rows * classWeights.Length;
        if (targets.Length < count || weightedTargets.Length < count)
        {
            throw new ArgumentException($"{rows} rows of {classWeights.Length} classes need {count} values; got targets {targets.Length}, weighted targets {weightedTargets.Length}.", nameof(targets));
        }
        double total = TotalWeight(classWeights, targets[..count], classWeights.Length);
        Scale(classWeights, targets[..count], weightedTargets[..count], ScaleFor(rows, total));
        return total;
    }

    /// <summary>The weights as an array, checked: one per class, each finite and ≥ 0, not all 0. <paramref name="classes"/>
    /// says how a message names the classes, when not "N classes (outputs)".</summary>
    /// <exception cref="ArgumentException">Naming <paramref name="argument"/>.</exception>
    internal static float[] Checked(IReadOnlyList<float> weights, int classCount, string argument, string parameterName, string? classes = null)
    {
        float[] copy = new float[weights.Count];
        for (int c = 0; c < copy.Length; c++)
        {
            copy[c] = weights[c];
        }
        Check(copy, classCount, argument, parameterName, classes);
        return copy;
    }

    private static void Check(ReadOnlySpan<float> weights, int classCount, string argument, string? parameterName = null, string? classes = null)
    {
        parameterName ??= argument;
        if (weights.Length != classCount)
        {
            throw new ArgumentException($"{argument} has {weights.Length} weights; the network has {classes ?? $"{classCount} classes (outputs)"}.", parameterName);
        }
        bool anyPositive = false;
        for (int c = 0; c < weights.Length; c++)
        {
            if (!(weights[c] >= 0f && float.IsFinite(weights[c])))
            {
                throw new ArgumentException($"{argument}[{c}] is {weights[c].ToString(CultureInfo.InvariantCulture)}; class weights must be finite and ≥ 0.", parameterName);
            }
            anyPositive |= weights[c] > 0f;
        }
        if (!anyPositive)
        {
            throw new ArgumentException($"{argument} are all 0; at least one class needs a positive weight.", parameterName);
        }
    }

    /// <summary>Σ over the rows (<paramref name="rowLength"/> targets each) of their <see cref="RowWeight"/>: Σᵢ w[yᵢ] for
    /// one-hot rows and for binary labels.</summary>
    internal static double TotalWeight(ReadOnlySpan<float> classWeights, ReadOnlySpan<float> targets, int rowLength)
    {
        double total = 0;
        for (int start = 0; start < targets.Length; start += rowLength)
        {
            total += RowWeight(classWeights, targets.Slice(start, rowLength));
        }
        return total;
    }

    /// <summary>A target row's weight: Σ_c w[c]·y[c]; for binary cross-entropy's single output (two weights, one target y,
    /// the probability of class 1) w₀·(1 − y) + w₁·y.</summary>
    internal static double RowWeight(ReadOnlySpan<float> classWeights, ReadOnlySpan<float> row)
    {
        if (row.Length == 1 && classWeights.Length == 2)
        {
            return classWeights[0] + ((double)classWeights[1] - classWeights[0]) * row[0];
        }
        double weight = 0;
        for (int c = 0; c < row.Length; c++)
        {
            weight += (double)classWeights[c] * row[c];
        }
        return weight;
    }

    /// <summary>n/W, the factor that turns the network's mean over n rows into the mean weighted by W; 0 for W = 0.</summary>
    internal static float ScaleFor(int rows, double totalWeight) => totalWeight > 0 ? (float)(rows / totalWeight) : 0f;

    /// <summary>y[c]·w[c]·<paramref name="scale"/> for whole rows.</summary>
    internal static void Scale(ReadOnlySpan<float> classWeights, ReadOnlySpan<float> targets, Span<float> weightedTargets, float scale)
    {
        int classes = classWeights.Length;
        for (int i = 0; i < targets.Length; i++)
        {
            weightedTargets[i] = targets[i] * (classWeights[i % classes] * scale);
        }
    }
}
