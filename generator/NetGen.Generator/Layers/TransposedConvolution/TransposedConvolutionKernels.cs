using NetGen.Generator.Codegen;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Im2Col;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.RegisterTiles;

namespace NetGen.Generator.Layers.TransposedConvolution;

/// <summary>
/// Kernels of transposed convolutions, with literal shapes: the im2col machinery of a convolution with input and output
/// swapped. Forward: columns = Wᵀ·x (the register-tiled GEMM of <see cref="RegisterTiles"/>), then col2im onto the output
/// image (<see cref="Im2Col"/>) and the bias; the weight gradient = x·colᵀ with col = im2col(dz) (dot products along the
/// input pixels); the input gradient = W·im2col(dz).
/// </summary>
internal static class TransposedConvolutionKernels
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardWeightsName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardWeights";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    public static void EmitTransposedConvolution(SourceWriter w, LayerPlan layer, bool trainable, bool needsInputGradient)
    {
        string id = $"{layer.Kind}{Num(layer.Index)}";
        ConvolutionOptions c = ConvolutionalFamily.Options(layer);
        int k = TransposedConvolutionFamily.ColumnRows(layer), pixels = TransposedConvolutionFamily.ColumnCount(layer);
        // The columns are those of the output image over the grid of input pixels.
        Shape image = layer.Out, grid = layer.In;
        string bias = layer.HasBias ? "ref float bias, " : "";
        string biasArgument = layer.HasBias ? "ref bias, " : "";

        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(c.KernelHeight)}×{Num(c.KernelWidth)}, stride {Num(c.Stride)}, padding {Num(c.Padding)}, dilation {Num(c.Dilation)}.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}ColumnGemm(ref weights, {Sample("x", layer.Inputs)}, ref columns);");
        w.Line($"{id}Col2Im(ref columns, {Sample("z", layer.Outputs)});");
        if (layer.HasBias)
        {
            w.Line($"BiasKernels.AddChannelBias(ref bias, {Sample("z", layer.Outputs)}, {Num(layer.Out.Channels)}, {Num(layer.Out.Height * layer.Out.Width)});");
        }
        w.Close();
        w.Close();
        w.Line();

        EmitIm2Col(w, $"{id}Im2Col", c.Window, image, grid);
        w.Line();
        w.Line($"/// <summary>columns[{Num(k)}×{Num(pixels)}] = Wᵀ · x with W [{Num(layer.In.Channels)}×{Num(k)}].</summary>");
        w.Open($"private static void {id}ColumnGemm(ref float weights, ref float x, ref float columns)");
        EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(k), Num(layer.In.Channels), pixels, "weights", (row, t) => $"{t} * {Num(k)} + {row}", "x", "columns", AccumulatorStart.Zero));
        w.Close();
        w.Line();
        EmitCol2Im(w, $"{id}Col2Im", c.Window, image, grid);
        if (!trainable)
        {
            return;
        }

        w.Line();
        string biasGradient = layer.HasBias ? ", ref float biasGradient" : "";
        w.Line($"/// <summary>{layer.Name}: ∂W += gradient of the weights{(layer.HasBias ? ", ∂bias += Σ over pixels" : "")}, one sample at a time.</summary>");
        w.Open($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{biasGradient}, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}Im2Col({Sample("dz", layer.Outputs)}, ref columns);");
        w.Line($"{id}WeightGemm({Sample("x", layer.Inputs)}, ref columns, ref weightGradient);");
        if (layer.HasBias)
        {
            w.Line($"BiasKernels.AddChannelSums({Sample("dz", layer.Outputs)}, ref biasGradient, {Num(layer.Out.Channels)}, {Num(layer.Out.Height * layer.Out.Width)});");
        }
        w.Close();
        w.Close();
        w.Line();
        int weightRows = layer.In.Channels;
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
        w.Line($"{id}Im2Col({Sample("dz", layer.Outputs)}, ref columns);");
        w.Line($"{id}InputGemm(ref weights, ref columns, {Sample("dx", layer.Inputs)});");
        w.Close();
        w.Close();
        w.Line();
        w.Line($"/// <summary>dx[{Num(layer.In.Channels)}×{Num(pixels)}] = W · columns.</summary>");
        w.Open($"private static void {id}InputGemm(ref float weights, ref float columns, ref float dx)");
        EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(layer.In.Channels), Num(k), pixels, "weights", (row, t) => $"{row} * {Num(k)} + {t}", "columns", "dx", AccumulatorStart.Zero));
        w.Close();
    }
}
