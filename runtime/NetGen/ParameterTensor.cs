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
    /// <see cref="CompilerServices.INetworkEngine.State"/>.</summary>
    State,
}

/// <summary>
/// One named tensor inside a network's flat parameter buffer. <see cref="Shape"/> and names follow PyTorch
/// (<c>fc1.weight</c> is [out, in]); kernels may store the data in another order (<see cref="PanelWidth"/>),
/// and <see cref="CopyTo"/>/<see cref="CopyFrom"/> convert between the two.
/// </summary>
public sealed class ParameterTensor
{
    private readonly int[] _shape;

    /// <summary>Describes a tensor of <paramref name="shape"/> stored at <paramref name="offset"/>, in logical order when
    /// <paramref name="panelWidth"/> is 0, otherwise in row panels of that many rows (see <see cref="PanelWidth"/>).</summary>
    public ParameterTensor(string name, string layer, ParameterKind kind, int offset, int[] shape, int panelWidth = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(panelWidth);
        if (panelWidth > 0 && shape.Length != 2)
        {
            throw new ArgumentException("Only a matrix can be stored in panels.", nameof(panelWidth));
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
        PanelWidth = panelWidth;
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

    /// <summary>0 when the buffer holds the tensor in logical order. Otherwise a [rows, cols] matrix (a dense weight
    /// [out, in]) is kept in panels of <see cref="PanelWidth"/> consecutive rows: each panel as [cols][panel rows], the
    /// panels in order, the last one holding the remaining rows (no padding). A matrix with at most that many rows is
    /// therefore stored transposed, [cols, rows]. The dense kernels read the weights of 32 outputs for one input as one
    /// contiguous run.</summary>
    public int PanelWidth { get; }

    /// <summary>Index within <see cref="Slice"/> of the logical element [<paramref name="row"/>, <paramref name="column"/>]
    /// of a matrix, or of element <paramref name="column"/> of a row-major view with <paramref name="row"/> = 0 otherwise.</summary>
    public int StoredIndex(int row, int column)
    {
        if (PanelWidth == 0)
        {
            return row * (Length / _shape[0]) + column;
        }
        return DenseLayout.StoredIndex(row, column, _shape[0], _shape[1], PanelWidth);
    }

    /// <summary>This tensor's elements in the buffer's own order.</summary>
    public Span<float> Slice(Span<float> buffer) => buffer.Slice(Offset, Length);

    /// <summary>Copies the tensor out of <paramref name="buffer"/> in its logical (PyTorch) order.</summary>
    public void CopyTo(ReadOnlySpan<float> buffer, Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        ReadOnlySpan<float> stored = buffer.Slice(Offset, Length);
        if (PanelWidth == 0)
        {
            stored.CopyTo(destination);
            return;
        }
        int rows = _shape[0], cols = _shape[1];
        for (int panelStart = 0; panelStart < rows; panelStart += PanelWidth)
        {
            int width = Math.Min(PanelWidth, rows - panelStart);
            ReadOnlySpan<float> panel = stored.Slice(panelStart * cols, width * cols);
            for (int c = 0; c < cols; c++)
            {
                for (int r = 0; r < width; r++)
                {
                    destination[(panelStart + r) * cols + c] = panel[c * width + r];
                }
            }
        }
    }

    /// <summary>Writes the tensor into <paramref name="buffer"/> from <paramref name="source"/> given in logical (PyTorch) order.</summary>
    public void CopyFrom(ReadOnlySpan<float> source, Span<float> buffer)
    {
        CheckLength(source.Length, nameof(source));
        Span<float> stored = buffer.Slice(Offset, Length);
        if (PanelWidth == 0)
        {
            source.CopyTo(stored);
            return;
        }
        int rows = _shape[0], cols = _shape[1];
        for (int panelStart = 0; panelStart < rows; panelStart += PanelWidth)
        {
            int width = Math.Min(PanelWidth, rows - panelStart);
            Span<float> panel = stored.Slice(panelStart * cols, width * cols);
            for (int c = 0; c < cols; c++)
            {
                for (int r = 0; r < width; r++)
                {
                    panel[c * width + r] = source[(panelStart + r) * cols + c];
                }
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
