using System;
using System.Collections.Generic;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.RegisterTiles;

namespace NetGen.Generator.Layers.Pooling;

/// <summary>Kernels of pooling, with literal shapes. 2×2/2 pooling is vectorized (<see cref="EmitPairPoolForward"/>);
/// max pooling finds the maximum again in backward.</summary>
internal static class PoolingKernels
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    /// <summary>Pooling forward and, for a trainable network, its input gradient; with <paramref name="foldsReLU"/> (max
    /// pooling only, see <see cref="PoolingFamily.FoldsSourceActivationBackward"/>) the input gradient also takes the source's z and
    /// applies the source's ReLU derivative.</summary>
    public static void EmitPool(SourceWriter w, LayerPlan layer, bool trainable, bool foldsReLU = false)
    {
        Shape i = layer.In, o = layer.Out;
        (int kh, int kw, int s, int p) = (PoolingOptions)layer.Options;
        bool max = layer.Kind == PoolingFamily.MaxPool2D;
        bool pairs = kh == 2 && kw == 2 && s == 2 && p == 0;
        w.Line($"/// <summary>{layer.Name}: {(max ? "max" : "average")} pooling {i} → {o}, window {Num(kh)}×{Num(kw)}, stride {Num(s)}, padding {Num(p)}{(max ? "; ties keep the first maximum in row-major order" : "")}.</summary>");
        w.Open($"public static void {ForwardName(layer)}(ref float x, ref float z, int n)");
        if (pairs)
        {
            EmitPairPoolForward(w, layer, max);
        }
        else
        {
            EmitWindowPoolForward(w, layer, max);
        }
        w.Close();
        if (!trainable)
        {
            return;
        }
        w.Line();
        bool relu = max && foldsReLU;
        w.Line($"/// <summary>{layer.Name}: {(max ? "routes each gradient to its window's maximum, found again from x as forward found it" : "spreads each gradient evenly over its window")}{(relu ? ", where the source's z there is ≥ 0 (its ReLU's derivative, applied here)" : "")}.</summary>");
        w.Open($"public static void {BackwardInputName(layer)}({(max ? "ref float x, " : "")}{(relu ? "ref float sourceZ, " : "")}ref float dz, ref float dx, int n)");
        if (pairs)
        {
            EmitPairPoolBackward(w, layer, max, relu);
        }
        else
        {
            EmitWindowPoolBackward(w, layer, max, relu);
        }
        w.Close();
    }

    /// <summary>The general pooling loop over windows that may be clipped by padding; a max window starts from its first
    /// element inside the image and takes only strictly greater ones.</summary>
    private static void EmitWindowLoop(SourceWriter w, LayerPlan layer, bool max, Action body)
    {
        Shape i = layer.In, o = layer.Out;
        (int kh, int kw, int s, int p) = (PoolingOptions)layer.Options;
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
        body();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
    }

    private static void EmitWindowPoolForward(SourceWriter w, LayerPlan layer, bool max)
        => EmitWindowLoop(w, layer, max, () => w.Line(max ? "At(ref z, output) = best;" : $"At(ref z, output) = sum * {Float(1f / (((PoolingOptions)layer.Options).KernelHeight * ((PoolingOptions)layer.Options).KernelWidth))};"));

    private static void EmitWindowPoolBackward(SourceWriter w, LayerPlan layer, bool max, bool relu)
    {
        Shape i = layer.In, o = layer.Out;
        (int kh, int kw, int s, int p) = (PoolingOptions)layer.Options;
        w.Line($"MemoryMarshal.CreateSpan(ref dx, n * {Num(i.Size)}).Clear();");
        if (max)
        {
            EmitWindowLoop(w, layer, max, () =>
            {
                w.Open(relu ? $"if (bestIndex >= 0 && At(ref sourceZ, s * {Num(i.Size)} + bestIndex) >= 0f)" : "if (bestIndex >= 0)");
                w.Line($"At(ref dx, s * {Num(i.Size)} + bestIndex) += At(ref dz, output);");
                w.Close();
            });
            return;
        }
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

    /// <summary>The vector widths a 2×2/2 pooling path uses: a vector of 2h inputs per row gives h outputs; the widest
    /// loops, each narrower one runs at most once, a last odd output takes the low 64 bits of a Vector128.</summary>
    private static List<(VectorKind Kind, int End)> PlanPairBlocks(VectorKind[] kinds, int outputs)
    {
        var blocks = new List<(VectorKind, int)>();
        int ox = 0;
        // At most 256 bits: on the AVX-512 machine here Vector256 pooling is 1.5–2× faster than Vector512 (LeNet's first
        // pooling, batch 64: forward 29 → 19 µs, backward 55 → 35 µs), the 64-bit lane shifts and narrowing of 512 bits cost more.
        kinds = Array.FindAll(kinds, kind => kind.Lanes <= 8);
        for (int k = 0; k < kinds.Length; k++)
        {
            int half = kinds[k].Lanes / 2;
            int count = k == 0 ? (outputs - ox) / half : Math.Min(1, (outputs - ox) / half);
            if (count > 0)
            {
                ox += count * half;
                blocks.Add((kinds[k], ox));
            }
        }
        if (kinds.Length > 0 && ox < outputs)
        {
            blocks.Add((SingleWindow, outputs));
        }
        return blocks;
    }

    /// <summary>One window in the low 64 bits of a Vector128 (the odd last output of a row), read and written as 64-bit
    /// or 32-bit values so nothing outside the window is touched.</summary>
    private static readonly VectorKind SingleWindow = new("Vector128", 2);

    /// <summary>2h floats from row[2·ox] (h = lanes/2 windows).</summary>
    private static string PairLoad(VectorKind v, string row) => v.Lanes == 2
        ? $"Vector128.AsSingle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref At(ref {row}, 2 * ox)))))"
        : $"{v.Type}.LoadUnsafe(ref {row}, (nuint)(2 * ox))";

    /// <summary>Stores 2h floats (a vector of 64-bit lanes) at row[2·ox].</summary>
    private static string PairStore(VectorKind v, string pairs, string row) => v.Lanes == 2
        ? $"Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref At(ref {row}, 2 * ox)), Vector128.ToScalar({pairs}));"
        : $"{v.Type}.StoreUnsafe({v.Type}.AsSingle({pairs}), ref {row}, (nuint)(2 * ox));";

    /// <summary>h = lanes/2 floats from <paramref name="source"/>[ox] in the lower half of a vector (the upper half undefined).</summary>
    private static string HalfLoad(VectorKind v, string source) => v.Lanes switch
    {
        2 => $"Vector128.CreateScalarUnsafe(At(ref {source}, ox))",
        8 => $"Vector128.ToVector256Unsafe(Vector128.LoadUnsafe(ref {source}, (nuint)ox))",
        _ => $"Vector128.AsSingle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref At(ref {source}, ox)))))",
    };

    /// <summary>Stores the even lanes of <paramref name="pairs"/> (a vector of 64-bit lanes) as h floats at target[ox].</summary>
    private static string EvenLaneStore(VectorKind v, string pairs, string target)
    {
        string narrowed = $"{v.Type}.Narrow({pairs}, {pairs})";
        return v.Lanes switch
        {
            2 => $"At(ref {target}, ox) = Vector128.ToScalar(Vector128.AsSingle({pairs}));",
            8 => $"Vector128.StoreUnsafe(Vector128.AsSingle({v.Type}.GetLower({narrowed})), ref {target}, (nuint)ox);",
            _ => $"Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref At(ref {target}, ox)), Vector128.ToScalar(Vector128.AsUInt64({narrowed})));",
        };
    }

    /// <summary>Rows of 2×2/2 windows: each input row pair of an image feeds one output row.</summary>
    private static void OpenPairRows(SourceWriter w, LayerPlan layer, string input, string output)
    {
        Shape i = layer.In, o = layer.Out;
        w.Open($"for (int plane = 0; plane < n * {Num(i.Channels)}; plane++)");
        w.Open($"for (int oy = 0; oy < {Num(o.Height)}; oy++)");
        w.Line($"ref float top = ref At(ref {input}, plane * {Num(i.Height * i.Width)} + oy * {Num(2 * i.Width)});");
        w.Line($"ref float bottom = ref At(ref top, {Num(i.Width)});");
        w.Line($"ref float {output} = ref At(ref {(output == "output" ? "z" : "dz")}, plane * {Num(o.Height * o.Width)} + oy * {Num(o.Width)});");
    }

    /// <summary>Loads h windows: the even lanes of top/bottom hold their left elements, the even lanes of the shifted copies
    /// their right elements (each pair of floats is one 64-bit lane).</summary>
    private static void EmitPairLoads(SourceWriter w, VectorKind v)
    {
        foreach (string row in new[] { "top", "bottom" })
        {
            w.Line($"var {row}0 = {PairLoad(v, row)};");
            w.Line($"var {row}1 = {v.Type}.AsSingle({v.Type}.ShiftRightLogical({v.Type}.AsUInt64({row}0), 32));");
        }
    }

    private static void EmitPairPoolForward(SourceWriter w, LayerPlan layer, bool max)
    {
        int outputs = layer.Out.Width;
        EmitPaths(w, kinds =>
        {
            OpenPairRows(w, layer, "x", "output");
            w.Line("int ox = 0;");
            List<(VectorKind Kind, int End)> blocks = PlanPairBlocks(kinds, outputs);
            foreach ((VectorKind v, int end) in blocks)
            {
                w.Open($"for (; ox < {Num(end)}; ox += {Num(v.Lanes / 2)})");
                EmitPairLoads(w, v);
                if (max)
                {
                    w.Line("var best = top0;");
                    foreach (string next in new[] { "top1", "bottom0", "bottom1" })
                    {
                        w.Line($"best = {v.Type}.ConditionalSelect({v.Type}.GreaterThan({next}, best), {next}, best);");
                    }
                }
                else
                {
                    w.Line($"var best = (top0 + top1 + bottom0 + bottom1) * {v.Type}.Create(0.25f);");
                }
                w.Line(EvenLaneStore(v, $"{v.Type}.AsUInt64(best)", "output"));
                w.Close();
            }
            if (blocks.Count > 0 && blocks[blocks.Count - 1].End == outputs)
            {
                w.Close();
                w.Close();
                return;
            }
            w.Open($"for (; ox < {Num(outputs)}; ox++)");
            w.Line("float a = At(ref top, 2 * ox), b = At(ref top, 2 * ox + 1), c = At(ref bottom, 2 * ox), d = At(ref bottom, 2 * ox + 1);");
            if (max)
            {
                w.Line("float best = a;");
                foreach (string next in new[] { "b", "c", "d" })
                {
                    w.Line($"best = {next} > best ? {next} : best;");
                }
                w.Line("At(ref output, ox) = best;");
            }
            else
            {
                w.Line("At(ref output, ox) = (a + b + c + d) * 0.25f;");
            }
            w.Close();
            w.Close();
            w.Close();
        });
    }

    private static void EmitPairPoolBackward(SourceWriter w, LayerPlan layer, bool max, bool relu)
    {
        Shape i = layer.In, o = layer.Out;
        if (i.Height != 2 * o.Height || i.Width != 2 * o.Width)
        {
            w.Line("// The last row or column of the input is in no window.");
            w.Line($"MemoryMarshal.CreateSpan(ref dx, n * {Num(i.Size)}).Clear();");
        }
        EmitPaths(w, kinds =>
        {
            OpenPairRows(w, layer, max ? "x" : "dx", "gradient");
            if (max)
            {
                w.Line($"ref float dxTop = ref At(ref dx, plane * {Num(i.Height * i.Width)} + oy * {Num(2 * i.Width)});");
                w.Line($"ref float dxBottom = ref At(ref dxTop, {Num(i.Width)});");
                if (relu)
                {
                    w.Line($"ref float zTop = ref At(ref sourceZ, plane * {Num(i.Height * i.Width)} + oy * {Num(2 * i.Width)});");
                    w.Line($"ref float zBottom = ref At(ref zTop, {Num(i.Width)});");
                }
            }
            else
            {
                w.Line("ref float dxTop = ref top;");
                w.Line("ref float dxBottom = ref bottom;");
            }
            w.Line("int ox = 0;");
            List<(VectorKind Kind, int End)> blocks = PlanPairBlocks(kinds, o.Width);
            foreach ((VectorKind v, int end) in blocks)
            {
                w.Open($"for (; ox < {Num(end)}; ox += {Num(v.Lanes / 2)})");
                if (max)
                {
                    EmitPairLoads(w, v);
                    w.Line("var best = top0;");
                    w.Line($"var take1 = {v.Type}.GreaterThan(top1, best);");
                    w.Line($"best = {v.Type}.ConditionalSelect(take1, top1, best);");
                    w.Line($"var take2 = {v.Type}.GreaterThan(bottom0, best);");
                    w.Line($"best = {v.Type}.ConditionalSelect(take2, bottom0, best);");
                    w.Line($"var take3 = {v.Type}.AsUInt64({v.Type}.GreaterThan(bottom1, best));");
                    w.Line("// The gradient in the even lanes; the window element taken last gets it.");
                    w.Line($"var gradientHalf = {HalfLoad(v, "gradient")};");
                    w.Line($"var g = {v.Type}.WidenLower({v.Type}.AsUInt32(gradientHalf));");
                    if (relu)
                    {
                        // The source's z at the element taken, by the same choices; the gradient passes where it is ≥ 0.
                        w.Line($"var zTop0 = {PairLoad(v, "zTop")};");
                        w.Line($"var zBottom0 = {PairLoad(v, "zBottom")};");
                        w.Line($"var zTaken = {v.Type}.ConditionalSelect(take1, {v.Type}.AsSingle({v.Type}.ShiftRightLogical({v.Type}.AsUInt64(zTop0), 32)), zTop0);");
                        w.Line($"zTaken = {v.Type}.ConditionalSelect(take2, zBottom0, zTaken);");
                        w.Line($"zTaken = {v.Type}.ConditionalSelect({v.Type}.AsSingle(take3), {v.Type}.AsSingle({v.Type}.ShiftRightLogical({v.Type}.AsUInt64(zBottom0), 32)), zTaken);");
                        w.Line($"g &= {v.Type}.AsUInt64({v.Type}.GreaterThanOrEqual(zTaken, {v.Type}<float>.Zero));");
                    }
                    w.Line($"var later = {v.Type}.AsUInt64(take2) | take3;");
                    w.Line($"var first = {v.Type}.AndNot(g, {v.Type}.AsUInt64(take1) | later);");
                    w.Line($"var second = {v.Type}.AndNot({v.Type}.AsUInt64(take1), later) & g;");
                    w.Line($"var third = {v.Type}.AndNot({v.Type}.AsUInt64(take2), take3) & g;");
                    w.Line("var fourth = take3 & g;");
                    w.Line(PairStore(v, $"first | {v.Type}.ShiftLeft(second, 32)", "dxTop"));
                    w.Line(PairStore(v, $"third | {v.Type}.ShiftLeft(fourth, 32)", "dxBottom"));
                }
                else
                {
                    w.Line($"var half = {HalfLoad(v, "gradient")};");
                    w.Line($"var quarter = half * {v.Type}.Create(0.25f);");
                    w.Line($"var share = {v.Type}.WidenLower({v.Type}.AsUInt32(quarter));");
                    w.Line($"var both = share | {v.Type}.ShiftLeft(share, 32);");
                    w.Line(PairStore(v, "both", "dxTop"));
                    w.Line(PairStore(v, "both", "dxBottom"));
                }
                w.Close();
            }
            if (blocks.Count > 0 && blocks[blocks.Count - 1].End == o.Width)
            {
                w.Close();
                w.Close();
                return;
            }
            w.Open($"for (; ox < {Num(o.Width)}; ox++)");
            if (max)
            {
                w.Line("float a = At(ref top, 2 * ox), b = At(ref top, 2 * ox + 1), c = At(ref bottom, 2 * ox), d = At(ref bottom, 2 * ox + 1);");
                w.Line("float best = a;");
                w.Line("int taken = 0;");
                int k = 1;
                foreach (string next in new[] { "b", "c", "d" })
                {
                    w.Open($"if ({next} > best)");
                    w.Line($"best = {next};");
                    w.Line($"taken = {Num(k++)};");
                    w.Close();
                }
                if (relu)
                {
                    w.Line("float zTaken = taken switch { 0 => At(ref zTop, 2 * ox), 1 => At(ref zTop, 2 * ox + 1), 2 => At(ref zBottom, 2 * ox), _ => At(ref zBottom, 2 * ox + 1) };");
                }
                w.Line(relu ? "float g = zTaken >= 0f ? At(ref gradient, ox) : 0f;" : "float g = At(ref gradient, ox);");
                w.Line("At(ref dxTop, 2 * ox) = taken == 0 ? g : 0f;");
                w.Line("At(ref dxTop, 2 * ox + 1) = taken == 1 ? g : 0f;");
                w.Line("At(ref dxBottom, 2 * ox) = taken == 2 ? g : 0f;");
                w.Line("At(ref dxBottom, 2 * ox + 1) = taken == 3 ? g : 0f;");
            }
            else
            {
                w.Line("float share = At(ref gradient, ox) * 0.25f;");
                w.Line("At(ref dxTop, 2 * ox) = share;");
                w.Line("At(ref dxTop, 2 * ox + 1) = share;");
                w.Line("At(ref dxBottom, 2 * ox) = share;");
                w.Line("At(ref dxBottom, 2 * ox + 1) = share;");
            }
            w.Close();
            w.Close();
            w.Close();
        });
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
        w.Line($"MemoryMarshal.CreateSpan(ref At(ref dx, sc * {Num(pixels)}), {Num(pixels)}).Fill(At(ref dz, sc) * {Float(1f / pixels)});");
        w.Close();
        w.Close();
    }

    private static string Float(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";
}
