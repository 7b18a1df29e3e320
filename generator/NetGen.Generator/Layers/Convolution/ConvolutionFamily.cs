using System;
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

namespace NetGen.Generator.Layers.Convolution;

/// <summary>[Conv2D(outChannels, kernel, activation)] and [ConvTranspose2D(...)]: output channels, window geometry and
/// the linear layer's arguments. In a plan <see cref="Padding"/> is resolved from <see cref="PaddingMode"/> (then
/// <see cref="NetGen.Padding.Explicit"/>).</summary>
internal sealed record ConvolutionOptions(int OutChannels, int KernelHeight, int KernelWidth) : LinearOptions
{
    public int Stride { get; init; } = 1;

    public int Padding { get; init; }

    public Padding PaddingMode { get; init; }

    public int Dilation { get; init; } = 1;

    /// <summary>Transposed convolution: rows and columns added to one side of the output.</summary>
    public int OutputPadding { get; init; }
}

/// <summary>
/// Convolutions and transposed convolutions over CHW images, weights in PyTorch's layout. A stride-1 convolution runs
/// directly on a padded copy of each sample (<see cref="DirectConvolutionLayout"/>), the others through im2col and the
/// register-tiled GEMM (<see cref="ConvolutionKernels"/>); the weight gradient is summed per fixed shard of the batch.
/// </summary>
internal sealed class ConvolutionFamily : LinearFamily
{
    public const string Conv2D = nameof(Conv2D);
    public const string ConvTranspose2D = nameof(ConvTranspose2D);

    public override IReadOnlyList<string> Kinds { get; } = [Conv2D, ConvTranspose2D];

    protected override int PanelWidth => 0;

    protected override bool UsesScratch => true;

    public static ConvolutionOptions Options(LayerPlan layer) => (ConvolutionOptions)layer.Options;

    public static bool IsTransposed(LayerPlan layer) => layer.Kind == ConvTranspose2D;

    /// <summary>Rows of the im2col matrix: kernel taps per output position (convolution) or per input position (transposed).</summary>
    public static int ColumnRows(LayerPlan layer)
        => (IsTransposed(layer) ? layer.Out.Channels : layer.In.Channels) * Options(layer).KernelHeight * Options(layer).KernelWidth;

    /// <summary>Columns of the im2col matrix: output pixels (convolution) or input pixels (transposed).</summary>
    public static int ColumnCount(LayerPlan layer) => IsTransposed(layer) ? layer.In.Height * layer.In.Width : layer.Out.Height * layer.Out.Width;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
    {
        int kernel = IntArgument(attribute, 1);
        var options = new ConvolutionOptions(
            IntArgument(attribute, 0),
            NamedArgument(attribute, "KernelHeight") is int h and not 0 ? h : kernel,
            NamedArgument(attribute, "KernelWidth") is int w and not 0 ? w : kernel)
        {
            Stride = (int)(NamedArgument(attribute, "Stride") ?? 1),
            Padding = (int)(NamedArgument(attribute, "Padding") ?? 0),
            PaddingMode = (Padding)(int)(NamedArgument(attribute, "PaddingMode") ?? 0),
            Dilation = (int)(NamedArgument(attribute, "Dilation") ?? 1),
            OutputPadding = (int)(NamedArgument(attribute, "OutputPadding") ?? 0),
        };
        return Spec(kind, attribute, syntax, WithLinearArguments(options, attribute)) with
        {
            Activation = ActivationArgument(attribute, 2),
            Alpha = AlphaArgument(attribute),
        };
    }

    public override string NamePrefix(string kind) => kind == Conv2D ? "conv" : "deconv";

