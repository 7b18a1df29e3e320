using System.Collections.Generic;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Layers.Dense;
using NetGen.Generator.Layers.Pooling;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Network.NetworkEmitter;

namespace NetGen.Generator.Emit;

/// <summary>
/// The steps of one layer in the generated forward and backward passes: which kernel runs on which buffers, and over
/// which items. Dense layers and convolutions call the shape-specialized kernels of the file's kernel class;
/// normalization, dropout and noise call the runtime's span kernels (<c>NetGen.Kernels</c>) with the shapes as literal
/// arguments. Inside a step, <c>ws</c> is the workspace, <c>n</c> the batch size, <c>input</c> the network input,
/// <c>start</c>/<c>end</c> the step's range and <c>count</c> its length for steps over samples, and <c>part</c> the
/// thread's scratch slot.
/// </summary>
internal static class LayerEmitter
{
    /// <summary>Shards of the batch a convolution's weight gradient is summed in (at most this many threads share it).</summary>
    public const int GradientShards = 4;

    /// <summary>
    /// The layer whose ReLU derivative max pooling layer <paramref name="pool"/> applies in its own backward kernel, or
    /// null: its source, when that has a ReLU and no other layer reads its output. The pooling backward then routes a
    /// window's gradient to its maximum only where the source's z there is ≥ 0 (ReLU′(0) = 1), which is what the separate
    /// derivative pass would leave, and that pass — a read of z and a and a rewrite of the whole gradient — is not emitted.
    /// </summary>
    public static LayerPlan? SourceReLUFoldedInto(NetworkPlan plan, LayerPlan pool)
    {
        if (pool.Kind != LayerKind.MaxPool2D || pool.Source <= 0)
        {
            return null;
        }
        LayerPlan source = plan.Layers[pool.Source - 1];
        if (source.Activation != Activation.ReLU)
        {
            return null;
        }
        foreach (LayerPlan other in plan.Layers)
        {
            if (!ReferenceEquals(other, pool) && other.Kind != LayerKind.Flatten && (other.Source == source.Index || other.Skip == source.Index))
            {
                return null;
            }
        }
        return source;
    }

