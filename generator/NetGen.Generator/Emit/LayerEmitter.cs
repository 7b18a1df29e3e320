using System.Collections.Generic;
using NetGen.Generator.Model;
using NetGen.Generator.Shapes;
using static NetGen.Generator.Emit.NetworkEmitter;

namespace NetGen.Generator.Emit;

/// <summary>
/// The call sites of one layer inside the generated <c>RunForward</c> and <c>Backward</c>: which kernel runs, on which
/// buffers. Dense layers and convolutions call the shape-specialized kernels of the file's kernel class; normalization,
/// dropout and noise call the runtime's span kernels (<c>NetGen.Kernels</c>) with the shapes as literal arguments.
/// Inside both methods <c>input</c> is the network input, <c>ws</c> the workspace and <c>n</c> the batch size.
/// </summary>
internal static class LayerEmitter
{
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    /// <summary>The per-layer workspace buffers beyond Z, A and G: (member name without index, "buffer" or "int[]", size
    /// expression over <c>capacity</c> and <c>training</c>, what it holds).</summary>
    public static IEnumerable<(string Name, string Type, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        string perBatch = $"capacity * {Num(layer.Outputs)}";
        switch (layer.Kind)
        {
            case LayerKind.MaxPool2D:
                yield return ("Argmax", "int[]", perBatch, "index of each window's maximum within its sample, for backward");
                break;
            case LayerKind.BatchNorm:
                yield return ("Mean", "buffer", Num(layer.In.Channels), "the mean per feature the last pass normalized with");
                yield return ("InverseStd", "buffer", Num(layer.In.Channels), "1/√(σ² + ε) per feature of the last pass");
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                yield return ("Mean", "buffer", $"capacity * {Num(layer.Groups)}", "the mean per sample and group");
                yield return ("InverseStd", "buffer", $"capacity * {Num(layer.Groups)}", "1/√(σ² + ε) per sample and group");
                break;
            case LayerKind.LocalResponseNorm:
                yield return ("Denominator", "buffer", perBatch, "k + (α/n)·Σ a² per value, for backward");
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout:
                yield return ("Mask", "buffer", $"training ? {perBatch} : 0", "the factor each value was multiplied by in the last training pass");
                break;
            case LayerKind.Residual when layer.Projection is not null:
                yield return ("Projected", "buffer", perBatch, "the projected skip");
                break;
        }
    }

