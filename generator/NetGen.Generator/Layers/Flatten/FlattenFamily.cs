using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;
using static NetGen.Generator.Layers.AttributeArguments;

namespace NetGen.Generator.Layers.Flatten;

/// <summary>[Flatten]: no arguments.</summary>
internal sealed record FlattenOptions : LayerOptions;

/// <summary>Flatten: an image becomes a vector of the same values in CHW order. Buffers are CHW already, so the layer
/// owns no buffer and no step: the layers after it read its source's output.</summary>
internal sealed class FlattenFamily : LayerFamily
{
    public const string Flatten = nameof(Flatten);

    public override IReadOnlyList<string> Kinds { get; } = [Flatten];

    public override bool OwnsOutput => false;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
        => Spec(kind, attribute, syntax, new FlattenOptions());

    public override string NamePrefix(string kind) => "flatten";

    public override LayerPlan? Plan(LayerContext context, Shape input) => context.Plain(input, new Shape(input.Size, 1, 1), context.Layer.Options);
}
