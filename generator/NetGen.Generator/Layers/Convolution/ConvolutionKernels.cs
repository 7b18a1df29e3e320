using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Layers.Convolution;

/// <summary>
/// Kernels of convolutions, which run in the runtime: a stride-1 convolution directly on a zero-padded copy of each
/// sample (<c>DirectConvolution</c>, whose scratch layout <see cref="DirectConvolutionLayout"/> the generator shares),
/// the others through im2col and a register-tiled GEMM (<c>Im2ColConvolution</c>, transposed convolutions too). The
/// generated code holds each layer's shape once, in a static field, and forwards every call to it.
/// </summary>
internal static class ConvolutionKernels
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardWeightsName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardWeights";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    public static void EmitConvolution(SourceWriter w, LayerPlan layer, bool trainable, bool needsInputGradient)
    {
        ConvolutionOptions c = ConvolutionalFamily.Options(layer);
        if (ConvolutionFamily.DirectLayout(layer) is { } g)
        {
            EmitRuntimeKernels(w, layer, trainable, needsInputGradient,
                $"direct, on a {Num(g.PaddedHeight)}×{Num(g.PaddedWidth)} padded image",
                "DirectConvolution", $"channels: {Num(g.Channels)}, height: {Num(g.Height)}, width: {Num(g.Width)}, outChannels: {Num(g.OutChannels)}, kernelHeight: {Num(g.KernelHeight)}, kernelWidth: {Num(g.KernelWidth)}, padding: {Num(g.Padding)}, dilation: {Num(g.Dilation)}");
            return;
        }
        EmitRuntimeKernels(w, layer, trainable, needsInputGradient,
            $"im2col into {Num(ConvolutionFamily.ColumnRows(layer))}×{Num(ConvolutionFamily.ColumnCount(layer))} columns",
            "Im2ColConvolution", Im2ColArguments(layer, c, transposed: false));
    }

    /// <summary>The constructor arguments of the runtime's <c>Im2ColConvolution</c> for <paramref name="layer"/>.</summary>
    public static string Im2ColArguments(LayerPlan layer, ConvolutionOptions c, bool transposed)
        => $"channels: {Num(layer.In.Channels)}, height: {Num(layer.In.Height)}, width: {Num(layer.In.Width)}, "
            + $"outChannels: {Num(layer.Out.Channels)}, outHeight: {Num(layer.Out.Height)}, outWidth: {Num(layer.Out.Width)}, "
            + $"kernelHeight: {Num(c.KernelHeight)}, kernelWidth: {Num(c.KernelWidth)}, stride: {Num(c.Stride)}, padding: {Num(c.Padding)}, "
            + $"dilation: {Num(c.Dilation)}, transposed: {(transposed ? "true" : "false")}";

    /// <summary>
    /// The layer's runtime object in a static field (<paramref name="type"/> built from <paramref name="arguments"/>) and
    /// the three kernels the pass steps call, each a line that forwards to it.
    /// </summary>
    public static void EmitRuntimeKernels(SourceWriter w, LayerPlan layer, bool trainable, bool needsInputGradient, string method, string type, string arguments)
    {
        ConvolutionOptions c = ConvolutionalFamily.Options(layer);
        string id = $"{layer.Kind}{Num(layer.Index)}";
        string field = $"s_{char.ToLowerInvariant(id[0])}{id.Substring(1)}";
        string bias = layer.HasBias ? "ref float bias, " : "";
        string nullRef = "ref Unsafe.NullRef<float>()";
        string stride = c.Stride == 1 ? "" : $", stride {Num(c.Stride)}";
        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(c.KernelHeight)}×{Num(c.KernelWidth)}{stride}, padding {Num(c.Padding)}, dilation {Num(c.Dilation)}: {method}.</summary>");
        w.Line($"private static readonly {type} {field} = new({arguments});");
        w.Line();
        w.Line($"/// <summary>{layer.Name}: z = W {(layer.Kind == ConvolutionFamily.Conv2D ? "∗" : "∗ᵀ")} x{(layer.HasBias ? " + bias" : "")}.</summary>");
        w.Line($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Line($"    => {field}.Forward(ref x, ref weights, {(layer.HasBias ? "ref bias" : nullRef)}, ref z, ref columns, n);");
        if (!trainable)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{layer.Name}: ∂W += Σ dz·x{(layer.HasBias ? ", ∂bias += Σ dz" : "")} over the samples in order.</summary>");
        w.Line($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{(layer.HasBias ? ", ref float biasGradient" : "")}, ref float columns, int n)");
        w.Line($"    => {field}.BackwardWeights(ref x, ref dz, ref weightGradient, {(layer.HasBias ? "ref biasGradient" : nullRef)}, ref columns, n);");
        if (!needsInputGradient)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{layer.Name}: dx from dz.</summary>");
        w.Line($"public static void {BackwardInputName(layer)}(ref float dz, ref float weights, ref float dx, ref float columns, int n)");
        w.Line($"    => {field}.BackwardInput(ref dz, ref weights, ref dx, ref columns, n);");
    }
}
