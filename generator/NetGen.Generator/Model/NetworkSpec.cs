using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>Where a diagnostic goes. Kept as tree + span (not a <see cref="Location"/> detached from its tree) so
/// <c>#pragma warning disable</c> and editor squiggles work. Never part of a <see cref="NetworkPlan"/>.</summary>
internal readonly record struct LocationInfo(SyntaxTree Tree, TextSpan Span)
{
    public Location ToLocation() => Location.Create(Tree, Span);

    public static LocationInfo From(SyntaxNode node) => new(node.SyntaxTree, node.Span);

    public static LocationInfo From(SyntaxToken token) => new(token.SyntaxTree!, token.Span);
}

/// <summary>A diagnostic as pipeline data: descriptor, place, and the message arguments as strings.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), [.. Arguments]);
}

/// <summary>The kinds of layer attribute the parser knows.</summary>
internal enum LayerKind
{
    Input,
    Dense,
    Conv2D,
    ConvTranspose2D,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool2D,
    Flatten,
    BatchNorm,
    LayerNorm,
    GroupNorm,
    LocalResponseNorm,
    Dropout,
    AlphaDropout,
    GaussianNoise,
    Residual,
}

/// <summary>One layer attribute, as written (not yet checked).</summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int Size,
    Activation Activation,
    bool HasBias,
    Init Init,
    float InitScale,
    float BiasInit,
    float Alpha,
    string? Name,
    LocationInfo Location)
{
    /// <summary>Image input: channels, height, width (a vector input is size × 1 × 1).</summary>
    public int Channels { get; init; }

    public int Height { get; init; } = 1;

    public int Width { get; init; } = 1;

    public int KernelHeight { get; init; }

    public int KernelWidth { get; init; }

    public int Stride { get; init; } = 1;

    public int Padding { get; init; }

    public Padding PaddingMode { get; init; }

    public int Dilation { get; init; } = 1;

    public int OutputPadding { get; init; }

    /// <summary>Dropout and alpha dropout: the drop probability; Gaussian noise: σ.</summary>
    public float Rate { get; init; } = float.NaN;

    /// <summary>Normalization layers: ε added to the variance.</summary>
    public float Epsilon { get; init; } = 1e-5f;

    /// <summary>Batch normalization: the weight of the newest batch in the running averages.</summary>
    public float Momentum { get; init; } = 0.1f;

    /// <summary>Normalization layers: whether γ and β are learned.</summary>
    public bool Affine { get; init; } = true;

    /// <summary>Group normalization: the number of groups; local response normalization: the window size.</summary>
    public int Groups { get; init; }

    /// <summary>Local response normalization: α, β and k.</summary>
    public float LrnAlpha { get; init; }

    public float LrnBeta { get; init; }

    public float LrnK { get; init; }

    /// <summary>Residual: the name of the layer whose output is added.</summary>
    public string? From { get; init; }

    /// <summary>Residual: whether the skipped output is projected.</summary>
    public bool Projection { get; init; }

    /// <summary>Dense and Conv2D: whether the weights are weight-normalized.</summary>
    public bool WeightNorm { get; init; }
}

/// <summary>A network class as declared: its name, loss and layer attributes in source order. <paramref name="CanEmit"/>
/// is false when the class itself is unusable (not partial, generic...): its layers are still checked, so every error
/// shows at once, but no code is generated.</summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string TypeName,
    Loss Loss,
    LocationInfo ClassLocation,
    EquatableArray<LayerSpec> Layers,
    bool CanEmit)
{
    /// <summary>The <c>Weights</c> file named on [Network], if any, and where that argument is written.</summary>
    public string? WeightsFile { get; init; }

    public LocationInfo? WeightsLocation { get; init; }
}

/// <summary>What the parser produced: a spec when generation can go on, and the declaration errors it found.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, string TypeName, EquatableArray<DiagnosticInfo> Diagnostics);
