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

namespace NetGen.Generator.Layers.Normalization;

/// <summary>[BatchNorm], [LayerNorm], [GroupNorm(groups)]: ε, the running averages' momentum (batch normalization),
/// whether γ and β are learned, and the groups (in a plan: channels for batch normalization, 1 for layer normalization).</summary>
internal sealed record NormalizationOptions(float Epsilon, float Momentum, bool Affine, int Groups) : LayerOptions;

/// <summary>
/// Batch normalization (per feature, per channel of an image, over the batch; running averages for inference), layer
/// normalization (per sample over everything) and group normalization (per sample and channel group), each followed by
/// an optional activation. The kernels are the runtime's (<c>NetGen.Kernels.NormalizationKernels</c>).
/// </summary>
internal sealed class NormalizationFamily : LayerFamily
{
    public const string BatchNorm = nameof(BatchNorm);
    public const string LayerNorm = nameof(LayerNorm);
    public const string GroupNorm = nameof(GroupNorm);

    public override IReadOnlyList<string> Kinds { get; } = [BatchNorm, LayerNorm, GroupNorm];

    private static NormalizationOptions Options(LayerPlan layer) => (NormalizationOptions)layer.Options;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
    {
        bool grouped = kind == GroupNorm;
        var options = new NormalizationOptions(
            (float)(NamedArgument(attribute, "Epsilon") ?? 1e-5f),
            (float)(NamedArgument(attribute, "Momentum") ?? 0.1f),
            (bool)(NamedArgument(attribute, "Affine") ?? true),
            grouped ? IntArgument(attribute, 0) : 0);
        return Spec(kind, attribute, syntax, options) with
        {
            Activation = ActivationArgument(attribute, grouped ? 1 : 0),
            Alpha = AlphaArgument(attribute),
        };
    }

    public override string NamePrefix(string kind) => kind switch
    {
        BatchNorm => "bn",
        LayerNorm => "ln",
        _ => "gn",
    };

