using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Passes;

/// <summary>
/// The steps of the forward and the backward pass in order, layer after layer: each layer's own steps come from its
/// family (<see cref="LayerFamily.EmitForward"/>, <see cref="LayerFamily.EmitBackward"/>), its activation and the
/// activation's derivative from here, the loss first in backward. Layers that own no output (flatten) have no steps.
/// </summary>
internal static class PassScheduler
{
    /// <summary>The layer whose buffer holds the network's output (flatten layers own no buffer).</summary>
    public static LayerPlan OutputProducer(NetworkPlan plan)
    {
        LayerPlan last = plan.Layers[plan.Layers.Count - 1];
        return LayerRegistry.Of(last).OwnsOutput ? last : plan.Layers[last.Source - 1];
    }

    /// <summary>FLOPs per sample of a layer's forward pass (at least one per output).</summary>
    private static long WorkPerSample(LayerPlan layer) => System.Math.Max(LayerRegistry.Of(layer).Flops(layer), layer.Outputs);

    public static PassSteps ForwardSteps(NetworkPlan plan)
    {
        var steps = new PassSteps(0);
        foreach (LayerPlan layer in plan.Layers)
        {
            LayerFamily family = LayerRegistry.Of(layer);
            if (family.OwnsOutput)
            {
                steps.BeginLayer(WorkPerSample(layer), layer.Outputs);
                family.EmitForward(steps, plan, layer);
                EmitActivation(steps, layer, family);
            }
        }
        return steps;
    }

    /// <summary>Whether the network's loss kernel takes class weights of its own (binary cross-entropy, whose loss is not
    /// linear in the target row as the cross-entropies' are), set through <c>INetworkEngine.SetLossWeights</c>.</summary>
    public static bool TakesLossWeights(NetworkPlan plan) => plan.Loss == Loss.BinaryCrossEntropy;

    public static PassSteps BackwardSteps(NetworkPlan plan, int firstNumber)
    {
        var steps = new PassSteps(firstNumber);
        if (!plan.IsTrainable)
        {
            return steps;
        }
        LayerPlan output = OutputProducer(plan);
        var flow = new GradientFlow(plan);
        flow.TakeFirstWrite(output.Index);
        string outputs = $"n * {Num(output.Outputs)}";
        string lossArguments = $"ws.Targets.Span.Slice(0, {outputs}), ws.G{Num(output.Index)}.Span.Slice(0, {outputs}), n, {Num(output.Outputs)}";
        bool fused = plan.Loss is Loss.BinaryCrossEntropy or Loss.CrossEntropy;
        (string kernel, string buffer) = plan.Loss switch
        {
            Loss.BinaryCrossEntropy => ("BinaryCrossEntropyWithLogits", "Z"),
            Loss.CrossEntropy => ("SoftmaxCrossEntropy", "Z"),
            Loss.SquaredError => ("SquaredError", "A"),
            Loss.Hinge => ("Hinge", "A"),
            _ => ("SoftmaxCrossEntropy", "A"),
        };
        string shardRows = $"shardFirst * {Num(output.Outputs)}, (shardLast - shardFirst) * {Num(output.Outputs)}";
        // Binary cross-entropy applies the class weights itself (NetworkEmitter's _lossWeights); the others take them
        // through their target rows.
        string weights = TakesLossWeights(plan) ? ", _lossWeights" : "";
        steps.Loss($"loss {plan.Loss} and ∂L/∂{(fused ? "z" : "a")} of {output.Name}",
            w => w.Line($"_passLoss = {Kernels}.LossKernels.{kernel}(ws.{buffer}{Num(output.Index)}.Span.Slice(0, {outputs}), {lossArguments}{weights});"),
            w => w.Line($"{Kernels}.LossKernels.{kernel}Sum(ws.{buffer}{Num(output.Index)}.Span.Slice({shardRows}), "
                + $"ws.Targets.Span.Slice({shardRows}), ws.G{Num(output.Index)}.Span.Slice({shardRows}), shardLast - shardFirst, {Num(output.Outputs)}, n{weights})"));
        // Layers whose activation derivative a layer reading them applies itself (max pooling after a ReLU).
        var folded = new HashSet<int>(plan.Layers.Select(l => LayerRegistry.Of(l).FoldsSourceActivationBackward(plan, l)).OfType<LayerPlan>().Select(l => l.Index));
        for (int l = plan.Layers.Count; l >= 1; l--)
        {
            LayerPlan layer = plan.Layers[l - 1];
            LayerFamily family = LayerRegistry.Of(layer);
            if (!family.OwnsOutput || !flow.Needs(layer.Index))
            {
                continue;
            }
            // G holds ∂L/∂a; the activation's derivative turns it into ∂L/∂z in place (fused losses already gave ∂L/∂z,
            // and a layer reading this one may apply the derivative itself).
            steps.Layer = layer.Index;
            steps.BeginLayer(layer.Outputs, layer.Outputs);
            if (!(fused && layer.Index == output.Index) && !folded.Contains(layer.Index))
            {
                EmitActivationBackward(steps, layer);
            }
            // The input gradient costs about what the forward product did (the weight gradient is a step of its own).
            steps.BeginLayer(WorkPerSample(layer), layer.Inputs);
            family.EmitBackward(steps, plan, layer, flow);
        }
        steps.Layer = 0;
        steps.Finish();
        return steps;
    }

    /// <summary>The activation of a layer after its forward step, over the same samples.</summary>
    private static void EmitActivation(PassSteps steps, LayerPlan layer, LayerFamily family)
    {
        if (layer.ActivationIsIdentity || family.FusesActivation(layer))
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
    private static void EmitActivationBackward(PassSteps steps, LayerPlan layer)
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
}
