using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Layers.ShapeRules;

namespace NetGen.Generator.Layers.Convolution;

/// <summary>
/// Convolutions (cross-correlations, as PyTorch's <c>Conv2d</c>) over CHW images. A stride-1 convolution runs directly
/// on a padded copy of each sample (<see cref="DirectConvolutionLayout"/>), the others through im2col and the
/// register-tiled GEMM (<see cref="ConvolutionKernels"/>).
/// </summary>
internal sealed class ConvolutionFamily : ConvolutionalFamily
{
    public const string Conv2D = nameof(Conv2D);

    public override IReadOnlyList<string> Kinds { get; } = [Conv2D];

    /// <summary>Rows of the im2col matrix: kernel taps per output position.</summary>
    public static int ColumnRows(LayerPlan layer) => layer.In.Channels * Options(layer).KernelHeight * Options(layer).KernelWidth;

    /// <summary>Columns of the im2col matrix: output pixels.</summary>
    public static int ColumnCount(LayerPlan layer) => layer.Out.Height * layer.Out.Width;

    protected override ConvolutionOptions CreateOptions(int outChannels, int kernelHeight, int kernelWidth, AttributeData attribute)
        => new(outChannels, kernelHeight, kernelWidth);

    public override string NamePrefix(string kind) => "conv";

    /// <summary>⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 (Klambauer App. E, floor everywhere).</summary>
    protected override int OutputSize(LayerContext context, ConvolutionOptions c, string axis, int size, int kernel, int padding)
    {
        int d = c.Dilation, s = c.Stride;
        long span = (long)size + 2 * padding - (long)d * (kernel - 1) - 1;
        long result = FloorDivide(span, s) + 1;
        string kernelTerm = d == 1 ? Format(kernel) : $"{Format(d)}·({Format(kernel)} − 1) − 1";
        string formula = $"⌊({Format(size)} + 2·{Format(padding)} − {kernelTerm})/{Format(s)}⌋ + 1 = {Signed(result)}";
        return CheckSize(context, axis, result, span, s, formula, c.DropRemainder);
    }

    /// <summary>Each output pixel does in_c·out_c·kh·kw multiply-adds.</summary>
    protected override long MultiplyAddPixels(Shape input, Shape output) => (long)output.Height * output.Width;

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

    /// <summary>The layout of a stride-1 convolution, which runs directly on a padded copy of each sample; null for the
    /// others, which run through im2col.</summary>
    public static DirectConvolutionLayout? DirectLayout(LayerPlan layer)
        => layer.Kind == Conv2D && layer.Options is ConvolutionOptions { Stride: 1 } c
            ? new(layer.In.Channels, layer.In.Height, layer.In.Width, layer.Out.Channels, c.KernelHeight, c.KernelWidth, c.Padding, c.Dilation)
            : null;

    public override (int Training, int Prediction) Scratch(LayerPlan layer, bool trainable)
    {
        DirectConvolutionLayout? direct = DirectLayout(layer);
        int columns = ColumnRows(layer) * ColumnCount(layer);
        return (direct?.ScratchSize(training: trainable) ?? columns, direct?.ScratchSize(training: false) ?? columns);
    }

    public override string ForwardName(LayerPlan layer) => ConvolutionKernels.ForwardName(layer);

    public override string BackwardWeightsName(LayerPlan layer) => ConvolutionKernels.BackwardWeightsName(layer);

    public override string BackwardInputName(LayerPlan layer) => ConvolutionKernels.BackwardInputName(layer);

    protected override (int FanIn, int FanOut) Fans(LayerPlan layer)
    {
        int taps = Options(layer).KernelHeight * Options(layer).KernelWidth;
        return (layer.In.Channels * taps, layer.Out.Channels * taps);
    }

    protected override int[] WeightShape(LayerPlan layer)
        => [layer.Out.Channels, layer.In.Channels, Options(layer).KernelHeight, Options(layer).KernelWidth];

    public override void EmitLinearKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool needsInputGradient)
    {
        w.Line();
        ConvolutionKernels.EmitConvolution(w, layer, plan.IsTrainable, plan.IsTrainable && needsInputGradient);
    }
}
