using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Layers.Pooling;

/// <summary>Kernels of pooling, each a line that forwards to the runtime (<c>PairPooling</c>, <c>WindowPooling</c>). Max
/// pooling finds the maximum again in backward.</summary>
internal static class PoolingKernels
{
    public static string ForwardName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}Forward";

    public static string BackwardInputName(LayerPlan layer) => $"{layer.Kind}{Num(layer.Index)}BackwardInput";

    /// <summary>Pooling forward and, for a trainable network, its input gradient; with <paramref name="foldsReLU"/> (max
    /// pooling only, see <see cref="PoolingFamily.FoldsSourceActivationBackward"/>) the input gradient also takes the source's z and
    /// applies the source's ReLU derivative. 2×2 windows with stride 2 call the runtime's vectorized <c>PairPooling</c> with
    /// the layer's shape; other windows a <c>WindowPooling</c> built once from it, in a static field.</summary>
    public static void EmitPool(SourceWriter w, LayerPlan layer, bool trainable, bool foldsReLU = false)
    {
        Shape i = layer.In, o = layer.Out;
        (int kh, int kw, int s, int p) = (PoolingOptions)layer.Options;
        bool max = layer.Kind == PoolingFamily.MaxPool2D;
        bool pairs = kh == 2 && kw == 2 && s == 2 && p == 0;
        w.Line($"/// <summary>{layer.Name}: {(max ? "max" : "average")} pooling {i} → {o}, window {Num(kh)}×{Num(kw)}, stride {Num(s)}, padding {Num(p)}{(max ? "; ties keep the first maximum in row-major order" : "")}.</summary>");
        string field = Field(layer);
        if (!pairs)
        {
            w.Line($"private static readonly WindowPooling {field} = new(channels: {Num(i.Channels)}, height: {Num(i.Height)}, width: {Num(i.Width)}, kernelHeight: {Num(kh)}, kernelWidth: {Num(kw)}, stride: {Num(s)}, padding: {Num(p)});");
            w.Line();
            w.Line($"/// <summary>{layer.Name}: the {(max ? "maximum" : "mean")} of each window.</summary>");
        }
        string shape = $"n * {Num(i.Channels)}, {Num(i.Height)}, {Num(i.Width)}";
        w.Line($"public static void {ForwardName(layer)}(ref float x, ref float z, int n)");
        w.Line(pairs
            ? $"    => PairPooling.{(max ? "Max" : "Average")}Forward(ref x, ref z, {shape});"
            : $"    => {field}.{(max ? "Max" : "Average")}Forward(ref x, ref z, n);");
        if (!trainable)
        {
            return;
        }
        w.Line();
        bool relu = max && foldsReLU;
        w.Line($"/// <summary>{layer.Name}: {(max ? "routes each gradient to its window's maximum, found again from x as forward found it" : "spreads each gradient evenly over its window")}{(relu ? ", where the source's z there is ≥ 0 (its ReLU's derivative, applied here)" : "")}.</summary>");
        w.Line($"public static void {BackwardInputName(layer)}({(max ? "ref float x, " : "")}{(relu ? "ref float sourceZ, " : "")}ref float dz, ref float dx, int n)");
        string sourceZ = relu ? "ref sourceZ" : "ref Unsafe.NullRef<float>()";
        w.Line((max, pairs) switch
        {
            (true, true) => $"    => PairPooling.MaxBackward(ref x, {sourceZ}, ref dz, ref dx, {shape});",
            (false, true) => $"    => PairPooling.AverageBackward(ref dz, ref dx, {shape});",
            (true, false) => $"    => {field}.MaxBackward(ref x, {sourceZ}, ref dz, ref dx, n);",
            (false, false) => $"    => {field}.AverageBackward(ref dz, ref dx, n);",
        });
    }

    public static void EmitGlobalAveragePool(SourceWriter w, LayerPlan layer, bool trainable)
    {
        string field = Field(layer);
        w.Line($"/// <summary>{layer.Name}: one window over each channel's {Num(layer.In.Height)}×{Num(layer.In.Width)} pixels.</summary>");
        w.Line($"private static readonly WindowPooling {field} = WindowPooling.Global(channels: {Num(layer.In.Channels)}, height: {Num(layer.In.Height)}, width: {Num(layer.In.Width)});");
        w.Line();
        w.Line($"/// <summary>{layer.Name}: the mean of each channel.</summary>");
        w.Line($"public static void {ForwardName(layer)}(ref float x, ref float z, int n) => {field}.AverageForward(ref x, ref z, n);");
        if (!trainable)
        {
            return;
        }
        w.Line();
        w.Line($"/// <summary>{layer.Name}: every pixel of a channel gets an equal share of its gradient.</summary>");
        w.Line($"public static void {BackwardInputName(layer)}(ref float dz, ref float dx, int n) => {field}.AverageBackward(ref dz, ref dx, n);");
    }

    private static string Field(LayerPlan layer) => $"s_{char.ToLowerInvariant(layer.Kind[0])}{layer.Kind.Substring(1)}{Num(layer.Index)}";
}
