using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers.Normalization;

/// <summary>[LocalResponseNorm(size)]: the window of n channels, α (divided by n), β and k.</summary>
internal sealed record LocalResponseNormOptions(int Size, float Alpha, float Beta, float K) : LayerOptions;

/// <summary>Local response normalization across channels, b = a / (k + (α/n)·Σ a²)^β over a window of n channels, with the
/// runtime's kernels (<c>NetGen.Kernels.NormalizationKernels</c>).</summary>
internal sealed class LocalResponseNormFamily : LayerFamily
{
    public const string LocalResponseNorm = nameof(LocalResponseNorm);

    public override IReadOnlyList<string> Kinds { get; } = [LocalResponseNorm];

    private static LocalResponseNormOptions Options(LayerPlan layer) => (LocalResponseNormOptions)layer.Options;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
        => Spec(kind, attribute, syntax, new LocalResponseNormOptions(
            IntArgument(attribute, 0),
            (float)(NamedArgument(attribute, "Alpha") ?? 1e-4f),
            (float)(NamedArgument(attribute, "Beta") ?? 0.75f),
            (float)(NamedArgument(attribute, "K") ?? 1f)));

    public override string NamePrefix(string kind) => "lrn";

    public override void CheckArguments(LayerContext context)
    {
        var options = (LocalResponseNormOptions)context.Layer.Options;
        if (options.Size < 1)
        {
            context.Invalid($"size = {Format(options.Size)} must be at least 1 channel");
        }
        if (!(options.Alpha >= 0f) || float.IsInfinity(options.Alpha) || !(options.Beta >= 0f) || float.IsInfinity(options.Beta))
        {
            context.Invalid($"Alpha = {Format(options.Alpha)} and Beta = {Format(options.Beta)} must be finite numbers ≥ 0");
        }
        if (!(options.K > 0f) || float.IsInfinity(options.K))
        {
            context.Invalid($"K = {Format(options.K)} must be a finite number > 0 (it keeps the denominator away from 0)");
        }
    }

    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        var options = (LocalResponseNormOptions)context.Layer.Options;
        return context.Plain(input, input, options) with { Flops = (long)input.Size * (options.Size + 4) };
    }

    public override string Details(NetworkPlan plan, LayerPlan layer)
    {
        LocalResponseNormOptions options = Options(layer);
        return $", size {Num(options.Size)}, α = {Format(options.Alpha)} (divided by the size), β = {Format(options.Beta)}, k = {Format(options.K)}";
    }

    public override IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        yield return ("Denominator", $"capacity * {Num(layer.Outputs)}", "k + (α/n)·Σ a² per value, for backward");
    }

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        LocalResponseNormOptions options = Options(layer);
        string i = Num(layer.Index);
        (int channels, int pixels) = layer.ChannelPlanes;
        string xSpan = OutputSlice(layer.Source, layer.Inputs);
        string zSpan = Slice($"ws.Z{i}", layer.Outputs);
        steps.Samples($"{layer.Name}: {layer.Kind}", w => w.Line(
            $"{Kernels}.NormalizationKernels.LocalResponseNormForward({xSpan}, {zSpan}, {Slice($"ws.Denominator{i}", layer.Outputs)}, count, {Num(channels)}, {Num(pixels)}, {Num(options.Size)}, {Float(options.Alpha)}, {Float(options.Beta)}, {Float(options.K)});"));
    }

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        LocalResponseNormOptions options = Options(layer);
        string i = Num(layer.Index);
        (int channels, int pixels) = layer.ChannelPlanes;
        string xSpan = OutputSlice(layer.Source, layer.Inputs);
        string dzSpan = Slice($"ws.G{i}", layer.Outputs);
        IntoInput(steps, flow, layer.Source, layer.Inputs, $"{layer.Name}: {layer.Kind} ∂x", target =>
            $"{Kernels}.NormalizationKernels.LocalResponseNormBackward({xSpan}, {Slice($"ws.Denominator{i}", layer.Outputs)}, {dzSpan}, {Slice(target, layer.Inputs)}, count, {Num(channels)}, {Num(pixels)}, {Num(options.Size)}, {Float(options.Alpha)}, {Float(options.Beta)});");
    }
}
