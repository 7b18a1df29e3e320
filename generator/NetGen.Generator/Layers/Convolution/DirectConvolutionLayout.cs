using NetGen.Generator.Model;

namespace NetGen.Generator.Layers.Convolution;

/// <summary>
/// The scratch layout of a stride-1 convolution computed directly, without im2col. The input of one sample is copied
/// into a zero-padded image with row stride <see cref="PaddedWidth"/>; the output is computed on a grid with the same row
/// stride (<see cref="GridHeight"/> rows of <see cref="PaddedWidth"/>, the last <c>d·(kw − 1)</c> of each row unused), so
/// every kernel tap is one constant offset into the padded image and a whole grid row is contiguous. Grid rows of each
/// channel are padded to <see cref="Columns"/>, a multiple of <see cref="ColumnAlignment"/>, so every SIMD width covers
/// them with whole vectors.
/// </summary>
internal sealed record DirectConvolutionLayout(int Channels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth,
    int Padding, int Dilation, int GridHeight, int GridWidth)
{
    /// <summary>Floats per grid row block: the widest vector (16 lanes) divides every padded size.</summary>
    public const int ColumnAlignment = 16;

    /// <summary>Floats of padded images and output gradients a weight-gradient chunk holds at most. Along the grid every tile
    /// of weights re-reads the chunk's gradients, so a chunk should stay in L1 (48 KiB); along the output channels the
    /// gradients are read once per tile and each chunk ends in one scatter of every weight, so chunks are long (L2).</summary>
    private const int GridChunkFloats = 8 * 1024, ChannelChunkFloats = 64 * 1024;

    public static DirectConvolutionLayout? Of(LayerPlan layer)
        => layer.Kind == ConvolutionFamily.Conv2D && layer.Options is ConvolutionOptions { Stride: 1 } c
            ? new(layer.In.Channels, layer.In.Height, layer.In.Width, layer.Out.Channels, c.KernelHeight, c.KernelWidth,
                c.Padding, c.Dilation, layer.Out.Height, layer.Out.Width)
            : null;

    public int PaddedHeight => Height + 2 * Padding;

    public int PaddedWidth => Width + 2 * Padding;

    public int PaddedPlane => PaddedHeight * PaddedWidth;

    /// <summary>Taps per output channel: in_c·kh·kw, the row length of the weights.</summary>
    public int Taps => Channels * KernelHeight * KernelWidth;

    /// <summary>Grid positions that are computed: <see cref="GridHeight"/> rows of <see cref="PaddedWidth"/>.</summary>
    public int GridColumns => GridHeight * PaddedWidth;

    /// <summary>Floats per output channel on the grid, rounded up to whole vectors.</summary>
    public int Columns => RoundUp(GridColumns, ColumnAlignment);

    /// <summary>Floats from one channel of the padded image to the next: at least <see cref="Columns"/>, so the grid of one
    /// channel shifted by any tap never reaches the same float as that of the next channel.</summary>
    public int PlaneStride => System.Math.Max(PaddedPlane, Columns);

    /// <summary>The padded image plus the slack that the last tap of the last grid vector reads past its last channel.</summary>
    public int PaddedSize => RoundUp((Channels - 1) * PlaneStride + Dilation * ((KernelHeight - 1) * PaddedWidth + KernelWidth - 1) + Columns, ColumnAlignment);

    /// <summary>All output channels on the grid.</summary>
    public int GridSize => OutChannels * Columns;

    /// <summary>One sample's padded image followed by its grid.</summary>
    public int SampleSize => PaddedSize + GridSize;

    /// <summary>Samples per weight-gradient chunk.</summary>
    public int SamplesPerChunk => System.Math.Max(1, (UsesChannelVectors ? ChannelChunkFloats : GridChunkFloats) / SampleSize);

    /// <summary>Whether the vector paths compute the weight gradient with vectors along the output channels (a multiple of
    /// 8 of them: AVX2 at least; AVX-512 needs 16): dz is then transposed to [position, channel] in the chunk.</summary>
    public bool UsesChannelVectors => OutChannels % 8 == 0;

    /// <summary>Where the AVX-512 path runs along the grid (out_c not a multiple of 16), each weight keeps a vector of
    /// partial sums over the whole batch in the scratch after the chunk, summed horizontally once at the end.</summary>
    public int PartialSums => OutChannels % 16 == 0 ? 0 : OutChannels * Taps * 16;

    /// <summary>Scratch floats: forward and input gradient need one sample, the weight gradient a chunk and its partial sums.</summary>
    public int ScratchSize(bool training) => training ? SamplesPerChunk * SampleSize + PartialSums : SampleSize;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
