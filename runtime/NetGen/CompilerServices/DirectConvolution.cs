using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// A stride-1 convolution computed directly, without im2col, on the scratch layout of <c>DirectConvolutionLayout</c>
/// (the generator sizes the scratch with the same layout). Forward, per sample: copy the input into the zero-padded
/// image, compute every output channel on the grid as a register-tiled GEMM whose B operand is the padded image read at
/// one offset per tap (<c>out[o, q] = bias[o] + Σ_tap w[o, tap]·padded[q + offset(tap)]</c>), then copy the valid grid
/// positions out. Weight gradient: <c>∂W[o, tap] += Σ over samples and positions of dz[o, q]·padded[q + offset(tap)]</c>,
/// over chunks of samples. Input gradient: for each kernel position,
/// <c>padded gradient[c, q + offset] += Σ_o w[o, c, ky, kx]·dz[o, q]</c> (the adjoint of the forward product, with no
/// column buffer), then the interior of the padded gradient is copied out.
/// </summary>
/// <remarks>
/// Every element accumulates in an order fixed by the shapes alone: over the taps in weight order (forward), over the
/// kernel positions and, for each, the output channels (input gradient), over the samples in order and the positions of
/// each (weight gradient). So results do not depend on the tiling or on how a batch is split over threads. The vector paths use fused multiply-adds, the
/// path for machines without SIMD a multiply and an add.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DirectConvolution
{
    private readonly DirectConvolutionLayout _g;

    /// <summary>Where each tap reads in the padded image, in the order of a weight row (c, ky, kx).</summary>
    private readonly int[] _taps;

    /// <summary>Where each output channel starts on the grid: o · columns.</summary>
    private readonly int[] _gridRows;

    /// <summary>Each kernel position (ky, kx) as a tap index within a channel, and where it reads in the padded image.</summary>
    private readonly int[] _kernelPositions, _kernelOffsets;

    /// <summary>Where each (input channel, kernel row) starts reading in the padded image: its first tap's offset.</summary>
    private readonly int[] _kernelRows;

    /// <summary>The weight-gradient tiles along the grid (output channels × taps along kx) for 32 and 16 vector registers.</summary>
    private readonly (int Rows, int Taps) _gridTile512, _gridTile256;

    /// <summary>A convolution of a <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> input into
    /// <paramref name="outChannels"/> channels with a <paramref name="kernelHeight"/>×<paramref name="kernelWidth"/>
    /// kernel, stride 1.</summary>
    public DirectConvolution(int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int padding, int dilation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        _g = new DirectConvolutionLayout(channels, height, width, outChannels, kernelHeight, kernelWidth, padding, dilation);
        if (_g.GridHeight < 1 || _g.GridWidth < 1)
        {
            throw new ArgumentException(
                $"A {kernelHeight}×{kernelWidth} kernel with dilation {dilation} does not fit a {height}×{width} input padded by {padding}.");
        }
        _taps = new int[_g.Taps];
        for (int c = 0, t = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++)
                {
                    _taps[t++] = _g.TapOffset(c, ky, kx);
                }
            }
        }
        _gridRows = new int[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            _gridRows[o] = o * _g.Columns;
        }
        _kernelPositions = new int[_g.Area];
        _kernelOffsets = new int[_g.Area];
        for (int t = 0; t < _g.Area; t++)
        {
            _kernelPositions[t] = t;
            _kernelOffsets[t] = _g.TapOffset(0, t / kernelWidth, t % kernelWidth);
        }
        _kernelRows = new int[channels * kernelHeight];
        for (int row = 0; row < _kernelRows.Length; row++)
        {
            _kernelRows[row] = _g.TapOffset(row / kernelHeight, row % kernelHeight, 0);
        }
        _gridTile512 = GridTile(_g, 32);
        _gridTile256 = GridTile(_g, 16);
    }

    /// <summary>Floats of scratch one thread needs: for training (the weight gradient's chunk) or for inference.</summary>
    public int ScratchSize(bool training) => _g.ScratchSize(training);

    private int Inputs => _g.Channels * _g.Height * _g.Width;

    private int Outputs => _g.OutChannels * _g.GridHeight * _g.GridWidth;

    /// <summary>z = W ∗ x + bias for <paramref name="n"/> samples; <paramref name="bias"/> may be a null reference (no
    /// bias). <paramref name="scratch"/> holds <see cref="ScratchSize"/>(false) floats.</summary>
    public void Forward(ref float x, ref float weights, ref float bias, ref float z, ref float scratch, int n)
    {
        DirectConvolutionLayout g = _g;
        ref float grid = ref Unsafe.Add(ref scratch, g.PaddedSize);
        var product = new TapProduct(ref weights, g.Taps, 1, ref scratch, _taps, ref grid, g.Columns, g.Columns, ref bias, accumulate: false);
        for (int s = 0; s < n; s++)
        {
            Pad(ref Unsafe.Add(ref x, (nint)s * Inputs), ref scratch);
            TapGemm.Multiply(g.OutChannels, product);
            Crop(ref grid, ref Unsafe.Add(ref z, (nint)s * Outputs));
        }
    }

    /// <summary>dx = the gradient of the input for <paramref name="n"/> samples from dz.</summary>
    public void BackwardInput(ref float dz, ref float weights, ref float dx, ref float scratch, int n)
    {
        DirectConvolutionLayout g = _g;
        ref float grid = ref Unsafe.Add(ref scratch, g.PaddedSize);
        for (int s = 0; s < n; s++)
        {
            Expand(ref Unsafe.Add(ref dz, (nint)s * Outputs), ref grid);
            Clear(ref scratch, g.PaddedSize);
            // Rows are input channels: A[c, o] = w[o, c, ky, kx], B[o, q] = dz on the grid, C the padded gradient at the
            // kernel position's offset; one pass per kernel position, in order.
            var product = new TapProduct(ref weights, g.Area, (nint)g.Channels * g.Area, ref grid, _gridRows, ref scratch, g.PlaneStride,
                g.Columns, ref Unsafe.NullRef<float>(), accumulate: true, _kernelPositions, _kernelOffsets);
            TapGemm.Multiply(g.Channels, product);
            Unpad(ref scratch, ref Unsafe.Add(ref dx, (nint)s * Inputs));
        }
    }

    /// <summary>∂W += the gradient of the weights and ∂bias += Σ dz (when <paramref name="biasGradient"/> is not a null
    /// reference) over <paramref name="n"/> samples. <paramref name="scratch"/> holds <see cref="ScratchSize"/>(true)
    /// floats.</summary>
    public void BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float scratch, int n)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            WeightGradient<Vector512<float>, Ops512>(ref x, ref dz, ref weightGradient, ref biasGradient, ref scratch, n, _gridTile512, 32);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            WeightGradient<Vector256<float>, Ops256>(ref x, ref dz, ref weightGradient, ref biasGradient, ref scratch, n, _gridTile256, 16);
        }
        else
        {
            WeightGradient<float, ScalarOps>(ref x, ref dz, ref weightGradient, ref biasGradient, ref scratch, n, (1, 1), 16);
        }
    }

    private void WeightGradient<TV, TOps>(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float scratch, int n,
        (int Rows, int Taps) gridTile, int registers)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        DirectConvolutionLayout g = _g;
        int lanes = TOps.Lanes;
        // Vectors along the output channels where they fill whole vectors (no horizontal sums), else along the grid with
        // one vector of partial sums per weight, summed once at the end.
        bool alongChannels = lanes > 1 && g.OutChannels % lanes == 0;
        bool partialSums = lanes > 1 && !alongChannels;
        int chunk = g.SamplesPerChunk;
        ref float partials = ref Unsafe.Add(ref scratch, (nint)chunk * g.SampleSize);
        if (partialSums)
        {
            Clear(ref partials, g.OutChannels * g.Taps * lanes);
        }
        for (int first = 0; first < n; first += chunk)
        {
            int count = Math.Min(chunk, n - first);
            for (int i = 0; i < count; i++)
            {
                ref float sample = ref Unsafe.Add(ref scratch, (nint)i * g.SampleSize);
                Pad(ref Unsafe.Add(ref x, (nint)(first + i) * Inputs), ref sample);
                ref float gradient = ref Unsafe.Add(ref dz, (nint)(first + i) * Outputs);
                if (alongChannels)
                {
                    Transpose(ref gradient, ref Unsafe.Add(ref sample, g.PaddedSize));
                }
                else
                {
                    Expand(ref gradient, ref Unsafe.Add(ref sample, g.PaddedSize));
                }
            }
            if (alongChannels)
            {
                ChannelWeights<TV, TOps>(ref scratch, count, ref weightGradient, ref biasGradient, registers);
            }
            else if (partialSums)
            {
                GridWeights<TV, TOps>(ref scratch, count, ref partials, ref biasGradient, gridTile);
            }
            else
            {
                ScalarWeights(ref scratch, count, ref weightGradient, ref biasGradient);
            }
        }
        if (partialSums)
        {
            for (int e = 0; e < g.OutChannels * g.Taps; e++)
            {
                Unsafe.Add(ref weightGradient, e) += TOps.Sum(TOps.Load(ref Unsafe.Add(ref partials, (nint)e * lanes)));
            }
        }
    }

    /// <summary>Copies an image into the zero-padded one (channel stride <c>PlaneStride</c>); the slack after it is
    /// zeroed too.</summary>
    private void Pad(ref float image, ref float padded)
    {
        DirectConvolutionLayout g = _g;
        if (g.Padding == 0 && g.PlaneStride == g.PaddedPlane)
        {
            Copy(ref image, ref padded, Inputs);
            Clear(ref Unsafe.Add(ref padded, Inputs), g.PaddedSize - Inputs);
            return;
        }
        Clear(ref padded, g.PaddedSize);
        for (int c = 0; c < g.Channels; c++)
        {
            CopyRows(ref Unsafe.Add(ref image, c * g.Height * g.Width), g.Width, ref Unsafe.Add(ref padded, PaddedRow(c, 0)), g.PaddedWidth, g.Height, g.Width);
        }
    }

    /// <summary>Copies the interior of the padded image back into an image.</summary>
    private void Unpad(ref float padded, ref float image)
    {
        DirectConvolutionLayout g = _g;
        if (g.Padding == 0 && g.PlaneStride == g.PaddedPlane)
        {
            Copy(ref padded, ref image, Inputs);
            return;
        }
        for (int c = 0; c < g.Channels; c++)
        {
            CopyRows(ref Unsafe.Add(ref padded, PaddedRow(c, 0)), g.PaddedWidth, ref Unsafe.Add(ref image, c * g.Height * g.Width), g.Width, g.Height, g.Width);
        }
    }

    /// <summary>Where row y of channel c of the image starts in the padded image.</summary>
    private int PaddedRow(int c, int y) => c * _g.PlaneStride + (y + _g.Padding) * _g.PaddedWidth + _g.Padding;

    /// <summary>Copies the valid positions of each channel of the grid (row stride <c>PaddedWidth</c>) into z.</summary>
    private void Crop(ref float grid, ref float z)
    {
        DirectConvolutionLayout g = _g;
        int height = g.GridHeight, width = g.GridWidth;
        for (int o = 0; o < g.OutChannels; o++)
        {
            CopyRows(ref Unsafe.Add(ref grid, o * g.Columns), g.PaddedWidth, ref Unsafe.Add(ref z, o * height * width), width, height, width);
        }
    }

    /// <summary>Spreads dz over the grid, with 0 at every unused position.</summary>
    private void Expand(ref float dz, ref float grid)
    {
        DirectConvolutionLayout g = _g;
        int height = g.GridHeight, width = g.GridWidth, paddedWidth = g.PaddedWidth, columns = g.Columns, gridColumns = g.GridColumns;
        for (int o = 0; o < g.OutChannels; o++)
        {
            ref float channel = ref Unsafe.Add(ref grid, o * columns);
            CopyRows(ref Unsafe.Add(ref dz, o * height * width), width, ref channel, paddedWidth, height, width);
            ClearRows(ref Unsafe.Add(ref channel, width), paddedWidth, height, paddedWidth - width);
            Clear(ref Unsafe.Add(ref channel, gridColumns), columns - gridColumns);
        }
    }

    /// <summary>dz [channel, position] transposed to [position, channel], the layout the weight gradient along the output
    /// channels reads.</summary>
    private void Transpose(ref float dz, ref float target)
    {
        DirectConvolutionLayout g = _g;
        int positions = g.GridHeight * g.GridWidth, channels = g.OutChannels;
        // Four channels at a time (this layout has a multiple of eight): four rows read along, one 128-bit store a position.
        for (int o = 0; o < channels; o += 4)
        {
            ref float row0 = ref Unsafe.Add(ref dz, o * positions);
            ref float row1 = ref Unsafe.Add(ref row0, positions);
            ref float row2 = ref Unsafe.Add(ref row0, 2 * positions);
            ref float row3 = ref Unsafe.Add(ref row0, 3 * positions);
            ref float column = ref Unsafe.Add(ref target, o);
            for (int p = 0; p < positions; p++)
            {
                Vector128.Create(Unsafe.Add(ref row0, p), Unsafe.Add(ref row1, p), Unsafe.Add(ref row2, p), Unsafe.Add(ref row3, p))
                    .StoreUnsafe(ref Unsafe.Add(ref column, p * channels));
            }
        }
    }

    /// <summary>The weight gradient on the path without SIMD: one dot product along the grid per weight and sample.</summary>
    private void ScalarWeights(ref float chunk, int count, ref float weightGradient, ref float biasGradient)
    {
        DirectConvolutionLayout g = _g;
        for (int i = 0; i < count; i++)
        {
            ref float sample = ref Unsafe.Add(ref chunk, (nint)i * g.SampleSize);
            for (int o = 0; o < g.OutChannels; o++)
            {
                ref float gradient = ref Unsafe.Add(ref sample, g.PaddedSize + o * g.Columns);
                for (int t = 0; t < g.Taps; t++)
                {
                    ref float source = ref Unsafe.Add(ref sample, _taps[t]);
                    float sum = 0f;
                    for (int j = 0; j < g.GridColumns; j++)
                    {
                        sum += Unsafe.Add(ref gradient, j) * Unsafe.Add(ref source, j);
                    }
                    Unsafe.Add(ref weightGradient, o * g.Taps + t) += sum;
                }
                if (!Unsafe.IsNullRef(ref biasGradient))
                {
                    float total = 0f;
                    for (int j = 0; j < g.GridColumns; j++)
                    {
                        total += Unsafe.Add(ref gradient, j);
                    }
                    Unsafe.Add(ref biasGradient, o) += total;
                }
            }
        }
    }

    /// <summary>The gradient tile along the grid (output channels × taps along kx) with the fewest loads per
    /// multiply-add that fits the registers beside one gradient vector per row and one input vector, at most 16
    /// accumulators. Gradient loads count twice: the shifted input rows of neighbouring taps share cache lines, the
    /// gradient rows of neighbouring channels do not.</summary>
    private static (int Rows, int Taps) GridTile(DirectConvolutionLayout g, int registers)
    {
        (int Rows, int Taps) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int rows = 1; rows <= Math.Min(g.OutChannels, MaxGridRows); rows++)
        {
            for (int taps = 1; taps <= Math.Min(g.KernelWidth, MaxGridTaps); taps++)
            {
                if (rows * taps > 16 || rows * taps + rows + 1 > registers - 1)
                {
                    continue;
                }
                int r = TapGemm.Balanced(g.OutChannels, rows), t = TapGemm.Balanced(g.KernelWidth, taps);
                double cost = (2.0 * r + t) / (r * t);
                if (cost < bestCost - 1e-9)
                {
                    (best, bestCost) = ((rows, taps), cost);
                }
            }
        }
        return best;
    }

    private const int MaxGridRows = 4, MaxGridTaps = 5;

    /// <summary>∂W[o, c, ky, kx] (partial sums) += Σ_(samples, q) grid[o, q]·padded[q + offset]: tiles of output channels ×
    /// taps along kx; ∂bias[o] += Σ grid[o, :].</summary>
    private void GridWeights<TV, TOps>(ref float chunk, int count, ref float partials, ref float biasGradient, (int Rows, int Taps) tile)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        DirectConvolutionLayout g = _g;
        int rowTile = TapGemm.Balanced(g.OutChannels, tile.Rows), tapTile = TapGemm.Balanced(g.KernelWidth, tile.Taps);
        for (int r = 0; r < g.OutChannels; r += rowTile)
        {
            int rows = Math.Min(rowTile, g.OutChannels - r);
            for (int kx = 0; kx < g.KernelWidth; kx += tapTile)
            {
                // Every (input channel, kernel row) in one call: the taps kx … kx + taps − 1 of each.
                int taps = Math.Min(tapTile, g.KernelWidth - kx);
                var operands = new DotOperands(ref chunk, count, g.SampleSize, (nint)kx * g.Dilation, _kernelRows, g.PaddedSize + r * g.Columns,
                    g.Columns, g.Dilation, ref Unsafe.Add(ref partials, ((nint)r * g.Taps + kx) * TOps.Lanes), (nint)g.KernelWidth * TOps.Lanes,
                    (nint)g.Taps * TOps.Lanes);
                if (g.Dilation == 1)
                {
                    DotRows<TV, TOps, No>(rows, taps, operands);
                }
                else
                {
                    DotRows<TV, TOps, Yes>(rows, taps, operands);
                }
            }
        }
        if (Unsafe.IsNullRef(ref biasGradient))
        {
            return;
        }
        // Four channels at a time: four independent chains of adds, each channel summed in the same order as alone.
        for (int o = 0; o < g.OutChannels; o += 4)
        {
            int channels = Math.Min(4, g.OutChannels - o);
            TV sum0 = TOps.Zero, sum1 = TOps.Zero, sum2 = TOps.Zero, sum3 = TOps.Zero;
            nint columns = g.Columns;
            for (int i = 0; i < count; i++)
            {
                ref float gradient = ref Unsafe.Add(ref chunk, (nint)i * g.SampleSize + g.PaddedSize + (nint)o * columns);
                for (nint j = 0; j < columns; j += TOps.Lanes)
                {
                    ref float row = ref Unsafe.Add(ref gradient, j);
                    sum0 = TOps.Add(sum0, TOps.Load(ref row));
                    if (channels > 1) { sum1 = TOps.Add(sum1, TOps.Load(ref Unsafe.Add(ref row, columns))); }
                    if (channels > 2) { sum2 = TOps.Add(sum2, TOps.Load(ref Unsafe.Add(ref row, 2 * columns))); }
                    if (channels > 3) { sum3 = TOps.Add(sum3, TOps.Load(ref Unsafe.Add(ref row, 3 * columns))); }
                }
            }
            Unsafe.Add(ref biasGradient, o) += TOps.Sum(sum0);
            if (channels > 1) { Unsafe.Add(ref biasGradient, o + 1) += TOps.Sum(sum1); }
            if (channels > 2) { Unsafe.Add(ref biasGradient, o + 2) += TOps.Sum(sum2); }
            if (channels > 3) { Unsafe.Add(ref biasGradient, o + 3) += TOps.Sum(sum3); }
        }
    }

    /// <summary>∂W[:, c, tap] += Σ_(samples, y, x) padded[c, y + ky·d, x + kx·d]·dz[:, y, x] with vectors along the output
    /// channels (dz transposed): only valid positions and no horizontal sums; tiles of taps of one input channel (along
    /// kx, then rows of them) × one or two channel vectors, each input value broadcast. ∂bias += Σ dz[:, position].</summary>
    private void ChannelWeights<TV, TOps>(ref float chunk, int count, ref float weightGradient, ref float biasGradient, int registers)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        DirectConvolutionLayout g = _g;
        int lanes = TOps.Lanes;
        int vectors = g.OutChannels / lanes;
        int unitTile = TapGemm.Balanced(vectors, 2);
        for (int u0 = 0; u0 < vectors; u0 += unitTile)
        {
            int units = Math.Min(unitTile, vectors - u0);
            int maxTaps = Math.Max(1, Math.Min(MaxChannelAccumulators / units, (registers - 2 - units) / units));
            int kxTile = TapGemm.Balanced(g.KernelWidth, Math.Min(g.KernelWidth, maxTaps));
            int kyTile = TapGemm.Balanced(g.KernelHeight, Math.Min(MaxChannelRows, Math.Max(1, maxTaps / kxTile)));
            for (int c = 0; c < g.Channels; c++)
            {
                for (int ky = 0; ky < g.KernelHeight; ky += kyTile)
                {
                    for (int kx = 0; kx < g.KernelWidth; kx += kxTile)
                    {
                        var operands = new ChannelOperands(ref chunk, count, g, g.TapOffset(c, ky, kx), g.PaddedSize + u0 * lanes,
                            ref Unsafe.Add(ref weightGradient, (nint)u0 * lanes * g.Taps + (c * g.KernelHeight + ky) * g.KernelWidth + kx));
                        ChannelUnits<TV, TOps>(units, Math.Min(kyTile, g.KernelHeight - ky), Math.Min(kxTile, g.KernelWidth - kx), g.Dilation == 1,
                            operands);
                    }
                }
            }
            if (Unsafe.IsNullRef(ref biasGradient))
            {
                continue;
            }
            // Both vectors of the tile in one pass: two independent chains of adds.
            TV first = TOps.Zero, second = TOps.Zero;
            for (int i = 0; i < count; i++)
            {
                ref float gradient = ref Unsafe.Add(ref chunk, (nint)i * g.SampleSize + g.PaddedSize + u0 * lanes);
                for (int p = 0; p < g.GridHeight * g.GridWidth * g.OutChannels; p += g.OutChannels)
                {
                    first = TOps.Add(first, TOps.Load(ref Unsafe.Add(ref gradient, p)));
                    if (units > 1) { second = TOps.Add(second, TOps.Load(ref Unsafe.Add(ref gradient, p + lanes))); }
                }
            }
            ref float bias = ref Unsafe.Add(ref biasGradient, u0 * lanes);
            TOps.Store(TOps.Add(TOps.Load(ref bias), first), ref bias);
            if (units > 1)
            {
                ref float next = ref Unsafe.Add(ref bias, lanes);
                TOps.Store(TOps.Add(TOps.Load(ref next), second), ref next);
            }
        }
    }

    /// <summary>Accumulators of a weight tile along the channels, and the rows of taps it spans at most.</summary>
    private const int MaxChannelAccumulators = 12, MaxChannelRows = 3;

    /// <summary>destination[0, count) = 0. Rows of a few dozen floats are most of the calls: they are written with vectors
    /// in place (a call to the runtime's block fill costs as much as the row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(ref float destination, int count)
    {
        if (count > ShortBlock || !Vector256.IsHardwareAccelerated)
        {
            Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref destination), 0, (uint)count * sizeof(float));
        }
        else if (count >= 8)
        {
            // Whole vectors, then one that ends at the last float (overlapping the one before).
            for (int i = 0; i + 8 < count; i += 8)
            {
                Vector256<float>.Zero.StoreUnsafe(ref destination, (nuint)i);
            }
            Vector256<float>.Zero.StoreUnsafe(ref destination, (nuint)(count - 8));
        }
        else if (count >= 4)
        {
            Vector128<float>.Zero.StoreUnsafe(ref destination);
            Vector128<float>.Zero.StoreUnsafe(ref destination, (nuint)(count - 4));
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref destination, i) = 0f;
            }
        }
    }

    /// <summary>destination[0, count) = source[0, count) for blocks that do not overlap; short rows as in
    /// <see cref="Clear"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float destination, int count)
    {
        if (count > ShortBlock || !Vector256.IsHardwareAccelerated)
        {
            Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref destination), ref Unsafe.As<float, byte>(ref source), (uint)count * sizeof(float));
        }
        else if (count >= 8 && count <= 32)
        {
            // Four vectors, the later ones moved back to end at the last float: no loop, no branch on the count.
            nuint second = (nuint)Math.Min(8, count - 8), third = (nuint)Math.Min(16, count - 8), last = (nuint)(count - 8);
            Vector256<float> v0 = Vector256.LoadUnsafe(ref source), v1 = Vector256.LoadUnsafe(ref source, second);
            Vector256<float> v2 = Vector256.LoadUnsafe(ref source, third), v3 = Vector256.LoadUnsafe(ref source, last);
            v0.StoreUnsafe(ref destination);
            v1.StoreUnsafe(ref destination, second);
            v2.StoreUnsafe(ref destination, third);
            v3.StoreUnsafe(ref destination, last);
        }
        else if (count >= 8)
        {
            for (int i = 0; i + 8 < count; i += 8)
            {
                Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
            }
            Vector256.LoadUnsafe(ref source, (nuint)(count - 8)).StoreUnsafe(ref destination, (nuint)(count - 8));
        }
        else if (count >= 4)
        {
            Vector128<float> head = Vector128.LoadUnsafe(ref source), tail = Vector128.LoadUnsafe(ref source, (nuint)(count - 4));
            head.StoreUnsafe(ref destination);
            tail.StoreUnsafe(ref destination, (nuint)(count - 4));
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
            }
        }
    }

    /// <summary><paramref name="rows"/> rows of <paramref name="count"/> floats, <paramref name="sourceStride"/> and
    /// <paramref name="destinationStride"/> floats apart. The rows of a convolution's layout are short and many: the way
    /// a row is copied is chosen once, not per row.</summary>
    private static void CopyRows(ref float source, nint sourceStride, ref float destination, nint destinationStride, int rows, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= 8 && count <= 32)
        {
            // Four vectors a row, the later ones moved back to end at the row's last float.
            nuint second = (nuint)Math.Min(8, count - 8), third = (nuint)Math.Min(16, count - 8), last = (nuint)(count - 8);
            for (int r = 0; r < rows; r++)
            {
                Vector256<float> v0 = Vector256.LoadUnsafe(ref source), v1 = Vector256.LoadUnsafe(ref source, second);
                Vector256<float> v2 = Vector256.LoadUnsafe(ref source, third), v3 = Vector256.LoadUnsafe(ref source, last);
                v0.StoreUnsafe(ref destination);
                v1.StoreUnsafe(ref destination, second);
                v2.StoreUnsafe(ref destination, third);
                v3.StoreUnsafe(ref destination, last);
                source = ref Unsafe.Add(ref source, sourceStride);
                destination = ref Unsafe.Add(ref destination, destinationStride);
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            Copy(ref Unsafe.Add(ref source, r * sourceStride), ref Unsafe.Add(ref destination, r * destinationStride), count);
        }
    }

    /// <summary>Zeroes <paramref name="rows"/> rows of <paramref name="count"/> floats, <paramref name="stride"/> apart
    /// (the unused positions at the end of each grid row).</summary>
    private static void ClearRows(ref float destination, nint stride, int rows, int count)
    {
        if (Vector128.IsHardwareAccelerated && count >= 4 && count <= 8)
        {
            nuint last = (nuint)(count - 4);
            for (int r = 0; r < rows; r++)
            {
                Vector128<float>.Zero.StoreUnsafe(ref destination);
                Vector128<float>.Zero.StoreUnsafe(ref destination, last);
                destination = ref Unsafe.Add(ref destination, stride);
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            Clear(ref Unsafe.Add(ref destination, r * stride), count);
        }
    }

    /// <summary>Floats up to which a block is copied or cleared in place.</summary>
    private const int ShortBlock = 64;

    // ---- The weight gradient along the grid: dot products of gradient rows with shifted input rows ----

    /// <summary>A tile of <see cref="GridWeights"/>: the gradient rows start <see cref="Gradient"/> floats into each sample
    /// of the chunk (one row per <see cref="Columns"/>), the input row of the first tap of kernel row k
    /// <c>Source + KernelRows[k]</c> floats in, the next taps <see cref="Dilation"/> apart; the partial sums of row r, tap t
    /// of kernel row k are at <c>Partials[k·PartialKernelRow + r·PartialRow + t·lanes]</c>.</summary>
    private readonly ref struct DotOperands(ref float chunk, int count, nint sampleSize, nint source, int[] kernelRows, nint gradient, nint columns,
        nint dilation, ref float partials, nint partialKernelRow, nint partialRow)
    {
        public readonly ref float Chunk = ref chunk;
        public readonly int Count = count;
        public readonly nint SampleSize = sampleSize, Source = source, Gradient = gradient, Columns = columns, Dilation = dilation;
        /// <summary>Where each (input channel, kernel row) reads, from <see cref="Source"/>; its partial sums are
        /// <see cref="PartialKernelRow"/> floats after the previous one's.</summary>
        public readonly int[] KernelRows = kernelRows;
        public readonly ref float Partials = ref partials;
        public readonly nint PartialKernelRow = partialKernelRow, PartialRow = partialRow;
    }

    private static void DotRows<TV, TOps, TDilated>(int rows, int taps, scoped in DotOperands operands)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TDilated : struct, IFlag
    {
        switch (rows)
        {
            case 1: DotTaps<TV, TOps, TDilated, One>(taps, operands); break;
            case 2: DotTaps<TV, TOps, TDilated, Two>(taps, operands); break;
            case 3: DotTaps<TV, TOps, TDilated, Three>(taps, operands); break;
            case 4: DotTaps<TV, TOps, TDilated, Four>(taps, operands); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "A gradient tile holds 1 to 4 rows.");
        }
    }

    private static void DotTaps<TV, TOps, TDilated, TRows>(int taps, scoped in DotOperands operands)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TDilated : struct, IFlag
        where TRows : struct, ICount
    {
        switch (taps)
        {
            case 1: DotTile<TV, TOps, TDilated, TRows, One>(operands); break;
            case 2: DotTile<TV, TOps, TDilated, TRows, Two>(operands); break;
            case 3: DotTile<TV, TOps, TDilated, TRows, Three>(operands); break;
            case 4: DotTile<TV, TOps, TDilated, TRows, Four>(operands); break;
            case 5: DotTile<TV, TOps, TDilated, TRows, Five>(operands); break;
            default: throw new ArgumentOutOfRangeException(nameof(taps), taps, "A gradient tile holds 1 to 5 taps.");
        }
    }

    /// <summary>TRows gradient rows × TTaps taps, summed over the chunk's samples and the grid, then added to their vectors of
    /// partial sums.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DotTile<TV, TOps, TDilated, TRows, TTaps>(scoped in DotOperands p)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TDilated : struct, IFlag
        where TRows : struct, ICount
        where TTaps : struct, ICount
    {
        int[] kernelRows = p.KernelRows;
        for (int k = 0; k < kernelRows.Length; k++)
        {
            DotKernelRow<TV, TOps, TDilated, TRows, TTaps>(p, p.Source + kernelRows[k], ref Unsafe.Add(ref p.Partials, k * p.PartialKernelRow));
        }
    }

    /// <summary>The tile for one (input channel, kernel row): its input rows start <paramref name="source"/> floats into
    /// each sample, its partial sums at <paramref name="partials"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotKernelRow<TV, TOps, TDilated, TRows, TTaps>(scoped in DotOperands p, nint source, ref float partials)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TDilated : struct, IFlag
        where TRows : struct, ICount
        where TTaps : struct, ICount
    {
        int rows = TRows.Value, taps = TTaps.Value;
        if (rows * taps > 16)
        {
            throw new InvalidOperationException("A gradient tile holds at most 16 accumulators.");
        }
        nint lanes = TOps.Lanes, columns = p.Columns, d = TDilated.Value ? p.Dilation : 1;
        // acc{r}{t}: gradient row r times tap t.
        TV acc00 = TOps.Zero, acc01 = TOps.Zero, acc02 = TOps.Zero, acc03 = TOps.Zero, acc04 = TOps.Zero;
        TV acc10 = TOps.Zero, acc11 = TOps.Zero, acc12 = TOps.Zero, acc13 = TOps.Zero, acc14 = TOps.Zero;
        TV acc20 = TOps.Zero, acc21 = TOps.Zero, acc22 = TOps.Zero, acc23 = TOps.Zero, acc24 = TOps.Zero;
        TV acc30 = TOps.Zero, acc31 = TOps.Zero, acc32 = TOps.Zero, acc33 = TOps.Zero, acc34 = TOps.Zero;
        for (int i = 0; i < p.Count; i++)
        {
            ref float sample = ref Unsafe.Add(ref p.Chunk, i * p.SampleSize);
            ref float inputs = ref Unsafe.Add(ref sample, source);
            ref float gradient = ref Unsafe.Add(ref sample, p.Gradient);
            for (nint j = 0; j < columns; j += lanes)
            {
                ref float dz = ref Unsafe.Add(ref gradient, j);
                ref float x = ref Unsafe.Add(ref inputs, j);
                // The gradient rows first, then one input vector at a time: 4 + 1 registers beside the accumulators.
                TV d0 = TOps.Load(ref dz);
                TV d1 = rows > 1 ? TOps.Load(ref Unsafe.Add(ref dz, columns)) : TOps.Zero;
                TV d2 = rows > 2 ? TOps.Load(ref Unsafe.Add(ref dz, 2 * columns)) : TOps.Zero;
                TV d3 = rows > 3 ? TOps.Load(ref Unsafe.Add(ref dz, 3 * columns)) : TOps.Zero;
                TV v = TOps.Load(ref x);
                acc00 = TOps.MultiplyAdd(d0, v, acc00);
                if (rows > 1) { acc10 = TOps.MultiplyAdd(d1, v, acc10); }
                if (rows > 2) { acc20 = TOps.MultiplyAdd(d2, v, acc20); }
                if (rows > 3) { acc30 = TOps.MultiplyAdd(d3, v, acc30); }
                if (taps > 1)
                {
                    v = TOps.Load(ref Unsafe.Add(ref x, d));
                    acc01 = TOps.MultiplyAdd(d0, v, acc01);
                    if (rows > 1) { acc11 = TOps.MultiplyAdd(d1, v, acc11); }
                    if (rows > 2) { acc21 = TOps.MultiplyAdd(d2, v, acc21); }
                    if (rows > 3) { acc31 = TOps.MultiplyAdd(d3, v, acc31); }
                }
                if (taps > 2)
                {
                    v = TOps.Load(ref Unsafe.Add(ref x, 2 * d));
                    acc02 = TOps.MultiplyAdd(d0, v, acc02);
                    if (rows > 1) { acc12 = TOps.MultiplyAdd(d1, v, acc12); }
                    if (rows > 2) { acc22 = TOps.MultiplyAdd(d2, v, acc22); }
                    if (rows > 3) { acc32 = TOps.MultiplyAdd(d3, v, acc32); }
                }
                if (taps > 3)
                {
                    v = TOps.Load(ref Unsafe.Add(ref x, 3 * d));
                    acc03 = TOps.MultiplyAdd(d0, v, acc03);
                    if (rows > 1) { acc13 = TOps.MultiplyAdd(d1, v, acc13); }
                    if (rows > 2) { acc23 = TOps.MultiplyAdd(d2, v, acc23); }
                    if (rows > 3) { acc33 = TOps.MultiplyAdd(d3, v, acc33); }
                }
                if (taps > 4)
                {
                    v = TOps.Load(ref Unsafe.Add(ref x, 4 * d));
                    acc04 = TOps.MultiplyAdd(d0, v, acc04);
                    if (rows > 1) { acc14 = TOps.MultiplyAdd(d1, v, acc14); }
                    if (rows > 2) { acc24 = TOps.MultiplyAdd(d2, v, acc24); }
                    if (rows > 3) { acc34 = TOps.MultiplyAdd(d3, v, acc34); }
                }
            }
        }
        nint partialRow = p.PartialRow;
        AddRow(ref partials, lanes, taps, acc00, acc01, acc02, acc03, acc04);
        if (rows > 1) { AddRow(ref Unsafe.Add(ref partials, partialRow), lanes, taps, acc10, acc11, acc12, acc13, acc14); }
        if (rows > 2) { AddRow(ref Unsafe.Add(ref partials, 2 * partialRow), lanes, taps, acc20, acc21, acc22, acc23, acc24); }
        if (rows > 3) { AddRow(ref Unsafe.Add(ref partials, 3 * partialRow), lanes, taps, acc30, acc31, acc32, acc33, acc34); }

        // The partial sums of a row's taps lie one vector apart.
        static void AddRow(ref float partial, nint lanes, int taps, TV t0, TV t1, TV t2, TV t3, TV t4)
        {
            AddTo(ref partial, t0);
            if (taps > 1) { AddTo(ref Unsafe.Add(ref partial, lanes), t1); }
            if (taps > 2) { AddTo(ref Unsafe.Add(ref partial, 2 * lanes), t2); }
            if (taps > 3) { AddTo(ref Unsafe.Add(ref partial, 3 * lanes), t3); }
            if (taps > 4) { AddTo(ref Unsafe.Add(ref partial, 4 * lanes), t4); }
        }

        static void AddTo(ref float partial, TV sum) => TOps.Store(TOps.Add(TOps.Load(ref partial), sum), ref partial);
    }

    // ---- The weight gradient along the output channels: broadcast inputs times vectors of gradients ----

    /// <summary>A tile of <see cref="ChannelWeights"/>: the window of its first tap starts <see cref="Image"/> floats into
    /// each sample of the chunk, the channel vectors of the gradient (transposed) <see cref="Gradient"/> floats in; the
    /// gradient of the first tap of output channel o is <c>WeightGradient[o·WeightTaps]</c>. Every extent is a field, so
    /// the tile's loops call nothing (a call would cost the accumulators their registers).</summary>
    private readonly ref struct ChannelOperands(ref float chunk, int count, DirectConvolutionLayout g, nint image, nint gradient, ref float weightGradient)
    {
        public readonly ref float Chunk = ref chunk;
        public readonly int Count = count;
        public readonly nint SampleSize = g.SampleSize, Image = image, Gradient = gradient;
        public readonly int Height = g.GridHeight, Width = g.GridWidth;
        public readonly nint PaddedWidth = g.PaddedWidth, Channels = g.OutChannels, GradientRow = (nint)g.GridWidth * g.OutChannels;
        public readonly nint KernelRow = (nint)g.Dilation * g.PaddedWidth, Dilation = g.Dilation;
        public readonly ref float WeightGradient = ref weightGradient;
        public readonly nint WeightTaps = g.Taps;
        public readonly int KernelWidth = g.KernelWidth;
    }

    private static void ChannelUnits<TV, TOps>(int units, int kernelRows, int kernelColumns, bool undilated, scoped in ChannelOperands operands)
        where TV : struct
        where TOps : struct, ITileOps<TV>
    {
        switch ((units, undilated))
        {
            case (1, true): ChannelRows<TV, TOps, One, No>(kernelRows, kernelColumns, operands); break;
            case (1, false): ChannelRows<TV, TOps, One, Yes>(kernelRows, kernelColumns, operands); break;
            case (2, true): ChannelRows<TV, TOps, Two, No>(kernelRows, kernelColumns, operands); break;
            case (2, false): ChannelRows<TV, TOps, Two, Yes>(kernelRows, kernelColumns, operands); break;
            default: throw new ArgumentOutOfRangeException(nameof(units), units, "A gradient tile holds 1 or 2 channel vectors.");
        }
    }

    private static void ChannelRows<TV, TOps, TUnits, TDilated>(int kernelRows, int kernelColumns, scoped in ChannelOperands operands)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
        where TDilated : struct, IFlag
    {
        switch (kernelRows)
        {
            case 1: ChannelColumns<TV, TOps, TUnits, TDilated, One>(kernelColumns, operands); break;
            case 2: ChannelColumns<TV, TOps, TUnits, TDilated, Two>(kernelColumns, operands); break;
            case 3: ChannelColumns<TV, TOps, TUnits, TDilated, Three>(kernelColumns, operands); break;
            default: throw new ArgumentOutOfRangeException(nameof(kernelRows), kernelRows, "A gradient tile spans 1 to 3 kernel rows.");
        }
    }

    private static void ChannelColumns<TV, TOps, TUnits, TDilated, TKernelRows>(int kernelColumns, scoped in ChannelOperands operands)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
        where TDilated : struct, IFlag
        where TKernelRows : struct, ICount
    {
        switch (kernelColumns)
        {
            case 1: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, One>(operands); break;
            case 2: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Two>(operands); break;
            case 3: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Three>(operands); break;
            case 4: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Four>(operands); break;
            case 5: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Five>(operands); break;
            case 6: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Six>(operands); break;
            case 7: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Seven>(operands); break;
            case 8: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Eight>(operands); break;
            case 9: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Nine>(operands); break;
            case 10: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Ten>(operands); break;
            case 11: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Eleven>(operands); break;
            case 12: ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, Twelve>(operands); break;
            default: throw new ArgumentOutOfRangeException(nameof(kernelColumns), kernelColumns, "A gradient tile spans 1 to 12 kernel columns.");
        }
    }

    /// <summary>TKernelRows × TKernelColumns taps of one input channel × TUnits vectors of output channels: tap t is kept
    /// in <c>a{t}</c> for the first vector and <c>b{t}</c> for the second, summed over the chunk's samples and every valid
    /// position, then added to the weights' gradients lane by lane.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChannelTile<TV, TOps, TUnits, TDilated, TKernelRows, TKernelColumns>(scoped in ChannelOperands p)
        where TV : struct
        where TOps : struct, ITileOps<TV>
        where TUnits : struct, ICount
        where TDilated : struct, IFlag
        where TKernelRows : struct, ICount
        where TKernelColumns : struct, ICount
    {
        int taps = TKernelRows.Value * TKernelColumns.Value;
        bool two = TUnits.Value == 2;
        if (taps * TUnits.Value > MaxChannelAccumulators)
        {
            throw new InvalidOperationException("A gradient tile holds at most twelve accumulators.");
        }
        nint lanes = TOps.Lanes, d = TDilated.Value ? p.Dilation : 1, kernelRow = p.KernelRow;
        nint paddedWidth = p.PaddedWidth, channels = p.Channels, gradientRow = p.GradientRow, sampleSize = p.SampleSize;
        int height = p.Height, width = p.Width;
        TV a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero, a4 = TOps.Zero, a5 = TOps.Zero;
        TV a6 = TOps.Zero, a7 = TOps.Zero, a8 = TOps.Zero, a9 = TOps.Zero, a10 = TOps.Zero, a11 = TOps.Zero;
        TV b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero, b4 = TOps.Zero, b5 = TOps.Zero;
        for (int i = 0; i < p.Count; i++)
        {
            ref float sample = ref Unsafe.Add(ref p.Chunk, i * sampleSize);
            ref float image = ref Unsafe.Add(ref sample, p.Image);
            ref float gradient = ref Unsafe.Add(ref sample, p.Gradient);
            for (int y = 0; y < height; y++)
            {
                ref float row = ref Unsafe.Add(ref image, y * paddedWidth);
                ref float gradients = ref Unsafe.Add(ref gradient, y * gradientRow);
                for (int x = 0; x < width; x++)
                {
                    ref float window = ref Unsafe.Add(ref row, x);
                    ref float vectors = ref Unsafe.Add(ref gradients, x * channels);
                    TV g0 = TOps.Load(ref vectors);
                    TV g1 = two ? TOps.Load(ref Unsafe.Add(ref vectors, lanes)) : TOps.Zero;
                    TV v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 0, kernelRow, d));
                    a0 = TOps.MultiplyAdd(v, g0, a0);
                    if (two) { b0 = TOps.MultiplyAdd(v, g1, b0); }
                    if (taps > 1) { v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 1, kernelRow, d)); a1 = TOps.MultiplyAdd(v, g0, a1); if (two) { b1 = TOps.MultiplyAdd(v, g1, b1); } }
                    if (taps > 2) { v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 2, kernelRow, d)); a2 = TOps.MultiplyAdd(v, g0, a2); if (two) { b2 = TOps.MultiplyAdd(v, g1, b2); } }
                    if (taps > 3) { v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 3, kernelRow, d)); a3 = TOps.MultiplyAdd(v, g0, a3); if (two) { b3 = TOps.MultiplyAdd(v, g1, b3); } }
                    if (taps > 4) { v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 4, kernelRow, d)); a4 = TOps.MultiplyAdd(v, g0, a4); if (two) { b4 = TOps.MultiplyAdd(v, g1, b4); } }
                    if (taps > 5) { v = TOps.Broadcast(Tap<TKernelColumns>(ref window, 5, kernelRow, d)); a5 = TOps.MultiplyAdd(v, g0, a5); if (two) { b5 = TOps.MultiplyAdd(v, g1, b5); } }
                    if (taps > 6) { a6 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 6, kernelRow, d)), g0, a6); }
                    if (taps > 7) { a7 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 7, kernelRow, d)), g0, a7); }
                    if (taps > 8) { a8 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 8, kernelRow, d)), g0, a8); }
                    if (taps > 9) { a9 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 9, kernelRow, d)), g0, a9); }
                    if (taps > 10) { a10 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 10, kernelRow, d)), g0, a10); }
                    if (taps > 11) { a11 = TOps.MultiplyAdd(TOps.Broadcast(Tap<TKernelColumns>(ref window, 11, kernelRow, d)), g0, a11); }
                }
            }
        }
        // The sums go through memory before they are scattered: a call while they are live in registers would make the
        // register allocator keep them in memory inside the loop.
        Unsafe.SkipInit(out TileSums sums);
        ref float stored = ref Unsafe.As<TileSums, float>(ref sums);
        nint tapStride = 2 * lanes;
        TOps.Store(a0, ref stored);
        if (two) { TOps.Store(b0, ref Unsafe.Add(ref stored, lanes)); }
        if (taps > 1) { TOps.Store(a1, ref Unsafe.Add(ref stored, tapStride)); if (two) { TOps.Store(b1, ref Unsafe.Add(ref stored, tapStride + lanes)); } }
        if (taps > 2) { TOps.Store(a2, ref Unsafe.Add(ref stored, 2 * tapStride)); if (two) { TOps.Store(b2, ref Unsafe.Add(ref stored, 2 * tapStride + lanes)); } }
        if (taps > 3) { TOps.Store(a3, ref Unsafe.Add(ref stored, 3 * tapStride)); if (two) { TOps.Store(b3, ref Unsafe.Add(ref stored, 3 * tapStride + lanes)); } }
        if (taps > 4) { TOps.Store(a4, ref Unsafe.Add(ref stored, 4 * tapStride)); if (two) { TOps.Store(b4, ref Unsafe.Add(ref stored, 4 * tapStride + lanes)); } }
        if (taps > 5) { TOps.Store(a5, ref Unsafe.Add(ref stored, 5 * tapStride)); if (two) { TOps.Store(b5, ref Unsafe.Add(ref stored, 5 * tapStride + lanes)); } }
        if (taps > 6) { TOps.Store(a6, ref Unsafe.Add(ref stored, 6 * tapStride)); }
        if (taps > 7) { TOps.Store(a7, ref Unsafe.Add(ref stored, 7 * tapStride)); }
        if (taps > 8) { TOps.Store(a8, ref Unsafe.Add(ref stored, 8 * tapStride)); }
        if (taps > 9) { TOps.Store(a9, ref Unsafe.Add(ref stored, 9 * tapStride)); }
        if (taps > 10) { TOps.Store(a10, ref Unsafe.Add(ref stored, 10 * tapStride)); }
        if (taps > 11) { TOps.Store(a11, ref Unsafe.Add(ref stored, 11 * tapStride)); }

        // The lanes of tap t's vectors are the gradients of its weight in consecutive output channels, a weight row apart.
        nint weightTaps = p.WeightTaps, kernelWidth = p.KernelWidth;
        int outputs = TUnits.Value * TOps.Lanes;
        for (int t = 0; t < taps; t++)
        {
            ref float weight = ref Unsafe.Add(ref p.WeightGradient, t / TKernelColumns.Value * kernelWidth + t % TKernelColumns.Value);
            ref float lanesOfTap = ref Unsafe.Add(ref stored, t * tapStride);
            for (int o = 0; o < outputs; o++)
            {
                Unsafe.Add(ref weight, o * weightTaps) += Unsafe.Add(ref lanesOfTap, o);
            }
        }
    }

    /// <summary>Room for the sums of a channel tile: twelve taps × two vectors of up to 16 lanes.</summary>
    [InlineArray(MaxChannelAccumulators * 2 * 16)]
    private struct TileSums
    {
        private float _element0;
    }

    /// <summary>The input of tap t of a tile TKernelColumns wide at <paramref name="window"/>: kernel row t / width,
    /// column t mod width (constants of the instantiation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tap<TKernelColumns>(ref float window, int t, nint kernelRow, nint dilation)
        where TKernelColumns : struct, ICount
        => Unsafe.Add(ref window, t / TKernelColumns.Value * kernelRow + t % TKernelColumns.Value * dilation);
}
