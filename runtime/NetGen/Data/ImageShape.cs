using System;

namespace NetGen.Data;

/// <summary>The layout of one image sample: <see cref="Channels"/> planes of <see cref="Height"/> rows of
/// <see cref="Width"/> values (CHW, PyTorch's order). MNIST is 1×28×28, CIFAR 3×32×32.</summary>
public readonly record struct ImageShape
{
    /// <summary>Creates a shape; every dimension must be positive.</summary>
    public ImageShape(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Colour channels (planes).</summary>
    public int Channels { get; }

    /// <summary>Rows per plane.</summary>
    public int Height { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Values per plane.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Values per image.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
