namespace NetGen.Generator.Model;

/// <summary>A per-sample tensor shape, channel-major (CHW). Vectors are n × 1 × 1.</summary>
internal readonly record struct Shape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public bool IsImage => Height > 1 || Width > 1;

    public override string ToString() => IsImage ? $"{Channels}×{Height}×{Width}" : Channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One layer with every size, offset and default resolved: its kind, position, name, shapes, the activation of
/// its output, its parameters' place in the buffers, and its family's resolved options. Holds no source locations, so a
/// comment edit leaves the plan equal and the emitted file cached.</summary>
internal sealed record LayerPlan(string Kind, int Index, string Name, Shape In, Shape Out, LayerOptions Options)
{
    /// <summary>The activation applied to the layer's output (z → a).</summary>
    public Activation Activation { get; init; }

    /// <summary>α of a LeakyReLU or ELU activation.</summary>
    public float Alpha { get; init; }

    /// <summary>Floating-point operations per sample forward of the layer's own product (a multiply-add counts 2).</summary>
    public long Flops { get; init; }

    /// <summary>The layer whose output this layer reads (0: the network input); flatten layers are looked through.</summary>
    public int Source { get; init; }

    /// <summary>A second layer whose output this layer reads (0: the network input; a residual's skip), or −1.</summary>
    public int Skip { get; init; } = -1;

    /// <summary>Multiplicative parameters: γ of a normalization layer, g of weight normalization (0 when none).</summary>
    public int ScaleOffset { get; init; }

    public int ScaleCount { get; init; }

    /// <summary>The weights (v under weight normalization).</summary>
    public int WeightOffset { get; init; }

    public int WeightCount { get; init; }

    /// <summary>Additive parameters: biases, β of a normalization layer (0 when none).</summary>
    public int BiasOffset { get; init; }

    public int BiasCount { get; init; }

    /// <summary>Offset and length in the state buffer (batch normalization: running mean, then running variance).</summary>
    public int StateOffset { get; init; }

    public int StateCount { get; init; }

    public bool HasBias => BiasCount > 0;

    /// <summary>Flat input size per sample.</summary>
    public int Inputs => In.Size;

    /// <summary>Flat output size per sample.</summary>
    public int Outputs => Out.Size;

    /// <summary>Channels × spatial positions of the input, for per-channel kernels: (channels, pixels per channel).</summary>
    public (int Channels, int Pixels) ChannelPlanes => (In.Channels, In.Height * In.Width);

    /// <summary>Identity layers need no separate activation buffer: a = z.</summary>
    public bool ActivationIsIdentity => Activation == Activation.Identity;
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