    public static void EmitForward(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
        string i = Num(layer.Index);
        string z = $"ref ws.Z{i}.Reference";
        string zSpan = $"ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
        string x = InputRef(layer.Source);
        string xSpan = InputSpan(layer.Source, layer.Inputs);
        string kernels = plan.TypeName + "Kernels";
        switch (layer.Kind)
        {
            case LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D:
                EmitLinearForward(w, plan, layer, x, z);
                break;
            case LayerKind.MaxPool2D:
                w.Line($"{kernels}.{SpatialKernelEmitter.ForwardName(layer)}(ref {x}, {z}, ws.Argmax{i}, n);");
                break;
            case LayerKind.AvgPool2D or LayerKind.GlobalAvgPool2D:
                w.Line($"{kernels}.{SpatialKernelEmitter.ForwardName(layer)}(ref {x}, {z}, n);");
                break;
            case LayerKind.BatchNorm:
                (int channels, int pixels) = layer.ChannelPlanes;
                w.Line($"{Kernels}.NormalizationKernels.BatchNormForward({xSpan}, {zSpan}, n, {Num(channels)}, {Num(pixels)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.Biases)}, "
                    + $"_state.Span.Slice({Num(layer.StateOffset)}, {Num(channels)}), _state.Span.Slice({Num(layer.StateOffset + channels)}, {Num(channels)}), ws.Mean{i}.Span, ws.InverseStd{i}.Span, "
                    + $"{Float(layer.Epsilon)}, {Float(layer.Momentum)}, batchStatistics: mode == global::NetGen.NetworkMode.Training, layer: \"{layer.Name}\");");
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                (int c, int hw) = layer.ChannelPlanes;
                w.Line($"{Kernels}.NormalizationKernels.GroupNormForward({xSpan}, {zSpan}, n, {Num(c)}, {Num(hw)}, {Num(layer.Groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.Biases)}, "
                    + $"ws.Mean{i}.Span.Slice(0, n * {Num(layer.Groups)}), ws.InverseStd{i}.Span.Slice(0, n * {Num(layer.Groups)}), {Float(layer.Epsilon)});");
                break;
            case LayerKind.LocalResponseNorm:
                (int lc, int lp) = layer.ChannelPlanes;
                w.Line($"{Kernels}.NormalizationKernels.LocalResponseNormForward({xSpan}, {zSpan}, ws.Denominator{i}.Span.Slice(0, n * {Num(layer.Outputs)}), n, {Num(lc)}, {Num(lp)}, {Num(layer.WindowSize)}, {Float(layer.LrnAlpha)}, {Float(layer.LrnBeta)}, {Float(layer.LrnK)});");
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.GaussianNoise:
                string call = layer.Kind switch
                {
                    LayerKind.Dropout => $"Dropout({xSpan}, {zSpan}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Float(layer.Rate)}, _random)",
                    LayerKind.AlphaDropout => $"AlphaDropout({xSpan}, {zSpan}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Float(layer.Rate)}, _random)",
                    _ => $"GaussianNoise({xSpan}, {zSpan}, {Float(layer.Rate)}, _random)",
                };
                w.Open("if (stochastic)");
                w.Line($"{Kernels}.StochasticKernels.{call};");
                w.Close();
                w.Open("else");
                w.Line($"{xSpan}.CopyTo({zSpan});");
                w.Close();
                break;
            case LayerKind.Residual:
                string skip = InputSpan(layer.Skip, layer.Outputs);
                if (layer.Projection is { } projection)
                {
                    EmitLinearForward(w, plan, projection, InputRef(layer.Skip), $"ref ws.Projected{i}.Reference");
                    skip = $"ws.Projected{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
                }
                w.Line($"{Kernels}.VectorOps.Add({xSpan}, {skip}, {zSpan});");
                break;
        }
    }

    private static void EmitLinearForward(SourceWriter w, NetworkPlan plan, LayerPlan layer, string x, string z)
    {
        string kernels = plan.TypeName + "Kernels";
        string bias = layer.HasBias ? $"ref {Unsafe}.Add(ref p, {Num(layer.BiasOffset)}), " : "";
        if (layer.WeightNorm)
        {
            string i = Num(layer.Index);
            w.Line($"{Kernels}.WeightNormKernels.Forward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _weight{i}.Span, _norms{i}.Span, {Num(layer.Out.Channels)}, {StoredLayout(layer)});");
        }
        string weights = Weights(layer);
        string activated = DenseKernelEmitter.FusesActivation(layer) ? $"ref ws.{ActivationBuffer(layer)}.Reference, " : "";
        w.Line(layer.Kind == LayerKind.Dense
            ? $"{kernels}.{DenseKernelEmitter.ForwardName(layer)}(ref {x}, {weights}, {bias}{z}, {activated}n);"
            : $"{kernels}.{SpatialKernelEmitter.ForwardName(layer)}(ref {x}, {weights}, {bias}{z}, ref ws.Columns.Reference, n);");
    }

