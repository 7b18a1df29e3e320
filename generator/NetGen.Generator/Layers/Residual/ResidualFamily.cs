using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Codegen;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Layers.Dense;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers.Residual;

/// <summary>[Residual(from, activation)]: the layer whose output is added, and whether it is projected first
/// (<c>Projection = true</c>); in a plan, the <see cref="Projection"/> itself when there is one.</summary>
internal sealed record ResidualOptions(string? From, bool Projected) : LayerOptions
{
    /// <summary>The dense layer or 1×1 convolution applied to the skipped output (its index is the residual's, its name
    /// <c>res.projection</c>).</summary>
    public LayerPlan? Projection { get; init; }
}

/// <summary>
/// output = previous output + the output of an earlier layer (<see cref="LayerPlan.Skip"/>), then an optional activation.
/// When the shapes differ and a projection is asked for, the skipped output first goes through a dense layer (vectors) or
/// a strided 1×1 convolution (images), <see cref="ResidualOptions.Projection"/>, which runs through its own family's
/// steps and kernels; its parameters follow the residual's (which has none) in the buffer.
/// </summary>
internal sealed class ResidualFamily : LayerFamily
{
    public const string Residual = nameof(Residual);

    public override IReadOnlyList<string> Kinds { get; } = [Residual];

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
        => Spec(kind, attribute, syntax, new ResidualOptions(ConstructorArgument(attribute, 0) as string, (bool)(NamedArgument(attribute, "Projection") ?? false))) with
        {
            Activation = ActivationArgument(attribute, 1),
            Alpha = AlphaArgument(attribute),
        };

    public override string NamePrefix(string kind) => "res";

    public override void CheckArguments(LayerContext context) => CheckActivation(context, softmaxAllowed: false);

