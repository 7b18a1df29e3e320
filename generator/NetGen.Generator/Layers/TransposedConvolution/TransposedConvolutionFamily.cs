using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Codegen;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Model;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;

namespace NetGen.Generator.Layers.TransposedConvolution;

/// <summary>[ConvTranspose2D(outChannels, kernel, activation)]: a convolution's arguments and the output padding, the rows
/// and columns added to one side of the output.</summary>
internal sealed record TransposedConvolutionOptions(int OutChannels, int KernelHeight, int KernelWidth)
    : ConvolutionOptions(OutChannels, KernelHeight, KernelWidth)
{
    public int OutputPadding { get; init; }
}

/// <summary>
/// Transposed convolutions (PyTorch's <c>ConvTranspose2d</c>), the gradient of a convolution with respect to its input:
/// weights [in_c, out_c, kh, kw], kernels in <see cref="TransposedConvolutionKernels"/>.
/// </summary>
internal sealed class TransposedConvolutionFamily : ConvolutionalFamily
{
    public const string ConvTranspose2D = nameof(ConvTranspose2D);

    public override IReadOnlyList<string> Kinds { get; } = [ConvTranspose2D];

    private static TransposedConvolutionOptions Transposed(LayerPlan layer) => (TransposedConvolutionOptions)layer.Options;

    /// <summary>Rows of the im2col matrix: kernel taps per input position.</summary>
    public static int ColumnRows(LayerPlan layer) => layer.Out.Channels * Options(layer).KernelHeight * Options(layer).KernelWidth;

    /// <summary>Columns of the im2col matrix: input pixels.</summary>
    public static int ColumnCount(LayerPlan layer) => layer.In.Height * layer.In.Width;

    protected override ConvolutionOptions CreateOptions(int outChannels, int kernelHeight, int kernelWidth, AttributeData attribute)
        => new TransposedConvolutionOptions(outChannels, kernelHeight, kernelWidth) { OutputPadding = (int)(NamedArgument(attribute, "OutputPadding") ?? 0) };

    public override string NamePrefix(string kind) => "deconv";

    protected override void CheckOwnArguments(LayerContext context, ConvolutionOptions options)
    {
        var c = (TransposedConvolutionOptions)options;
        if (c.OutputPadding != 0 && (c.OutputPadding < 0 || c.OutputPadding >= Math.Max(c.Stride, c.Dilation)))
        {
            context.Invalid($"OutputPadding = {Format(c.OutputPadding)} must be ≥ 0 and smaller than the stride or the dilation ({Format(Math.Max(c.Stride, c.Dilation))})");
        }
    }

    protected override bool GeometryIsValid(ConvolutionOptions c) => base.GeometryIsValid(c) && ((TransposedConvolutionOptions)c).OutputPadding >= 0;

    /// <summary>s(i − 1) − 2p + d(k − 1) + a + 1 (the unstretched input size i).</summary>
    protected override int OutputSize(LayerContext context, ConvolutionOptions options, string axis, int size, int kernel, int padding)
    {
        var c = (TransposedConvolutionOptions)options;
        int s = c.Stride, d = c.Dilation, a = c.OutputPadding;
        long result = (long)s * (size - 1) - 2L * padding + (long)d * (kernel - 1) + a + 1;
        string formula = $"{Format(s)}·({Format(size)} − 1) − 2·{Format(padding)} + {Format(d)}·({Format(kernel)} − 1) + {Format(a)} + 1 = {Signed(result)}";
        return CheckSize(context, axis, result, span: 0, stride: 1, formula, remainderIntended: false);
    }

    /// <summary>Each input pixel does in_c·out_c·kh·kw multiply-adds.</summary>
    protected override long MultiplyAddPixels(Shape input, Shape output) => (long)input.Height * input.Width;

    public override (int Training, int Prediction) Scratch(LayerPlan layer, bool trainable)
    {
        int columns = ColumnRows(layer) * ColumnCount(layer);
        return (columns, columns);
    }

    protected override string Geometry(LayerPlan layer)
    {
        int outputPadding = Transposed(layer).OutputPadding;
        return base.Geometry(layer) + (outputPadding > 0 ? $", output padding {outputPadding}" : "");
    }

    public override string ForwardName(LayerPlan layer) => ConvolutionKernels.ForwardName(layer);

    public override string BackwardWeightsName(LayerPlan layer) => ConvolutionKernels.BackwardWeightsName(layer);

    public override string BackwardInputName(LayerPlan layer) => ConvolutionKernels.BackwardInputName(layer);

    protected override (int FanIn, int FanOut) Fans(LayerPlan layer)
    {
        int taps = Options(layer).KernelHeight * Options(layer).KernelWidth;
        return (layer.Out.Channels * taps, layer.In.Channels * taps);
    }

    protected override int[] WeightShape(LayerPlan layer)
        => [layer.In.Channels, layer.Out.Channels, Options(layer).KernelHeight, Options(layer).KernelWidth];

    public override void EmitLinearKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool needsInputGradient)
    {
        w.Line();
        TransposedConvolutionKernels.EmitTransposedConvolution(w, layer, plan.IsTrainable, plan.IsTrainable && needsInputGradient);
    }
}
