using NetGen.Generator.Model;

namespace NetGen.Generator.Shapes;

/// <summary>A per-sample tensor shape, channel-major (CHW). Vectors are n × 1 × 1.</summary>
internal readonly record struct Shape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public bool IsImage => Height > 1 || Width > 1;

    public override string ToString() => IsImage ? $"{Channels}×{Height}×{Width}" : Channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One layer with every size, offset and default resolved. Holds no source locations, so a comment edit
/// leaves the plan equal and the emitted file cached. Convolution geometry fields are 0/1 for other kinds.</summary>
internal sealed record LayerPlan(
    LayerKind Kind,
    int Index,
    string Name,
    Shape In,
    Shape Out,
    bool HasBias,
    Activation Activation,
    float Alpha,
    Init Init,
    float InitScale,
    float BiasInit,
    int WeightOffset,
    int WeightCount,
    int BiasOffset,
    long Flops)
{
    public int KernelHeight { get; init; } = 1;

    public int KernelWidth { get; init; } = 1;

    public int Stride { get; init; } = 1;

    public int Padding { get; init; }

    public int Dilation { get; init; } = 1;

    public int OutputPadding { get; init; }

    /// <summary>Flat input size per sample.</summary>
    public int Inputs => In.Size;

    /// <summary>Flat output size per sample.</summary>
    public int Outputs => Out.Size;

    public int ParameterCount => WeightCount + (HasBias ? Out.Channels : 0);

    public bool HasParameters => WeightCount > 0;

    /// <summary>Identity layers need no separate activation buffer: a = z.</summary>
    public bool ActivationIsIdentity => Activation == Activation.Identity;

    /// <summary>Rows of the im2col matrix: kernel taps per output position (convolution) or per input position (transposed).</summary>
    public int ColumnRows => (Kind == LayerKind.ConvTranspose2D ? Out.Channels : In.Channels) * KernelHeight * KernelWidth;

    /// <summary>Columns of the im2col matrix: output pixels (convolution) or input pixels (transposed).</summary>
    public int ColumnCount => Kind == LayerKind.ConvTranspose2D ? In.Height * In.Width : Out.Height * Out.Width;

    public bool UsesColumns => Kind is LayerKind.Conv2D or LayerKind.ConvTranspose2D;

    /// <summary>Fan-in and fan-out as PyTorch computes them for this layer's weight layout.</summary>
    public (int FanIn, int FanOut) Fans => Kind switch
    {
        LayerKind.Conv2D => (In.Channels * KernelHeight * KernelWidth, Out.Channels * KernelHeight * KernelWidth),
        LayerKind.ConvTranspose2D => (Out.Channels * KernelHeight * KernelWidth, In.Channels * KernelHeight * KernelWidth),
        _ => (Inputs, Outputs),
    };

    /// <summary>The weight tensor's PyTorch shape.</summary>
    public int[] WeightShape => Kind switch
    {
        LayerKind.Conv2D => [Out.Channels, In.Channels, KernelHeight, KernelWidth],
        LayerKind.ConvTranspose2D => [In.Channels, Out.Channels, KernelHeight, KernelWidth],
        _ => [Outputs, Inputs],
    };
}

/// <summary>Everything the emitter needs to write one network, and nothing it doesn't. <see cref="ScratchSize"/> and
/// <see cref="PredictionScratchSize"/> are the floats of convolution scratch (im2col columns or the direct layout) of the
/// training and the prediction workspace.</summary>
internal sealed record NetworkPlan(
    string? Namespace,
    string TypeName,
    Loss Loss,
    Shape Input,
    int OutputSize,
    int ParameterCount,
    long FlopsPerSample,
    int MaxLayerWidth,
    int ScratchSize,
    int PredictionScratchSize,
    EquatableArray<LayerPlan> Layers)
{
    public int InputSize => Input.Size;

    public LayerPlan OutputLayer => Layers[Layers.Count - 1];

    public bool IsTrainable => Loss != Loss.None;
}

/// <summary>Shape inference's answer: a plan when the network is valid, every diagnostic found, and the spec it came
/// from (for later steps that need the declaration, such as checking a weights file).</summary>
internal sealed record InferenceResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics, NetworkSpec? Spec = null);
