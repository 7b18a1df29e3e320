using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Layers.Convolution;

namespace NetGen.Generator.Network;

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
        var inputShape = new Shape(input.Channels, input.Height, input.Width);
        foreach ((string argument, int value) in new[] { ("channels", input.Channels), ("height", input.Height), ("width", input.Width) })
        {
            if (value < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, input.Location, "Input", spec.TypeName,
                    inputShape.IsImage || argument != "channels" ? argument : "size", Format(value)));
            }
        }
        if (CountErrors(diagnostics) > errorsBefore)
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
            string prefix = DefaultPrefix(layer.Kind);
            counters[prefix] = counters.TryGetValue(prefix, out int count) ? count + 1 : 1;
            string name = layer.Name ?? prefix + Format(counters[prefix]);
            string kind = layer.Kind.ToString();
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerName, layer.Location, name, spec.TypeName));
            }
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, kind, name, "Name must be non-empty and use only letters, digits, '_' and '.'"));
            }
            CheckArguments(spec, layer, name, i == lastIndex, diagnostics);
            if (!shapeKnown)
            {
                continue;
            }

            int index = layers.Count + 1;
            LayerPlan? plan = layer.Kind switch
            {
                LayerKind.Dense => PlanDense(layer, name, index, shape, diagnostics),
                LayerKind.Conv2D or LayerKind.ConvTranspose2D => PlanConvolution(layer, name, index, shape, diagnostics),
                LayerKind.MaxPool2D or LayerKind.AvgPool2D => PlanPool(layer, name, index, shape, diagnostics),
                LayerKind.GlobalAvgPool2D => RequireImage(layer, name, shape, diagnostics)
                    ? Plain(layer, name, index, shape, new Shape(shape.Channels, 1, 1)) with { Flops = shape.Size }
                    : null,
                LayerKind.Flatten => Plain(layer, name, index, shape, new Shape(shape.Size, 1, 1)),
                LayerKind.BatchNorm or LayerKind.LayerNorm or LayerKind.GroupNorm => PlanNormalization(layer, name, index, shape, diagnostics),
                LayerKind.LocalResponseNorm => Plain(layer, name, index, shape, shape) with
                {
                    WindowSize = layer.Groups,
                    LrnAlpha = layer.LrnAlpha,
                    LrnBeta = layer.LrnBeta,
                    LrnK = layer.LrnK,
                    Flops = (long)shape.Size * (layer.Groups + 4),
                },
                LayerKind.Dropout or LayerKind.AlphaDropout or LayerKind.GaussianNoise => Plain(layer, name, index, shape, shape) with { Rate = layer.Rate, Flops = shape.Size },
                LayerKind.Residual => PlanResidual(spec, layer, name, index, shape, outputs, diagnostics),
                _ => null,
            };
            if (plan is null)
            {
                shapeKnown = false;
                continue;
            }
            plan = plan with { Source = producer };
            if (plan.Kind == LayerKind.Residual)
            {
                plan = plan with { Skip = outputs[layer.From!].Buffer };
            }

            // Parameter layout per layer: scales (γ, g), weights, biases, then a projection's weights and biases.
            // Counted from the shapes: WeightCount is capped at int.MaxValue, the total must not be.
            long weights = plan.Kind switch
            {
                LayerKind.Dense => (long)plan.Inputs * plan.Outputs,
                LayerKind.Conv2D or LayerKind.ConvTranspose2D => (long)plan.In.Channels * plan.Out.Channels * plan.KernelHeight * plan.KernelWidth,
                _ => plan.WeightCount,
            };
            long own = plan.ScaleCount + weights + plan.Biases;
            long projection = plan.Projection is { } p ? (long)p.WeightCount + p.Biases : 0;
            if (offset + own + projection <= int.MaxValue)
            {
                int start = (int)offset;
                plan = plan with
                {
                    ScaleOffset = start,
                    WeightOffset = start + plan.ScaleCount,
                    BiasOffset = start + plan.ScaleCount + plan.WeightCount,
                    StateOffset = (int)stateOffset,
                    Projection = plan.Projection is { } pr
                        ? pr with { WeightOffset = start + (int)own, BiasOffset = start + (int)own + pr.WeightCount }
                        : null,
                };
                layers.Add(plan);
            }
            offset += own + projection;
            stateOffset += plan.StateCount;
            flops += plan.Flops + (plan.Projection?.Flops ?? 0);
            shape = plan.Out;
            if (plan.Kind != LayerKind.Flatten)
            {
                producer = plan.Index;
            }
            outputs[name] = (plan.Out, producer);
            maxWidth = Math.Max(maxWidth, plan.Outputs);
            foreach (LayerPlan convolution in new[] { plan, plan.Projection }.Where(l => l is { UsesColumns: true }).Select(l => l!))
            {
                DirectConvolutionLayout? direct = DirectConvolutionLayout.Of(convolution);
                scratch = Math.Max(scratch, direct?.ScratchSize(training: spec.Loss != Loss.None) ?? convolution.ColumnRows * convolution.ColumnCount);
                predictionScratch = Math.Max(predictionScratch, direct?.ScratchSize(training: false) ?? convolution.ColumnRows * convolution.ColumnCount);
            }
        }

        if (offset > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, spec.ClassLocation, spec.TypeName, Format(offset)));
        }
        if (layers.Count == spec.Layers.Count - 1)
        {
            CheckLoss(spec, layers[layers.Count - 1].Outputs, layers[layers.Count - 1].Name, diagnostics);
            LayerPlan last = layers[layers.Count - 1];
            if (last.IsStochastic && spec.Loss != Loss.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StochasticOutput, spec.Layers[lastIndex].Location, last.Kind.ToString(), last.Name));
            }
        }

        if (layers.Count > 0 && layers.TrueForAll(l => l.Kind == LayerKind.Flatten))
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

    /// <summary>BatchNorm (per feature, per channel of an image), LayerNorm (per sample over everything), GroupNorm (per
    /// sample and channel group).</summary>
    private static LayerPlan? PlanNormalization(LayerSpec layer, string name, int index, Shape input, List<DiagnosticInfo> diagnostics)
    {
        int channels = input.Channels;
        int groups = layer.Kind switch
        {
            LayerKind.BatchNorm => channels,
            LayerKind.LayerNorm => 1,
            _ => layer.Groups,
        };
        if (layer.Kind == LayerKind.GroupNorm)
        {
            if (groups < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, layer.Location, "GroupNorm", name, "groups", Format(groups)));
                return null;
            }
            if (channels % groups != 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GroupsDoNotDivideChannels, layer.Location, name, Format(channels), Format(groups), input.ToString()));
                return null;
            }
        }
        // γ and β: per feature (BatchNorm of a vector), per channel (BatchNorm of an image, GroupNorm), per value (LayerNorm).
        int affine = !layer.Affine ? 0 : layer.Kind == LayerKind.LayerNorm ? input.Size : channels;
        return Plain(layer, name, index, input, input) with
        {
            Activation = layer.Activation,
            Alpha = float.IsNaN(layer.Alpha) ? InitRules.DefaultAlpha(layer.Activation) : layer.Alpha,
            Epsilon = layer.Epsilon,
            Momentum = layer.Momentum,
            Groups = groups,
            HasBias = layer.Affine,
            ScaleCount = affine,
            BiasCount = affine,
            StateCount = layer.Kind == LayerKind.BatchNorm ? 2 * channels : 0,
            Flops = 4L * input.Size,
        };
    }

    /// <summary>output = previous output + skipped output (projected when asked): the shapes must agree.</summary>
    private static LayerPlan? PlanResidual(NetworkSpec spec, LayerSpec layer, string name, int index, Shape input,
        Dictionary<string, (Shape Shape, int Buffer)> outputs, List<DiagnosticInfo> diagnostics)
    {
        string from = layer.From ?? "";
        if (!outputs.TryGetValue(from, out (Shape Shape, int Buffer) skipped))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownResidualSource, layer.Location, name, from, spec.TypeName, string.Join(", ", outputs.Keys)));
            return null;
        }
        Shape source = skipped.Shape;
        LayerPlan sum = Plain(layer, name, index, input, input) with
        {
            Activation = layer.Activation,
            Alpha = float.IsNaN(layer.Alpha) ? InitRules.DefaultAlpha(layer.Activation) : layer.Alpha,
            Flops = input.Size,
        };
        void Mismatch(string problem) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResidualShapeMismatch, layer.Location, name, from, source.ToString(), input.ToString(), problem));
        if (!layer.Projection)
        {
            if (source == input)
            {
                return sum;
            }
            Mismatch($"the shapes differ; set Projection = true to learn a linear map from {source} to {input}");
            return null;
        }
        string projectionName = name + ".projection";
        if (!input.IsImage)
        {
            long weights = (long)source.Size * input.Size;
            var dense = new LayerPlan(LayerKind.Dense, index, projectionName, new Shape(source.Size, 1, 1), input, HasBias: true, Activation.Identity, 0f,
                Init.GlorotUniform, 0f, 0f, 0, (int)Math.Min(weights, int.MaxValue), 0, 2 * weights + input.Size);
            return sum with { Projection = dense };
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
        long convWeights = (long)source.Channels * input.Channels;
        var conv = new LayerPlan(LayerKind.Conv2D, index, projectionName, source, input, HasBias: true, Activation.Identity, 0f,
            Init.GlorotUniform, 0f, 0f, 0, (int)convWeights, 0, 2 * convWeights * input.Height * input.Width + input.Size)
        {
            Stride = stride,
        };
        return sum with { Projection = conv };
    }

    private static string DefaultPrefix(LayerKind kind) => kind switch
    {
        LayerKind.Dense => "dense",
        LayerKind.Conv2D => "conv",
        LayerKind.ConvTranspose2D => "deconv",
        LayerKind.Flatten => "flatten",
        LayerKind.BatchNorm => "bn",
        LayerKind.LayerNorm => "ln",
        LayerKind.GroupNorm => "gn",
        LayerKind.LocalResponseNorm => "lrn",
        LayerKind.Dropout or LayerKind.AlphaDropout => "dropout",
        LayerKind.GaussianNoise => "noise",
        LayerKind.Residual => "res",
        _ => "pool",
    };

    private static LayerPlan Plain(LayerSpec layer, string name, int index, Shape input, Shape output)
        => new(layer.Kind, index, name, input, output, HasBias: false, Activation.Identity, 0f, Init.Zeros, 0f, 0f, 0, 0, 0, 0);

    private static LayerPlan? PlanDense(LayerSpec layer, string name, int index, Shape input, List<DiagnosticInfo> diagnostics)
    {
        if (layer.Size < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, layer.Location, "Dense", name, "units", Format(layer.Size)));
            return null;
        }
        if (input.IsImage)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImplicitFlatten, layer.Location, name, input.ToString(), Format(input.Size)));
        }
        long weights = (long)input.Size * layer.Size;
        return WithParameters(layer, name, index, new Shape(input.Size, 1, 1), new Shape(layer.Size, 1, 1), weights, 2 * weights + (layer.HasBias ? layer.Size : 0));
    }

    private static LayerPlan? PlanConvolution(LayerSpec layer, string name, int index, Shape input, List<DiagnosticInfo> diagnostics)
    {
        string kind = layer.Kind.ToString();
        if (layer.Size < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize, layer.Location, kind, name, "out channels", Format(layer.Size)));
            return null;
        }
        if (!RequireImage(layer, name, input, diagnostics) || !GeometryIsValid(layer))
        {
            return null;
        }
        int kh = layer.KernelHeight, kw = layer.KernelWidth, s = layer.Stride, d = layer.Dilation;
        int padding = layer.PaddingMode switch
        {
            NetGen.Padding.Valid => 0,
            NetGen.Padding.Same => d * (kh - 1) / 2,
            NetGen.Padding.Full => d * (kh - 1),
            _ => layer.Padding,
        };
        // A square input under a square kernel has one formula for both axes: report it once.
        bool square = input.Height == input.Width && kh == kw;
        int height, width;
        if (layer.Kind == LayerKind.Conv2D)
        {
            height = ConvolutionSize(layer, name, square ? BothAxes : "height", input.Height, kh, padding, diagnostics);
            width = square ? height : ConvolutionSize(layer, name, "width", input.Width, kw, padding, diagnostics);
        }
        else
        {
            height = TransposedSize(layer, name, square ? BothAxes : "height", input.Height, kh, padding, diagnostics);
            width = square ? height : TransposedSize(layer, name, "width", input.Width, kw, padding, diagnostics);
        }
        if (height < 1 || width < 1)
        {
            return null;
        }
        var output = new Shape(layer.Size, height, width);
        long weights = (long)input.Channels * layer.Size * kh * kw;
        // Each output pixel of a convolution, or each input pixel of a transposed one, does in_c·out_c·kh·kw multiply-adds.
        long pixels = layer.Kind == LayerKind.Conv2D ? (long)height * width : (long)input.Height * input.Width;
        long flops = 2 * weights * pixels + (layer.HasBias ? output.Size : 0);
        return WithParameters(layer, name, index, input, output, weights, flops) with
        {
            KernelHeight = kh,
            KernelWidth = kw,
            Stride = s,
            Padding = padding,
            Dilation = d,
            OutputPadding = layer.OutputPadding,
        };
    }

    private static LayerPlan? PlanPool(LayerSpec layer, string name, int index, Shape input, List<DiagnosticInfo> diagnostics)
    {
        if (!RequireImage(layer, name, input, diagnostics) || !GeometryIsValid(layer))
        {
            return null;
        }
        bool square = input.Height == input.Width && layer.KernelHeight == layer.KernelWidth;
        int height = PoolSize(layer, name, square ? BothAxes : "height", input.Height, diagnostics);
        int width = square ? height : PoolSize(layer, name, "width", input.Width, diagnostics);
        if (height < 1 || width < 1)
        {
            return null;
        }
        var output = new Shape(input.Channels, height, width);
        return Plain(layer, name, index, input, output) with
        {
            KernelHeight = layer.KernelHeight,
            KernelWidth = layer.KernelWidth,
            Stride = layer.Stride,
            Padding = layer.Padding,
            Flops = (long)output.Size * layer.KernelHeight * layer.KernelWidth,
        };
    }

    private static LayerPlan WithParameters(LayerSpec layer, string name, int index, Shape input, Shape output, long weights, long flops)
    {
        Init init = InitRules.Resolve(layer.Init, layer.Activation);
        float alpha = float.IsNaN(layer.Alpha) ? InitRules.DefaultAlpha(layer.Activation) : layer.Alpha;
        float scale = float.IsNaN(layer.InitScale) ? InitRules.DefaultScale(init) : layer.InitScale;
        return new LayerPlan(layer.Kind, index, name, input, output, layer.HasBias, layer.Activation, alpha, init, scale, layer.BiasInit,
            0, (int)Math.Min(weights, int.MaxValue), 0, flops)
        {
            WeightNorm = layer.WeightNorm,
            ScaleCount = layer.WeightNorm ? output.Channels : 0,
        };
    }

    private static bool RequireImage(LayerSpec layer, string name, Shape input, List<DiagnosticInfo> diagnostics)
    {
        if (input.IsImage)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NeedsImage, layer.Location, layer.Kind.ToString(), name, input.ToString()));
        return false;
    }

    /// <summary>Argument errors are reported by <see cref="CheckArguments"/>; this only says whether sizes can be computed.</summary>
    private static bool GeometryIsValid(LayerSpec layer)
        => layer.KernelHeight >= 1 && layer.KernelWidth >= 1 && layer.Stride >= 1 && layer.Dilation >= 1 && layer.Padding >= 0 && layer.OutputPadding >= 0;

    /// <summary>⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 (Klambauer App. E, floor everywhere).</summary>
    private static int ConvolutionSize(LayerSpec layer, string name, string axis, int size, int kernel, int padding, List<DiagnosticInfo> diagnostics)
    {
        int d = layer.Dilation, s = layer.Stride;
        long span = (long)size + 2 * padding - (long)d * (kernel - 1) - 1;
        long result = FloorDivide(span, s) + 1;
        string kernelTerm = d == 1 ? Format(kernel) : $"{Format(d)}·({Format(kernel)} − 1) − 1";
        string formula = $"⌊({Format(size)} + 2·{Format(padding)} − {kernelTerm})/{Format(s)}⌋ + 1 = {Signed(result)}";
        return CheckSize(layer, name, axis, result, span, s, formula, diagnostics);
    }

    /// <summary>⌊(i + 2p − k)/s⌋ + 1.</summary>
    private static int PoolSize(LayerSpec layer, string name, string axis, int size, List<DiagnosticInfo> diagnostics)
    {
        int kernel = axis == "width" ? layer.KernelWidth : layer.KernelHeight, s = layer.Stride, padding = layer.Padding;
        long span = (long)size + 2 * padding - kernel;
        long result = FloorDivide(span, s) + 1;
        string formula = $"⌊({Format(size)} + 2·{Format(padding)} − {Format(kernel)})/{Format(s)}⌋ + 1 = {Signed(result)}";
        return CheckSize(layer, name, axis, result, span, s, formula, diagnostics);
    }

    /// <summary>s(i − 1) − 2p + d(k − 1) + a + 1 (the unstretched input size i).</summary>
    private static int TransposedSize(LayerSpec layer, string name, string axis, int size, int kernel, int padding, List<DiagnosticInfo> diagnostics)
    {
        int s = layer.Stride, d = layer.Dilation, a = layer.OutputPadding;
        long result = (long)s * (size - 1) - 2L * padding + (long)d * (kernel - 1) + a + 1;
        string formula = $"{Format(s)}·({Format(size)} − 1) − 2·{Format(padding)} + {Format(d)}·({Format(kernel)} − 1) + {Format(a)} + 1 = {Signed(result)}";
        return CheckSize(layer, name, axis, result, span: 0, stride: 1, formula, diagnostics);
    }

    private static int CheckSize(LayerSpec layer, string name, string axis, long result, long span, int stride, string formula, List<DiagnosticInfo> diagnostics)
    {
        if (result < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OutputTooSmall, layer.Location, layer.Kind.ToString(), name, axis, formula));
            return 0;
        }
        if (result > int.MaxValue / 4)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, layer.Location, name, Format(result)));
            return 0;
        }
        long dropped = span - (result - 1) * stride;
        if (dropped > 0)
        {
            string unit = axis switch
            {
                "height" => dropped == 1 ? "row" : "rows",
                "width" => dropped == 1 ? "column" : "columns",
                _ => dropped == 1 ? "row and column" : "rows and columns",
            };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropsInput, layer.Location, layer.Kind.ToString(), name, Format(dropped), unit, formula));
        }
        return (int)result;
    }

    private const string BothAxes = "height and width";

    /// <summary>Negative results with a true minus sign, as the formulas are typeset.</summary>
    private static string Signed(long value) => value < 0 ? "−" + Format(-value) : Format(value);

    private static long FloorDivide(long numerator, long denominator) => (long)Math.Floor((double)numerator / denominator);

    private static void CheckArguments(NetworkSpec spec, LayerSpec layer, string name, bool isOutput, List<DiagnosticInfo> diagnostics)
    {
        string kind = layer.Kind.ToString();
        void Invalid(string problem) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, layer.Location, kind, name, problem));

        if (layer.Kind is LayerKind.Conv2D or LayerKind.ConvTranspose2D or LayerKind.MaxPool2D or LayerKind.AvgPool2D)
        {
            if (layer.KernelHeight < 1 || layer.KernelWidth < 1)
            {
                Invalid($"kernel {Format(layer.KernelHeight)}×{Format(layer.KernelWidth)} must be at least 1×1");
            }
            if (layer.Stride < 1)
            {
                Invalid($"Stride = {Format(layer.Stride)} must be at least 1");
            }
            if (layer.Dilation < 1)
            {
                Invalid($"Dilation = {Format(layer.Dilation)} must be at least 1");
            }
            if (layer.Padding < 0)
            {
                Invalid($"Padding = {Format(layer.Padding)} must not be negative");
            }
            if (layer.Kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D && layer.KernelHeight >= 1 && 2 * layer.Padding > layer.KernelHeight)
            {
                Invalid($"Padding = {Format(layer.Padding)} is more than half the kernel {Format(layer.KernelHeight)}: a window could lie entirely in the padding");
            }
            if (layer.PaddingMode != NetGen.Padding.Explicit && layer.Padding != 0)
            {
                Invalid($"set either Padding = {Format(layer.Padding)} or PaddingMode = {layer.PaddingMode}, not both");
            }
            if (!Enum.IsDefined(typeof(Padding), layer.PaddingMode))
            {
                Invalid($"padding mode value {(int)layer.PaddingMode} is not a member of Padding");
            }
            if (layer.PaddingMode is NetGen.Padding.Same or NetGen.Padding.Full && layer.KernelHeight != layer.KernelWidth)
            {
                Invalid($"PaddingMode = {layer.PaddingMode} needs a square kernel, not {Format(layer.KernelHeight)}×{Format(layer.KernelWidth)}");
            }
            if (layer.PaddingMode == NetGen.Padding.Same && (layer.Stride != 1 || layer.Dilation * (layer.KernelHeight - 1) % 2 != 0))
            {
                Invalid($"PaddingMode = Same keeps the size only with stride 1 and an odd effective kernel; here stride {Format(layer.Stride)}, effective kernel {Format(layer.Dilation * (layer.KernelHeight - 1) + 1)}");
            }
            if (layer.Kind == LayerKind.ConvTranspose2D && layer.OutputPadding != 0 && (layer.OutputPadding < 0 || layer.OutputPadding >= Math.Max(layer.Stride, layer.Dilation)))
            {
                Invalid($"OutputPadding = {Format(layer.OutputPadding)} must be ≥ 0 and smaller than the stride or the dilation ({Format(Math.Max(layer.Stride, layer.Dilation))})");
            }
        }
        switch (layer.Kind)
        {
            case LayerKind.Dropout or LayerKind.AlphaDropout when !(layer.Rate >= 0f && layer.Rate < 1f):
                Invalid($"rate = {Format(layer.Rate)} must be in [0, 1): it is the probability of dropping a value");
                break;
            case LayerKind.GaussianNoise when !(layer.Rate >= 0f && !float.IsInfinity(layer.Rate)):
                Invalid($"standard deviation = {Format(layer.Rate)} must be a finite number ≥ 0");
                break;
            case LayerKind.BatchNorm or LayerKind.LayerNorm or LayerKind.GroupNorm:
                if (!(layer.Epsilon > 0f) || float.IsInfinity(layer.Epsilon))
                {
                    Invalid($"Epsilon = {Format(layer.Epsilon)} must be a finite number > 0");
                }
                if (layer.Kind == LayerKind.BatchNorm && !(layer.Momentum >= 0f && layer.Momentum <= 1f))
                {
                    Invalid($"Momentum = {Format(layer.Momentum)} must be in [0, 1] (the weight of the newest batch in the running averages)");
                }
                break;
            case LayerKind.LocalResponseNorm:
                if (layer.Groups < 1)
                {
                    Invalid($"size = {Format(layer.Groups)} must be at least 1 channel");
                }
                if (!(layer.LrnAlpha >= 0f) || float.IsInfinity(layer.LrnAlpha) || !(layer.LrnBeta >= 0f) || float.IsInfinity(layer.LrnBeta))
                {
                    Invalid($"Alpha = {Format(layer.LrnAlpha)} and Beta = {Format(layer.LrnBeta)} must be finite numbers ≥ 0");
                }
                if (!(layer.LrnK > 0f) || float.IsInfinity(layer.LrnK))
                {
                    Invalid($"K = {Format(layer.LrnK)} must be a finite number > 0 (it keeps the denominator away from 0)");
                }
                break;
        }
        bool linear = layer.Kind is LayerKind.Dense or LayerKind.Conv2D or LayerKind.ConvTranspose2D;
        if (!linear && layer.Kind is not (LayerKind.BatchNorm or LayerKind.LayerNorm or LayerKind.GroupNorm or LayerKind.Residual))
        {
            return;
        }
        if (!Enum.IsDefined(typeof(Activation), layer.Activation))
        {
            Invalid($"activation value {(int)layer.Activation} is not a member of Activation");
        }
        if (!float.IsNaN(layer.Alpha) && layer.Activation is not (Activation.LeakyReLU or Activation.ELU))
        {
            Invalid($"Alpha applies to LeakyReLU and ELU only, not {layer.Activation}");
        }
        else if (!float.IsNaN(layer.Alpha) && (float.IsInfinity(layer.Alpha) || layer.Alpha < 0f))
        {
            Invalid($"Alpha = {Format(layer.Alpha)} must be a finite number ≥ 0");
        }
        if (layer.Activation == Activation.Softmax && (!isOutput || layer.Kind != LayerKind.Dense))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotOnOutput, layer.Location, kind, name));
        }
        if (layer.Activation is Activation.Sign or Activation.Step && spec.Loss != Loss.None)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotDifferentiable, layer.Location, kind, name, layer.Activation.ToString(), spec.TypeName, spec.Loss.ToString()));
        }
        if (!linear)
        {
            return;
        }
        if (!Enum.IsDefined(typeof(Init), layer.Init))
        {
            Invalid($"init value {(int)layer.Init} is not a member of Init");
        }
        if (!float.IsNaN(layer.InitScale) && (float.IsInfinity(layer.InitScale) || (layer.Init is Init.Uniform or Init.Normal && layer.InitScale < 0f)))
        {
            Invalid($"InitScale = {Format(layer.InitScale)} must be finite (and ≥ 0 for Uniform and Normal)");
        }
        if (!float.IsNaN(layer.InitScale) && layer.Init is not (Init.Constant or Init.Uniform or Init.Normal))
        {
            Invalid($"InitScale applies to Constant, Uniform and Normal, not {InitRules.Resolve(layer.Init, layer.Activation)}");
        }
        if (float.IsNaN(layer.BiasInit) || float.IsInfinity(layer.BiasInit))
        {
            Invalid("BiasInit must be finite");
        }
        if (!layer.HasBias && layer.BiasInit != 0f)
        {
            Invalid("BiasInit is set but Bias = false");
        }
    }

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

    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
