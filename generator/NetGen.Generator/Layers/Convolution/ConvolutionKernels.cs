using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Im2Col;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.RegisterTiles;

namespace NetGen.Generator.Layers.Convolution;

/// <summary>
/// Kernels of convolutions. A stride-1 convolution runs directly on a zero-padded copy of each sample, in the runtime
/// (<see cref="EmitDirectConvolution"/>). Other convolutions, with literal shapes, are an implicit GEMM: im2col
/// (<see cref="Im2Col"/>) unrolls the receptive fields of one sample into a [in_c·kh·kw, out_h·out_w] matrix, and the
/// register-tiled GEMM of <see cref="RegisterTiles"/> multiplies it with the weights in PyTorch's [out_c, in_c·kh·kw]
/// layout, vectorized along the output pixels; backward reuses the same pieces: weight gradient = dZ·colᵀ (dot products
/// along pixels), input gradient = col2im(Wᵀ·dZ).
/// </summary>
internal static class ConvolutionKernels
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardWeightsName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardWeights";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    public static void EmitConvolution(SourceWriter w, LayerPlan layer, bool trainable, bool needsInputGradient)
    {
        if (ConvolutionFamily.DirectLayout(layer) is { } direct)
        {
            EmitDirectConvolution(w, layer, direct, trainable, needsInputGradient);
            return;
        }
        string id = $"{layer.Kind}{Num(layer.Index)}";
        ConvolutionOptions c = ConvolutionalFamily.Options(layer);
        int k = ConvolutionFamily.ColumnRows(layer), pixels = ConvolutionFamily.ColumnCount(layer);
        string bias = layer.HasBias ? "ref float bias, " : "";
        string biasArgument = layer.HasBias ? "ref bias, " : "";

        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(c.KernelHeight)}×{Num(c.KernelWidth)}, stride {Num(c.Stride)}, padding {Num(c.Padding)}, dilation {Num(c.Dilation)}.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}Im2Col({Sample("x", layer.Inputs)}, ref columns);");
        w.Line($"{id}Gemm(ref weights, {biasArgument}ref columns, {Sample("z", layer.Outputs)});");
        w.Close();
        w.Close();
        w.Line();

        EmitIm2Col(w, $"{id}Im2Col", c.Window, layer.In, layer.Out);
        w.Line();
        w.Line($"/// <summary>z[{Num(layer.Out.Channels)}×{Num(pixels)}] = W[{Num(layer.Out.Channels)}×{Num(k)}] · columns{(layer.HasBias ? " + bias" : "")}.</summary>");
        w.Open($"private static void {id}Gemm(ref float weights, {bias}ref float columns, ref float z)");
        EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(layer.Out.Channels), Num(k), pixels, "weights", (row, t) => $"{row} * {Num(k)} + {t}", "columns", "z",
            layer.HasBias ? AccumulatorStart.RowBias : AccumulatorStart.Zero));
        w.Close();
        w.Line();
        EmitCol2Im(w, $"{id}Col2Im", c.Window, layer.In, layer.Out);
        if (!trainable)
        {
            return;
        }

        w.Line();
        string biasGradient = layer.HasBias ? ", ref float biasGradient" : "";
        w.Line($"/// <summary>{layer.Name}: ∂W += gradient of the weights{(layer.HasBias ? ", ∂bias += Σ over pixels" : "")}, one sample at a time.</summary>");
        w.Open($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{biasGradient}, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}Im2Col({Sample("x", layer.Inputs)}, ref columns);");
        w.Line($"{id}WeightGemm({Sample("dz", layer.Outputs)}, ref columns, ref weightGradient);");
        if (layer.HasBias)
        {
            w.Line($"BiasKernels.AddChannelSums({Sample("dz", layer.Outputs)}, ref biasGradient, {Num(layer.Out.Channels)}, {Num(layer.Out.Height * layer.Out.Width)});");
        }
        w.Close();
        w.Close();
        w.Line();
        int weightRows = layer.Out.Channels;
        w.Line($"/// <summary>∂W[{Num(weightRows)}×{Num(k)}] += d · columnsᵀ, dot products along the {Num(pixels)} pixels.</summary>");
        w.Open($"private static void {id}WeightGemm(ref float d, ref float columns, ref float weightGradient)");
        EmitPaths(w, kinds => EmitDotProducts(w, kinds, Num(weightRows), k, pixels, "d", "columns", "weightGradient", accumulate: true));
        w.Close();
        if (!needsInputGradient)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{layer.Name}: dx from dz.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}(ref float dz, ref float weights, ref float dx, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}InputGemm(ref weights, {Sample("dz", layer.Outputs)}, ref columns);");
        w.Line($"{id}Col2Im(ref columns, {Sample("dx", layer.Inputs)});");
        w.Close();
        w.Close();
        w.Line();
        w.Line($"/// <summary>columns[{Num(k)}×{Num(pixels)}] = Wᵀ · dz.</summary>");
        w.Open($"private static void {id}InputGemm(ref float weights, ref float dz, ref float columns)");
        EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(k), Num(layer.Out.Channels), pixels, "weights", (row, t) => $"{t} * {Num(k)} + {row}", "dz", "columns", AccumulatorStart.Zero));
        w.Close();
    }

    /// <summary>
    /// A stride-1 convolution without im2col: the runtime's <c>DirectConvolution</c> (its layout is
    /// <see cref="DirectConvolutionLayout"/>, shared with the generator, which sizes the scratch). The kernels here pass
    /// the layer's shape once, in a static field, and forward every call to it.
    /// </summary>
    private static void EmitDirectConvolution(SourceWriter w, LayerPlan layer, DirectConvolutionLayout g, bool trainable, bool needsInputGradient)
    {
        string id = $"{layer.Kind}{Num(layer.Index)}";
        string field = $"s_{char.ToLowerInvariant(id[0])}{id.Substring(1)}";
        string bias = layer.HasBias ? "ref float bias, " : "";
        string biasArgument = layer.HasBias ? "ref bias" : "ref Unsafe.NullRef<float>()";
        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(g.KernelHeight)}×{Num(g.KernelWidth)}, padding {Num(g.Padding)}, dilation {Num(g.Dilation)}: direct, on a {Num(g.PaddedHeight)}×{Num(g.PaddedWidth)} padded image.</summary>");
        w.Line($"private static readonly DirectConvolution {field} = new(channels: {Num(g.Channels)}, height: {Num(g.Height)}, width: {Num(g.Width)}, outChannels: {Num(g.OutChannels)}, kernelHeight: {Num(g.KernelHeight)}, kernelWidth: {Num(g.KernelWidth)}, padding: {Num(g.Padding)}, dilation: {Num(g.Dilation)});");
        w.Line();
        w.Line($"/// <summary>{layer.Name}: z = W ∗ x{(layer.HasBias ? " + bias" : "")}.</summary>");
        w.Line($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Line($"    => {field}.Forward(ref x, ref weights, {biasArgument}, ref z, ref columns, n);");
        if (!trainable)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{layer.Name}: ∂W += Σ dz·x{(layer.HasBias ? ", ∂bias += Σ dz" : "")} over the samples in order.</summary>");
        w.Line($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{(layer.HasBias ? ", ref float biasGradient" : "")}, ref float columns, int n)");
        w.Line($"    => {field}.BackwardWeights(ref x, ref dz, ref weightGradient, {(layer.HasBias ? "ref biasGradient" : "ref Unsafe.NullRef<float>()")}, ref columns, n);");
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
