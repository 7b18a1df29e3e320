using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Layers.AttributeArguments;
using static NetGen.Generator.Layers.ShapeRules;
using static NetGen.Generator.Passes.StepCode;

namespace NetGen.Generator.Layers.Pooling;

/// <summary>[MaxPool2D(kernel)] and [AvgPool2D(kernel)]: a square window, its stride (the kernel unless given) and padding.</summary>
internal sealed record PoolingOptions(int KernelHeight, int KernelWidth, int Stride, int Padding) : LayerOptions
{
    /// <summary>The user says the input rows and columns no window reaches are meant to be dropped (no NG0202).</summary>
    public bool DropRemainder { get; init; }
}

/// <summary>[GlobalAvgPool2D]: no arguments.</summary>
internal sealed record GlobalPoolingOptions : LayerOptions;

/// <summary>
/// Max and average pooling over windows of each channel, and global average pooling (one value per channel). Kernels in
/// <see cref="PoolingKernels"/>; max pooling finds each window's maximum again in backward, and applies its source's
/// ReLU derivative itself when nothing else reads the source.
/// </summary>
internal sealed class PoolingFamily : LayerFamily
{
    public const string MaxPool2D = nameof(MaxPool2D);
    public const string AvgPool2D = nameof(AvgPool2D);
    public const string GlobalAvgPool2D = nameof(GlobalAvgPool2D);

    public override IReadOnlyList<string> Kinds { get; } = [MaxPool2D, AvgPool2D, GlobalAvgPool2D];

