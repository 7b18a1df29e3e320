using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;

namespace NetGen.Generator.Layers.Input;

/// <summary>[Input(size)] or [Input(channels, height, width)]: a vector input is size × 1 × 1.</summary>
internal sealed record InputOptions(int Channels, int Height, int Width) : LayerOptions;

/// <summary>The network input: the first attribute, which gives the shape of a sample and has no plan of its own (its
/// buffer is the workspace's <c>Input</c>; a residual refers to it as "input").</summary>
internal sealed class InputFamily : LayerFamily
{
    public const string Input = nameof(Input);

    public override IReadOnlyList<string> Kinds { get; } = [Input];

    public override bool IsNetworkInput => true;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
    {
        bool image = attribute.ConstructorArguments.Length == 3;
        var options = new InputOptions(IntArgument(attribute, 0), image ? IntArgument(attribute, 1) : 1, image ? IntArgument(attribute, 2) : 1);
        return new LayerSpec(kind, "input", LocationInfo.From(syntax), options);
    }

    public override string NamePrefix(string kind) => "input";

    public override Shape? InputShape(LayerSpec layer, string typeName, List<DiagnosticInfo> diagnostics)
    {
        var options = (InputOptions)layer.Options;
        var shape = new Shape(options.Channels, options.Height, options.Width);
        bool valid = true;
        foreach ((string argument, int value) in new[] { ("channels", options.Channels), ("height", options.Height), ("width", options.Width) })
        {
            if (value < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, layer.Location, "Input", typeName,
                    shape.IsImage || argument != "channels" ? argument : "size", Format(value)));
                valid = false;
            }
        }
        return valid ? shape : null;
    }

    /// <summary>The input has no plan: shape inference starts from <see cref="InputShape"/>.</summary>
    public override LayerPlan? Plan(LayerContext context, Shape input) => null;
}
