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

/// <summary>A diagnostic as pipeline data: descriptor, place, the message arguments as strings, and a
/// <see cref="Suggestion"/> for a code fix (passed as the diagnostic's property <see cref="SuggestionProperty"/>).</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    /// <summary>The property of a diagnostic that holds the value a code fix puts in place (NG0013: the nearest name).</summary>
    public const string SuggestionProperty = "Suggestion";

    public string? Suggestion { get; init; }

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor, location, arguments.ToEquatableArray());

    /// <summary>The diagnostic, its help link to the page in <paramref name="pagesFolder"/> when the build passed one
    /// (<see cref="Diagnostics.HelpLinks"/>).</summary>
    public Diagnostic ToDiagnostic(string? pagesFolder = null) => Diagnostic.Create(Diagnostics.HelpLinks.Linked(Descriptor, pagesFolder), Location?.ToLocation(),
        Suggestion is null ? null : System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add(SuggestionProperty, Suggestion),
        [.. Arguments]);
}

/// <summary>One layer attribute, as written (not yet checked): its kind (the attribute's name without "Attribute"), the
/// name given to it, where it is written, and its family's options. <see cref="Activation"/> and <see cref="Alpha"/> are
/// the activation applied to the layer's output (identity for layers that take none) and its α (NaN: the default).</summary>
internal sealed record LayerSpec(string Kind, string? Name, LocationInfo Location, LayerOptions Options)
{
    public Activation Activation { get; init; }

    public float Alpha { get; init; } = float.NaN;
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
