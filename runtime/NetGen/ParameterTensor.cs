using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>What a tensor is for; optimizers use it to exclude biases and scales from weight decay.</summary>
public enum ParameterKind
{
    /// <summary>A weight matrix or kernel.</summary>
    Weight,
    /// <summary>A bias vector, or the shift β of a normalization layer.</summary>
    Bias,
    /// <summary>A multiplicative scale: γ of a normalization layer, or the magnitude g of a weight-normalized layer.</summary>
    Scale,
    /// <summary>A value that is not trained by gradients (batch normalization's running mean and variance); lives in
    /// <see cref="INetwork.State"/>.</summary>
    State,
}

/// <summary>
/// One named tensor inside a network's flat parameter buffer. <see cref="Shape"/> and names follow PyTorch
/// (<c>fc1.weight</c> is [out, in]); kernels may store the data in another order (<see cref="IsStoredTransposed"/>),
/// and <see cref="CopyTo"/>/<see cref="CopyFrom"/> convert between the two.
/// </summary>
public sealed class ParameterTensor
{
    private readonly int[] _shape;

    /// <summary>Describes a tensor of <paramref name="shape"/> stored at <paramref name="offset"/>.</summary>
    public ParameterTensor(string name, string layer, ParameterKind kind, int offset, int[] shape, bool isStoredTransposed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (isStoredTransposed && shape.Length != 2)
        {
            throw new ArgumentException("Only a matrix can be stored transposed.", nameof(isStoredTransposed));
        }
        Name = name;
        Layer = layer;
        Kind = kind;
        Offset = offset;
        _shape = (int[])shape.Clone();
        int length = 1;
        foreach (int dimension in shape)
        {
            length *= dimension;
        }
        Length = length;
        IsStoredTransposed = isStoredTransposed;
    }

    /// <summary>PyTorch-style name, e.g. <c>dense1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The name of the layer that owns the tensor.</summary>
    public string Layer { get; }

    /// <summary>Weight or bias.</summary>
    public ParameterKind Kind { get; }

    /// <summary>Index of the tensor's first element in the flat parameter (and gradient) buffer.</summary>
    public int Offset { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The logical (PyTorch) shape.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>True when a [rows, cols] tensor is kept as [cols, rows] in the buffer (dense weights: input-major, so the
    /// forward kernel streams contiguous rows of outputs).</summary>
    public bool IsStoredTransposed { get; }

    /// <summary>This tensor's elements in the buffer's own order.</summary>
    public Span<float> Slice(Span<float> buffer) => buffer.Slice(Offset, Length);

    /// <summary>Copies the tensor out of <paramref name="buffer"/> in its logical (PyTorch) order.</summary>
    public void CopyTo(ReadOnlySpan<float> buffer, Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        ReadOnlySpan<float> stored = buffer.Slice(Offset, Length);
        if (!IsStoredTransposed)
        {
            stored.CopyTo(destination);
            return;
        }
        int rows = _shape[0], cols = _shape[1];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                destination[r * cols + c] = stored[c * rows + r];
            }
        }
    }

    /// <summary>Writes the tensor into <paramref name="buffer"/> from <paramref name="source"/> given in logical (PyTorch) order.</summary>
    public void CopyFrom(ReadOnlySpan<float> source, Span<float> buffer)
    {
        CheckLength(source.Length, nameof(source));
        Span<float> stored = buffer.Slice(Offset, Length);
        if (!IsStoredTransposed)
        {
            source.CopyTo(stored);
            return;
        }
        int rows = _shape[0], cols = _shape[1];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                stored[c * rows + r] = source[r * cols + c];
            }
        }
    }

    private void CheckLength(int length, string argument)
    {
        if (length != Length)
        {
            throw new ArgumentException($"Tensor '{Name}' has {Length} elements (shape [{string.Join(", ", _shape)}]); the span has {length}.", argument);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}]";
}
