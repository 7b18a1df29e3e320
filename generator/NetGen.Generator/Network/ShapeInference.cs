using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Layers;

namespace NetGen.Generator.Network;

/// <summary>
/// The pure step from layer attributes to a plan: names, sizes, parameter offsets, FLOPs, resolved defaults — and every
/// shape or usage error, located at the attribute that causes it. Each layer's arguments and shape rule are its family's
/// (<see cref="LayerFamily.CheckArguments"/>, <see cref="LayerFamily.Plan"/>); this class chains them. Emits no code.
/// </summary>
internal static class ShapeInference
{
    /// <summary>The plan of <paramref name="parsed"/>, or the diagnostics that stop it. <paramref name="faultInjection"/>
    /// runs first: tests make inference throw with it, to check that a generator failure becomes diagnostic NG0099.</summary>
    public static InferenceResult Infer(ParseResult parsed, Action<NetworkSpec>? faultInjection = null)
    {
        if (parsed.Spec is not { } spec)
        {
            return new InferenceResult(null, parsed.Diagnostics);
        }
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        try
        {
            faultInjection?.Invoke(spec);
            NetworkPlan? plan = Build(spec, diagnostics);
            return new InferenceResult(plan, diagnostics.ToEquatableArray(), spec);
        }
        catch (Exception exception)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.ClassLocation, spec.TypeName, exception.GetType().Name + ": " + exception.Message));
            return new InferenceResult(null, diagnostics.ToEquatableArray(), spec);
        }
    }

    private static NetworkPlan? Build(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        int errorsBefore = CountErrors(diagnostics);
        LayerSpec input = spec.Layers[0];
        if (LayerRegistry.Of(input).InputShape(input, spec.TypeName, diagnostics) is not { } inputShape)
        {
            return null;
        }

        var layers = new List<LayerPlan>();
        // The name "input" is the network input (a residual may add it); no layer may take it.
        var names = new HashSet<string>(StringComparer.Ordinal) { InputName };
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        // Every name a residual can refer to: the layer's output shape and the index of the buffer holding it.
        var outputs = new Dictionary<string, (Shape Shape, int Buffer)>(StringComparer.Ordinal) { [InputName] = (inputShape, 0) };
        long offset = 0, stateOffset = 0, flops = 0;
        int maxWidth = 1, scratch = 0, predictionScratch = 0;
        Shape shape = inputShape;
        int producer = 0; // the index of the layer whose buffer holds the current output (flatten layers own none)
        int lastIndex = spec.Layers.Count - 1;
        bool shapeKnown = true;
        for (int i = 1; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            LayerFamily family = LayerRegistry.Of(layer);
            string prefix = family.NamePrefix(layer.Kind);
            counters[prefix] = counters.TryGetValue(prefix, out int count) ? count + 1 : 1;
            string name = layer.Name ?? prefix + Format(counters[prefix]);
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layer.Location, name, spec.TypeName));
            }
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, layer.Kind, name, "Name must be non-empty and use only letters, digits, '_' and '.'"));
            }
            var context = new LayerContext(spec, layer, name, layers.Count + 1, i == lastIndex, outputs, diagnostics);
            family.CheckArguments(context);
            if (!shapeKnown)
            {
                continue;
            }

            LayerPlan? plan = family.Plan(context, shape);
            if (plan is null)
            {
                shapeKnown = false;
                continue;
            }
            plan = plan with { Source = producer };

            // Counted from the shapes: the plan's counts are capped at int.MaxValue, the total must not be.
            long parameters = family.ParameterCount(plan);
            if (offset + parameters <= int.MaxValue)
            {
                plan = family.Place(plan, (int)offset) with { StateOffset = (int)stateOffset };
                layers.Add(plan);
            }
            offset += parameters;
            stateOffset += plan.StateCount;
            flops += family.Flops(plan);
            shape = plan.Out;
            if (family.OwnsOutput)
            {
                producer = plan.Index;
            }
            outputs[name] = (plan.Out, producer);
            maxWidth = Math.Max(maxWidth, plan.Outputs);
            (int trainingScratch, int layerPredictionScratch) = family.Scratch(plan, trainable: spec.Loss != Loss.None);
            scratch = Math.Max(scratch, trainingScratch);
            predictionScratch = Math.Max(predictionScratch, layerPredictionScratch);
        }

        if (offset > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, spec.ClassLocation, spec.TypeName, Format(offset)));
        }
        if (layers.Count == spec.Layers.Count - 1)
        {
            CheckLoss(spec, layers[layers.Count - 1].Outputs, layers[layers.Count - 1].Name, diagnostics);
            LayerPlan last = layers[layers.Count - 1];
            if (LayerRegistry.Of(last).IsStochastic && spec.Loss != Loss.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StochasticOutput, spec.Layers[lastIndex].Location, last.Kind, last.Name));
            }
        }

        if (layers.Count > 0 && layers.TrueForAll(l => !LayerRegistry.Of(l).OwnsOutput))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, spec.ClassLocation, spec.TypeName));
        }
        if (CountErrors(diagnostics) > errorsBefore || !spec.CanEmit || !shapeKnown)
        {
            return null;
        }
        var network = new NetworkPlan(spec.Namespace, spec.TypeName, spec.Loss, inputShape, layers[layers.Count - 1].Outputs, (int)offset, flops, maxWidth, scratch, predictionScratch, layers.ToEquatableArray())
        {
            StateCount = (int)stateOffset,
        };
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkSummary, spec.ClassLocation, spec.TypeName, inputShape.ToString(), layers[layers.Count - 1].Out.ToString(), Format(network.ParameterCount), Format(network.FlopsPerSample)));
        return network;
    }

    /// <summary>The name a residual uses for the network input.</summary>
    internal const string InputName = "input";

    private static void CheckLoss(NetworkSpec spec, int outputSize, string name, List<DiagnosticInfo> diagnostics)
    {
        LayerSpec output = spec.Layers[spec.Layers.Count - 1];
        string? problem = spec.Loss switch
        {
            Loss.BinaryCrossEntropy when output.Activation != Activation.Sigmoid =>
                "binary cross-entropy is fused with a Sigmoid output; give the output layer Activation.Sigmoid",
            Loss.CrossEntropy when output.Activation != Activation.Softmax =>
                "categorical cross-entropy is fused with a Softmax output; give the output layer Activation.Softmax, or use Loss.SoftmaxCrossEntropy on logits",
            Loss.CrossEntropy or Loss.SoftmaxCrossEntropy when outputSize == 1 =>
                "cross-entropy over 1 class is always 0; use 2 or more units, or Loss.BinaryCrossEntropy with a Sigmoid output",
            Loss.SquaredError or Loss.Hinge when output.Activation == Activation.Softmax && outputSize == 1 =>
                "softmax over 1 unit is constantly 1",
            Loss.Hinge when output.Activation is Activation.Sigmoid or Activation.Softmax or Activation.ReLU or Activation.Softplus =>
                "hinge loss needs outputs that can be negative (targets are −1 or +1); use no activation or Tanh",
            _ => null,
        };
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossDoesNotFitOutput, output.Location, spec.Loss.ToString(), name, Format(outputSize), output.Activation.ToString(), problem));
        }
        else if (spec.Loss == Loss.SoftmaxCrossEntropy && output.Activation == Activation.Softmax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxAppliedTwice, output.Location, name));
        }
    }

    private static bool IsValidName(string name)
        => name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.');

    private static int CountErrors(List<DiagnosticInfo> diagnostics)
        => diagnostics.Count(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

    private static string Format(long value) => ShapeRules.Format(value);
}