    public override void CheckArguments(LayerContext context)
    {
        var options = (NormalizationOptions)context.Layer.Options;
        if (!(options.Epsilon > 0f) || float.IsInfinity(options.Epsilon))
        {
            context.Invalid($"Epsilon = {Format(options.Epsilon)} must be a finite number > 0");
        }
        if (context.Kind == BatchNorm && !(options.Momentum >= 0f && options.Momentum <= 1f))
        {
            context.Invalid($"Momentum = {Format(options.Momentum)} must be in [0, 1] (the weight of the newest batch in the running averages)");
        }
        CheckActivation(context, softmaxAllowed: false);
    }

    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        var options = (NormalizationOptions)context.Layer.Options;
        int channels = input.Channels;
        int groups = context.Kind switch
        {
            BatchNorm => channels,
            LayerNorm => 1,
            _ => options.Groups,
        };
        if (context.Kind == GroupNorm)
        {
            if (groups < 1)
            {
                context.Report(DiagnosticDescriptors.NonPositiveSize, "GroupNorm", context.Name, "groups", Format(groups));
                return null;
            }
            if (channels % groups != 0)
            {
                context.Report(DiagnosticDescriptors.GroupsDoNotDivideChannels, context.Name, Format(channels), Format(groups), input.ToString());
                return null;
            }
        }
        // γ and β: per feature (BatchNorm of a vector), per channel (BatchNorm of an image, GroupNorm), per value (LayerNorm).
        int affine = !options.Affine ? 0 : context.Kind == LayerNorm ? input.Size : channels;
        return context.Plain(input, input, options with { Groups = groups }) with
        {
            Activation = context.Layer.Activation,
            Alpha = ResolvedAlpha(context.Layer),
            ScaleCount = affine,
            BiasCount = affine,
            StateCount = context.Kind == BatchNorm ? 2 * channels : 0,
            Flops = 4L * input.Size,
        };
    }

    public override bool UsesBatchStatistics(LayerPlan layer) => layer.Kind == BatchNorm;

    public override void AddTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
        if (layer.ScaleCount == 0)
        {
            return;
        }
        // γ is PyTorch's "weight", β its "bias"; LayerNorm's have the sample's shape.
        EquatableArray<int> shape = layer.Kind == LayerNorm && layer.In.IsImage
            ? new[] { layer.In.Channels, layer.In.Height, layer.In.Width }.ToEquatableArray()
            : TensorPlan.Vector(layer.ScaleCount);
        tensors.Add(new TensorPlan(layer.Name + ".weight", layer.Name, "Scale", layer.ScaleOffset, shape, 0));
        tensors.Add(new TensorPlan(layer.Name + ".bias", layer.Name, "Bias", layer.BiasOffset, shape, 0));
    }

    public override void AddStateTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
        if (layer.Kind == BatchNorm)
        {
            int channels = layer.In.Channels;
            tensors.Add(new TensorPlan(layer.Name + ".running_mean", layer.Name, "State", layer.StateOffset, TensorPlan.Vector(channels), 0));
            tensors.Add(new TensorPlan(layer.Name + ".running_var", layer.Name, "State", layer.StateOffset + channels, TensorPlan.Vector(channels), 0));
        }
    }

    public override string Details(NetworkPlan plan, LayerPlan layer)
    {
        NormalizationOptions options = Options(layer);
        string affine = options.Affine ? "" : ", no affine";
        string activation = layer.ActivationIsIdentity ? "" : $", {layer.Activation}";
        return layer.Kind switch
        {
            BatchNorm => $", ε = {Format(options.Epsilon)}, momentum {Format(options.Momentum)}{affine}{activation}",
            LayerNorm => $", ε = {Format(options.Epsilon)}{affine}{activation}",
            _ => $", {Num(options.Groups)} groups, ε = {Format(options.Epsilon)}{affine}{activation}",
        };
    }

    public override void EmitInitialize(SourceWriter w, LayerPlan layer)
    {
        if (layer.ScaleCount > 0)
        {
            w.Line($"p.Slice({Num(layer.ScaleOffset)}, {Num(layer.ScaleCount)}).Fill(1f);");
            w.Line($"p.Slice({Num(layer.BiasOffset)}, {Num(layer.BiasCount)}).Clear();");
        }
    }

    public override void EmitStateInitialize(SourceWriter w, LayerPlan layer)
    {
        if (layer.Kind == BatchNorm)
        {
            // Running mean 0 and running variance 1, as PyTorch starts them.
            w.Line($"_state.Span.Slice({Num(layer.StateOffset)}, {Num(layer.In.Channels)}).Clear();");
            w.Line($"_state.Span.Slice({Num(layer.StateOffset + layer.In.Channels)}, {Num(layer.In.Channels)}).Fill(1f);");
        }
    }

    public override IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        if (layer.Kind == BatchNorm)
        {
            yield return ("Mean", Num(layer.In.Channels), "the mean per feature the last pass normalized with");
            yield return ("InverseStd", Num(layer.In.Channels), "1/√(σ² + ε) per feature of the last pass");
            yield break;
        }
        int groups = Options(layer).Groups;
        yield return ("Mean", $"capacity * {Num(groups)}", "the mean per sample and group");
        yield return ("InverseStd", $"capacity * {Num(groups)}", "1/√(σ² + ε) per sample and group");
    }

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        NormalizationOptions options = Options(layer);
        string i = Num(layer.Index);
        string name = $"{layer.Name}: {layer.Kind}";
        (int channels, int pixels) = layer.ChannelPlanes;
        if (layer.Kind == BatchNorm)
        {
            // Batch statistics couple the samples: split over channels, each over the whole batch.
            steps.Items(channels, name + " (per channel)", w => w.Line(
                $"{Kernels}.NormalizationKernels.BatchNormForward({WholeOutput(layer.Source, layer.Inputs)}, ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)}), n, {Num(channels)}, {Num(pixels)}, "
                + $"{Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.BiasCount)}, "
                + $"_state.Span.Slice({Num(layer.StateOffset)}, {Num(channels)}), _state.Span.Slice({Num(layer.StateOffset + channels)}, {Num(channels)}), ws.Mean{i}.Span, ws.InverseStd{i}.Span, "
                + $"{Float(options.Epsilon)}, {Float(options.Momentum)}, batchStatistics: mode == global::NetGen.NetworkMode.Training, \"{layer.Name}\", start, end);"));
            return;
        }
        string xSpan = OutputSlice(layer.Source, layer.Inputs);
        string zSpan = Slice($"ws.Z{i}", layer.Outputs);
        steps.Samples(name, w => w.Line(
            $"{Kernels}.NormalizationKernels.GroupNormForward({xSpan}, {zSpan}, count, {Num(channels)}, {Num(pixels)}, {Num(options.Groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.BiasCount)}, "
            + $"{Slice($"ws.Mean{i}", options.Groups)}, {Slice($"ws.InverseStd{i}", options.Groups)}, {Float(options.Epsilon)});"));
    }

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string i = Num(layer.Index);
        string name = $"{layer.Name}: {layer.Kind}";
        int source = layer.Source;
        (int channels, int pixels) = layer.ChannelPlanes;
        if (layer.Kind == BatchNorm)
        {
            // Σdy and Σdy·x̂ run over the whole batch per channel: split over channels.
            IntoInputWhole(steps, flow, source, layer.Inputs, channels, name + " (per channel)", target =>
                $"{Kernels}.NormalizationKernels.BatchNormBackward({WholeOutput(source, layer.Inputs)}, ws.G{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {target ?? "global::System.Span<float>.Empty"}, n, {Num(channels)}, {Num(pixels)}, "
                + $"{Parameters(layer.ScaleOffset, layer.ScaleCount)}, ws.Mean{i}.Span, ws.InverseStd{i}.Span, {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.BiasCount)}, "
                + "batchStatistics: mode == global::NetGen.NetworkMode.Training, start, end);");
            return;
        }
        int groups = Options(layer).Groups;
        if (layer.ScaleCount > 0)
        {
            steps.Items(layer.ScaleCount, name + " ∂γ, ∂β", w => w.Line(
                $"{Kernels}.NormalizationKernels.GroupNormParameterGradients({WholeOutput(source, layer.Inputs)}, ws.G{i}.Span.Slice(0, n * {Num(layer.Outputs)}), n, {Num(channels)}, {Num(pixels)}, {Num(groups)}, "
                + $"ws.Mean{i}.Span.Slice(0, n * {Num(groups)}), ws.InverseStd{i}.Span.Slice(0, n * {Num(groups)}), {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.BiasCount)}, start, end);"));
        }
        string xSpan = OutputSlice(source, layer.Inputs);
        string dzSpan = Slice($"ws.G{i}", layer.Outputs);
        IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
            $"{Kernels}.NormalizationKernels.GroupNormBackward({xSpan}, {dzSpan}, {Slice(target, layer.Inputs)}, count, {Num(channels)}, {Num(pixels)}, {Num(groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, "
            + $"{Slice($"ws.Mean{i}", groups)}, {Slice($"ws.InverseStd{i}", groups)});");
    }
}
