using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>Samples for classification: a row-major feature matrix and one class label per row.</summary>
public sealed class Dataset
{
    private ImageShape? _shape;
    private IReadOnlyList<string>? _classNames;

    /// <summary>Wraps <paramref name="features"/> (<paramref name="labels"/>.Length rows of <paramref name="featureCount"/>)
    /// and labels in [0, <paramref name="classCount"/>).</summary>
    public Dataset(float[] features, int[] labels, int featureCount, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (features.Length != labels.Length * featureCount)
        {
            throw new ArgumentException($"{labels.Length} samples of {featureCount} features need {labels.Length * featureCount} values; got {features.Length}.", nameof(features));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classCount}).", nameof(labels));
            }
        }
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    /// <summary>Row-major features, <see cref="Count"/> × <see cref="FeatureCount"/>.</summary>
    public float[] Features { get; }

    /// <summary>Class label of each sample.</summary>
    public int[] Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Features per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The layout of each sample when the features are an image (channels × height × width, row-major, as
    /// PyTorch stores them); <see langword="null"/> for plain feature vectors.</summary>
    public ImageShape? Shape
    {
        get => _shape;
        init
        {
            if (value is { } shape && shape.Size != FeatureCount)
            {
                throw new ArgumentException($"Image shape {shape} holds {shape.Size} values; samples have {FeatureCount} features.", nameof(value));
            }
            _shape = value;
        }
    }

    /// <summary>Names of the classes, indexed by label, when the source names them.</summary>
    public IReadOnlyList<string>? ClassNames
    {
        get => _classNames;
        init
        {
            if (value is not null && value.Count != ClassCount)
            {
                throw new ArgumentException($"{value.Count} class names for {ClassCount} classes.", nameof(value));
            }
            _classNames = value;
        }
    }

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>A new data set holding the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        float[] features = new float[indices.Length * FeatureCount];
        int[] labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Sample(indices[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[indices[i]];
        }
        return new Dataset(features, labels, FeatureCount, ClassCount) { Shape = Shape, ClassNames = ClassNames };
    }

    /// <summary>Writes the one-hot encoding of the labels at <paramref name="start"/>..start+<paramref name="count"/> into
    /// <paramref name="destination"/> (<paramref name="count"/> rows of <see cref="ClassCount"/>).</summary>
    public void OneHot(int start, int count, Span<float> destination) =>
        OneHotEncoding.Encode(Labels.AsSpan(start, count), ClassCount, destination);
}
