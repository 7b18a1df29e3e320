namespace NetGen;

/// <summary>
/// The scratch layout of a stride-1 convolution computed directly, without im2col; shared verbatim by the runtime, whose
/// kernels use it, and the generator, which sizes the scratch (linked source). The input of one sample is copied into a
/// zero-padded image with row stride <see cref="PaddedWidth"/>; the output is computed on a grid with the same row stride
/// (<see cref="GridHeight"/> rows of <see cref="PaddedWidth"/>, the last <c>d·(kw − 1)</c> of each row unused), so every
/// kernel tap is one constant offset into the padded image and a whole grid row is contiguous. Grid rows of each channel
/// are padded to <see cref="Columns"/>, a multiple of <see cref="ColumnAlignment"/>, so every SIMD width covers them with
/// whole vectors.
/// </summary>
internal sealed class DirectConvolutionLayout
{
    /// <summary>Floats per grid row block: the widest vector (16 lanes) divides every padded size.</summary>
    public const int ColumnAlignment = 16;

    /// <summary>Floats of padded images and output gradients a weight-gradient chunk holds at most. Along the grid every tile
    /// of weights re-reads the chunk's gradients, so a chunk should stay in L1 (48 KiB); along the output channels the
    /// gradients are read once per tile and each chunk ends in one scatter of every weight, so chunks are long (L2).</summary>
    private const int GridChunkFloats = 8 * 1024, ChannelChunkFloats = 64 * 1024;

    public DirectConvolutionLayout(int channels, int height, int width, int outChannels, int kernelHeight, int kernelWidth, int padding,
        int dilation)
    {
        Channels = channels;
        Height = height;
        Width = width;
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Padding = padding;
        Dilation = dilation;
        GridHeight = height + 2 * padding - dilation * (kernelHeight - 1);
        GridWidth = width + 2 * padding - dilation * (kernelWidth - 1);
        PaddedHeight = Height + 2 * Padding;
        PaddedWidth = Width + 2 * Padding;
        PaddedPlane = PaddedHeight * PaddedWidth;
        Area = KernelHeight * KernelWidth;
        Taps = Channels * Area;
        GridColumns = GridHeight * PaddedWidth;
        Columns = RoundUp(GridColumns, ColumnAlignment);
        PlaneStride = System.Math.Max(PaddedPlane, Columns);
        PaddedSize = RoundUp((Channels - 1) * PlaneStride + Dilation * ((KernelHeight - 1) * PaddedWidth + KernelWidth - 1) + Columns, ColumnAlignment);
        GridSize = OutChannels * Columns;
        SampleSize = PaddedSize + GridSize;
        UsesChannelVectors = OutChannels % 8 == 0;
        SamplesPerChunk = System.Math.Max(1, (UsesChannelVectors ? ChannelChunkFloats : GridChunkFloats) / SampleSize);
        PartialSums = OutChannels % 16 == 0 ? 0 : OutChannels * Taps * 16;
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int OutChannels { get; }

    public int KernelHeight { get; }

    public int KernelWidth { get; }

    public int Padding { get; }

    public int Dilation { get; }

    /// <summary>Output rows: the rows of the grid.</summary>
    public int GridHeight { get; }

    /// <summary>Output columns: the valid positions of a grid row.</summary>
    public int GridWidth { get; }

    public int PaddedHeight { get; }

    public int PaddedWidth { get; }

    public int PaddedPlane { get; }

    /// <summary>Kernel positions per input channel: kh·kw.</summary>
    public int Area { get; }

    /// <summary>Taps per output channel: in_c·kh·kw, the row length of the weights.</summary>
    public int Taps { get; }

    /// <summary>Grid positions that are computed: <see cref="GridHeight"/> rows of <see cref="PaddedWidth"/>.</summary>
    public int GridColumns { get; }

    /// <summary>Floats per output channel on the grid, rounded up to whole vectors.</summary>
    public int Columns { get; }

    /// <summary>Floats from one channel of the padded image to the next: at least <see cref="Columns"/>, so the grid of one
    /// channel shifted by any tap never reaches the same float as that of the next channel.</summary>
    public int PlaneStride { get; }

    /// <summary>The padded image plus the slack that the last tap of the last grid vector reads past its last channel.</summary>
    public int PaddedSize { get; }

    /// <summary>All output channels on the grid.</summary>
    public int GridSize { get; }

    /// <summary>One sample's padded image followed by its grid.</summary>
    public int SampleSize { get; }

    /// <summary>Samples per weight-gradient chunk.</summary>
    public int SamplesPerChunk { get; }

    /// <summary>Whether the vector paths compute the weight gradient with vectors along the output channels (a multiple of
    /// 8 of them: AVX2 at least; AVX-512 needs 16): dz is then transposed to [position, channel] in the chunk.</summary>
    public bool UsesChannelVectors { get; }

    /// <summary>Where a vector path runs the weight gradient along the grid (out_c not a multiple of its lanes), each weight
    /// keeps a vector of partial sums over the whole batch in the scratch after the chunk, summed horizontally once at the
    /// end; room for the widest vector.</summary>
    public int PartialSums { get; }

    /// <summary>Scratch floats: forward and input gradient need one sample, the weight gradient a chunk and its partial sums.</summary>
    public int ScratchSize(bool training) => training ? SamplesPerChunk * SampleSize + PartialSums : SampleSize;

    /// <summary>Where tap (c, ky, kx) reads in the padded image, from the grid position it contributes to.</summary>
    public int TapOffset(int channel, int ky, int kx) => channel * PlaneStride + Dilation * (ky * PaddedWidth + kx);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