    /// <summary>Backward of one layer once <c>G{i}</c> holds ∂L/∂z: parameter gradients, then the gradient of each input
    /// that needs one (stored, or added through the scratch buffer when another contribution came first).</summary>
    public static void EmitBackward(SourceWriter w, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string i = Num(layer.Index);
        string dz = $"ws.G{i}";
        string dzSpan = $"ws.G{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
        string xSpan = InputSpan(layer.Source, layer.Inputs);
        string zSpan = $"ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
        string kernels = plan.TypeName + "Kernels";
        int source = layer.Source;
        switch (layer.Kind)
        {
            case LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D:
                EmitLinearBackward(w, plan, layer, InputRef(source), dz, source, flow);
                break;
            case LayerKind.MaxPool2D:
                IntoInput(w, flow, source, layer.Inputs, target => w.Line($"{kernels}.{SpatialKernelEmitter.BackwardInputName(layer)}(ref {dz}.Reference, ref {target}.Reference, ws.Argmax{i}, n);"));
                break;
            case LayerKind.AvgPool2D or LayerKind.GlobalAvgPool2D:
                IntoInput(w, flow, source, layer.Inputs, target => w.Line($"{kernels}.{SpatialKernelEmitter.BackwardInputName(layer)}(ref {dz}.Reference, ref {target}.Reference, n);"));
                break;
            case LayerKind.BatchNorm:
                (int channels, int pixels) = layer.ChannelPlanes;
                IntoInputOrNone(w, flow, source, layer.Inputs, dx =>
                    w.Line($"{Kernels}.NormalizationKernels.BatchNormBackward({xSpan}, {dzSpan}, {dx}, n, {Num(channels)}, {Num(pixels)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, ws.Mean{i}.Span, ws.InverseStd{i}.Span, "
                        + $"{Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.Biases)}, batchStatistics: mode == global::NetGen.NetworkMode.Training);"));
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                (int c, int hw) = layer.ChannelPlanes;
                IntoInputOrNone(w, flow, source, layer.Inputs, dx =>
                    w.Line($"{Kernels}.NormalizationKernels.GroupNormBackward({xSpan}, {dzSpan}, {dx}, n, {Num(c)}, {Num(hw)}, {Num(layer.Groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, "
                        + $"ws.Mean{i}.Span.Slice(0, n * {Num(layer.Groups)}), ws.InverseStd{i}.Span.Slice(0, n * {Num(layer.Groups)}), {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.Biases)});"));
                break;
            case LayerKind.LocalResponseNorm:
                (int lc, int lp) = layer.ChannelPlanes;
                IntoInput(w, flow, source, layer.Inputs, target =>
                    w.Line($"{Kernels}.NormalizationKernels.LocalResponseNormBackward({xSpan}, ws.Denominator{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {dzSpan}, {Span(target, layer.Inputs)}, n, {Num(lc)}, {Num(lp)}, {Num(layer.WindowSize)}, {Float(layer.LrnAlpha)}, {Float(layer.LrnBeta)});"));
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout:
                IntoInput(w, flow, source, layer.Inputs, target =>
                {
                    // An inference-mode forward was the identity, so is its backward.
                    w.Open("if (mode != global::NetGen.NetworkMode.Inference)");
                    w.Line($"{Kernels}.VectorOps.Multiply({dzSpan}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Span(target, layer.Inputs)});");
                    w.Close();
                    w.Open("else");
                    w.Line($"{dzSpan}.CopyTo({Span(target, layer.Inputs)});");
                    w.Close();
                });
                break;
            case LayerKind.GaussianNoise:
                IntoInput(w, flow, source, layer.Inputs, target => w.Line($"{dzSpan}.CopyTo({Span(target, layer.Inputs)});"));
                break;
            case LayerKind.Residual:
                IntoInput(w, flow, source, layer.Inputs, target => w.Line($"{dzSpan}.CopyTo({Span(target, layer.Inputs)});"));
                if (layer.Projection is { } projection)
                {
                    EmitLinearBackward(w, plan, projection, InputRef(layer.Skip), dz, layer.Skip, flow);
                }
                else
                {
                    IntoInput(w, flow, layer.Skip, layer.Outputs, target => w.Line($"{dzSpan}.CopyTo({Span(target, layer.Outputs)});"));
                }
                break;
        }
    }

