using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>One layer as shape inference meets it: the network, the attribute, the resolved name and index, whether it
/// is the output layer, the outputs a residual may refer to, and where its diagnostics go (at the attribute).</summary>
internal sealed class LayerContext(
    NetworkSpec network,
    LayerSpec layer,
    string name,
    int index,
    bool isOutput,
    IReadOnlyDictionary<string, (Shape Shape, int Buffer)> outputs,
    List<DiagnosticInfo> diagnostics)
{
    public NetworkSpec Network => network;

    public LayerSpec Layer => layer;

    public string Kind => layer.Kind;

    public string Name => name;

    /// <summary>The layer's index in the plan (1 for the first layer after the input).</summary>
    public int Index => index;

    public bool IsOutput => isOutput;

    /// <summary>Every name a residual can refer to: the layer's output shape and the index of the buffer holding it.</summary>
    public IReadOnlyDictionary<string, (Shape Shape, int Buffer)> Outputs => outputs;

    public void Report(DiagnosticDescriptor descriptor, params string[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, layer.Location, arguments));

    /// <summary>Reports <paramref name="descriptor"/> with the value a code fix would put in place, if any.</summary>
    public void ReportWithSuggestion(DiagnosticDescriptor descriptor, string? suggestion, params string[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, layer.Location, arguments) with { Suggestion = suggestion });

    /// <summary>NG0008: an argument of this layer is out of its range.</summary>
    public void Invalid(string problem) => Report(DiagnosticDescriptors.InvalidArgument, layer.Kind, name, problem);

    /// <summary>A plan of this layer with no parameters and the identity activation.</summary>
    public LayerPlan Plain(Shape input, Shape output, LayerOptions options) => new(layer.Kind, index, name, input, output, options);
}
