using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.CompilerServices;

/// <summary>
/// A convolution of any stride, or a transposed convolution, through im2col. Of the two sides of the layer, the
/// <em>image</em> is the one whose windows are unrolled (a convolution's input, a transposed convolution's output) and
/// the <em>grid</em> the other, one column per pixel. im2col writes window (c, ky, kx) of every grid pixel into row
/// <c>(c·kh + ky)·kw + kx</c> of a [image channels·kh·kw × grid pixels] matrix of columns; col2im adds such a matrix back
/// onto the image. With the weights W [grid channels × image channels·kh·kw] (PyTorch's layout for both kinds):
/// <list type="bullet">
/// <item>grid = W · im2col(image) (a convolution's forward pass, a transposed convolution's input gradient);</item>
/// <item>image = col2im(Wᵀ · grid) (a transposed convolution's forward pass, a convolution's input gradient);</item>
/// <item>∂W += grid gradient or input · im2col(image side)ᵀ, dot products along the grid pixels (<see cref="DotTile"/>).</item>
/// </list>
/// The products are the register-tiled <see cref="TapGemm"/>; the columns are the scratch, one sample's worth.
/// </summary>
/// <remarks>
/// Every element accumulates in an order fixed by the shapes alone (over the weight row in order; col2im over the taps
/// in order; the weight gradient over the samples in order), so a sample gives the same bits alone or in a batch.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Im2ColConvolution
{
    private readonly bool _transposed;
    private readonly int _imageChannels, _imageHeight, _imageWidth, _gridChannels, _gridHeight, _gridWidth;
    private readonly int _kernelHeight, _kernelWidth, _stride, _padding, _dilation;

    /// <summary>Rows of the columns matrix (image channels·kh·kw) and grid pixels, its row length.</summary>
    private readonly int _columnRows, _pixels;

    /// <summary>Where each row of the columns matrix starts (t · pixels), and each channel of the grid (g · pixels).</summary>
    private readonly int[] _columnOffsets, _gridOffsets;

    /// <summary>For each kx, the grid columns [First, End) whose window column lies inside the image.</summary>
    private readonly (int First, int End)[] _insideColumns;

    /// <summary>A convolution (or, with <paramref name="transposed"/>, a transposed convolution) from a
    /// <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> input to an
    /// <paramref name="outChannels"/>×<paramref name="outHeight"/>×<paramref name="outWidth"/> output, with a
    /// <paramref name="kernelHeight"/>×<paramref name="kernelWidth"/> kernel.</summary>
    /// <exception cref="ArgumentException">The output size is not the one these arguments give.</exception>
    public Im2ColConvolution(int channels, int height, int width, int outChannels, int outHeight, int outWidth,
        int kernelHeight, int kernelWidth, int stride, int padding, int dilation, bool transposed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        _transposed = transposed;
        (_imageChannels, _imageHeight, _imageWidth) = transposed ? (outChannels, outHeight, outWidth) : (channels, height, width);
        (_gridChannels, _gridHeight, _gridWidth) = transposed ? (channels, height, width) : (outChannels, outHeight, outWidth);
        (_kernelHeight, _kernelWidth, _stride, _padding, _dilation) = (kernelHeight, kernelWidth, stride, padding, dilation);
        CheckGrid(_gridHeight, _imageHeight, kernelHeight, "height");
        CheckGrid(_gridWidth, _imageWidth, kernelWidth, "width");
        _columnRows = _imageChannels * kernelHeight * kernelWidth;
        _pixels = _gridHeight * _gridWidth;
        _columnOffsets = Offsets(_columnRows, _pixels);
        _gridOffsets = Offsets(_gridChannels, _pixels);
        _insideColumns = new (int, int)[kernelWidth];
        for (int kx = 0; kx < kernelWidth; kx++)
        {
            // Grid column gx reads image column gx·s − p + kx·d.
            int shift = padding - kx * dilation;
            int first = Math.Clamp(CeilingDivide(shift, stride), 0, _gridWidth);
            int end = Math.Clamp(CeilingDivide(_imageWidth + shift, stride), first, _gridWidth);
            _insideColumns[kx] = (first, end);
        }
    }

    /// <summary>The floats of scratch the kernels use: one sample's columns.</summary>
    public int ScratchSize => _columnRows * _pixels;

    private int ImageSize => _imageChannels * _imageHeight * _imageWidth;

    private int GridSize => _gridChannels * _pixels;

    /// <summary>z = the layer applied to x (+ bias per output channel, when <paramref name="bias"/> is not a null
    /// reference), for <paramref name="n"/> samples.</summary>
    public void Forward(ref float x, ref float weights, ref float bias, ref float z, ref float scratch, int n)
    {
        for (int s = 0; s < n; s++)
        {
            if (_transposed)
            {
                ref float image = ref Unsafe.Add(ref z, (nint)s * ImageSize);
                ImageFromGrid(ref weights, ref Unsafe.Add(ref x, (nint)s * GridSize), ref scratch, ref image);
                if (!Unsafe.IsNullRef(ref bias))
                {
                    BiasKernels.AddChannelBias(ref bias, ref image, _imageChannels, _imageHeight * _imageWidth);
                }
            }
            else
            {
                Im2Col(ref Unsafe.Add(ref x, (nint)s * ImageSize), ref scratch);
                GridFromColumns(ref weights, ref bias, ref scratch, ref Unsafe.Add(ref z, (nint)s * GridSize));
            }
        }
    }

    /// <summary>∂W += the weight gradient (and ∂bias += Σ dz per output channel, when <paramref name="biasGradient"/> is
    /// not a null reference), over the samples in order.</summary>
    public void BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float scratch, int n)
    {
        int outputSize = _transposed ? ImageSize : GridSize;
        for (int s = 0; s < n; s++)
        {
            ref float sampleX = ref Unsafe.Add(ref x, (nint)s * (_transposed ? GridSize : ImageSize));
            ref float sampleDz = ref Unsafe.Add(ref dz, (nint)s * outputSize);
            // The image side is unrolled; the grid side is the other operand of the dot products.
            Im2Col(ref _transposed ? ref sampleDz : ref sampleX, ref scratch);
            WeightProducts(ref _transposed ? ref sampleX : ref sampleDz, ref scratch, ref weightGradient);
            if (!Unsafe.IsNullRef(ref biasGradient))
            {
                (int channels, int pixels) = _transposed ? (_imageChannels, _imageHeight * _imageWidth) : (_gridChannels, _pixels);
                BiasKernels.AddChannelSums(ref sampleDz, ref biasGradient, channels, pixels);
            }
        }
    }

    /// <summary>dx = the input gradient from dz, for <paramref name="n"/> samples.</summary>
    public void BackwardInput(ref float dz, ref float weights, ref float dx, ref float scratch, int n)
    {
        for (int s = 0; s < n; s++)
        {
            if (_transposed)
            {
                Im2Col(ref Unsafe.Add(ref dz, (nint)s * ImageSize), ref scratch);
                GridFromColumns(ref weights, ref Unsafe.NullRef<float>(), ref scratch, ref Unsafe.Add(ref dx, (nint)s * GridSize));
            }
            else
            {
                ImageFromGrid(ref weights, ref Unsafe.Add(ref dz, (nint)s * GridSize), ref scratch, ref Unsafe.Add(ref dx, (nint)s * ImageSize));
            }
        }
    }

    /// <summary>grid[g, :] = bias[g] + Σ_t W[g, t]·columns[t, :].</summary>
    private void GridFromColumns(ref float weights, ref float bias, ref float columns, ref float grid)
        => TapGemm.Multiply(_gridChannels, new TapProduct(ref weights, _columnRows, 1, ref columns, _columnOffsets, ref grid, _pixels, _pixels,
            ref bias, accumulate: false));

    /// <summary>columns[t, :] = Σ_g W[g, t]·grid[g, :], then image = col2im(columns).</summary>
    private void ImageFromGrid(ref float weights, ref float grid, ref float columns, ref float image)
    {
        TapGemm.Multiply(_columnRows, new TapProduct(ref weights, 1, _columnRows, ref grid, _gridOffsets, ref columns, _pixels, _pixels,
            ref Unsafe.NullRef<float>(), accumulate: false));
        Col2Im(ref columns, ref image);
    }

    /// <summary>∂W[g, t] += Σ_q d[g, q]·columns[t, q], dot products along the grid pixels.</summary>
    private void WeightProducts(ref float d, ref float columns, ref float weightGradient)
    {
        var gradient = new TileOperand(ref weightGradient, _columnRows, 1);
        DotTile.Products(_gridChannels, _columnRows, _pixels, new TileOperand(ref d, _pixels, 1), new TileOperand(ref columns, _pixels, 1),
            gradient, gradient, default, 0f);
    }

    /// <summary>columns[(c·kh + ky)·kw + kx, gy·gw + gx] = image[c, gy·s − p + ky·d, gx·s − p + kx·d], 0 outside.</summary>
    private void Im2Col(ref float image, ref float columns)
    {
        ref float row = ref columns;
        for (int c = 0; c < _imageChannels; c++)
        {
            for (int ky = 0; ky < _kernelHeight; ky++)
            {
                for (int kx = 0; kx < _kernelWidth; kx++)
                {
                    (int first, int end) = _insideColumns[kx];
                    for (int gy = 0; gy < _gridHeight; gy++, row = ref Unsafe.Add(ref row, _gridWidth))
                    {
                        int iy = gy * _stride - _padding + ky * _dilation;
                        if ((uint)iy >= (uint)_imageHeight)
                        {
                            Zero(ref row, 0, _gridWidth);
                            continue;
                        }
                        Zero(ref row, 0, first);
                        ref float source = ref Unsafe.Add(ref image, ((nint)c * _imageHeight + iy) * _imageWidth + first * _stride - _padding + kx * _dilation);
                        for (int gx = first; gx < end; gx++, source = ref Unsafe.Add(ref source, _stride))
                        {
                            Unsafe.Add(ref row, gx) = source;
                        }
                        Zero(ref row, end, _gridWidth);
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: image = 0, then every entry of the columns inside the image is added
    /// to the pixel it came from, in the order of the columns.</summary>
    private void Col2Im(ref float columns, ref float image)
    {
        Zero(ref image, 0, ImageSize);
        ref float row = ref columns;
        for (int c = 0; c < _imageChannels; c++)
        {
            for (int ky = 0; ky < _kernelHeight; ky++)
            {
                for (int kx = 0; kx < _kernelWidth; kx++)
                {
                    (int first, int end) = _insideColumns[kx];
                    for (int gy = 0; gy < _gridHeight; gy++, row = ref Unsafe.Add(ref row, _gridWidth))
                    {
                        int iy = gy * _stride - _padding + ky * _dilation;
                        if ((uint)iy >= (uint)_imageHeight)
                        {
                            continue;
                        }
                        ref float target = ref Unsafe.Add(ref image, ((nint)c * _imageHeight + iy) * _imageWidth + first * _stride - _padding + kx * _dilation);
                        for (int gx = first; gx < end; gx++, target = ref Unsafe.Add(ref target, _stride))
                        {
                            target += Unsafe.Add(ref row, gx);
                        }
                    }
                }
            }
        }
    }

    private static void Zero(ref float start, int from, int to)
    {
        if (from < to)
        {
            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref start, from), to - from).Clear();
        }
    }

    private void CheckGrid(int grid, int image, int kernel, string axis)
    {
        // The grid side of a convolution: ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 positions; a transposed convolution's output
        // may have up to max(s, d) − 1 more rows or columns (its output padding), which no window reaches past.
        long span = (long)image + 2 * _padding - (long)_dilation * (kernel - 1) - 1;
        long positions = span < 0 ? 0 : span / _stride + 1, extra = span - (grid - 1L) * _stride;
        bool fits = _transposed ? extra >= 0 && extra < Math.Max(_stride, _dilation) : positions == grid;
        if (!fits)
        {
            throw new ArgumentException(_transposed
                ? $"A transposed convolution of {grid} input {axis} with a kernel of {kernel}, stride {_stride}, padding {_padding} and dilation {_dilation} does not give an output {axis} of {image}."
                : $"A convolution of an input {axis} of {image} with a kernel of {kernel}, stride {_stride}, padding {_padding} and dilation {_dilation} gives {positions} outputs, not {grid}.");
        }
    }

    private static int CeilingDivide(int value, int divisor) => value >= 0 ? (value + divisor - 1) / divisor : -(-value / divisor);

    private static int[] Offsets(int count, int stride)
    {
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = i * stride;
        }
        return offsets;
    }
}