    private static void EmitLinearBackward(SourceWriter w, NetworkPlan plan, LayerPlan layer, string x, string dz, int source, GradientFlow flow)
    {
        string kernels = plan.TypeName + "Kernels";
        string columns = layer.UsesColumns ? ", ref ws.Columns.Reference" : "";
        string biasGradient = layer.HasBias ? $", ref {Unsafe}.Add(ref g, {Num(layer.BiasOffset)})" : "";
        string name = layer.Kind == LayerKind.Dense ? DenseKernelEmitter.BackwardWeightsName(layer) : SpatialKernelEmitter.BackwardWeightsName(layer);
        if (layer.WeightNorm)
        {
            // ∂L/∂w of the effective weights first, then the chain rule through w = g·v/‖v‖.
            string i = Num(layer.Index);
            w.Line($"_weightGradient{i}.Span.Clear();");
            w.Line($"{kernels}.{name}(ref {x}, ref {dz}.Reference, ref _weightGradient{i}.Reference{biasGradient}{columns}, n);");
            w.Line($"{Kernels}.WeightNormKernels.Backward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _norms{i}.Span, _weightGradient{i}.Span, {Gradients(layer.WeightOffset, layer.WeightCount)}, {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Num(layer.Out.Channels)}, {StoredLayout(layer)});");
        }
        else
        {
            w.Line($"{kernels}.{name}(ref {x}, ref {dz}.Reference, ref {Unsafe}.Add(ref g, {Num(layer.WeightOffset)}){biasGradient}{columns}, n);");
        }
        string weights = Weights(layer);
        IntoInput(w, flow, source, layer.Inputs, target => w.Line(layer.Kind == LayerKind.Dense
            ? $"{kernels}.{DenseKernelEmitter.BackwardInputName(layer)}(ref {dz}.Reference, {weights}, ref {target}.Reference, n);"
            : $"{kernels}.{SpatialKernelEmitter.BackwardInputName(layer)}(ref {dz}.Reference, {weights}, ref {target}.Reference{columns}, n);"));
    }

    /// <summary>Runs <paramref name="write"/> with the buffer the gradient of layer <paramref name="source"/>'s output goes
    /// into — its own G when this is the first contribution, else the scratch buffer, which is then added — or not at all
    /// when that gradient is not needed.</summary>
    private static void IntoInput(SourceWriter w, GradientFlow flow, int source, int size, System.Action<string> write)
    {
        if (!flow.Needs(source))
        {
            return;
        }
        string own = $"ws.G{Num(source)}";
        if (flow.TakeFirstWrite(source))
        {
            write(own);
            return;
        }
        write("ws.Scratch");
        w.Line($"{Kernels}.VectorOps.AddScaled({Span(own, size)}, {Span("ws.Scratch", size)}, 1f);");
    }

    /// <summary>Like <see cref="IntoInput"/> for kernels that compute parameter gradients too: when the input gradient is
    /// not needed they still run, with an empty span for it.</summary>
    private static void IntoInputOrNone(SourceWriter w, GradientFlow flow, int source, int size, System.Action<string> write)
    {
        if (!flow.Needs(source))
        {
            write("global::System.Span<float>.Empty");
            return;
        }
        IntoInput(w, flow, source, size, target => write(Span(target, size)));
    }

    /// <summary>The weights a linear layer's kernels multiply with: the parameters, or the effective weights of weight
    /// normalization.</summary>
    private static string Weights(LayerPlan layer)
        => layer.WeightNorm ? $"ref _weight{Num(layer.Index)}.Reference" : $"ref {Unsafe}.Add(ref p, {Num(layer.WeightOffset)})";

    private static string InputRef(int source) => source == 0 ? "input" : $"ws.A{Num(source)}.Reference";

    private static string InputSpan(int source, int size)
        => source == 0 ? $"{Marshal}.CreateReadOnlySpan(ref input, n * {Num(size)})" : $"ws.A{Num(source)}.Span.Slice(0, n * {Num(size)})";

    private static string Span(string buffer, int size) => $"{buffer}.Span.Slice(0, n * {Num(size)})";

    private static string Parameters(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_parameters.Span.Slice({Num(offset)}, {Num(count)})";

    private static string Gradients(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_gradients.Span.Slice({Num(offset)}, {Num(count)})";
}