    public override void CheckArguments(LayerContext context)
    {
        var c = (ConvolutionOptions)context.Layer.Options;
        CheckWindow(context, c.KernelHeight, c.KernelWidth, c.Stride, c.Dilation, c.Padding);
        if (c.PaddingMode != NetGen.Padding.Explicit && c.Padding != 0)
        {
            context.Invalid($"set either Padding = {Format(c.Padding)} or PaddingMode = {c.PaddingMode}, not both");
        }
        if (!Enum.IsDefined(typeof(Padding), c.PaddingMode))
        {
            context.Invalid($"padding mode value {(int)c.PaddingMode} is not a member of Padding");
        }
        if (c.PaddingMode is NetGen.Padding.Same or NetGen.Padding.Full && c.KernelHeight != c.KernelWidth)
        {
            context.Invalid($"PaddingMode = {c.PaddingMode} needs a square kernel, not {Format(c.KernelHeight)}×{Format(c.KernelWidth)}");
        }
        if (c.PaddingMode == NetGen.Padding.Same && (c.Stride != 1 || c.Dilation * (c.KernelHeight - 1) % 2 != 0))
        {
            context.Invalid($"PaddingMode = Same keeps the size only with stride 1 and an odd effective kernel; here stride {Format(c.Stride)}, effective kernel {Format(c.Dilation * (c.KernelHeight - 1) + 1)}");
        }
        if (context.Kind == ConvTranspose2D && c.OutputPadding != 0 && (c.OutputPadding < 0 || c.OutputPadding >= Math.Max(c.Stride, c.Dilation)))
        {
            context.Invalid($"OutputPadding = {Format(c.OutputPadding)} must be ≥ 0 and smaller than the stride or the dilation ({Format(Math.Max(c.Stride, c.Dilation))})");
        }
        CheckLinearArguments(context, c, softmaxAllowed: false);
    }

    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        var c = (ConvolutionOptions)context.Layer.Options;
        if (c.OutChannels < 1)
        {
            context.Report(DiagnosticDescriptors.NonPositiveSize, context.Kind, context.Name, "out channels", Format(c.OutChannels));
            return null;
        }
        // Argument errors are reported by CheckArguments; without a valid geometry no size can be computed.
        bool geometryIsValid = c.KernelHeight >= 1 && c.KernelWidth >= 1 && c.Stride >= 1 && c.Dilation >= 1 && c.Padding >= 0 && c.OutputPadding >= 0;
        if (!RequireImage(context, input) || !geometryIsValid)
        {
            return null;
        }
        int kh = c.KernelHeight, kw = c.KernelWidth, d = c.Dilation;
        int padding = c.PaddingMode switch
        {
            NetGen.Padding.Valid => 0,
            NetGen.Padding.Same => d * (kh - 1) / 2,
            NetGen.Padding.Full => d * (kh - 1),
            _ => c.Padding,
        };
        // A square input under a square kernel has one formula for both axes: report it once.
        bool square = input.Height == input.Width && kh == kw;
        bool transposed = context.Kind == ConvTranspose2D;
        int height, width;
        if (!transposed)
        {
            height = ConvolutionSize(context, c, square ? BothAxes : "height", input.Height, kh, padding);
            width = square ? height : ConvolutionSize(context, c, "width", input.Width, kw, padding);
        }
        else
        {
            height = TransposedSize(context, c, square ? BothAxes : "height", input.Height, kh, padding);
            width = square ? height : TransposedSize(context, c, "width", input.Width, kw, padding);
        }
        if (height < 1 || width < 1)
        {
            return null;
        }
        var output = new Shape(c.OutChannels, height, width);
        long weights = (long)input.Channels * c.OutChannels * kh * kw;
        // Each output pixel of a convolution, or each input pixel of a transposed one, does in_c·out_c·kh·kw multiply-adds.
        long pixels = transposed ? (long)input.Height * input.Width : (long)height * width;
        long flops = 2 * weights * pixels + (c.Bias ? output.Size : 0);
        return WithParameters(context, c with { Padding = padding, PaddingMode = NetGen.Padding.Explicit }, input, output, weights, flops);
    }

    /// <summary>⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 (Klambauer App. E, floor everywhere).</summary>
    private static int ConvolutionSize(LayerContext context, ConvolutionOptions c, string axis, int size, int kernel, int padding)
    {
        int d = c.Dilation, s = c.Stride;
        long span = (long)size + 2 * padding - (long)d * (kernel - 1) - 1;
        long result = FloorDivide(span, s) + 1;
        string kernelTerm = d == 1 ? Format(kernel) : $"{Format(d)}·({Format(kernel)} − 1) − 1";
        string formula = $"⌊({Format(size)} + 2·{Format(padding)} − {kernelTerm})/{Format(s)}⌋ + 1 = {Signed(result)}";
        return CheckSize(context, axis, result, span, s, formula);
    }

    /// <summary>s(i − 1) − 2p + d(k − 1) + a + 1 (the unstretched input size i).</summary>
    private static int TransposedSize(LayerContext context, ConvolutionOptions c, string axis, int size, int kernel, int padding)
    {
        int s = c.Stride, d = c.Dilation, a = c.OutputPadding;
        long result = (long)s * (size - 1) - 2L * padding + (long)d * (kernel - 1) + a + 1;
        string formula = $"{Format(s)}·({Format(size)} − 1) − 2·{Format(padding)} + {Format(d)}·({Format(kernel)} − 1) + {Format(a)} + 1 = {Signed(result)}";
        return CheckSize(context, axis, result, span: 0, stride: 1, formula);
    }

    /// <summary>The plan of a residual's projection: a 1×1 convolution with <paramref name="stride"/> from
    /// <paramref name="source"/> to <paramref name="output"/>.</summary>
    public static LayerPlan Projection(int index, string name, Shape source, Shape output, int stride)
    {
        long weights = (long)source.Channels * output.Channels;
        return new LayerPlan(Conv2D, index, name, source, output, new ConvolutionOptions(output.Channels, 1, 1) { Stride = stride, Init = Init.GlorotUniform, InitScale = 0f })
        {
            Flops = 2 * weights * output.Height * output.Width + output.Size,
            WeightCount = (int)weights,
            BiasCount = output.Channels,
        };
    }

    public override (int Training, int Prediction) Scratch(LayerPlan layer, bool trainable)
    {
        DirectConvolutionLayout? direct = DirectConvolutionLayout.Of(layer);
        int columns = ColumnRows(layer) * ColumnCount(layer);
        return (direct?.ScratchSize(training: trainable) ?? columns, direct?.ScratchSize(training: false) ?? columns);
    }

    public override IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        if (!Options(layer).WeightNorm)
        {
            yield return ("Shards", $"training ? {Num(ShardedBackward.Shards * (layer.WeightCount + layer.BiasCount))} : 0", $"{layer.Name}: ∂w and ∂b of each shard of the batch");
        }
    }

    protected override string Geometry(LayerPlan layer)
    {
        ConvolutionOptions c = Options(layer);
        return $" {c.KernelHeight}×{c.KernelWidth}/{c.Stride}, padding {c.Padding}{(c.Dilation > 1 ? $", dilation {c.Dilation}" : "")}{(c.OutputPadding > 0 ? $", output padding {c.OutputPadding}" : "")}";
    }

    public override string ForwardName(LayerPlan layer) => ConvolutionKernels.ForwardName(layer);

    public override string BackwardWeightsName(LayerPlan layer) => ConvolutionKernels.BackwardWeightsName(layer);

    public override string BackwardInputName(LayerPlan layer) => ConvolutionKernels.BackwardInputName(layer);

    protected override (int FanIn, int FanOut) Fans(LayerPlan layer)
    {
        int taps = Options(layer).KernelHeight * Options(layer).KernelWidth;
        return IsTransposed(layer)
            ? (layer.Out.Channels * taps, layer.In.Channels * taps)
            : (layer.In.Channels * taps, layer.Out.Channels * taps);
    }

    protected override int[] WeightShape(LayerPlan layer)
    {
        ConvolutionOptions c = Options(layer);
        return IsTransposed(layer)
            ? [layer.In.Channels, layer.Out.Channels, c.KernelHeight, c.KernelWidth]
            : [layer.Out.Channels, layer.In.Channels, c.KernelHeight, c.KernelWidth];
    }

    protected override string ForwardArguments(NetworkPlan plan, LayerPlan layer) => Columns(plan) + ", ";

    /// <summary>
    /// The weight and bias gradients over fixed shards of the batch, each summed into its own buffer, then added in shard
    /// order at the end of the pass, so the arithmetic does not depend on the thread count. The shard step writes only
    /// the layer's own shards, so it runs in one split with the input gradient that follows it.
    /// </summary>
    protected override void EmitWeightGradient(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string x, string dz)
    {
        const int Shards = ShardedBackward.Shards;
        string kernels = plan.TypeName + "Kernels";
        string name = BackwardWeightsName(layer);
        // Layout of the shard buffer: the weight gradients of the shards one after the other, then their bias gradients.
        int weightCount = layer.WeightCount, biasCount = layer.BiasCount;
        string shards = $"ws.Shards{Num(layer.Index)}";
        string biasOffset = $"{Num(Shards * weightCount)} + s * {Num(biasCount)}";
        string shardBias = layer.HasBias ? $", ref {Unsafe}.Add(ref {shards}.Reference, {biasOffset})" : "";
        steps.ItemsBeforeIndependentSamples(Shards, $"{layer.Name}: ∂w, ∂b per shard of the batch", w =>
        {
            w.Open("for (int s = start; s < end; s++)");
            w.Line($"int first = n * s / {Num(Shards)}, last = n * (s + 1) / {Num(Shards)};");
            w.Line($"{shards}.Span.Slice(s * {Num(weightCount)}, {Num(weightCount)}).Clear();");
            if (layer.HasBias)
            {
                w.Line($"{shards}.Span.Slice({biasOffset}, {Num(biasCount)}).Clear();");
            }
            w.Open("if (last > first)");
            w.Line($"{kernels}.{name}(ref {Unsafe}.Add({x}, first * {Num(layer.Inputs)}), ref {Unsafe}.Add(ref {dz}.Reference, first * {Num(layer.Outputs)}), "
                + $"ref {Unsafe}.Add(ref {shards}.Reference, s * {Num(weightCount)}){shardBias}, {Columns(plan)}, last - first);");
            w.Close();
            w.Close();
        }, layer.Flops, StepKind.WeightShards);
        long sumWork = (long)Shards * (weightCount + biasCount) / ShardedBackward.NominalBatch;
        steps.AtEnd($"{layer.Name}: ∂w, ∂b += the shards in order", w =>
        {
            w.Line($"{Kernels}.VectorOps.AddShards({Gradients(layer.WeightOffset, weightCount)}, {shards}.Span, {Num(Shards)});");
            if (layer.HasBias)
            {
                w.Line($"{Kernels}.VectorOps.AddShards({Gradients(layer.BiasOffset, biasCount)}, {shards}.Span.Slice({Num(Shards * weightCount)}), {Num(Shards)});");
            }
        }, sumWork);
    }

    public override KernelHelpers Helpers(LayerPlan layer) => DirectConvolutionLayout.Of(layer) is null ? KernelHelpers.ChannelSums : KernelHelpers.BlockCopy;

    public override void EmitLinearKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool needsInputGradient)
    {
        w.Line();
        ConvolutionKernels.EmitConvolution(w, layer, plan.IsTrainable, plan.IsTrainable && needsInputGradient);
    }
}