    /// <summary>output = previous output + skipped output (projected when asked): the shapes must agree.</summary>
    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        var options = (ResidualOptions)context.Layer.Options;
        string from = options.From ?? "";
        if (!context.Outputs.TryGetValue(from, out (Shape Shape, int Buffer) skipped))
        {
            // A later layer's name is no typo: pointing at a similar earlier name would mislead.
            bool namesLaterLayer = context.Network.Layers.Any(layer => layer.Name == from);
            string? nearest = namesLaterLayer ? null : Nearest(from, context.Outputs.Keys);
            context.ReportWithSuggestion(DiagnosticDescriptors.UnknownResidualSource, nearest, context.Name, from, context.Network.TypeName, string.Join(", ", context.Outputs.Keys),
                nearest is null ? "" : $"; did you mean '{nearest}'?");
            return null;
        }
        Shape source = skipped.Shape;
        LayerPlan sum = context.Plain(input, input, options) with
        {
            Activation = context.Layer.Activation,
            Alpha = ResolvedAlpha(context.Layer),
            Flops = input.Size,
            Skip = skipped.Buffer,
        };
        void Mismatch(string problem) => context.Report(DiagnosticDescriptors.ResidualShapeMismatch, context.Name, from, source.ToString(), input.ToString(), problem);
        if (!options.Projected)
        {
            if (source == input)
            {
                return sum;
            }
            Mismatch($"the shapes differ; set Projection = true to learn a linear map from {source} to {input}");
            return null;
        }
        string projectionName = context.Name + ".projection";
        if (!input.IsImage)
        {
            return sum with { Options = options with { Projection = DenseFamily.Projection(context.Index, projectionName, source, input) } };
        }
        // An image input means every earlier layer produced an image too (nothing turns a vector back into one).
        int stride = 0;
        for (int s = 1; s <= Math.Max(source.Height, source.Width); s++)
        {
            if ((source.Height - 1) / s + 1 == input.Height && (source.Width - 1) / s + 1 == input.Width)
            {
                stride = s;
                break;
            }
        }
        if (stride == 0)
        {
            Mismatch($"no stride of a 1×1 convolution maps {Format(source.Height)}×{Format(source.Width)} onto {Format(input.Height)}×{Format(input.Width)}");
            return null;
        }
        return sum with { Options = options with { Projection = ConvolutionFamily.Projection(context.Index, projectionName, source, input, stride) } };
    }

    private static LinearFamily Linear(LayerPlan projection) => (LinearFamily)LayerRegistry.Of(projection);

    private static LayerPlan? ProjectionOf(LayerPlan layer) => ((ResidualOptions)layer.Options).Projection;

    public override long ParameterCount(LayerPlan layer)
        => base.ParameterCount(layer) + (ProjectionOf(layer) is { } p ? (long)p.WeightCount + p.BiasCount : 0);

    public override long Flops(LayerPlan layer) => layer.Flops + (ProjectionOf(layer)?.Flops ?? 0);

    /// <summary>The layer's own parameters (none), then its projection's weights and biases.</summary>
    public override LayerPlan Place(LayerPlan layer, int start)
    {
        LayerPlan placed = base.Place(layer, start);
        if (ProjectionOf(layer) is not { } p)
        {
            return placed;
        }
        int projectionStart = (int)base.ParameterCount(layer) + start;
        return placed with
        {
            Options = (ResidualOptions)layer.Options with { Projection = p with { WeightOffset = projectionStart, BiasOffset = projectionStart + p.WeightCount } },
        };
    }

    public override (int Training, int Prediction) Scratch(LayerPlan layer, bool trainable)
        => ProjectionOf(layer) is { } p ? Linear(p).Scratch(p, trainable) : (0, 0);

    public override void AddTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
        if (ProjectionOf(layer) is { } p)
        {
            Linear(p).AddTensors(tensors, p);
        }
    }

    public override string Details(NetworkPlan plan, LayerPlan layer)
    {
        string projection = ProjectionOf(layer) is { } p
            ? $" through a {(p.Options is DenseOptions ? "dense" : $"1×1/{Num(ConvolutionalFamily.Options(p).Stride)} convolution")} projection"
            : "";
        return $" + {(layer.Skip == 0 ? "input" : plan.Layers[layer.Skip - 1].Name)}{projection}{(layer.ActivationIsIdentity ? "" : $", {layer.Activation}")}";
    }

    public override void EmitInitialize(SourceWriter w, LayerPlan layer)
    {
        if (ProjectionOf(layer) is { } p)
        {
            Linear(p).EmitInitialize(w, p);
        }
    }

    public override IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        if (ProjectionOf(layer) is not { } p)
        {
            yield break;
        }
        yield return ("Projected", $"capacity * {Num(layer.Outputs)}", "the projected skip");
        foreach ((string Name, string Size, string Doc) buffer in Linear(p).WorkspaceBuffers(p))
        {
            yield return buffer;
        }
    }

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        string i = Num(layer.Index);
        string skip = OutputSlice(layer.Skip, layer.Outputs);
        if (ProjectionOf(layer) is { } p)
        {
            Linear(p).EmitLinearForward(steps, plan, p, layer.Skip, Rows($"ws.Projected{i}", layer.Outputs));
            skip = Slice($"ws.Projected{i}", layer.Outputs);
        }
        steps.Samples($"{layer.Name}: {layer.Kind}", w => w.Line($"{Kernels}.VectorOps.Add({OutputSlice(layer.Source, layer.Inputs)}, {skip}, {Slice($"ws.Z{i}", layer.Outputs)});"));
    }

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string i = Num(layer.Index);
        string dzSpan = Slice($"ws.G{i}", layer.Outputs);
        string name = $"{layer.Name}: {layer.Kind}";
        IntoInput(steps, flow, layer.Source, layer.Inputs, name + " ∂x", target => $"{dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
        if (ProjectionOf(layer) is { } p)
        {
            Linear(p).EmitLinearBackward(steps, plan, p, layer.Skip, $"ws.G{i}", flow);
        }
        else
        {
            IntoInput(steps, flow, layer.Skip, layer.Outputs, name + " ∂skip", target => $"{dzSpan}.CopyTo({Slice(target, layer.Outputs)});");
        }
    }

    public override void EmitKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        if (ProjectionOf(layer) is { } p)
        {
            Linear(p).EmitLinearKernels(w, plan, p, flow.Needs(layer.Skip));
        }
    }

    /// <summary>The name a misspelled <paramref name="name"/> most likely meant: the one fewest single-character edits
    /// away (the first of equals), if at most a third of its characters (at least one) differ; otherwise none.</summary>
    internal static string? Nearest(string name, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = Math.Max(1, name.Length / 3) + 1;
        foreach (string candidate in names)
        {
            int distance = EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions of one character.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
