using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers.Stochastic;

/// <summary>[Dropout(rate)] and [AlphaDropout(rate)]: the probability of dropping a value.</summary>
internal sealed record DropoutOptions(float Probability) : LayerOptions;

/// <summary>[GaussianNoise(σ)]: the standard deviation of the noise added.</summary>
internal sealed record GaussianNoiseOptions(float Sigma) : LayerOptions;

/// <summary>
/// Dropout, alpha dropout and Gaussian noise: random in training mode, the identity in inference. The draws come from the
/// network's one generator on the calling thread, in buffer order, so they do not depend on the thread count; the
/// kernels are the runtime's (<c>NetGen.Kernels.StochasticKernels</c>).
/// </summary>
internal sealed class StochasticFamily : LayerFamily
{
    public const string Dropout = nameof(Dropout);
    public const string AlphaDropout = nameof(AlphaDropout);
    public const string GaussianNoise = nameof(GaussianNoise);

    public override IReadOnlyList<string> Kinds { get; } = [Dropout, AlphaDropout, GaussianNoise];

    public override bool IsStochastic => true;

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
        => Spec(kind, attribute, syntax, kind == GaussianNoise
            ? new GaussianNoiseOptions(FloatArgument(attribute, 0))
            : new DropoutOptions(FloatArgument(attribute, 0)));

    public override string NamePrefix(string kind) => kind == GaussianNoise ? "noise" : "dropout";

    public override void CheckArguments(LayerContext context)
    {
        switch (context.Layer.Options)
        {
            case DropoutOptions { Probability: var rate } when !(rate >= 0f && rate < 1f):
                context.Invalid($"rate = {Format(rate)} must be in [0, 1): it is the probability of dropping a value");
                break;
            case GaussianNoiseOptions { Sigma: var sigma } when !(sigma >= 0f && !float.IsInfinity(sigma)):
                context.Invalid($"standard deviation = {Format(sigma)} must be a finite number ≥ 0");
                break;
        }
    }

    public override LayerPlan? Plan(LayerContext context, Shape input)
        => context.Plain(input, input, context.Layer.Options) with { Flops = input.Size };

    public override string Details(NetworkPlan plan, LayerPlan layer) => layer.Options switch
    {
        DropoutOptions dropout => $", drop probability {Format(dropout.Probability)}",
        GaussianNoiseOptions noise => $", σ = {Format(noise.Sigma)}",
        _ => "",
    };

    public override IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer)
    {
        if (layer.Options is DropoutOptions)
        {
            yield return ("Mask", $"training ? capacity * {Num(layer.Outputs)} : 0", "the factor each value was multiplied by in the last training pass");
        }
    }

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        string i = Num(layer.Index);
        string whole = WholeOutput(layer.Source, layer.Inputs), wholeZ = $"ws.Z{i}.Span.Slice(0, n * {Num(layer.Outputs)})";
        string call = layer.Options switch
        {
            DropoutOptions dropout => $"{layer.Kind}({whole}, {wholeZ}, ws.Mask{i}.Span.Slice(0, n * {Num(layer.Outputs)}), {Float(dropout.Probability)}, _random)",
            _ => $"GaussianNoise({whole}, {wholeZ}, {Float(((GaussianNoiseOptions)layer.Options).Sigma)}, _random)",
        };
        // One generator, drawn in buffer order: the masks do not depend on the thread count.
        steps.Whole($"{layer.Name}: {layer.Kind}", w =>
        {
            w.Open("if (mode != global::NetGen.NetworkMode.Inference)");
            w.Line($"{Kernels}.StochasticKernels.{call};");
            w.Close();
            w.Open("else");
            w.Line($"{whole}.CopyTo({wholeZ});");
            w.Close();
        });
    }

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string i = Num(layer.Index);
        string dzSpan = Slice($"ws.G{i}", layer.Outputs);
        string name = $"{layer.Name}: {layer.Kind} ∂x";
        if (layer.Options is DropoutOptions)
        {
            // An inference-mode forward was the identity, so is its backward.
            IntoInput(steps, flow, layer.Source, layer.Inputs, name, target =>
                $"if (mode != global::NetGen.NetworkMode.Inference) {Kernels}.VectorOps.Multiply({dzSpan}, {Slice($"ws.Mask{i}", layer.Outputs)}, {Slice(target, layer.Inputs)}); else {dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
            return;
        }
        IntoInput(steps, flow, layer.Source, layer.Inputs, name, target => $"{dzSpan}.CopyTo({Slice(target, layer.Inputs)});");
    }
}
