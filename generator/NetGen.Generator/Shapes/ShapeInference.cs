using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Shapes;

/// <summary>
/// The pure step from layer attributes to a plan: sizes, parameter offsets, FLOPs, resolved defaults — and every shape
/// or usage error, located at the attribute that causes it. Emits no code.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Lets tests make inference throw, to check that a generator failure becomes diagnostic NG0099.</summary>
    internal static Action<NetworkSpec>? FaultInjection { get; set; }

    public static InferenceResult Infer(ParseResult parsed)
    {
        if (parsed.Spec is not { } spec)
        {
            return new InferenceResult(null, parsed.Diagnostics);
        }
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        try
        {
            FaultInjection?.Invoke(spec);
            NetworkPlan? plan = Build(spec, diagnostics);
            return new InferenceResult(plan, diagnostics.ToEquatableArray());
        }
        catch (Exception exception)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.ClassLocation, spec.TypeName, exception.GetType().Name + ": " + exception.Message));
            return new InferenceResult(null, diagnostics.ToEquatableArray());
        }
    }

    private static NetworkPlan? Build(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        int errorsBefore = CountErrors(diagnostics);
        LayerSpec input = spec.Layers[0];
        if (input.Size < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, input.Location, "Input", spec.TypeName, "size", Format(input.Size)));
        }

        var layers = new List<DenseLayerPlan>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0, flops = 0, width = input.Size;
        int maxWidth = 1;
        int lastIndex = spec.Layers.Count - 1;
        for (int i = 1; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            string name = layer.Name ?? "dense" + Format(layers.Count + 1);
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layer.Location, name, spec.TypeName));
            }
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, "Name must be non-empty and use only letters, digits, '_' and '.'"));
            }
            if (layer.Size < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, layer.Location, "Dense", name, "units", Format(layer.Size)));
            }
            CheckArguments(spec, layer, name, i == lastIndex, diagnostics);

            int inputs = (int)Math.Max(1, Math.Min(width, int.MaxValue));
            int outputs = Math.Max(1, layer.Size);
            long weights = (long)inputs * outputs;
            long bias = layer.HasBias ? outputs : 0;
            long layerFlops = 2 * weights + bias;
            Init init = InitRules.Resolve(layer.Init, layer.Activation);
            float alpha = float.IsNaN(layer.Alpha) ? InitRules.DefaultAlpha(layer.Activation) : layer.Alpha;
            float scale = float.IsNaN(layer.InitScale) ? InitRules.DefaultScale(init) : layer.InitScale;
            if (offset + weights + bias <= int.MaxValue)
            {
                layers.Add(new DenseLayerPlan(layers.Count + 1, name, inputs, outputs, layer.HasBias, layer.Activation, alpha, init, scale, layer.BiasInit,
                    (int)offset, (int)(offset + weights), layerFlops));
            }
            offset += weights + bias;
            flops += layerFlops;
            width = layer.Size;
            maxWidth = Math.Max(maxWidth, outputs);
        }

        if (offset > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, spec.ClassLocation, spec.TypeName, Format(offset)));
        }
        CheckLoss(spec, diagnostics);

        if (CountErrors(diagnostics) > errorsBefore || !spec.CanEmit)
        {
            return null;
        }
        var plan = new NetworkPlan(spec.Namespace, spec.TypeName, spec.Loss, input.Size, layers[layers.Count - 1].Outputs, (int)offset, flops, maxWidth, layers.ToEquatableArray());
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkSummary, spec.ClassLocation, spec.TypeName, Format(plan.InputSize), Format(plan.OutputSize), Format(plan.ParameterCount), Format(plan.FlopsPerSample)));
        return plan;
    }

    private static void CheckArguments(NetworkSpec spec, LayerSpec layer, string name, bool isOutput, List<DiagnosticInfo> diagnostics)
    {
        if (!Enum.IsDefined(typeof(Activation), layer.Activation))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"activation value {(int)layer.Activation} is not a member of Activation"));
        }
        if (!Enum.IsDefined(typeof(Init), layer.Init))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"init value {(int)layer.Init} is not a member of Init"));
        }
        if (!float.IsNaN(layer.Alpha))
        {
            if (layer.Activation is not (Activation.LeakyReLU or Activation.ELU))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"Alpha applies to LeakyReLU and ELU only, not {layer.Activation}"));
            }
            else if (float.IsInfinity(layer.Alpha) || layer.Alpha < 0f)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"Alpha = {Format(layer.Alpha)} must be a finite number ≥ 0"));
            }
        }
        if (!float.IsNaN(layer.InitScale) && (float.IsInfinity(layer.InitScale) || (layer.Init is Init.Uniform or Init.Normal && layer.InitScale < 0f)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"InitScale = {Format(layer.InitScale)} must be finite (and ≥ 0 for Uniform and Normal)"));
        }
        if (!float.IsNaN(layer.InitScale) && layer.Init is not (Init.Constant or Init.Uniform or Init.Normal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, $"InitScale applies to Constant, Uniform and Normal, not {InitRules.Resolve(layer.Init, layer.Activation)}"));
        }
        if (float.IsNaN(layer.BiasInit) || float.IsInfinity(layer.BiasInit))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, "BiasInit must be finite"));
        }
        if (!layer.HasBias && layer.BiasInit != 0f)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, "Dense", name, "BiasInit is set but Bias = false"));
        }
        if (layer.Activation == Activation.Softmax && !isOutput)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotOnOutput, layer.Location, "Dense", name));
        }
        if (layer.Activation is Activation.Sign or Activation.Step && spec.Loss != Loss.None)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotDifferentiable, layer.Location, "Dense", name, layer.Activation.ToString(), spec.TypeName, spec.Loss.ToString()));
        }
    }

    private static void CheckLoss(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        LayerSpec output = spec.Layers[spec.Layers.Count - 1];
        if (output.Kind == LayerKind.Input)
        {
            return;
        }
        string name = output.Name ?? "dense" + Format(spec.Layers.Count - 1);
        string? problem = spec.Loss switch
        {
            Loss.BinaryCrossEntropy when output.Activation != Activation.Sigmoid =>
                "binary cross-entropy is fused with a Sigmoid output; give the output layer Activation.Sigmoid",
            Loss.CrossEntropy when output.Activation != Activation.Softmax =>
                "categorical cross-entropy is fused with a Softmax output; give the output layer Activation.Softmax, or use Loss.SoftmaxCrossEntropy on logits",
            Loss.CrossEntropy or Loss.SoftmaxCrossEntropy when output.Size == 1 =>
                "cross-entropy over 1 class is always 0; use 2 or more units, or Loss.BinaryCrossEntropy with a Sigmoid output",
            Loss.SquaredError or Loss.Hinge when output.Activation == Activation.Softmax && output.Size == 1 =>
                "softmax over 1 unit is constantly 1",
            Loss.Hinge when output.Activation is Activation.Sigmoid or Activation.Softmax or Activation.ReLU or Activation.Softplus =>
                "hinge loss needs outputs that can be negative (targets are −1 or +1); use no activation or Tanh",
            _ => null,
        };
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossDoesNotFitOutput, output.Location, spec.Loss.ToString(), name, Format(output.Size), output.Activation.ToString(), problem));
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

    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
