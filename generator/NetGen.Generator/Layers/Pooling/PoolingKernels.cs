using System;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Layers.Pooling;

/// <summary>Kernels of pooling. 2×2/2 pooling is the runtime's vectorized <c>PairPooling</c>, called with the layer's
/// shape; other windows are loops with literal shapes here. Max pooling finds the maximum again in backward.</summary>
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
        string shape = $"n * {Num(i.Channels)}, {Num(i.Height)}, {Num(i.Width)}";
        if (pairs)
        {
            w.Line($"public static void {ForwardName(layer)}(ref float x, ref float z, int n)");
            w.Line($"    => PairPooling.{(max ? "Max" : "Average")}Forward(ref x, ref z, {shape});");
        }
        else
        {
            w.Open($"public static void {ForwardName(layer)}(ref float x, ref float z, int n)");
            EmitWindowPoolForward(w, layer, max);
            w.Close();
        }
        if (!trainable)
        {
            return;
        }
        w.Line();
        bool relu = max && foldsReLU;
        w.Line($"/// <summary>{layer.Name}: {(max ? "routes each gradient to its window's maximum, found again from x as forward found it" : "spreads each gradient evenly over its window")}{(relu ? ", where the source's z there is ≥ 0 (its ReLU's derivative, applied here)" : "")}.</summary>");
        string signature = $"public static void {BackwardInputName(layer)}({(max ? "ref float x, " : "")}{(relu ? "ref float sourceZ, " : "")}ref float dz, ref float dx, int n)";
        if (pairs)
        {
            w.Line(signature);
            w.Line(max
                ? $"    => PairPooling.MaxBackward(ref x, {(relu ? "ref sourceZ" : "ref Unsafe.NullRef<float>()")}, ref dz, ref dx, {shape});"
                : $"    => PairPooling.AverageBackward(ref dz, ref dx, {shape});");
        }
        else
        {
            w.Open(signature);
            EmitWindowPoolBackward(w, layer, max, relu);
            w.Close();
        }
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
