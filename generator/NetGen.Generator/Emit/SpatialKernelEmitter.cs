using NetGen.Generator.Model;
using NetGen.Generator.Shapes;
using static NetGen.Generator.Emit.DenseKernelEmitter;

namespace NetGen.Generator.Emit;

/// <summary>
/// Kernels of convolutions and pooling, per sample with literal shapes. A convolution is an implicit GEMM: im2col
/// unrolls the receptive fields of one sample into a [in_c·kh·kw, out_h·out_w] matrix, and the register-tiled GEMM of
/// <see cref="DenseKernelEmitter"/> multiplies it with the weights in PyTorch's [out_c, in_c·kh·kw] layout, vectorized
/// along the output pixels. Backward reuses the same pieces: weight gradient = dZ·colᵀ (dot products along pixels),
/// input gradient = col2im(Wᵀ·dZ). A transposed convolution is the same machinery with input and output swapped.
/// </summary>
internal static class SpatialKernelEmitter
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardWeightsName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardWeights";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    private static string Sample(string reference, int size) => $"ref At(ref {reference}, s * {Num(size)})";

    public static void EmitConvolution(SourceWriter w, LayerPlan layer, bool trainable)
    {
        string id = $"{layer.Kind}{Num(layer.Index)}";
        bool transposed = layer.Kind == LayerKind.ConvTranspose2D;
        int k = layer.ColumnRows, pixels = layer.ColumnCount;
        Shape image = transposed ? layer.Out : layer.In;
        Shape grid = transposed ? layer.In : layer.Out;
        string bias = layer.HasBias ? "ref float bias, " : "";
        string biasArgument = layer.HasBias ? "ref bias, " : "";

        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(layer.KernelHeight)}×{Num(layer.KernelWidth)}, stride {Num(layer.Stride)}, padding {Num(layer.Padding)}, dilation {Num(layer.Dilation)}.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        if (!transposed)
        {
            w.Line($"{id}Im2Col({Sample("x", layer.Inputs)}, ref columns);");
            w.Line($"{id}Gemm(ref weights, {biasArgument}ref columns, {Sample("z", layer.Outputs)});");
        }
        else
        {
            w.Line($"{id}ColumnGemm(ref weights, {Sample("x", layer.Inputs)}, ref columns);");
            w.Line($"{id}Col2Im(ref columns, {Sample("z", layer.Outputs)});");
            if (layer.HasBias)
            {
                w.Line($"AddChannelBias(ref bias, {Sample("z", layer.Outputs)}, {Num(layer.Out.Channels)}, {Num(layer.Out.Height * layer.Out.Width)});");
            }
        }
        w.Close();
        w.Close();
        w.Line();

        EmitIm2Col(w, $"{id}Im2Col", layer, image, grid);
        w.Line();
        if (!transposed)
        {
            w.Line($"/// <summary>z[{Num(layer.Out.Channels)}×{Num(pixels)}] = W[{Num(layer.Out.Channels)}×{Num(k)}] · columns{(layer.HasBias ? " + bias" : "")}.</summary>");
            w.Open($"private static void {id}Gemm(ref float weights, {bias}ref float columns, ref float z)");
            EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(layer.Out.Channels), Num(k), pixels, "weights", (row, t) => $"{row} * {Num(k)} + {t}", "columns", "z",
                layer.HasBias ? AccumulatorStart.RowBias : AccumulatorStart.Zero));
            w.Close();
        }
        else
        {
            w.Line($"/// <summary>columns[{Num(k)}×{Num(pixels)}] = Wᵀ · x with W [{Num(layer.In.Channels)}×{Num(k)}].</summary>");
            w.Open($"private static void {id}ColumnGemm(ref float weights, ref float x, ref float columns)");
            EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(k), Num(layer.In.Channels), pixels, "weights", (row, t) => $"{t} * {Num(k)} + {row}", "x", "columns", AccumulatorStart.Zero));
            w.Close();
        }
        w.Line();
        EmitCol2Im(w, $"{id}Col2Im", layer, image, grid);
        if (!trainable)
        {
            return;
        }

        w.Line();
        string biasGradient = layer.HasBias ? ", ref float biasGradient" : "";
        w.Line($"/// <summary>{layer.Name}: ∂W += gradient of the weights{(layer.HasBias ? ", ∂bias += Σ over pixels" : "")}, one sample at a time.</summary>");
        w.Open($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{biasGradient}, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        if (!transposed)
        {
            w.Line($"{id}Im2Col({Sample("x", layer.Inputs)}, ref columns);");
            w.Line($"{id}WeightGemm({Sample("dz", layer.Outputs)}, ref columns, ref weightGradient);");
        }
        else
        {
            w.Line($"{id}Im2Col({Sample("dz", layer.Outputs)}, ref columns);");
            w.Line($"{id}WeightGemm({Sample("x", layer.Inputs)}, ref columns, ref weightGradient);");
        }
        if (layer.HasBias)
        {
            w.Line($"AddChannelSums({Sample("dz", layer.Outputs)}, ref biasGradient, {Num(layer.Out.Channels)}, {Num(layer.Out.Height * layer.Out.Width)});");
        }
        w.Close();
        w.Close();
        w.Line();
        int weightRows = transposed ? layer.In.Channels : layer.Out.Channels;
        w.Line($"/// <summary>∂W[{Num(weightRows)}×{Num(k)}] += d · columnsᵀ, dot products along the {Num(pixels)} pixels.</summary>");
        w.Open($"private static void {id}WeightGemm(ref float d, ref float columns, ref float weightGradient)");
        EmitPaths(w, kinds => EmitDotProducts(w, kinds, Num(weightRows), k, pixels, "d", "columns", "weightGradient", accumulate: true));
        w.Close();

        w.Line();
        w.Line($"/// <summary>{layer.Name}: dx from dz.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}(ref float dz, ref float weights, ref float dx, ref float columns, int n)");
        w.Open("for (int s = 0; s < n; s++)");
        if (!transposed)
        {
            w.Line($"{id}InputGemm(ref weights, {Sample("dz", layer.Outputs)}, ref columns);");
            w.Line($"{id}Col2Im(ref columns, {Sample("dx", layer.Inputs)});");
        }
        else
        {
            w.Line($"{id}Im2Col({Sample("dz", layer.Outputs)}, ref columns);");
            w.Line($"{id}InputGemm(ref weights, ref columns, {Sample("dx", layer.Inputs)});");
        }
        w.Close();
        w.Close();
        w.Line();
        if (!transposed)
        {
            w.Line($"/// <summary>columns[{Num(k)}×{Num(pixels)}] = Wᵀ · dz.</summary>");
            w.Open($"private static void {id}InputGemm(ref float weights, ref float dz, ref float columns)");
            EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(k), Num(layer.Out.Channels), pixels, "weights", (row, t) => $"{t} * {Num(k)} + {row}", "dz", "columns", AccumulatorStart.Zero));
        }
        else
        {
            w.Line($"/// <summary>dx[{Num(layer.In.Channels)}×{Num(pixels)}] = W · columns.</summary>");
            w.Open($"private static void {id}InputGemm(ref float weights, ref float columns, ref float dx)");
            EmitPaths(w, kinds => EmitBroadcastGemm(w, kinds, Num(layer.In.Channels), Num(k), pixels, "weights", (row, t) => $"{row} * {Num(k)} + {t}", "columns", "dx", AccumulatorStart.Zero));
        }
        w.Close();
    }

    /// <summary>columns[(c·kh + ky)·kw + kx, gy·gw + gx] = image[c, gy·s − p + ky·d, gx·s − p + kx·d], 0 outside.</summary>
    private static void EmitIm2Col(SourceWriter w, string name, LayerPlan layer, Shape image, Shape grid)
    {
        w.Line($"/// <summary>Unrolls the {Num(layer.KernelHeight)}×{Num(layer.KernelWidth)} windows of a {image} image over a {Num(grid.Height)}×{Num(grid.Width)} grid into columns.</summary>");
        w.Open($"private static void {name}(ref float image, ref float columns)");
        EmitWindowLoops(w, layer, image, grid, inBounds: "At(ref columns, row + gx) = At(ref image, plane + iy * " + Num(image.Width) + " + ix);",
            outOfBounds: "At(ref columns, row + gx) = 0f;");
        w.Close();
    }

    /// <summary>The adjoint of im2col: image = 0, then every column entry is added back to the pixel it came from.</summary>
    private static void EmitCol2Im(SourceWriter w, string name, LayerPlan layer, Shape image, Shape grid)
    {
        w.Line($"/// <summary>Adds columns back onto a {image} image (the adjoint of im2col); the image is cleared first.</summary>");
        w.Open($"private static void {name}(ref float columns, ref float image)");
        w.Line($"global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref image, {Num(image.Size)}).Clear();");
        EmitWindowLoops(w, layer, image, grid, inBounds: "At(ref image, plane + iy * " + Num(image.Width) + " + ix) += At(ref columns, row + gx);", outOfBounds: null);
        w.Close();
    }

    private static void EmitWindowLoops(SourceWriter w, LayerPlan layer, Shape image, Shape grid, string inBounds, string? outOfBounds)
    {
        int kh = layer.KernelHeight, kw = layer.KernelWidth, s = layer.Stride, p = layer.Padding, d = layer.Dilation;
        w.Open($"for (int c = 0; c < {Num(image.Channels)}; c++)");
        w.Line($"int plane = c * {Num(image.Height * image.Width)};");
        w.Open($"for (int ky = 0; ky < {Num(kh)}; ky++)");
        w.Open($"for (int kx = 0; kx < {Num(kw)}; kx++)");
        w.Line($"int tap = (c * {Num(kh)} + ky) * {Num(kw)} + kx;");
        w.Open($"for (int gy = 0; gy < {Num(grid.Height)}; gy++)");
        w.Line($"int iy = gy * {Num(s)} - {Num(p)} + ky * {Num(d)};");
        w.Line($"int row = tap * {Num(grid.Height * grid.Width)} + gy * {Num(grid.Width)};");
        w.Open($"if ((uint)iy >= {Num(image.Height)}u)");
        if (outOfBounds is not null)
        {
            w.Line($"global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref At(ref columns, row), {Num(grid.Width)}).Clear();");
        }
        w.Line("continue;");
        w.Close();
        w.Open($"for (int gx = 0; gx < {Num(grid.Width)}; gx++)");
        w.Line($"int ix = gx * {Num(s)} - {Num(p)} + kx * {Num(d)};");
        if (outOfBounds is not null)
        {
            w.Open($"if ((uint)ix < {Num(image.Width)}u)");
            w.Line(inBounds);
            w.Close();
            w.Open("else");
            w.Line(outOfBounds);
            w.Close();
        }
        else
        {
            w.Open($"if ((uint)ix < {Num(image.Width)}u)");
            w.Line(inBounds);
            w.Close();
        }
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    public static void EmitPool(SourceWriter w, LayerPlan layer, bool trainable)
    {
        Shape i = layer.In, o = layer.Out;
        int kh = layer.KernelHeight, kw = layer.KernelWidth, s = layer.Stride, p = layer.Padding;
        bool max = layer.Kind == LayerKind.MaxPool2D;
        string indices = max ? "int[] argmax, " : "";
        w.Line($"/// <summary>{layer.Name}: {(max ? "max" : "average")} pooling {i} → {o}, window {Num(kh)}×{Num(kw)}, stride {Num(s)}, padding {Num(p)}.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float z, {indices}int n)");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"ref float image = ref At(ref x, s * {Num(i.Size)});");
        w.Open($"for (int c = 0; c < {Num(i.Channels)}; c++)");
        w.Open($"for (int oy = 0; oy < {Num(o.Height)}; oy++)");
        w.Open($"for (int ox = 0; ox < {Num(o.Width)}; ox++)");
        w.Line(max ? "float best = float.NegativeInfinity;" : "float sum = 0f;");
        if (max)
        {
            w.Line("int bestIndex = -1;");
        }
        w.Open($"for (int ky = 0; ky < {Num(kh)}; ky++)");
        w.Line($"int iy = oy * {Num(s)} - {Num(p)} + ky;");
        w.Open($"if ((uint)iy >= {Num(i.Height)}u)");
        w.Line("continue;");
        w.Close();
        w.Open($"for (int kx = 0; kx < {Num(kw)}; kx++)");
        w.Line($"int ix = ox * {Num(s)} - {Num(p)} + kx;");
        w.Open($"if ((uint)ix < {Num(i.Width)}u)");
        w.Line($"int index = (c * {Num(i.Height)} + iy) * {Num(i.Width)} + ix;");
        if (max)
        {
            w.Line("float v = At(ref image, index);");
            w.Line("// Strictly greater: ties keep the first (top-left-most) maximum.");
            w.Open("if (v > best || bestIndex < 0)");
            w.Line("best = v;");
            w.Line("bestIndex = index;");
            w.Close();
        }
        else
        {
            w.Line("sum += At(ref image, index);");
        }
        w.Close();
        w.Close();
        w.Close();
        w.Line($"int output = s * {Num(o.Size)} + (c * {Num(o.Height)} + oy) * {Num(o.Width)} + ox;");
        if (max)
        {
            w.Line("At(ref z, output) = best;");
            w.Line("argmax[output] = bestIndex;");
        }
        else
        {
            w.Line($"At(ref z, output) = sum * {Float(1f / (kh * kw))};");
        }
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        if (!trainable)
        {
            return;
        }
        w.Line();
        w.Line($"/// <summary>{layer.Name}: {(max ? "routes each gradient to its window's maximum" : "spreads each gradient evenly over its window")}.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}(ref float dz, ref float dx, {indices}int n)");
        w.Line($"global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref dx, n * {Num(i.Size)}).Clear();");
        if (max)
        {
            w.Open($"for (int output = 0; output < n * {Num(o.Size)}; output++)");
            w.Line("int index = argmax[output];");
            w.Open("if (index >= 0)");
            w.Line($"At(ref dx, output / {Num(o.Size)} * {Num(i.Size)} + index) += At(ref dz, output);");
            w.Close();
            w.Close();
        }
        else
        {
            w.Open("for (int s = 0; s < n; s++)");
            w.Open($"for (int c = 0; c < {Num(i.Channels)}; c++)");
            w.Open($"for (int oy = 0; oy < {Num(o.Height)}; oy++)");
            w.Open($"for (int ox = 0; ox < {Num(o.Width)}; ox++)");
            w.Line($"float share = At(ref dz, s * {Num(o.Size)} + (c * {Num(o.Height)} + oy) * {Num(o.Width)} + ox) * {Float(1f / (kh * kw))};");
            w.Open($"for (int ky = 0; ky < {Num(kh)}; ky++)");
            w.Line($"int iy = oy * {Num(s)} - {Num(p)} + ky;");
            w.Open($"if ((uint)iy >= {Num(i.Height)}u)");
            w.Line("continue;");
            w.Close();
            w.Open($"for (int kx = 0; kx < {Num(kw)}; kx++)");
            w.Line($"int ix = ox * {Num(s)} - {Num(p)} + kx;");
            w.Open($"if ((uint)ix < {Num(i.Width)}u)");
            w.Line($"At(ref dx, s * {Num(i.Size)} + (c * {Num(i.Height)} + iy) * {Num(i.Width)} + ix) += share;");
            w.Close();
            w.Close();
            w.Close();
            w.Close();
            w.Close();
            w.Close();
            w.Close();
        }
        w.Close();
    }

    public static void EmitGlobalAveragePool(SourceWriter w, LayerPlan layer, bool trainable)
    {
        int channels = layer.In.Channels, pixels = layer.In.Height * layer.In.Width;
        w.Line($"/// <summary>{layer.Name}: mean of each channel over its {Num(pixels)} pixels.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float z, int n)");
        w.Open($"for (int sc = 0; sc < n * {Num(channels)}; sc++)");
        w.Line("float sum = 0f;");
        w.Open($"for (int p = 0; p < {Num(pixels)}; p++)");
        w.Line($"sum += At(ref x, sc * {Num(pixels)} + p);");
        w.Close();
        w.Line($"At(ref z, sc) = sum * {Float(1f / pixels)};");
        w.Close();
        w.Close();
        if (!trainable)
        {
            return;
        }
        w.Line();
        w.Line($"/// <summary>{layer.Name}: every pixel of a channel gets 1/{Num(pixels)} of its gradient.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}(ref float dz, ref float dx, int n)");
        w.Open($"for (int sc = 0; sc < n * {Num(channels)}; sc++)");
        w.Line($"global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref At(ref dx, sc * {Num(pixels)}), {Num(pixels)}).Fill(At(ref dz, sc) * {Float(1f / pixels)});");
        w.Close();
        w.Close();
    }

    /// <summary>Helpers shared by every convolution of a network.</summary>
    public static void EmitChannelHelpers(SourceWriter w)
    {
        w.Lines("""
            /// <summary>z[c, :] += bias[c] for each of the channels.</summary>
            private static void AddChannelBias(ref float bias, ref float z, int channels, int pixels)
            {
                for (int c = 0; c < channels; c++)
                {
                    float b = At(ref bias, c);
                    global::System.Span<float> plane = global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref At(ref z, c * pixels), pixels);
                    for (int p = 0; p < plane.Length; p++)
                    {
                        plane[p] += b;
                    }
                }
            }

            /// <summary>sums[c] += Σ d[c, :].</summary>
            private static void AddChannelSums(ref float d, ref float sums, int channels, int pixels)
            {
                for (int c = 0; c < channels; c++)
                {
                    float total = 0f;
                    global::System.ReadOnlySpan<float> plane = global::System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref At(ref d, c * pixels), pixels);
                    for (int p = 0; p < plane.Length; p++)
                    {
                        total += plane[p];
                    }
                    At(ref sums, c) += total;
                }
            }
            """);
    }

    private static string Float(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";
}
