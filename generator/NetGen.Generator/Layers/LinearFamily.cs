using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers;

/// <summary>The arguments every layer with a weight matrix takes (dense layers, convolutions); in a plan, <see cref="Init"/>
/// and <see cref="InitScale"/> are resolved.</summary>
internal abstract record LinearOptions : LayerOptions
{
    /// <summary>Whether the layer adds a bias per output unit or channel.</summary>
    public bool Bias { get; init; } = true;

    public Init Init { get; init; }

    /// <summary>The constant, bound or σ of <see cref="Init"/> (NaN: the default).</summary>
    public float InitScale { get; init; } = float.NaN;

    public float BiasInit { get; init; }

    /// <summary>Whether the weights are weight-normalized: the parameters hold v and g, the kernels w = g·v/‖v‖.</summary>
    public bool WeightNorm { get; init; }
}

/// <summary>
/// What dense layers and convolutions share: their weight, bias and weight-norm arguments, their parameter tensors and
/// initialization, and their steps: forward <c>z = W·x + b</c> (through the effective weights under weight
/// normalization), backward the weight gradient (by the family: per output panel or per shard of the batch) and the input
/// gradient. A residual's projection is a dense layer or a 1×1 convolution and runs through the same steps.
/// </summary>
internal abstract class LinearFamily : LayerFamily
{
    /// <summary>The stored width of the output panels of the weights (0: PyTorch's layout).</summary>
    protected abstract int PanelWidth { get; }

    /// <summary>Whether the kernels take this thread's slot of the convolution scratch.</summary>
    protected virtual bool UsesScratch => false;

    public abstract string ForwardName(LayerPlan layer);

    public abstract string BackwardWeightsName(LayerPlan layer);

    public abstract string BackwardInputName(LayerPlan layer);

    /// <summary>Fan-in and fan-out as PyTorch computes them for this layer's weight layout.</summary>
    protected abstract (int FanIn, int FanOut) Fans(LayerPlan layer);

    /// <summary>The weight tensor's PyTorch shape.</summary>
    protected abstract int[] WeightShape(LayerPlan layer);

    /// <summary>What the remarks say between the kind and the activation (a convolution's geometry).</summary>
    protected virtual string Geometry(LayerPlan layer) => "";

    /// <summary>Arguments of the forward kernel between z and the sample count, each followed by ", ".</summary>
    protected abstract string ForwardArguments(NetworkPlan plan, LayerPlan layer);

    /// <summary>Arguments of the weight-gradient kernel after the sample count when it runs whole (weight normalization).</summary>
    protected virtual string WholeWeightGradientArguments(LayerPlan layer) => "";

    /// <summary>The step or steps of the weight and bias gradients without weight normalization, split so that the
    /// arithmetic does not depend on the thread count.</summary>
    protected abstract void EmitWeightGradient(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string x, string dz);

