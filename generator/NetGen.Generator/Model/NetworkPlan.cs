
namespace NetGen.Generator.Model;

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

    /// <summary>The layer whose output this layer reads (0: the network input); flatten layers are looked through.</summary>
    public int Source { get; init; }

    /// <summary>Residual: the layer whose output is added (0: the network input).</summary>
    public int Skip { get; init; } = -1;

    /// <summary>Residual with a projection: the dense layer or 1×1 convolution applied to the skipped output (its
    /// <see cref="Index"/> is the residual's, its name <c>res.projection</c>).</summary>
    public LayerPlan? Projection { get; init; }

    /// <summary>Dropout and alpha dropout: the drop probability; Gaussian noise: σ.</summary>
    public float Rate { get; init; }

    /// <summary>Normalization: ε.</summary>
    public float Epsilon { get; init; }

    /// <summary>Batch normalization: running-average momentum.</summary>
    public float Momentum { get; init; }

    /// <summary>Group normalization: groups; layer normalization: 1; batch normalization: channels.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Local response normalization: window size n, α, β, k.</summary>
    public int WindowSize { get; init; }

    public float LrnAlpha { get; init; }

    public float LrnBeta { get; init; }

    public float LrnK { get; init; }

    /// <summary>Dense or Conv2D with weight normalization: <see cref="WeightOffset"/> holds v and <see cref="ScaleOffset"/> g.</summary>
    public bool WeightNorm { get; init; }

    /// <summary>Multiplicative parameters: γ of a normalization layer, g of weight normalization (0 when none).</summary>
    public int ScaleOffset { get; init; }

    public int ScaleCount { get; init; }

    /// <summary>Number of biases (β of a normalization layer); output channels unless set.</summary>
    public int BiasCount { get; init; } = -1;

    /// <summary>Offset and length in the state buffer (batch normalization: running mean, then running variance).</summary>
    public int StateOffset { get; init; }

    public int StateCount { get; init; }

    /// <summary>Number of biases actually stored.</summary>
    public int Biases => !HasBias ? 0 : BiasCount >= 0 ? BiasCount : Out.Channels;

    /// <summary>Flat input size per sample.</summary>
    public int Inputs => In.Size;

    /// <summary>Flat output size per sample.</summary>
    public int Outputs => Out.Size;

    /// <summary>Trainable parameters of the layer itself, without a projection's.</summary>
    public int OwnParameterCount => ScaleCount + WeightCount + Biases;

    public int ParameterCount => OwnParameterCount + (Projection?.ParameterCount ?? 0);

    public bool HasParameters => ParameterCount > 0;

    /// <summary>Layers with weights multiplied in by a GEMM: dense layers and (transposed) convolutions.</summary>
    public bool IsLinear => Kind is LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D;

    /// <summary>Dropout, alpha dropout and noise: random in training mode, the identity in inference.</summary>
    public bool IsStochastic => Kind is LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.GaussianNoise;

    /// <summary>Normalization layers whose statistics are per sample (the same in training and inference).</summary>
    public bool IsSampleNormalization => Kind is LayerKind.LayerNorm or LayerKind.GroupNorm;

    /// <summary>Channels × spatial positions of the input, for per-channel kernels: (channels, pixels per channel).</summary>
    public (int Channels, int Pixels) ChannelPlanes => (In.Channels, In.Height * In.Width);

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
    /// <summary>Length of the state buffer (running statistics).</summary>
    public int StateCount { get; init; }

    public int InputSize => Input.Size;

    public LayerPlan OutputLayer => Layers[Layers.Count - 1];

    public bool IsTrainable => Loss != Loss.None;
}

/// <summary>Shape inference's answer: a plan when the network is valid, every diagnostic found, and the spec it came
/// from (for later steps that need the declaration, such as checking a weights file).</summary>
internal sealed record InferenceResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics, NetworkSpec? Spec = null);
