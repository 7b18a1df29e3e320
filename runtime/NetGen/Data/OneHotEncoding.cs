using System;

namespace NetGen.Data;

/// <summary>One-hot encoding of class labels: label k of C classes becomes a row of C values, 1 at k and 0 elsewhere.</summary>
public static class OneHotEncoding
{
    /// <summary>Writes <paramref name="labels"/>.Length rows of <paramref name="classCount"/> values into
    /// <paramref name="destination"/>; allocates nothing.</summary>
    public static void Encode(ReadOnlySpan<int> labels, int classCount, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        int length = labels.Length * classCount;
        if (destination.Length < length)
        {
            throw new ArgumentException($"{labels.Length} labels of {classCount} classes need {length} values; the destination holds {destination.Length}.", nameof(destination));
        }
        destination[..length].Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} at position {i} is outside [0, {classCount}).");
            }
            destination[i * classCount + label] = 1f;
        }
    }

    /// <summary>A new <paramref name="labels"/>.Length × <paramref name="classCount"/> matrix of one-hot rows.</summary>
    public static float[] Encode(ReadOnlySpan<int> labels, int classCount)
    {
        float[] result = new float[labels.Length * classCount];
        Encode(labels, classCount, result);
        return result;
    }

    /// <summary>The label of each one-hot (or score) row: the index of its largest value.</summary>
    public static void Decode(ReadOnlySpan<float> rows, int classCount, Span<int> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (rows.Length % classCount != 0 || labels.Length < rows.Length / classCount)
        {
            throw new ArgumentException($"{rows.Length} values are not whole rows of {classCount}, or {labels.Length} labels are too few.", nameof(rows));
        }
        for (int i = 0; i < rows.Length / classCount; i++)
        {
            labels[i] = Kernels.VectorOps.ArgMax(rows.Slice(i * classCount, classCount));
        }
    }
}