    /// <summary>The layer's kernels; the input gradient's only when <paramref name="needsInputGradient"/>.</summary>
    public abstract void EmitLinearKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool needsInputGradient);

    /// <summary>Reads the arguments all linear layers take.</summary>
    protected static T WithLinearArguments<T>(T options, AttributeData attribute)
        where T : LinearOptions
        => options with
        {
            Bias = (bool)(NamedArgument(attribute, "Bias") ?? true),
            Init = (Init)(int)(NamedArgument(attribute, "Init") ?? 0),
            InitScale = (float)(NamedArgument(attribute, "InitScale") ?? float.NaN),
            BiasInit = (float)(NamedArgument(attribute, "BiasInit") ?? 0f),
            WeightNorm = (bool)(NamedArgument(attribute, "WeightNorm") ?? false),
        };

    /// <summary>The activation and the initialization arguments (after the family's own checks).</summary>
    protected static void CheckLinearArguments(LayerContext context, LinearOptions options, bool softmaxAllowed)
    {
        CheckActivation(context, softmaxAllowed);
        if (!Enum.IsDefined(typeof(Init), options.Init))
        {
            context.Invalid($"init value {(int)options.Init} is not a member of Init");
        }
        if (!float.IsNaN(options.InitScale) && (float.IsInfinity(options.InitScale) || (options.Init is Init.Uniform or Init.Normal && options.InitScale < 0f)))
        {
            context.Invalid($"InitScale = {Format(options.InitScale)} must be finite (and ≥ 0 for Uniform and Normal)");
        }
        if (!float.IsNaN(options.InitScale) && options.Init is not (Init.Constant or Init.Uniform or Init.Normal))
        {
            context.Invalid($"InitScale applies to Constant, Uniform and Normal, not {InitRules.Resolve(options.Init, context.Layer.Activation)}");
        }
        if (float.IsNaN(options.BiasInit) || float.IsInfinity(options.BiasInit))
        {
            context.Invalid("BiasInit must be finite");
        }
        if (!options.Bias && options.BiasInit != 0f)
        {
            context.Invalid("BiasInit is set but Bias = false");
        }
    }

    /// <summary>A plan with the initialization resolved and the parameters counted: g per output channel under weight
    /// normalization, <paramref name="weights"/> weights, a bias per output channel.</summary>
    protected static LayerPlan WithParameters(LayerContext context, LinearOptions options, Shape input, Shape output, long weights, long flops)
    {
        LayerSpec layer = context.Layer;
        Init init = InitRules.Resolve(options.Init, layer.Activation);
        float scale = float.IsNaN(options.InitScale) ? InitRules.DefaultScale(init) : options.InitScale;
        return context.Plain(input, output, options with { Init = init, InitScale = scale }) with
        {
            Activation = layer.Activation,
            Alpha = ResolvedAlpha(layer),
            Flops = flops,
            ScaleCount = options.WeightNorm ? output.Channels : 0,
            WeightCount = (int)Math.Min(weights, int.MaxValue),
            BiasCount = options.Bias ? output.Channels : 0,
        };
    }

    protected static LinearOptions Linear(LayerPlan layer) => (LinearOptions)layer.Options;

    public override long ParameterCount(LayerPlan layer)
    {
        long weights = 1;
        foreach (int extent in WeightShape(layer))
        {
            weights *= extent;
        }
        return layer.ScaleCount + weights + layer.BiasCount;
    }

    public override string Details(NetworkPlan plan, LayerPlan layer)
        => Geometry(layer) + $", {layer.Activation}, {Linear(layer).Init} init{(layer.HasBias ? "" : ", no bias")}{(Linear(layer).WeightNorm ? ", weight norm" : "")}";

    public override void AddTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
        int[] weightShape = WeightShape(layer);
        // Weight normalization keeps PyTorch's weight_norm names: g of shape [out, 1, ...], v of the weight's shape.
        if (Linear(layer).WeightNorm)
        {
            int[] gShape = new int[weightShape.Length];
            gShape[0] = layer.Out.Channels;
            for (int d = 1; d < gShape.Length; d++)
            {
                gShape[d] = 1;
            }
            tensors.Add(new TensorPlan(layer.Name + ".weight_g", layer.Name, "Scale", layer.ScaleOffset, gShape.ToEquatableArray(), 0));
        }
        string weight = Linear(layer).WeightNorm ? ".weight_v" : ".weight";
        tensors.Add(new TensorPlan(layer.Name + weight, layer.Name, "Weight", layer.WeightOffset, weightShape.ToEquatableArray(), PanelWidth));
        if (layer.HasBias)
        {
            tensors.Add(new TensorPlan(layer.Name + ".bias", layer.Name, "Bias", layer.BiasOffset, TensorPlan.Vector(layer.Out.Channels), 0));
        }
    }

    public override void EmitFields(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        if (!Linear(layer).WeightNorm)
        {
            return;
        }
        string i = Num(layer.Index);
        w.Line($"/// <summary>{layer.Name}: the effective weights g·v/‖v‖ (kernel layout), ‖v‖ per unit, and ∂L/∂w for backward.</summary>");
        w.Line($"private readonly global::NetGen.AlignedBuffer _weight{i} = new({Num(layer.WeightCount)});");
        w.Line($"private readonly global::NetGen.AlignedBuffer _norms{i} = new({Num(layer.Out.Channels)});");
        w.Line($"private readonly global::NetGen.AlignedBuffer _weightGradient{i} = new({(plan.IsTrainable ? Num(layer.WeightCount) : "0")});");
    }

    public override void EmitInitialize(SourceWriter w, LayerPlan layer)
    {
        LinearOptions options = Linear(layer);
        (int fanIn, int fanOut) = Fans(layer);
        w.Line($"global::NetGen.Initializers.Fill(p.Slice({Num(layer.WeightOffset)}, {Num(layer.WeightCount)}), global::NetGen.Init.{options.Init}, global::NetGen.Activation.{layer.Activation}, {Float(options.InitScale)}, fanIn: {Num(fanIn)}, fanOut: {Num(fanOut)}, random);");
        if (layer.HasBias)
        {
            w.Line($"p.Slice({Num(layer.BiasOffset)}, {Num(layer.Out.Channels)}).Fill({Float(options.BiasInit)});");
        }
        if (options.WeightNorm)
        {
            w.Line($"global::NetGen.Kernels.WeightNormKernels.InitializeMagnitudes(p.Slice({Num(layer.WeightOffset)}, {Num(layer.WeightCount)}), p.Slice({Num(layer.ScaleOffset)}, {Num(layer.ScaleCount)}), {Num(layer.Out.Channels)}, {StoredLayout()});");
        }
    }

    /// <summary>The stored layout of the weights as the runtime's kernels take it.</summary>
    private string StoredLayout() => $"panelWidth: {Num(PanelWidth)}";

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
        => EmitLinearForward(steps, plan, layer, layer.Source, Rows($"ws.Z{Num(layer.Index)}", layer.Outputs));

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
        => EmitLinearBackward(steps, plan, layer, layer.Source, $"ws.G{Num(layer.Index)}", flow);

    public override void EmitKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
        => EmitLinearKernels(w, plan, layer, flow.Needs(layer.Source));

    /// <summary>Forward of the layer from the output of layer <paramref name="source"/> into <paramref name="z"/> (rows).</summary>
    public void EmitLinearForward(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string z)
    {
        string kernels = plan.TypeName + "Kernels";
        string bias = layer.HasBias ? $"ref Unsafe.Add(ref p, {Num(layer.BiasOffset)}), " : "";
        if (Linear(layer).WeightNorm)
        {
            string i = Num(layer.Index);
            steps.Whole($"{layer.Name}: w = g·v/‖v‖", w => w.Line(
                $"{Kernels}.WeightNormKernels.Forward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _weight{i}.Span, _norms{i}.Span, {Num(layer.Out.Channels)}, {StoredLayout()});"));
        }
        string weights = Weights(layer);
        string x = OutputRows(source, layer.Inputs);
        string arguments = ForwardArguments(plan, layer);
        steps.Samples($"{layer.Name}: {layer.Kind}{(FusesActivation(layer) ? " and " + layer.Activation : "")}", w => w.Line(
            $"{kernels}.{ForwardName(layer)}({x}, {weights}, {bias}{z}, {arguments}count);"));
    }

    /// <summary>Backward of the layer once <paramref name="dz"/> holds ∂L/∂z: the weight and bias gradients, then the
    /// gradient of the output of layer <paramref name="source"/> if it needs one.</summary>
    public void EmitLinearBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string dz, GradientFlow flow)
    {
        string kernels = plan.TypeName + "Kernels";
        string columns = UsesScratch ? ", " + Columns(plan) : "";
        string biasGradient = layer.HasBias ? $", ref Unsafe.Add(ref g, {Num(layer.BiasOffset)})" : "";
        string x = source == 0 ? "ref input" : $"ref ws.A{Num(source)}.Reference";
        if (Linear(layer).WeightNorm)
        {
            // ∂L/∂w of the effective weights first, then the chain rule through w = g·v/‖v‖.
            string i = Num(layer.Index);
            steps.Whole($"{layer.Name}: ∂w, ∂b, then ∂g, ∂v", w =>
            {
                w.Line($"_weightGradient{i}.Span.Clear();");
                w.Line($"{kernels}.{BackwardWeightsName(layer)}({x}, ref {dz}.Reference, ref _weightGradient{i}.Reference{biasGradient}{columns}, n{WholeWeightGradientArguments(layer)});");
                w.Line($"{Kernels}.WeightNormKernels.Backward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _norms{i}.Span, _weightGradient{i}.Span, {Gradients(layer.WeightOffset, layer.WeightCount)}, {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Num(layer.Out.Channels)}, {StoredLayout()});");
            });
        }
        else
        {
            EmitWeightGradient(steps, plan, layer, source, x, dz);
        }
        string weights = Weights(layer);
        IntoInput(steps, flow, source, layer.Inputs, $"{layer.Name}: ∂x", target =>
            $"{kernels}.{BackwardInputName(layer)}({Rows(dz, layer.Outputs)}, {weights}, {Rows(target, layer.Inputs)}{columns}, count);");
    }

    /// <summary>The weights the kernels multiply with: the parameters, or the effective weights of weight normalization.</summary>
    private static string Weights(LayerPlan layer)
        => Linear(layer).WeightNorm ? $"ref _weight{Num(layer.Index)}.Reference" : $"ref Unsafe.Add(ref p, {Num(layer.WeightOffset)})";

    /// <summary>This thread's slot of the convolution scratch.</summary>
    protected static string Columns(NetworkPlan plan) => $"ref Unsafe.Add(ref ws.Columns.Reference, part * {Num(plan.ScratchSize)})";
}