    public override LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax)
    {
        if (kind == GlobalAvgPool2D)
        {
            return Spec(kind, attribute, syntax, new GlobalPoolingOptions());
        }
        int kernel = IntArgument(attribute, 0);
        int stride = NamedArgument(attribute, "Stride") is int s and not 0 ? s : kernel;
        return Spec(kind, attribute, syntax, new PoolingOptions(kernel, kernel, stride, (int)(NamedArgument(attribute, "Padding") ?? 0))
        {
            DropRemainder = NamedArgument(attribute, "DropRemainder") is true,
        });
    }

    public override string NamePrefix(string kind) => "pool";

    public override void CheckArguments(LayerContext context)
    {
        if (context.Layer.Options is not PoolingOptions p)
        {
            return;
        }
        CheckWindow(context, p.KernelHeight, p.KernelWidth, p.Stride, dilation: 1, p.Padding);
        if (p.KernelHeight >= 1 && 2 * p.Padding > p.KernelHeight)
        {
            context.Invalid($"Padding = {Format(p.Padding)} is more than half the kernel {Format(p.KernelHeight)}: a window could lie entirely in the padding");
        }
    }

    public override LayerPlan? Plan(LayerContext context, Shape input)
    {
        if (context.Layer.Options is not PoolingOptions p)
        {
            return RequireImage(context, input)
                ? context.Plain(input, new Shape(input.Channels, 1, 1), context.Layer.Options) with { Flops = input.Size }
                : null;
        }
        // Argument errors are reported by CheckArguments; without a valid geometry no size can be computed.
        bool geometryIsValid = p.KernelHeight >= 1 && p.KernelWidth >= 1 && p.Stride >= 1 && p.Padding >= 0;
        if (!RequireImage(context, input) || !geometryIsValid)
        {
            return null;
        }
        bool square = input.Height == input.Width && p.KernelHeight == p.KernelWidth;
        int height = PoolSize(context, p, square ? BothAxes : "height", input.Height);
        int width = square ? height : PoolSize(context, p, "width", input.Width);
        if (height < 1 || width < 1)
        {
            return null;
        }
        var output = new Shape(input.Channels, height, width);
        return context.Plain(input, output, p) with { Flops = (long)output.Size * p.KernelHeight * p.KernelWidth };
    }

    /// <summary>⌊(i + 2p − k)/s⌋ + 1.</summary>
    private static int PoolSize(LayerContext context, PoolingOptions p, string axis, int size)
    {
        int kernel = axis == "width" ? p.KernelWidth : p.KernelHeight, s = p.Stride, padding = p.Padding;
        long span = (long)size + 2 * padding - kernel;
        long result = FloorDivide(span, s) + 1;
        string formula = $"⌊({Format(size)} + 2·{Format(padding)} − {Format(kernel)})/{Format(s)}⌋ + 1 = {Signed(result)}";
        return CheckSize(context, axis, result, span, s, formula, p.DropRemainder);
    }

    public override string Details(NetworkPlan plan, LayerPlan layer)
        => layer.Options is PoolingOptions p ? $" {p.KernelHeight}×{p.KernelWidth}/{p.Stride}, padding {p.Padding}" : "";

    /// <summary>
    /// The layer whose ReLU derivative max pooling layer <paramref name="layer"/> applies in its own backward kernel, or
    /// null: its source, when that has a ReLU and no other layer reads its output. The pooling backward then routes a
    /// window's gradient to its maximum only where the source's z there is ≥ 0 (ReLU′(0) = 1), which is what the separate
    /// derivative pass would leave, and that pass — a read of z and a and a rewrite of the whole gradient — is not emitted.
    /// </summary>
    public override LayerPlan? FoldsSourceActivationBackward(NetworkPlan plan, LayerPlan layer)
    {
        if (layer.Kind != MaxPool2D || layer.Source <= 0)
        {
            return null;
        }
        LayerPlan source = plan.Layers[layer.Source - 1];
        if (source.Activation != Activation.ReLU)
        {
            return null;
        }
        foreach (LayerPlan other in plan.Layers)
        {
            if (!ReferenceEquals(other, layer) && LayerRegistry.Of(other).OwnsOutput && (other.Source == source.Index || other.Skip == source.Index))
            {
                return null;
            }
        }
        return source;
    }

    public override void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
        string z = Rows($"ws.Z{Num(layer.Index)}", layer.Outputs);
        string kernels = plan.TypeName + "Kernels";
        steps.Samples($"{layer.Name}: {layer.Kind}", w => w.Line($"{kernels}.{PoolingKernels.ForwardName(layer)}({OutputRows(layer.Source, layer.Inputs)}, {z}, count);"));
    }

    public override void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        string dzRows = Rows($"ws.G{Num(layer.Index)}", layer.Outputs);
        string kernels = plan.TypeName + "Kernels";
        string name = $"{layer.Name}: {layer.Kind}";
        int source = layer.Source;
        if (layer.Kind != MaxPool2D)
        {
            IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
                $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({dzRows}, {Rows(target, layer.Inputs)}, count);");
            return;
        }
        // Backward finds each window's maximum again in the pooling input (no argmax is stored).
        if (FoldsSourceActivationBackward(plan, layer) is { } relu)
        {
            IntoInput(steps, flow, source, layer.Inputs, $"{name} ∂x and {relu.Name}: ReLU'", target =>
                $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({OutputRows(source, layer.Inputs)}, {Rows($"ws.Z{Num(source)}", layer.Inputs)}, {dzRows}, {Rows(target, layer.Inputs)}, count);");
            return;
        }
        IntoInput(steps, flow, source, layer.Inputs, name + " ∂x", target =>
            $"{kernels}.{PoolingKernels.BackwardInputName(layer)}({OutputRows(source, layer.Inputs)}, {dzRows}, {Rows(target, layer.Inputs)}, count);");
    }

    public override void EmitKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
        w.Line();
        if (layer.Kind == GlobalAvgPool2D)
        {
            PoolingKernels.EmitGlobalAveragePool(w, layer, plan.IsTrainable);
            return;
        }
        PoolingKernels.EmitPool(w, layer, plan.IsTrainable, FoldsSourceActivationBackward(plan, layer) is not null);
    }
}
