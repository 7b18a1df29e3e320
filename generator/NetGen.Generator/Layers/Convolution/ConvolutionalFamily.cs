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

/// <summary>[Conv2D(outChannels, kernel, activation)] (and, with more, [ConvTranspose2D]): output channels, window
/// geometry and the linear layer's arguments. In a plan <see cref="Padding"/> is resolved from <see cref="PaddingMode"/>
/// (then <see cref="NetGen.Padding.Explicit"/>).</summary>
internal record ConvolutionOptions(int OutChannels, int KernelHeight, int KernelWidth) : LinearOptions
{
    public int Stride { get; init; } = 1;

    public int Padding { get; init; }

    public Padding PaddingMode { get; init; }

    public int Dilation { get; init; } = 1;

    /// <summary>The user says the input rows and columns no window reaches are meant to be dropped (no NG0202).</summary>
    public bool DropRemainder { get; init; }
}

/// <summary>
/// What convolutions and transposed convolutions share: output channels and window geometry on top of the linear layer's
/// arguments, their checks, the shape rule up to each one's size formula, weights in PyTorch's layout, the scratch
/// argument of their kernels, and the weight gradient summed per fixed shard of the batch.
/// </summary>
internal abstract class ConvolutionalFamily : LinearFamily
{
    protected override int PanelWidth => 0;

    protected override bool UsesScratch => true;

    /// <summary>The family's options with the output channels and the kernel's extent, before the shared arguments.</summary>
    protected abstract ConvolutionOptions CreateOptions(int outChannels, int kernelHeight, int kernelWidth, AttributeData attribute);

    /// <summary>The size of one output axis (0 after reporting why it has none).</summary>
    protected abstract int OutputSize(LayerContext context, ConvolutionOptions options, string axis, int size, int kernel, int padding);

    /// <summary>The pixels at each of which every weight does one multiply-add.</summary>
    protected abstract long MultiplyAddPixels(Shape input, Shape output);

    /// <summary>Checks of the family's own arguments, after the window's and before the activation's.</summary>
    protected virtual void CheckOwnArguments(LayerContext context, ConvolutionOptions options)
    {
    }

    /// <summary>Whether sizes can be computed (the argument errors are reported by <see cref="CheckArguments"/>).</summary>
    protected virtual bool GeometryIsValid(ConvolutionOptions c)
        => c.KernelHeight >= 1 && c.KernelWidth >= 1 && c.Stride >= 1 && c.Dilation >= 1 && c.Padding >= 0;

    public static ConvolutionOptions Options(LayerPlan layer) => (ConvolutionOptions)layer.Options;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
    {
        int kernel = IntArgument(attribute, 1);
        ConvolutionOptions options = CreateOptions(
            IntArgument(attribute, 0),
            NamedArgument(attribute, "KernelHeight") is int h and not 0 ? h : kernel,
            NamedArgument(attribute, "KernelWidth") is int w and not 0 ? w : kernel,
            attribute) with
        {
            Stride = (int)(NamedArgument(attribute, "Stride") ?? 1),
            Padding = (int)(NamedArgument(attribute, "Padding") ?? 0),
            PaddingMode = (Padding)(int)(NamedArgument(attribute, "PaddingMode") ?? 0),
            Dilation = (int)(NamedArgument(attribute, "Dilation") ?? 1),
            DropRemainder = NamedArgument(attribute, "DropRemainder") is true,
        };
        return Spec(kind, attribute, syntax, WithLinearArguments(options, attribute)) with
        {
            Activation = ActivationArgument(attribute, 2),
            Alpha = AlphaArgument(attribute),
        };
    }

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
        CheckOwnArguments(context, c);
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
        if (!RequireImage(context, input) || !GeometryIsValid(c))
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
        int height = OutputSize(context, c, square ? BothAxes : "height", input.Height, kh, padding);
        int width = square ? height : OutputSize(context, c, "width", input.Width, kw, padding);
        if (height < 1 || width < 1)
        {
            return null;
        }
        var output = new Shape(c.OutChannels, height, width);
        long weights = (long)input.Channels * c.OutChannels * kh * kw;
        long flops = 2 * weights * MultiplyAddPixels(input, output) + (c.Bias ? output.Size : 0);
        return WithParameters(context, c with { Padding = padding, PaddingMode = NetGen.Padding.Explicit }, input, output, weights, flops);
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
        return $" {c.KernelHeight}×{c.KernelWidth}/{c.Stride}, padding {c.Padding}{(c.Dilation > 1 ? $", dilation {c.Dilation}" : "")}";
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
        string shardBias = layer.HasBias ? $", ref Unsafe.Add(ref {shards}.Reference, {biasOffset})" : "";
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
            w.Line($"{kernels}.{name}(ref Unsafe.Add({x}, first * {Num(layer.Inputs)}), ref Unsafe.Add(ref {dz}.Reference, first * {Num(layer.Outputs)}), "
                + $"ref Unsafe.Add(ref {shards}.Reference, s * {Num(weightCount)}){shardBias}, {Columns(plan)}, last - first);");
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
}
