using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Codegen;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers.Dense;

/// <summary>[Dense(units, activation)]: the number of output units and the linear layer's arguments.</summary>
internal sealed record DenseOptions(int Units) : LinearOptions;

/// <summary>
/// Dense layers: z = W·x + b over the flattened input (an image input is flattened, with a warning), weights stored in
/// panels of output units (<see cref="DenseLayout"/>), kernels in <see cref="DenseKernels"/>; the weight gradient splits
/// over the output panels.
/// </summary>
internal sealed class DenseFamily : LinearFamily
{
    public const string Dense = nameof(Dense);

    public override IReadOnlyList<string> Kinds { get; } = [Dense];

    protected override int PanelWidth => DenseLayout.PanelWidth;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
        => Spec(kind, attribute, syntax, WithLinearArguments(new DenseOptions(IntArgument(attribute, 0)), attribute)) with
        {
            Activation = ActivationArgument(attribute, 1),
            Alpha = AlphaArgument(attribute),
        };

    public override string NamePrefix(string kind) => "dense";

    public override void CheckArguments(LayerContext context)
        => CheckLinearArguments(context, (DenseOptions)context.Layer.Options, softmaxAllowed: context.IsOutput);

    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        var options = (DenseOptions)context.Layer.Options;
        if (options.Units < 1)
        {
            context.Report(DiagnosticDescriptors.NonPositiveSize, "Dense", context.Name, "units", Format(options.Units));
            return null;
        }
        if (input.IsImage)
        {
            context.Report(DiagnosticDescriptors.ImplicitFlatten, context.Name, input.ToString(), Format(input.Size));
        }
        long weights = (long)input.Size * options.Units;
        return WithParameters(context, options, new Shape(input.Size, 1, 1), new Shape(options.Units, 1, 1), weights, 2 * weights + (options.Bias ? options.Units : 0));
    }

    /// <summary>The plan of a residual's projection from <paramref name="source"/> to <paramref name="output"/> (vectors).</summary>
    public static LayerPlan Projection(int index, string name, Shape source, Shape output)
    {
        long weights = (long)source.Size * output.Size;
        return new LayerPlan(Dense, index, name, new Shape(source.Size, 1, 1), output, new DenseOptions(output.Size) { Init = Init.GlorotUniform, InitScale = 0f })
        {
            Flops = 2 * weights + output.Size,
            WeightCount = (int)System.Math.Min(weights, int.MaxValue),
            BiasCount = output.Channels,
        };
    }

    public override string ForwardName(LayerPlan layer) => DenseKernels.ForwardName(layer);

    public override string BackwardWeightsName(LayerPlan layer) => DenseKernels.BackwardWeightsName(layer);

    public override string BackwardInputName(LayerPlan layer) => DenseKernels.BackwardInputName(layer);

    protected override (int FanIn, int FanOut) Fans(LayerPlan layer) => (layer.Inputs, layer.Outputs);

    protected override int[] WeightShape(LayerPlan layer) => [layer.Outputs, layer.Inputs];

    public override bool FusesActivation(LayerPlan layer) => DenseKernels.FusesActivation(layer);

    protected override string ForwardArguments(NetworkPlan plan, LayerPlan layer)
        => FusesActivation(layer) ? Rows($"ws.{ActivationBuffer(layer)}", layer.Outputs) + ", " : "";

    protected override string WholeWeightGradientArguments(LayerPlan layer) => $", 0, {Num(DenseKernels.PanelCount(layer))}";

    /// <summary>
    /// The weight and bias gradients over the layer's output panels (each element sums the whole batch in order). The
    /// step writes only the layer's own gradients, so it runs in one split with the input gradient that follows it.
    /// </summary>
    protected override void EmitWeightGradient(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string x, string dz)
    {
        string kernels = plan.TypeName + "Kernels";
        string name = BackwardWeightsName(layer);
        string biasGradient = layer.HasBias ? $", ref Unsafe.Add(ref g, {Num(layer.BiasOffset)})" : "";
        int panels = DenseKernels.PanelCount(layer);
        steps.ItemsBeforeIndependentSamples(panels, $"{layer.Name}: ∂w, ∂b (per output panel)", w =>
        {
            if (panels > 1)
            {
                // A thread with only some panels reads every sample's rows, most of them written on other cores
                // (on one thread, a sharded pass still runs the panels one by one: nothing to fetch from elsewhere).
                w.Open($"if ((start > 0 || end < {Num(panels)}) && _threads.Count > 1)");
                w.Line($"{Kernels}.VectorOps.BringIntoCache({WholeOutput(source, layer.Inputs)});");
                w.Line($"{Kernels}.VectorOps.BringIntoCache({dz}.Span.Slice(0, n * {Num(layer.Outputs)}));");
                w.Close();
            }
            w.Line($"{kernels}.{name}({x}, ref {dz}.Reference, ref Unsafe.Add(ref g, {Num(layer.WeightOffset)}){biasGradient}, n, start, end);");
        }, layer.Flops, StepKind.WeightPanels);
    }

    public override void EmitLinearKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool needsInputGradient)
    {
        w.Line();
        DenseKernels.EmitForward(w, plan, layer);
        if (plan.IsTrainable)
        {
            w.Line();
            DenseKernels.EmitBackwardWeights(w, layer);
            if (needsInputGradient)
            {
                w.Line();
                DenseKernels.EmitBackwardInput(w, plan, layer);
            }
        }
    }
}
