using System;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// What the <see cref="Trainer"/> reads: row-major inputs, row-major targets (what <see cref="INetwork.Backward"/> compares
/// the outputs with) and, for classification, the class label of each sample (for accuracy, top-k and the confusion matrix).
/// </summary>
public sealed class TrainingData
{
    /// <summary>Wraps <paramref name="inputs"/> (rows of <paramref name="inputSize"/>) and
    /// <paramref name="targets"/> (rows of <paramref name="targetSize"/>); <paramref name="labels"/> is optional.</summary>
    public TrainingData(float[] inputs, float[] targets, int inputSize, int targetSize, int[]? labels = null, int classCount = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (inputs.Length % inputSize != 0)
        {
            throw new ArgumentException($"{inputs.Length} input values are not whole rows of {inputSize}.", nameof(inputs));
        }
        int count = inputs.Length / inputSize;
        if (targets.Length != count * targetSize)
        {
            throw new ArgumentException($"{count} samples of {targetSize} targets need {count * targetSize} values; got {targets.Length}.", nameof(targets));
        }
        if (labels is not null && labels.Length != count)
        {
            throw new ArgumentException($"{count} samples but {labels.Length} labels.", nameof(labels));
        }
        Inputs = inputs;
        Targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
        Labels = labels;
        Count = count;
        ClassCount = labels is null ? 0 : Math.Max(classCount, targetSize);
    }

    /// <summary>Row-major inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>Row-major targets.</summary>
    public float[] Targets { get; }

    /// <summary>Class labels, or null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Features per sample.</summary>
    public int InputSize { get; }

    /// <summary>Targets per sample.</summary>
    public int TargetSize { get; }

    /// <summary>Number of classes (0 without labels).</summary>
    public int ClassCount { get; }

    /// <summary>
    /// Classification targets for a network with <paramref name="outputSize"/> outputs trained on <paramref name="loss"/>:
    /// one-hot rows (−1/+1 for <see cref="Loss.Hinge"/>) when there is one output per class; with a single output and two
    /// classes, the label itself (0/1, or −1/+1 for hinge).
    /// </summary>
    public static TrainingData FromDataset(Dataset dataset, int outputSize, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        float off = loss == Loss.Hinge ? -1f : 0f;
        float[] targets;
        if (outputSize == dataset.ClassCount)
        {
            targets = new float[dataset.Count * outputSize];
            targets.AsSpan().Fill(off);
            for (int i = 0; i < dataset.Count; i++)
            {
                targets[i * outputSize + dataset.Labels[i]] = 1f;
            }
        }
        else if (outputSize == 1 && dataset.ClassCount == 2)
        {
            targets = new float[dataset.Count];
            for (int i = 0; i < dataset.Count; i++)
            {
                targets[i] = dataset.Labels[i] == 1 ? 1f : off;
            }
        }
        else
        {
            throw new ArgumentException($"The network has {outputSize} outputs; the data set has {dataset.ClassCount} classes (expected one output per class, or one output for two classes).", nameof(outputSize));
        }
        return new TrainingData(dataset.Features, targets, dataset.FeatureCount, outputSize, dataset.Labels, dataset.ClassCount);
    }

    /// <summary>Inputs of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Input(int index) => Inputs.AsSpan(index * InputSize, InputSize);

    /// <summary>Targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Target(int index) => Targets.AsSpan(index * TargetSize, TargetSize);
}
