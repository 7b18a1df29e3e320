using System;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Im2Col;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.RegisterTiles;

namespace NetGen.Generator.Layers.Convolution;

/// <summary>
/// Kernels of convolutions, with literal shapes. A stride-1 convolution runs directly on a zero-padded copy of each
/// sample (<see cref="EmitDirectConvolution"/>). Other convolutions are an implicit GEMM: im2col
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
        if (DirectConvolutionLayout.Of(layer) is { } direct)
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

    /// <summary>Vector registers of a path: 32 with AVX-512, 16 with AVX2 (a register tile must leave room for its operands).</summary>
    private static int Registers(VectorKind v) => v.Lanes >= 16 ? 32 : 16;

    /// <summary>
    /// A stride-1 convolution without im2col (see <see cref="DirectConvolutionLayout"/>). Forward, per sample: copy the input
    /// into the zero-padded image, compute every output channel on the grid as a register-tiled GEMM whose B operand is the
    /// padded image read at one constant offset per tap (out[o, q] = Σ_tap w[o, tap]·padded[q + offset(tap)]), then copy
    /// the valid grid positions out. Weight gradient: dW[o, tap] = Σ over samples and grid positions of dz[o, q]·padded[q +
    /// offset(tap)], dot products along the grid (unused grid positions hold dz = 0). Input gradient: for each kernel
    /// position, padded gradient[c, q + offset] += Σ_o w[o, c, ky, kx]·dz[o, q] (the adjoint of the forward product, with
    /// no column buffer), then the interior of the padded gradient is copied out.
    /// </summary>
    private static void EmitDirectConvolution(SourceWriter w, LayerPlan layer, DirectConvolutionLayout g, bool trainable, bool needsInputGradient)
    {
        string id = $"{layer.Kind}{Num(layer.Index)}";
        string bias = layer.HasBias ? "ref float bias, " : "";
        string biasArgument = layer.HasBias ? "ref bias, " : "";
        w.Line($"/// <summary>{layer.Name}: {layer.Kind} {layer.In} → {layer.Out}, kernel {Num(g.KernelHeight)}×{Num(g.KernelWidth)}, padding {Num(g.Padding)}, dilation {Num(g.Dilation)}: direct, on a {Num(g.PaddedHeight)}×{Num(g.PaddedWidth)} padded image.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float weights, {bias}ref float z, ref float columns, int n)");
        w.Line($"ref float grid = ref At(ref columns, {Num(g.PaddedSize)});");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}Pad({Sample("x", layer.Inputs)}, ref columns);");
        w.Line($"{id}Grid(ref weights, {biasArgument}ref columns, ref grid);");
        w.Line($"{id}Crop(ref grid, {Sample("z", layer.Outputs)});");
        w.Close();
        w.Close();
        w.Line();
        EmitPad(w, $"{id}Pad", g);
        w.Line();
        EmitCrop(w, $"{id}Crop", g);
        w.Line();
        EmitForwardGrid(w, $"{id}Grid", g, layer.HasBias);
        if (!trainable)
        {
            return;
        }

        w.Line();
        string biasGradient = layer.HasBias ? ", ref float biasGradient" : "";
        int chunk = g.SamplesPerChunk;
        w.Line($"/// <summary>{layer.Name}: ∂W += Σ dz·x{(layer.HasBias ? ", ∂bias += Σ dz" : "")}, over chunks of {Num(chunk)} samples; every element of ∂W sums the whole batch in the same order whatever the range of its rows.</summary>");
        w.Open($"public static void {BackwardWeightsName(layer)}(ref float x, ref float dz, ref float weightGradient{biasGradient}, ref float columns, int n)");
        string partials = "ref weightGradient";
        if (g.PartialSums > 0)
        {
            w.Line($"ref float partials = ref At(ref columns, {Num(chunk * g.SampleSize)});");
            w.Line($"Clear(ref partials, {Num(g.PartialSums)});");
            partials = "ref partials";
        }
        w.Open($"for (int first = 0; first < n; first += {Num(chunk)})");
        w.Line($"int count = global::System.Math.Min({Num(chunk)}, n - first);");
        w.Open("for (int i = 0; i < count; i++)");
        w.Line($"ref float sample = ref At(ref columns, i * {Num(g.SampleSize)});");
        w.Line($"{id}Pad(ref At(ref x, (first + i) * {Num(layer.Inputs)}), ref sample);");
        w.Line($"{id}{(g.UsesChannelVectors ? "ChunkGradient" : "Expand")}(ref At(ref dz, (first + i) * {Num(layer.Outputs)}), ref At(ref sample, {Num(g.PaddedSize)}));");
        w.Close();
        w.Line($"{id}WeightChunk(ref columns, count, ref weightGradient, {partials}{(layer.HasBias ? ", ref biasGradient" : "")});");
        w.Close();
        if (g.PartialSums > 0)
        {
            w.Line($"{id}AddPartialSums(ref partials, ref weightGradient);");
        }
        w.Close();
        w.Line();
        EmitExpand(w, $"{id}Expand", g);
        w.Line();
        if (g.UsesChannelVectors)
        {
            EmitChunkGradient(w, id, g);
            w.Line();
        }
        EmitWeightChunk(w, $"{id}WeightChunk", g, layer.HasBias);
        if (g.PartialSums > 0)
        {
            w.Line();
            EmitAddPartialSums(w, $"{id}AddPartialSums", g);
        }
        if (!needsInputGradient)
        {
            return;
        }

        w.Line();
        w.Line($"/// <summary>{layer.Name}: dx from dz, scattered through the padded image.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}(ref float dz, ref float weights, ref float dx, ref float columns, int n)");
        w.Line($"ref float grid = ref At(ref columns, {Num(g.PaddedSize)});");
        w.Open("for (int s = 0; s < n; s++)");
        w.Line($"{id}Expand({Sample("dz", layer.Outputs)}, ref grid);");
        w.Line($"Clear(ref columns, {Num(g.PaddedSize)});");
        w.Line($"{id}Scatter(ref weights, ref grid, ref columns);");
        w.Line($"{id}Unpad(ref columns, {Sample("dx", layer.Inputs)});");
        w.Close();
        w.Close();
        w.Line();
        EmitScatter(w, $"{id}Scatter", g);
        w.Line();
        EmitUnpad(w, $"{id}Unpad", g);
    }

    /// <summary>Row r of channel c of the image starts at (c·H + r)·W; in the padded image at c·stride + (r + p)·Wp + p.</summary>
    private static string PaddedRow(DirectConvolutionLayout g)
        => $"c * {Num(g.PlaneStride)} + (y + {Num(g.Padding)}) * {Num(g.PaddedWidth)} + {Num(g.Padding)}";

    private static void EmitPad(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        int size = g.Channels * g.Height * g.Width;
        w.Line($"/// <summary>Copies a {Num(g.Channels)}×{Num(g.Height)}×{Num(g.Width)} image into a zero-padded {Num(g.Channels)}×{Num(g.PaddedHeight)}×{Num(g.PaddedWidth)} one (channel stride {Num(g.PlaneStride)}); the slack after it is zeroed too.</summary>");
        w.Open($"private static void {name}(ref float image, ref float padded)");
        if (g.Padding == 0 && g.PlaneStride == g.PaddedPlane)
        {
            w.Line($"Copy(ref image, ref padded, {Num(size)});");
            w.Line($"Clear(ref At(ref padded, {Num(size)}), {Num(g.PaddedSize - size)});");
        }
        else
        {
            w.Line($"Clear(ref padded, {Num(g.PaddedSize)});");
            w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
            w.Open($"for (int y = 0; y < {Num(g.Height)}; y++)");
            w.Line($"Copy(ref At(ref image, (c * {Num(g.Height)} + y) * {Num(g.Width)}), ref At(ref padded, {PaddedRow(g)}), {Num(g.Width)});");
            w.Close();
            w.Close();
        }
        w.Close();
    }

    private static void EmitUnpad(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        int size = g.Channels * g.Height * g.Width;
        w.Line($"/// <summary>Copies the interior of the padded image back into a {Num(g.Channels)}×{Num(g.Height)}×{Num(g.Width)} one.</summary>");
        w.Open($"private static void {name}(ref float padded, ref float image)");
        if (g.Padding == 0 && g.PlaneStride == g.PaddedPlane)
        {
            w.Line($"Copy(ref padded, ref image, {Num(size)});");
        }
        else
        {
            w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
            w.Open($"for (int y = 0; y < {Num(g.Height)}; y++)");
            w.Line($"Copy(ref At(ref padded, {PaddedRow(g)}), ref At(ref image, (c * {Num(g.Height)} + y) * {Num(g.Width)}), {Num(g.Width)});");
            w.Close();
            w.Close();
        }
        w.Close();
    }

    private static void EmitCrop(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        w.Line($"/// <summary>Copies the valid {Num(g.GridHeight)}×{Num(g.GridWidth)} positions of each channel of the grid (row stride {Num(g.PaddedWidth)}) into z.</summary>");
        w.Open($"private static void {name}(ref float grid, ref float z)");
        w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
        w.Open($"for (int y = 0; y < {Num(g.GridHeight)}; y++)");
        w.Line($"Copy(ref At(ref grid, o * {Num(g.Columns)} + y * {Num(g.PaddedWidth)}), ref At(ref z, (o * {Num(g.GridHeight)} + y) * {Num(g.GridWidth)}), {Num(g.GridWidth)});");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void EmitExpand(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        w.Line($"/// <summary>Spreads dz over the grid (row stride {Num(g.PaddedWidth)}), with 0 at every unused position.</summary>");
        w.Open($"private static void {name}(ref float dz, ref float grid)");
        w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
        w.Open($"for (int y = 0; y < {Num(g.GridHeight)}; y++)");
        w.Line($"ref float row = ref At(ref grid, o * {Num(g.Columns)} + y * {Num(g.PaddedWidth)});");
        w.Line($"Copy(ref At(ref dz, (o * {Num(g.GridHeight)} + y) * {Num(g.GridWidth)}), ref row, {Num(g.GridWidth)});");
        if (g.PaddedWidth > g.GridWidth)
        {
            w.Line($"Clear(ref At(ref row, {Num(g.GridWidth)}), {Num(g.PaddedWidth - g.GridWidth)});");
        }
        w.Close();
        if (g.Columns > g.GridColumns)
        {
            w.Line($"Clear(ref At(ref grid, o * {Num(g.Columns)} + {Num(g.GridColumns)}), {Num(g.Columns - g.GridColumns)});");
        }
        w.Close();
        w.Close();
    }

    /// <summary>Loops <paramref name="variable"/> over [0, count·unit) in steps of equal tiles of at most
    /// <paramref name="maxTile"/> items, then one block for the items left; <paramref name="body"/> writes a tile of the
    /// given size starting at the variable.</summary>
    private static void EmitTiled(SourceWriter w, string variable, int count, int maxTile, int unit, Action<int> body)
    {
        int tiles = (count + maxTile - 1) / maxTile;
        int tile = (count + tiles - 1) / tiles;
        int full = count / tile, remainder = count % tile;
        if (full == 1)
        {
            w.Open("");
            w.Line($"const int {variable} = 0;");
        }
        else
        {
            w.Open($"for (int {variable} = 0; {variable} < {Num(full * tile * unit)}; {variable} += {Num(tile * unit)})");
        }
        body(tile);
        w.Close();
        if (remainder > 0)
        {
            w.Open("");
            w.Line($"const int {variable} = {Num(full * tile * unit)};");
            body(remainder);
            w.Close();
        }
    }

    private static string Plus(int value) => value == 0 ? "" : $" + {Num(value)}";

    /// <summary>The element-offset argument of a vector load or store (none for 0): a literal the JIT folds into the address.</summary>
    private static string Offset(int value) => value == 0 ? "" : $", {Num(value)}";

    private static string Times(string variable, int factor) => factor == 1 ? variable : $"{variable} * {Num(factor)}";

    /// <summary>grid[o, q] = bias[o] + Σ_(c, ky, kx) w[o, c, ky, kx]·padded[q + c·stride + ky·d·Wp + kx·d]: tiles of up to
    /// 8 (AVX-512) or 6 output channels × as many vectors along q as the registers hold, the taps in order.</summary>
    private static void EmitForwardGrid(SourceWriter w, string name, DirectConvolutionLayout g, bool hasBias)
    {
        string bias = hasBias ? "ref float bias, " : "";
        w.Line($"/// <summary>The {Num(g.OutChannels)} output channels on the grid, {Num(g.Taps)} taps each.</summary>");
        w.Open($"private static void {name}(ref float weights, {bias}ref float padded, ref float grid)");
        EmitPaths(w, kinds =>
        {
            if (kinds.Length == 0)
            {
                w.Open($"for (int r = 0; r < {Num(g.OutChannels)}; r++)");
                w.Open($"for (int j = 0; j < {Num(g.GridColumns)}; j++)");
                w.Line(hasBias ? "float acc = At(ref bias, r);" : "float acc = 0f;");
                OpenTapLoops(w, g);
                w.Line($"acc += At(ref weights, r * {Num(g.Taps)} + (c * {Num(g.KernelHeight)} + ky) * {Num(g.KernelWidth)} + kx) * At(ref padded, j + c * {Num(g.PlaneStride)} + ky * {Num(g.Dilation * g.PaddedWidth)} + {Times("kx", g.Dilation)});");
                CloseTapLoops(w);
                w.Line($"At(ref grid, r * {Num(g.Columns)} + j) = acc;");
                w.Close();
                w.Close();
                return;
            }
            VectorKind v = kinds[0];
            int registers = Registers(v);
            EmitTiled(w, "r", g.OutChannels, registers == 32 ? 8 : 6, 1, rows =>
                EmitTiled(w, "j", g.Columns / v.Lanes, (registers - 1) / (rows + 1), v.Lanes, vectors =>
                {
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < vectors; q++)
                        {
                            w.Line($"var acc{r}_{q} = {(hasBias ? $"{v.Type}.Create(At(ref bias, r{Plus(r)}))" : $"{v.Of}.Zero")};");
                        }
                    }
                    w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
                    w.Open($"for (int ky = 0; ky < {Num(g.KernelHeight)}; ky++)");
                    w.Line($"ref float source = ref At(ref padded, j + c * {Num(g.PlaneStride)} + ky * {Num(g.Dilation * g.PaddedWidth)});");
                    w.Line($"ref float tap = ref At(ref weights, r * {Num(g.Taps)} + (c * {Num(g.KernelHeight)} + ky) * {Num(g.KernelWidth)});");
                    w.Open($"for (int kx = 0; kx < {Num(g.KernelWidth)}; kx++)");
                    w.Line($"ref float shifted = ref At(ref source, {Times("kx", g.Dilation)});");
                    w.Line("ref float weight = ref At(ref tap, kx);");
                    for (int q = 0; q < vectors; q++)
                    {
                        w.Line($"var b{q} = {v.Type}.LoadUnsafe(ref shifted{Offset(q * v.Lanes)});");
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        w.Line($"var a{r} = {v.Type}.Create(At(ref weight, {Num(r * g.Taps)}));");
                        for (int q = 0; q < vectors; q++)
                        {
                            w.Line($"acc{r}_{q} = {v.Type}.FusedMultiplyAdd(a{r}, b{q}, acc{r}_{q});");
                        }
                    }
                    w.Close();
                    w.Close();
                    w.Close();
                    w.Line($"ref float output = ref At(ref grid, r * {Num(g.Columns)} + j);");
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < vectors; q++)
                        {
                            w.Line($"{v.Type}.StoreUnsafe(acc{r}_{q}, ref output{Offset(r * g.Columns + q * v.Lanes)});");
                        }
                    }
                }));
        });
        w.Close();
    }

    private static void OpenTapLoops(SourceWriter w, DirectConvolutionLayout g)
    {
        w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
        w.Open($"for (int ky = 0; ky < {Num(g.KernelHeight)}; ky++)");
        w.Open($"for (int kx = 0; kx < {Num(g.KernelWidth)}; kx++)");
    }

    private static void CloseTapLoops(SourceWriter w)
    {
        w.Close();
        w.Close();
        w.Close();
    }

    /// <summary>For each kernel position (ky, kx): padded[c·stride + offset + q] += Σ_o w[o, c, ky, kx]·grid[o, q], tiles of
    /// input channels × vectors along q. Within one kernel position no two grid positions reach the same float, so each
    /// tile is a plain load-accumulate-store.</summary>
    private static void EmitScatter(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        int area = g.KernelHeight * g.KernelWidth;
        w.Line($"/// <summary>Adds Wᵀ·dz for each of the {Num(area)} kernel positions onto the padded input gradient.</summary>");
        w.Open($"private static void {name}(ref float weights, ref float grid, ref float padded)");
        EmitPaths(w, kinds =>
        {
            w.Open($"for (int ky = 0; ky < {Num(g.KernelHeight)}; ky++)");
            w.Open($"for (int kx = 0; kx < {Num(g.KernelWidth)}; kx++)");
            w.Line($"int offset = ky * {Num(g.Dilation * g.PaddedWidth)} + {Times("kx", g.Dilation)};");
            w.Line($"ref float tap = ref At(ref weights, ky * {Num(g.KernelWidth)} + kx);");
            if (kinds.Length == 0)
            {
                w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
                w.Open($"for (int j = 0; j < {Num(g.GridColumns)}; j++)");
                w.Line($"ref float target = ref At(ref padded, c * {Num(g.PlaneStride)} + offset + j);");
                w.Line("float acc = target;");
                w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
                w.Line($"acc += At(ref tap, (o * {Num(g.Channels)} + c) * {Num(area)}) * At(ref grid, o * {Num(g.Columns)} + j);");
                w.Close();
                w.Line("target = acc;");
                w.Close();
                w.Close();
            }
            else
            {
                VectorKind v = kinds[0];
                int registers = Registers(v);
                EmitTiled(w, "c", g.Channels, registers == 32 ? 8 : 6, 1, rows =>
                    EmitTiled(w, "j", g.Columns / v.Lanes, (registers - 1) / (rows + 1), v.Lanes, vectors =>
                    {
                        w.Line($"ref float target = ref At(ref padded, c * {Num(g.PlaneStride)} + offset + j);");
                        for (int r = 0; r < rows; r++)
                        {
                            for (int q = 0; q < vectors; q++)
                            {
                                w.Line($"var acc{r}_{q} = {v.Type}.LoadUnsafe(ref target{Offset(r * g.PlaneStride + q * v.Lanes)});");
                            }
                        }
                        w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
                        w.Line($"ref float gradient = ref At(ref grid, o * {Num(g.Columns)} + j);");
                        w.Line($"ref float column = ref At(ref tap, (o * {Num(g.Channels)} + c) * {Num(area)});");
                        for (int q = 0; q < vectors; q++)
                        {
                            w.Line($"var b{q} = {v.Type}.LoadUnsafe(ref gradient{Offset(q * v.Lanes)});");
                        }
                        for (int r = 0; r < rows; r++)
                        {
                            w.Line($"var a{r} = {v.Type}.Create(At(ref column, {Num(r * area)}));");
                            for (int q = 0; q < vectors; q++)
                            {
                                w.Line($"acc{r}_{q} = {v.Type}.FusedMultiplyAdd(a{r}, b{q}, acc{r}_{q});");
                            }
                        }
                        w.Close();
                        for (int r = 0; r < rows; r++)
                        {
                            for (int q = 0; q < vectors; q++)
                            {
                                w.Line($"{v.Type}.StoreUnsafe(acc{r}_{q}, ref target{Offset(r * g.PlaneStride + q * v.Lanes)});");
                            }
                        }
                    }));
            }
            w.Close();
            w.Close();
        });
        w.Close();
    }

    /// <summary>dz of one sample into the chunk, in the layout the path's weight kernel reads.</summary>
    private static void EmitChunkGradient(SourceWriter w, string id, DirectConvolutionLayout g)
    {
        int positions = g.GridHeight * g.GridWidth;
        w.Line($"/// <summary>dz[{Num(g.OutChannels)}×{Num(positions)}] transposed to [position, channel] where the weight kernel runs along channels, else spread over the grid.</summary>");
        w.Open($"private static void {id}ChunkGradient(ref float dz, ref float target)");
        EmitPaths(w, kinds =>
        {
            if (kinds.Length > 0 && g.OutChannels % kinds[0].Lanes == 0)
            {
                // Four positions at a time, reading four rows of dz together: four contiguous stores per position.
                w.Open($"for (int p = 0; p < {Num(positions / 4 * 4)}; p += 4)");
                w.Line($"ref float column = ref At(ref target, p * {Num(g.OutChannels)});");
                w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
                w.Line($"ref float source = ref At(ref dz, o * {Num(positions)} + p);");
                for (int k = 0; k < 4; k++)
                {
                    w.Line($"At(ref column, {(k == 0 ? "" : $"{Num(k * g.OutChannels)} + ")}o) = At(ref source, {Num(k)});");
                }
                w.Close();
                w.Close();
                if (positions % 4 != 0)
                {
                    w.Open($"for (int p = {Num(positions / 4 * 4)}; p < {Num(positions)}; p++)");
                    w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
                    w.Line($"At(ref target, p * {Num(g.OutChannels)} + o) = At(ref dz, o * {Num(positions)} + p);");
                    w.Close();
                    w.Close();
                }
            }
            else
            {
                w.Line($"{id}Expand(ref dz, ref target);");
            }
        });
        w.Close();
    }

    /// <summary>∂W[:, c, tap] += Σ_(samples, y, x) padded[c, y + ky·d, x + kx·d]·dz[:, y, x] with vectors along the output
    /// channels (dz transposed): only valid positions, no horizontal sums; tiles of as many taps of one input channel as
    /// the registers hold, each input value an embedded broadcast. ∂bias += Σ dz[:, position].</summary>
    private static void EmitChannelVectorWeights(SourceWriter w, VectorKind v, DirectConvolutionLayout g, bool hasBias)
    {
        int area = g.KernelHeight * g.KernelWidth;
        w.Line($"global::System.Span<float> lanesOfOneVector = stackalloc float[{Num(v.Lanes)}];");
        w.Line("ref float lanes = ref MemoryMarshal.GetReference(lanesOfOneVector);");
        // Groups of output-channel vectors (u0 is the first channel of the group), then tiles of taps of one input channel.
        EmitTiled(w, "u0", g.OutChannels / v.Lanes, Registers(v) == 32 ? 4 : 2, v.Lanes, vectors =>
        {
            int maxTaps = Math.Max(1, (Registers(v) - 2 - vectors) / vectors);
            int tiles = (area + maxTaps - 1) / maxTaps;
            w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
            for (int tile = 0; tile < tiles; tile++)
            {
                int first = tile * area / tiles, end = (tile + 1) * area / tiles;
                w.Open("");
                for (int t = first; t < end; t++)
                {
                    for (int u = 0; u < vectors; u++)
                    {
                        w.Line($"var acc{t}_{u} = {v.Of}.Zero;");
                    }
                }
                w.Open("for (int i = 0; i < count; i++)");
                w.Line($"ref float sample = ref At(ref chunk, i * {Num(g.SampleSize)});");
                w.Line($"ref float image = ref At(ref sample, c * {Num(g.PlaneStride)});");
                w.Line($"ref float gradient = ref At(ref sample, {Num(g.PaddedSize)} + u0);");
                w.Open($"for (int y = 0; y < {Num(g.GridHeight)}; y++)");
                w.Line($"ref float row = ref At(ref image, y * {Num(g.PaddedWidth)});");
                w.Line($"ref float gradientRow = ref At(ref gradient, y * {Num(g.GridWidth * g.OutChannels)});");
                w.Open($"for (int x = 0; x < {Num(g.GridWidth)}; x++)");
                w.Line("ref float window = ref At(ref row, x);");
                w.Line($"ref float channels = ref At(ref gradientRow, x * {Num(g.OutChannels)});");
                for (int u = 0; u < vectors; u++)
                {
                    w.Line($"var g{u} = {v.Type}.LoadUnsafe(ref channels{Offset(u * v.Lanes)});");
                }
                for (int t = first; t < end; t++)
                {
                    int offset = (t / g.KernelWidth) * g.Dilation * g.PaddedWidth + t % g.KernelWidth * g.Dilation;
                    w.Line($"var x{t} = {v.Type}.Create(At(ref window, {Num(offset)}));");
                    for (int u = 0; u < vectors; u++)
                    {
                        w.Line($"acc{t}_{u} = {v.Type}.FusedMultiplyAdd(x{t}, g{u}, acc{t}_{u});");
                    }
                }
                w.Close();
                w.Close();
                w.Close();
                for (int t = first; t < end; t++)
                {
                    for (int u = 0; u < vectors; u++)
                    {
                        w.Line($"{v.Type}.StoreUnsafe(acc{t}_{u}, ref lanes);");
                        w.Open($"for (int o = 0; o < {Num(v.Lanes)}; o++)");
                        w.Line($"At(ref weightGradient, (u0{Plus(u * v.Lanes)} + o) * {Num(g.Taps)} + c * {Num(area)} + {Num(t)}) += At(ref lanes, o);");
                        w.Close();
                    }
                }
                w.Close();
            }
            w.Close();
            if (!hasBias)
            {
                return;
            }
            for (int u = 0; u < vectors; u++)
            {
                w.Line($"var sum{u} = {v.Of}.Zero;");
            }
            w.Open("for (int i = 0; i < count; i++)");
            w.Line($"ref float gradient = ref At(ref chunk, i * {Num(g.SampleSize)} + {Num(g.PaddedSize)} + u0);");
            w.Open($"for (int p = 0; p < {Num(g.GridHeight * g.GridWidth * g.OutChannels)}; p += {Num(g.OutChannels)})");
            w.Line("ref float channels = ref At(ref gradient, p);");
            for (int u = 0; u < vectors; u++)
            {
                w.Line($"sum{u} += {v.Type}.LoadUnsafe(ref channels{Offset(u * v.Lanes)});");
            }
            w.Close();
            w.Close();
            for (int u = 0; u < vectors; u++)
            {
                w.Line($"ref float bias{u} = ref At(ref biasGradient, u0{Plus(u * v.Lanes)});");
                w.Line($"{v.Type}.StoreUnsafe({v.Type}.LoadUnsafe(ref bias{u}) + sum{u}, ref bias{u});");
            }
        });
    }

    /// <summary>∂W += the horizontal sum of each weight's vector of partial sums (vector paths that ran along the grid).</summary>
    private static void EmitAddPartialSums(SourceWriter w, string name, DirectConvolutionLayout g)
    {
        w.Line($"/// <summary>Adds the partial sums of the {Num(g.OutChannels * g.Taps)} weights, where this path kept them.</summary>");
        w.Open($"private static void {name}(ref float partials, ref float weightGradient)");
        EmitPaths(w, kinds =>
        {
            if (kinds.Length == 0 || g.OutChannels % kinds[0].Lanes == 0)
            {
                return;
            }
            VectorKind v = kinds[0];
            w.Open($"for (int e = 0; e < {Num(g.OutChannels * g.Taps)}; e++)");
            w.Line($"At(ref weightGradient, e) += {v.Type}.Sum({v.Type}.LoadUnsafe(ref partials, (nuint)(e * {Num(v.Lanes)})));");
            w.Close();
        });
        w.Close();
    }

    /// <summary>The weight-gradient register tile (output channels × taps along kx) with the fewest loads per FMA that
    /// fits the registers beside one gradient vector per row and one input vector. Gradient loads count twice: measured on
    /// LeNet's first convolution, a tile of 3 channels × 5 taps beats 6 × 3 (+ 6 × 2) by 10 %.</summary>
    private static (int Rows, int Taps) WeightTile(DirectConvolutionLayout g, int registers)
    {
        static int Balanced(int count, int max) => (count + (count + max - 1) / max - 1) / ((count + max - 1) / max);
        (int Rows, int Taps) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int rows = 1; rows <= Math.Min(g.OutChannels, 8); rows++)
        {
            for (int taps = 1; taps <= Math.Min(g.KernelWidth, 8); taps++)
            {
                if (rows * taps + rows + 1 > registers - 1)
                {
                    continue;
                }
                int r = Balanced(g.OutChannels, rows), t = Balanced(g.KernelWidth, taps);
                double cost = (2.0 * r + t) / (r * t);
                if (cost < bestCost - 1e-9)
                {
                    (best, bestCost) = ((rows, taps), cost);
                }
            }
        }
        return best;
    }

    /// <summary>∂W[o, c, ky, kx] += Σ_(samples, q) grid[o, q]·padded[q + offset]: tiles of output channels × taps along kx
    /// (<see cref="WeightTile"/>), vector accumulators over the chunk added to each weight's vector of partial sums.
    /// ∂bias[o] += Σ grid[o, :], tiles of 8 channels.</summary>
    private static void EmitWeightChunk(SourceWriter w, string name, DirectConvolutionLayout g, bool hasBias)
    {
        string biasGradient = hasBias ? ", ref float biasGradient" : "";
        w.Line($"/// <summary>Adds the gradient of {Num(g.OutChannels)}×{Num(g.Taps)} weights over the samples of a chunk (padded image, then dz on the grid, {Num(g.SampleSize)} floats each).</summary>");
        w.Open($"private static void {name}(ref float chunk, int count, ref float weightGradient, ref float partials{biasGradient})");
        EmitPaths(w, kinds =>
        {
            if (kinds.Length == 0)
            {
                w.Open("for (int i = 0; i < count; i++)");
                w.Line($"ref float sample = ref At(ref chunk, i * {Num(g.SampleSize)});");
                w.Open($"for (int o = 0; o < {Num(g.OutChannels)}; o++)");
                w.Line($"ref float gradient = ref At(ref sample, {Num(g.PaddedSize)} + o * {Num(g.Columns)});");
                OpenTapLoops(w, g);
                w.Line($"ref float source = ref At(ref sample, c * {Num(g.PlaneStride)} + ky * {Num(g.Dilation * g.PaddedWidth)} + {Times("kx", g.Dilation)});");
                w.Line("float sum = 0f;");
                w.Open($"for (int j = 0; j < {Num(g.GridColumns)}; j++)");
                w.Line("sum += At(ref gradient, j) * At(ref source, j);");
                w.Close();
                w.Line($"At(ref weightGradient, o * {Num(g.Taps)} + (c * {Num(g.KernelHeight)} + ky) * {Num(g.KernelWidth)} + kx) += sum;");
                CloseTapLoops(w);
                if (hasBias)
                {
                    w.Line("float total = 0f;");
                    w.Open($"for (int j = 0; j < {Num(g.GridColumns)}; j++)");
                    w.Line("total += At(ref gradient, j);");
                    w.Close();
                    w.Line("At(ref biasGradient, o) += total;");
                }
                w.Close();
                w.Close();
                return;
            }
            VectorKind v = kinds[0];
            if (g.OutChannels % v.Lanes == 0)
            {
                EmitChannelVectorWeights(w, v, g, hasBias);
                return;
            }
            (int maxRows, int maxTaps) = WeightTile(g, Registers(v));
            EmitTiled(w, "r", g.OutChannels, maxRows, 1, rows =>
            {
                w.Open($"for (int c = 0; c < {Num(g.Channels)}; c++)");
                w.Open($"for (int ky = 0; ky < {Num(g.KernelHeight)}; ky++)");
                EmitTiled(w, "kx", g.KernelWidth, maxTaps, 1, taps =>
                {
                    for (int r = 0; r < rows; r++)
                    {
                        for (int t = 0; t < taps; t++)
                        {
                            w.Line($"var acc{r}_{t} = {v.Of}.Zero;");
                        }
                    }
                    w.Open("for (int i = 0; i < count; i++)");
                    w.Line($"ref float sample = ref At(ref chunk, i * {Num(g.SampleSize)});");
                    w.Line($"ref float source = ref At(ref sample, c * {Num(g.PlaneStride)} + ky * {Num(g.Dilation * g.PaddedWidth)} + {Times("kx", g.Dilation)});");
                    w.Line($"ref float gradient = ref At(ref sample, {Num(g.PaddedSize)} + r * {Num(g.Columns)});");
                    OpenLoop(w, "j", g.Columns, v.Lanes);
                    w.Line("ref float dz = ref At(ref gradient, j);");
                    w.Line("ref float x = ref At(ref source, j);");
                    for (int r = 0; r < rows; r++)
                    {
                        w.Line($"var d{r} = {v.Type}.LoadUnsafe(ref dz{Offset(r * g.Columns)});");
                    }
                    for (int t = 0; t < taps; t++)
                    {
                        w.Line($"var x{t} = {v.Type}.LoadUnsafe(ref x{Offset(t * g.Dilation)});");
                        for (int r = 0; r < rows; r++)
                        {
                            w.Line($"acc{r}_{t} = {v.Type}.FusedMultiplyAdd(d{r}, x{t}, acc{r}_{t});");
                        }
                    }
                    w.Close();
                    w.Close();
                    for (int r = 0; r < rows; r++)
                    {
                        for (int t = 0; t < taps; t++)
                        {
                            w.Line($"ref float partial{r}_{t} = ref At(ref partials, ((r{Plus(r)}) * {Num(g.Taps)} + (c * {Num(g.KernelHeight)} + ky) * {Num(g.KernelWidth)} + kx{Plus(t)}) * {Num(v.Lanes)});");
                            w.Line($"{v.Type}.StoreUnsafe({v.Type}.LoadUnsafe(ref partial{r}_{t}) + acc{r}_{t}, ref partial{r}_{t});");
                        }
                    }
                });
                w.Close();
                w.Close();
            });
            if (!hasBias)
            {
                return;
            }
            EmitTiled(w, "r", g.OutChannels, 8, 1, rows =>
            {
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"var sum{r} = {v.Of}.Zero;");
                }
                w.Open("for (int i = 0; i < count; i++)");
                w.Line($"ref float gradient = ref At(ref chunk, i * {Num(g.SampleSize)} + {Num(g.PaddedSize)} + r * {Num(g.Columns)});");
                OpenLoop(w, "j", g.Columns, v.Lanes);
                w.Line("ref float dz = ref At(ref gradient, j);");
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"sum{r} += {v.Type}.LoadUnsafe(ref dz{Offset(r * g.Columns)});");
                }
                w.Close();
                w.Close();
                for (int r = 0; r < rows; r++)
                {
                    w.Line($"At(ref biasGradient, r{Plus(r)}) += {v.Type}.Sum(sum{r});");
                }
            });
        });
        w.Close();
    }
}
