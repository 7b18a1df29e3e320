using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.CompilerServices;

/// <summary>
/// Max and average pooling over any window, stride and padding (2×2 windows with stride 2 run in
/// <see cref="PairPooling"/>), and global average pooling, which is one window the size of the image. Windows are
/// clipped by the padding; an average divides by the whole window (PyTorch's <c>count_include_pad</c>). A window's
/// maximum is its first element inside the image, replaced only by a strictly greater one, so ties keep the first in
/// row-major order, and the backward pass finds the same element again from x.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WindowPooling
{
    private readonly int _channels, _height, _width, _outHeight, _outWidth;
    private readonly int _kernelHeight, _kernelWidth, _stride, _padding;

    /// <summary>The reciprocal of the window's size, by which an average multiplies its sum.</summary>
    private readonly float _scale;

    /// <summary>For each output position of a plane, its window clipped to the image: where in the plane it starts, and
    /// its rows and columns.</summary>
    private readonly (int First, int Rows, int Columns)[] _windows;

    /// <summary>Pooling of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> images with a
    /// <paramref name="kernelHeight"/>×<paramref name="kernelWidth"/> window.</summary>
    /// <exception cref="ArgumentException">A window could lie entirely in the padding, or none fits.</exception>
    public WindowPooling(int channels, int height, int width, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (2 * padding > Math.Min(kernelHeight, kernelWidth))
        {
            throw new ArgumentException($"Padding {padding} is more than half the {kernelHeight}×{kernelWidth} window: a window could lie entirely in the padding.", nameof(padding));
        }
        (_channels, _height, _width) = (channels, height, width);
        (_kernelHeight, _kernelWidth, _stride, _padding) = (kernelHeight, kernelWidth, stride, padding);
        _outHeight = (height + 2 * padding - kernelHeight) / stride + 1;
        _outWidth = (width + 2 * padding - kernelWidth) / stride + 1;
        if (height + 2 * padding < kernelHeight || width + 2 * padding < kernelWidth)
        {
            throw new ArgumentException($"A {kernelHeight}×{kernelWidth} window does not fit a {height}×{width} image with padding {padding}.", nameof(kernelHeight));
        }
        _scale = 1f / (kernelHeight * kernelWidth);
        _windows = new (int, int, int)[_outHeight * _outWidth];
        for (int oy = 0; oy < _outHeight; oy++)
        {
            int top = oy * stride - padding, firstRow = Math.Max(top, 0), endRow = Math.Min(top + kernelHeight, height);
            for (int ox = 0; ox < _outWidth; ox++)
            {
                int left = ox * stride - padding, firstColumn = Math.Max(left, 0), endColumn = Math.Min(left + kernelWidth, width);
                _windows[oy * _outWidth + ox] = (firstRow * width + firstColumn, endRow - firstRow, endColumn - firstColumn);
            }
        }
    }

    /// <summary>Global average pooling: one window over each channel of a <paramref name="height"/>×<paramref name="width"/>
    /// image.</summary>
    public static WindowPooling Global(int channels, int height, int width) => new(channels, height, width, height, width, 1, 0);

    private int InputSize => _channels * _height * _width;

    /// <summary>z = the maximum of each window, for <paramref name="n"/> samples.</summary>
    public void MaxForward(ref float x, ref float z, int n)
    {
        int positions = _windows.Length, planes = n * _channels;
        for (int plane = 0; plane < planes; plane++)
        {
            ref float image = ref Unsafe.Add(ref x, (nint)plane * _height * _width);
            ref float output = ref Unsafe.Add(ref z, (nint)plane * positions);
            for (int q = 0; q < positions; q++)
            {
                Unsafe.Add(ref output, q) = Unsafe.Add(ref image, MaximumAt(ref image, q));
            }
        }
    }

    /// <summary>z = the mean of each window, for <paramref name="n"/> samples.</summary>
    public void AverageForward(ref float x, ref float z, int n)
    {
        int positions = _windows.Length, planes = n * _channels;
        for (int plane = 0; plane < planes; plane++)
        {
            ref float image = ref Unsafe.Add(ref x, (nint)plane * _height * _width);
            ref float output = ref Unsafe.Add(ref z, (nint)plane * positions);
            for (int q = 0; q < positions; q++)
            {
                (int first, int rows, int columns) = _windows[q];
                ref float row = ref Unsafe.Add(ref image, first);
                float sum = 0f;
                for (int r = 0; r < rows; r++, row = ref Unsafe.Add(ref row, _width))
                {
                    for (int c = 0; c < columns; c++)
                    {
                        sum += Unsafe.Add(ref row, c);
                    }
                }
                Unsafe.Add(ref output, q) = sum * _scale;
            }
        }
    }

    /// <summary>dx = each window's gradient routed to its maximum, found again from x; when
    /// <paramref name="sourceZ"/> is not a null reference, only where it is ≥ 0 (the derivative of the source's ReLU,
    /// applied here).</summary>
    public void MaxBackward(ref float x, ref float sourceZ, ref float dz, ref float dx, int n)
    {
        MemoryMarshal.CreateSpan(ref dx, n * InputSize).Clear();
        bool relu = !Unsafe.IsNullRef(ref sourceZ);
        int positions = _windows.Length, planes = n * _channels;
        for (int plane = 0; plane < planes; plane++)
        {
            nint offset = (nint)plane * _height * _width;
            ref float image = ref Unsafe.Add(ref x, offset);
            ref float gradient = ref Unsafe.Add(ref dx, offset);
            ref float outputGradient = ref Unsafe.Add(ref dz, (nint)plane * positions);
            for (int q = 0; q < positions; q++)
            {
                int best = MaximumAt(ref image, q);
                if (!relu || Unsafe.Add(ref sourceZ, offset + best) >= 0f)
                {
                    Unsafe.Add(ref gradient, best) += Unsafe.Add(ref outputGradient, q);
                }
            }
        }
    }

    /// <summary>dx = each window's gradient spread evenly over it.</summary>
    public void AverageBackward(ref float dz, ref float dx, int n)
    {
        MemoryMarshal.CreateSpan(ref dx, n * InputSize).Clear();
        int positions = _windows.Length, planes = n * _channels;
        for (int plane = 0; plane < planes; plane++)
        {
            ref float gradient = ref Unsafe.Add(ref dx, (nint)plane * _height * _width);
            ref float outputGradient = ref Unsafe.Add(ref dz, (nint)plane * positions);
            for (int q = 0; q < positions; q++)
            {
                (int first, int rows, int columns) = _windows[q];
                ref float row = ref Unsafe.Add(ref gradient, first);
                float share = Unsafe.Add(ref outputGradient, q) * _scale;
                for (int r = 0; r < rows; r++, row = ref Unsafe.Add(ref row, _width))
                {
                    for (int c = 0; c < columns; c++)
                    {
                        Unsafe.Add(ref row, c) += share;
                    }
                }
            }
        }
    }

    /// <summary>Where in its plane the maximum of output position <paramref name="q"/>'s window is.</summary>
    private int MaximumAt(ref float image, int q)
    {
        (int first, int rows, int columns) = _windows[q];
        int best = first;
        float bestValue = Unsafe.Add(ref image, first);
        for (int r = 0, rowStart = first; r < rows; r++, rowStart += _width)
        {
            for (int c = r == 0 ? 1 : 0; c < columns; c++)
            {
                float value = Unsafe.Add(ref image, rowStart + c);
                if (value > bestValue)
                {
                    (best, bestValue) = (rowStart + c, value);
                }
            }
        }
        return best;
    }
}