    /// <summary>The per-layer workspace buffers beyond Z, A and G: (member name without index, size expression over
    /// <c>capacity</c> and <c>training</c>, what it holds).</summary>
    public static IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        string perBatch = $"capacity * {Num(layer.Outputs)}";
        switch (layer.Kind)
        {
            case LayerKind.BatchNorm:
                yield return ("Mean", Num(layer.In.Channels), "the mean per feature the last pass normalized with");
                yield return ("InverseStd", Num(layer.In.Channels), "1/√(σ² + ε) per feature of the last pass");
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                yield return ("Mean", $"capacity * {Num(layer.Groups)}", "the mean per sample and group");
                yield return ("InverseStd", $"capacity * {Num(layer.Groups)}", "1/√(σ² + ε) per sample and group");
                break;
            case LayerKind.LocalResponseNorm:
                yield return ("Denominator", perBatch, "k + (α/n)·Σ a² per value, for backward");
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout:
                yield return ("Mask", $"training ? {perBatch} : 0", "the factor each value was multiplied by in the last training pass");
                break;
            case LayerKind.Residual when layer.Projection is not null:
                yield return ("Projected", perBatch, "the projected skip");
                break;
        }
        foreach (LayerPlan? convolution in new[] { layer, layer.Projection })
        {
            if (convolution is { Kind: LayerKind.Conv2D or LayerKind.ConvTranspose2D, WeightNorm: false })
            {
                yield return ("Shards", $"training ? {Num(GradientShards * (convolution.WeightCount + convolution.Biases))} : 0", $"{convolution.Name}: ∂w and ∂b of each shard of the batch");
            }
        }
    }

    public static void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        string i = Num(layer.Index);
        string z = Rows($"ws.Z{i}", layer.Outputs);
        string zSpan = Slice($"ws.Z{i}", layer.Outputs);
        string xSpan = OutputSlice(layer.Source, layer.Inputs);
        string kernels = plan.TypeName + "Kernels";
        string name = $"{layer.Name}: {layer.Kind}";
        switch (layer.Kind)
        {
            case LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D:
                EmitLinearForward(steps, plan, layer, layer.Source, z);
                break;
            case LayerKind.MaxPool2D or LayerKind.AvgPool2D or LayerKind.GlobalAvgPool2D:
                steps.Samples(name, w => w.Line($"{kernels}.{PoolingKernels.ForwardName(layer)}({OutputRows(layer.Source, layer.Inputs)}, {z}, count);"));
                break;
            case LayerKind.BatchNorm:
                (int channels, int pixels) = layer.ChannelPlanes;
                // Batch statistics couple the samples: split over channels, each over the whole batch.
                steps.Items(channels, name + " (per channel)", w => w.Line(
                    $"{Kernels}.NormalizationKernels.BatchNormForward({WholeOutput(layer.Source, layer.Inputs)}, ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)}), n, {Num(channels)}, {Num(pixels)}, "
                    + $"{Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.Biases)}, "
                    + $"_state.Span.Slice({Num(layer.StateOffset)}, {Num(channels)}), _state.Span.Slice({Num(layer.StateOffset + channels)}, {Num(channels)}), ws.Mean{i}.Span, ws.InverseStd{i}.Span, "
                    + $"{Float(layer.Epsilon)}, {Float(layer.Momentum)}, batchStatistics: mode == global::NetGen.NetworkMode.Training, \"{layer.Name}\", start, end);"));
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                (int c, int hw) = layer.ChannelPlanes;
                steps.Samples(name, w => w.Line(
                    $"{Kernels}.NormalizationKernels.GroupNormForward({xSpan}, {zSpan}, count, {Num(c)}, {Num(hw)}, {Num(layer.Groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, {Parameters(layer.BiasOffset, layer.Biases)}, "
                    + $"{Slice($"ws.Mean{i}", layer.Groups)}, {Slice($"ws.InverseStd{i}", layer.Groups)}, {Float(layer.Epsilon)});"));
                break;
            case LayerKind.LocalResponseNorm:
                (int lc, int lp) = layer.ChannelPlanes;
                steps.Samples(name, w => w.Line(
                    $"{Kernels}.NormalizationKernels.LocalResponseNormForward({xSpan}, {zSpan}, {Slice($"ws.Denominator{i}", layer.Outputs)}, count, {Num(lc)}, {Num(lp)}, {Num(layer.WindowSize)}, {Float(layer.LrnAlpha)}, {Float(layer.LrnBeta)}, {Float(layer.LrnK)});"));
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.GaussianNoise:
                string whole = WholeOutput(layer.Source, layer.Inputs), wholeZ = $"ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
                string call = layer.Kind switch
                {
                    LayerKind.Dropout => $"Dropout({whole}, {wholeZ}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Float(layer.Rate)}, _random)",
                    LayerKind.AlphaDropout => $"AlphaDropout({whole}, {wholeZ}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Float(layer.Rate)}, _random)",
                    _ => $"GaussianNoise({whole}, {wholeZ}, {Float(layer.Rate)}, _random)",
                };
                // One generator, drawn in buffer order: the masks do not depend on the thread count.
                steps.Whole(name, w =>
                {
                    w.Open("if (mode != global::NetGen.NetworkMode.Inference)");
                    w.Line($"{Kernels}.StochasticKernels.{call};");
                    w.Close();
                    w.Open("else");
                    w.Line($"{whole}.CopyTo({wholeZ});");
                    w.Close();
                });
                break;
            case LayerKind.Residual:
                string skip = OutputSlice(layer.Skip, layer.Outputs);
                if (layer.Projection is { } projection)
                {
                    EmitLinearForward(steps, plan, projection, layer.Skip, Rows($"ws.Projected{i}", layer.Outputs));
                    skip = Slice($"ws.Projected{i}", layer.Outputs);
                }
                steps.Samples(name, w => w.Line($"{Kernels}.VectorOps.Add({xSpan}, {skip}, {zSpan});"));
                break;
        }
    }

    /// <summary>The activation of a layer after its forward step, over the same samples.</summary>
    public static void EmitActivation(PassSteps steps, LayerPlan layer)
    {
        if (layer.ActivationIsIdentity || DenseKernels.FusesActivation(layer))
        {
            return;
        }
        string z = Slice($"ws.Z{Num(layer.Index)}", layer.Outputs);
        string a = Slice($"ws.A{Num(layer.Index)}", layer.Outputs);
        string call = layer.Activation switch
        {
            Activation.LeakyReLU or Activation.ELU => $"{Kernels}.ActivationKernels.{layer.Activation}({z}, {a}, {Float(layer.Alpha)});",
            Activation.Softmax => $"{Kernels}.ActivationKernels.Softmax({z}, {a}, count, {Num(layer.Outputs)});",
            _ => $"{Kernels}.ActivationKernels.{layer.Activation}({z}, {a});",
        };
        steps.Samples($"{layer.Name}: {layer.Activation}", w => w.Line(call));
    }

    /// <summary>The derivative of a layer's activation, turning G from ∂L/∂a into ∂L/∂z in place.</summary>
    public static void EmitActivationBackward(PassSteps steps, LayerPlan layer)
    {
        if (layer.ActivationIsIdentity)
        {
            return;
        }
        string z = Slice($"ws.Z{Num(layer.Index)}", layer.Outputs);
        string a = Slice($"ws.A{Num(layer.Index)}", layer.Outputs);
        string d = Slice($"ws.G{Num(layer.Index)}", layer.Outputs);
        string call = layer.Activation switch
        {
            Activation.LeakyReLU or Activation.ELU => $"{Kernels}.ActivationKernels.{layer.Activation}Backward({z}, {a}, {d}, {Float(layer.Alpha)});",
            Activation.Softmax => $"{Kernels}.ActivationKernels.SoftmaxBackward({a}, {d}, count, {Num(layer.Outputs)});",
            _ => $"{Kernels}.ActivationKernels.{layer.Activation}Backward({z}, {a}, {d});",
        };
        steps.Samples($"{layer.Name}: {layer.Activation}'", w => w.Line(call));
    }

    private static void EmitLinearForward(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string z)
    {
        string kernels = plan.TypeName + "Kernels";
        string bias = layer.HasBias ? $"ref {Unsafe}.Add(ref p, {Num(layer.BiasOffset)}), " : "";
        if (layer.WeightNorm)
        {
            string i = Num(layer.Index);
            steps.Whole($"{layer.Name}: w = g·v/‖v‖", w => w.Line(
                $"{Kernels}.WeightNormKernels.Forward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _weight{i}.Span, _norms{i}.Span, {Num(layer.Out.Channels)}, {StoredLayout(layer)});"));
        }
        string weights = Weights(layer);
        string x = OutputRows(source, layer.Inputs);
        string activated = DenseKernels.FusesActivation(layer) ? Rows($"ws.{ActivationBuffer(layer)}", layer.Outputs) + ", " : "";
        steps.Samples($"{layer.Name}: {layer.Kind}{(activated.Length > 0 ? " and " + layer.Activation : "")}", w => w.Line(layer.Kind == LayerKind.Dense
            ? $"{kernels}.{DenseKernels.ForwardName(layer)}({x}, {weights}, {bias}{z}, {activated}count);"
            : $"{kernels}.{ConvolutionKernels.ForwardName(layer)}({x}, {weights}, {bias}{z}, {Columns(plan)}, count);"));
    }

    /// <summary>Backward of one layer once <c>G{i}</c> holds ∂L/∂z: parameter gradients, then the gradient of each input
    /// that needs one (stored, or added through the scratch buffer when another contribution came first).</summary>
    public static void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string i = Num(layer.Index);
        string dzRows = Rows($"ws.G{i}", layer.Outputs);
        string dzSpan = Slice($"ws.G{i}", layer.Outputs);
        string xSpan = OutputSlice(layer.Source, layer.Inputs);
        string kernels = plan.TypeName + "Kernels";
        string name = $"{layer.Name}: {layer.Kind}";
        int source = layer.Source;
        switch (layer.Kind)
        {
            case LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D:
                EmitLinearBackward(steps, plan, layer, source, $"ws.G{i}", flow);
                break;
            case LayerKind.MaxPool2D:
                // Backward finds each window's maximum again in the pooling input (no argmax is stored).
                if (SourceReLUFoldedInto(plan, layer) is { } relu)
                {
                    IntoInput(steps, flow, source, layer.Inputs, $"{name} ∂x and {relu.Name}: ReLU'", target =>
                        $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({OutputRows(source, layer.Inputs)}, {Rows($"ws.Z{Num(source)}", layer.Inputs)}, {dzRows}, {Rows(target, layer.Inputs)}, count);");
                    break;
                }
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                    $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({OutputRows(source, layer.Inputs)}, {dzRows}, {Rows(target, layer.Inputs)}, count);");
                break;
            case LayerKind.AvgPool2D or LayerKind.GlobalAvgPool2D:
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                    $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({dzRows}, {Rows(target, layer.Inputs)}, count);");
                break;
            case LayerKind.BatchNorm:
                (int channels, int pixels) = layer.ChannelPlanes;
                // Σdy and Σdy·x̂ run over the whole batch per channel: split over channels.
                IntoInputWhole(steps, flow, source, layer.Inputs, channels, name + " (per channel)", target =>
                    $"{Kernels}.NormalizationKernels.BatchNormBackward({WholeOutput(source, layer.Inputs)}, ws.G{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {target ?? "global::System.Span<float>.Empty"}, n, {Num(channels)}, {Num(pixels)}, "
                    + $"{Parameters(layer.ScaleOffset, layer.ScaleCount)}, ws.Mean{i}.Span, ws.InverseStd{i}.Span, {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.Biases)}, "
                    + "batchStatistics: mode == global::NetGen.NetworkMode.Training, start, end);");
                break;
            case LayerKind.LayerNorm or LayerKind.GroupNorm:
                (int c, int hw) = layer.ChannelPlanes;
                if (layer.ScaleCount > 0)
                {
                    steps.Items(layer.ScaleCount, name + " ∂γ, ∂β", w => w.Line(
                        $"{Kernels}.NormalizationKernels.GroupNormParameterGradients({WholeOutput(source, layer.Inputs)}, ws.G{i}.Span.Slice(0, n * {Num(layer.Outputs)}), n, {Num(c)}, {Num(hw)}, {Num(layer.Groups)}, "
                        + $"ws.Mean{i}.Span.Slice(0, n * {Num(layer.Groups)}), ws.InverseStd{i}.Span.Slice(0, n * {Num(layer.Groups)}), {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Gradients(layer.BiasOffset, layer.Biases)}, start, end);"));
                }
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                    $"{Kernels}.NormalizationKernels.GroupNormBackward({xSpan}, {dzSpan}, {Slice(target, layer.Inputs)}, count, {Num(c)}, {Num(hw)}, {Num(layer.Groups)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, "
                    + $"{Slice($"ws.Mean{i}", layer.Groups)}, {Slice($"ws.InverseStd{i}", layer.Groups)});");
                break;
            case LayerKind.LocalResponseNorm:
                (int lc, int lp) = layer.ChannelPlanes;
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                    $"{Kernels}.NormalizationKernels.LocalResponseNormBackward({xSpan}, {Slice($"ws.Denominator{i}", layer.Outputs)}, {dzSpan}, {Slice(target, layer.Inputs)}, count, {Num(lc)}, {Num(lp)}, {Num(layer.WindowSize)}, {Float(layer.LrnAlpha)}, {Float(layer.LrnBeta)});");
                break;
            case LayerKind.Dropout or LayerKind.AlphaDropout:
                // An inference-mode forward was the identity, so is its backward.
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                    $"if (mode != global::NetGen.NetworkMode.Inference) {Kernels}.VectorOps.Multiply({dzSpan}, {Slice($"ws.Mask{i}", layer.Outputs)}, {Slice(target, layer.Inputs)}); else {dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
                break;
            case LayerKind.GaussianNoise:
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target => $"{dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
                break;
            case LayerKind.Residual:
                IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target => $"{dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
                if (layer.Projection is { } projection)
                {
                    EmitLinearBackward(steps, plan, projection, layer.Skip, $"ws.G{i}", flow);
                }
                else
                {
                    IntoInput(steps, flow, layer.Skip, layer.Outputs, name + " ∂skip", target => $"{dzSpan}.CopyTo({Slice(target, layer.Outputs)});");
                }
                break;
        }
    }

    private static void EmitLinearBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string dz, GradientFlow flow)
    {
        string kernels = plan.TypeName + "Kernels";
        string columns = layer.UsesColumns ? ", " + Columns(plan) : "";
        string biasGradient = layer.HasBias ? $", ref {Unsafe}.Add(ref g, {Num(layer.BiasOffset)})" : "";
        string name = layer.Kind == LayerKind.Dense ? DenseKernels.BackwardWeightsName(layer) : ConvolutionKernels.BackwardWeightsName(layer);
        string x = source == 0 ? "ref input" : $"ref ws.A{Num(source)}.Reference";
        if (layer.WeightNorm)
        {
            // ∂L/∂w of the effective weights first, then the chain rule through w = g·v/‖v‖.
            string i = Num(layer.Index);
            steps.Whole($"{layer.Name}: ∂w, ∂b, then ∂g, ∂v", w =>
            {
                w.Line($"_weightGradient{i}.Span.Clear();");
                string panels = layer.Kind == LayerKind.Dense ? $", 0, {Num(DenseKernels.PanelCount(layer))}" : "";
                w.Line($"{kernels}.{name}({x}, ref {dz}.Reference, ref _weightGradient{i}.Reference{biasGradient}{columns}, n{panels});");
                w.Line($"{Kernels}.WeightNormKernels.Backward({Parameters(layer.WeightOffset, layer.WeightCount)}, {Parameters(layer.ScaleOffset, layer.ScaleCount)}, _norms{i}.Span, _weightGradient{i}.Span, {Gradients(layer.WeightOffset, layer.WeightCount)}, {Gradients(layer.ScaleOffset, layer.ScaleCount)}, {Num(layer.Out.Channels)}, {StoredLayout(layer)});");
            });
        }
        else
        {
            EmitWeightGradient(steps, plan, layer, source, x, dz);
        }
        string weights = Weights(layer);
        IntoInput(steps, flow, source, layer.Inputs, $"{layer.Name}: ∂x", target => layer.Kind == LayerKind.Dense
            ? $"{kernels}.{DenseKernels.BackwardInputName(layer)}({Rows(dz, layer.Outputs)}, {weights}, {Rows(target, layer.Inputs)}, count);"
            : $"{kernels}.{ConvolutionKernels.BackwardInputName(layer)}({Rows(dz, layer.Outputs)}, {weights}, {Rows(target, layer.Inputs)}{columns}, count);");
    }

    /// <summary>
    /// The weight and bias gradients of a linear layer, split so that the arithmetic does not depend on the thread count:
    /// a dense layer over its output panels (each element sums the whole batch in order); a convolution over fixed shards
    /// of the batch, each summed into its own buffer, then added in shard order at the end of the pass. Either step writes
    /// only the layer's own gradients, so it runs in one split with the input gradient that follows it.
    /// </summary>
    private static void EmitWeightGradient(PassSteps steps, NetworkPlan plan, LayerPlan layer, int source, string x, string dz)
    {
        string kernels = plan.TypeName + "Kernels";
        string name = layer.Kind == LayerKind.Dense ? DenseKernels.BackwardWeightsName(layer) : ConvolutionKernels.BackwardWeightsName(layer);
        if (layer.Kind == LayerKind.Dense)
        {
            string biasGradient = layer.HasBias ? $", ref {Unsafe}.Add(ref g, {Num(layer.BiasOffset)})" : "";
            int panels = DenseKernels.PanelCount(layer);
            steps.ItemsBeforeIndependentSamples(panels, $"{layer.Name}: ∂w, ∂b (per output panel)", w =>
            {
                if (panels > 1)
                {
                    // A thread with only some panels reads every sample's rows, most of them written on other cores
                    // (on one thread, a sharded pass still runs the panels one by one: nothing to fetch from elsewhere).
                    w.Open($"if ((start > 0 || end < {Num(panels)}) && _pool is not null)");
                    w.Line($"{Kernels}.VectorOps.BringIntoCache({WholeOutput(source, layer.Inputs)});");
                    w.Line($"{Kernels}.VectorOps.BringIntoCache({dz}.Span.Slice(0, n * {Num(layer.Outputs)}));");
                    w.Close();
                }
                w.Line($"{kernels}.{name}({x}, ref {dz}.Reference, ref {Unsafe}.Add(ref g, {Num(layer.WeightOffset)}){biasGradient}, n, start, end);");
            }, layer.Flops, StepKind.WeightPanels);
            return;
        }
        // Layout of the shard buffer: the weight gradients of the shards one after the other, then their bias gradients.
        int weightCount = layer.WeightCount, biasCount = layer.Biases;
        string shards = $"ws.Shards{Num(layer.Index)}";
        string biasOffset = $"{Num(GradientShards * weightCount)} + s * {Num(biasCount)}";
        string shardBias = layer.HasBias ? $", ref {Unsafe}.Add(ref {shards}.Reference, {biasOffset})" : "";
        steps.ItemsBeforeIndependentSamples(GradientShards, $"{layer.Name}: ∂w, ∂b per shard of the batch", w =>
        {
            w.Open("for (int s = start; s < end; s++)");
            w.Line($"int first = n * s / {Num(GradientShards)}, last = n * (s + 1) / {Num(GradientShards)};");
            w.Line($"{shards}.Span.Slice(s * {Num(weightCount)}, {Num(weightCount)}).Clear();");
            if (layer.HasBias)
            {
                w.Line($"{shards}.Span.Slice({biasOffset}, {Num(biasCount)}).Clear();");
            }
            w.Open("if (last > first)");
            w.Line($"{kernels}.{name}(ref {Unsafe}.Add({x}, first * {Num(layer.Inputs)}), ref {Unsafe}.Add(ref {dz}.Reference, first * {Num(layer.Outputs)}), "
                + $"ref {Unsafe}.Add(ref {shards}.Reference, s * {Num(weightCount)}){shardBias}, {Columns(plan)}, last - first);");
            w.Close();
            w.Close();
        }, layer.Flops, StepKind.WeightShards);
        long sumWork = (long)GradientShards * (weightCount + biasCount) / ShardedBackward.NominalBatch;
        steps.AtEnd($"{layer.Name}: ∂w, ∂b += the shards in order", w =>
        {
            w.Line($"{Kernels}.VectorOps.AddShards({Gradients(layer.WeightOffset, weightCount)}, {shards}.Span, {Num(GradientShards)});");
            if (layer.HasBias)
            {
                w.Line($"{Kernels}.VectorOps.AddShards({Gradients(layer.BiasOffset, biasCount)}, {shards}.Span.Slice({Num(GradientShards * weightCount)}), {Num(GradientShards)});");
            }
        }, sumWork);
    }

    /// <summary>A step over samples writing the gradient of layer <paramref name="source"/>'s output — into its own G when
    /// this is the first contribution, else into the scratch buffer, which is then added — or none when that gradient is
    /// not needed. <paramref name="statement"/> gets the target buffer.</summary>
    private static void IntoInput(PassSteps steps, GradientFlow flow, int source, int size, string summary, System.Func<string, string> statement)
    {
        if (!flow.Needs(source))
        {
            return;
        }
        string own = $"ws.G{Num(source)}";
        if (flow.TakeFirstWrite(source))
        {
            steps.Samples(summary, w => w.Line(statement(own)));
            return;
        }
        steps.Samples(summary + " (added to a gradient already stored)", w =>
        {
            w.Line(statement("ws.Scratch"));
            w.Line($"{Kernels}.VectorOps.AddScaled({Slice(own, size)}, {Slice("ws.Scratch", size)}, 1f);");
        });
    }

    /// <summary>Like <see cref="IntoInput"/> for a kernel that splits over <paramref name="items"/> (channels) and writes
    /// parameter gradients too: it runs even when the input gradient is not needed (its target is then null).</summary>
    private static void IntoInputWhole(PassSteps steps, GradientFlow flow, int source, int size, int items, string summary, System.Func<string?, string> statement)
    {
        string Whole(string buffer) => $"{buffer}.Span.Slice(0, n * {Num(size)})";
        if (!flow.Needs(source))
        {
            steps.Items(items, summary, w => w.Line(statement(null)));
            return;
        }
        string own = $"ws.G{Num(source)}";
        if (flow.TakeFirstWrite(source))
        {
            steps.Items(items, summary, w => w.Line(statement(Whole(own))));
            return;
        }
        steps.Items(items, summary, w => w.Line(statement(Whole("ws.Scratch"))));
        steps.Samples(summary + " (added to a gradient already stored)", w => w.Line($"{Kernels}.VectorOps.AddScaled({Slice(own, size)}, {Slice("ws.Scratch", size)}, 1f);"));
    }

    /// <summary>The weights a linear layer's kernels multiply with: the parameters, or the effective weights of weight
    /// normalization.</summary>
    private static string Weights(LayerPlan layer)
        => layer.WeightNorm ? $"ref _weight{Num(layer.Index)}.Reference" : $"ref {Unsafe}.Add(ref p, {Num(layer.WeightOffset)})";

    /// <summary>This thread's slot of the convolution scratch.</summary>
    private static string Columns(NetworkPlan plan) => $"ref {Unsafe}.Add(ref ws.Columns.Reference, part * {Num(plan.ScratchSize)})";

    /// <summary>A reference to the step's first sample in a buffer of <paramref name="size"/> floats per sample.</summary>
    private static string Rows(string buffer, int size) => $"ref {Unsafe}.Add(ref {buffer}.Reference, start * {Num(size)})";

    /// <summary>The step's samples of a buffer as a span.</summary>
    private static string Slice(string buffer, int size) => $"{buffer}.Span.Slice(start * {Num(size)}, count * {Num(size)})";

    /// <summary>The output buffer of layer <paramref name="layer"/> (0: the network input).</summary>
    private static string Output(int layer) => layer == 0 ? "ws.Input" : $"ws.A{Num(layer)}";

    private static string OutputRows(int layer, int size) => Rows(Output(layer), size);

    private static string OutputSlice(int layer, int size) => Slice(Output(layer), size);

    private static string WholeOutput(int layer, int size) => $"{Output(layer)}.Span.Slice(0, n * {Num(size)})";

    private static string Parameters(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_parameters.Span.Slice({Num(offset)}, {Num(count)})";

    private static string Gradients(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_gradients.Span.Slice({Num(offset)}, {Num(count)})";
}
