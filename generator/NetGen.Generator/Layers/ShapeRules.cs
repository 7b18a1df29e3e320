using System;
using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Checks and formulas the shape rules of several families share: numbers as diagnostics print them, the size
/// of an output axis with its diagnostics, window geometry, and the activation of a layer's output.</summary>
internal static class ShapeRules
{
    /// <summary>The axis name of one formula reported for both axes of a square input under a square kernel.</summary>
    public const string BothAxes = "height and width";

    public static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Negative results with a true minus sign, as the formulas are typeset.</summary>
    public static string Signed(long value) => value < 0 ? "−" + Format(-value) : Format(value);

    public static long FloorDivide(long numerator, long denominator) => (long)Math.Floor((double)numerator / denominator);

    /// <summary>NG0102 unless the input is an image.</summary>
    public static bool RequireImage(LayerContext context, Shape input)
    {
        if (input.IsImage)
        {
            return true;
        }
        context.Report(DiagnosticDescriptors.NeedsImage, context.Kind, context.Name, input.ToString());
        return false;
    }

    /// <summary>The size of an output axis computed by <paramref name="formula"/>: an error when it is below 1 or too large,
    /// a warning when the window leaves rows or columns of the (padded) input unread, unless
    /// <paramref name="remainderIntended"/> (the layer's <c>DropRemainder = true</c>).</summary>
    public static int CheckSize(LayerContext context, string axis, long result, long span, int stride, string formula, bool remainderIntended)
    {
        if (result < 1)
        {
            context.Report(DiagnosticDescriptors.OutputTooSmall, context.Kind, context.Name, axis, formula);
            return 0;
        }
        if (result > int.MaxValue / 4)
        {
            context.Report(DiagnosticDescriptors.NetworkTooLarge, context.Name, Format(result));
            return 0;
        }
        long dropped = span - (result - 1) * stride;
        if (dropped > 0 && !remainderIntended)
        {
            string unit = axis switch
            {
                "height" => dropped == 1 ? "row" : "rows",
                "width" => dropped == 1 ? "column" : "columns",
                _ => dropped == 1 ? "row and column" : "rows and columns",
            };
            context.Report(DiagnosticDescriptors.DropsInput, context.Kind, context.Name, Format(dropped), unit, formula);
        }
        return (int)result;
    }

    /// <summary>The arguments of a sliding window (convolution, pooling).</summary>
    public static void CheckWindow(LayerContext context, int kernelHeight, int kernelWidth, int stride, int dilation, int padding)
    {
        if (kernelHeight < 1 || kernelWidth < 1)
        {
            context.Invalid($"kernel {Format(kernelHeight)}×{Format(kernelWidth)} must be at least 1×1");
        }
        if (stride < 1)
        {
            context.Invalid($"Stride = {Format(stride)} must be at least 1");
        }
        if (dilation < 1)
        {
            context.Invalid($"Dilation = {Format(dilation)} must be at least 1");
        }
        if (padding < 0)
        {
            context.Invalid($"Padding = {Format(padding)} must not be negative");
        }
    }

    /// <summary>The activation of the layer's output and its α; softmax only where <paramref name="softmaxAllowed"/>.</summary>
    public static void CheckActivation(LayerContext context, bool softmaxAllowed)
    {
        LayerSpec layer = context.Layer;
        if (!Enum.IsDefined(typeof(Activation), layer.Activation))
        {
            context.Invalid($"activation value {(int)layer.Activation} is not a member of Activation");
        }
        if (!float.IsNaN(layer.Alpha) && layer.Activation is not (Activation.LeakyReLU or Activation.ELU))
        {
            context.Invalid($"Alpha applies to LeakyReLU and ELU only, not {layer.Activation}");
        }
        else if (!float.IsNaN(layer.Alpha) && (float.IsInfinity(layer.Alpha) || layer.Alpha < 0f))
        {
            context.Invalid($"Alpha = {Format(layer.Alpha)} must be a finite number ≥ 0");
        }
        if (layer.Activation == Activation.Softmax && !softmaxAllowed)
        {
            context.Report(DiagnosticDescriptors.SoftmaxNotOnOutput, context.Kind, context.Name);
        }
        if (layer.Activation is Activation.Sign or Activation.Step && context.Network.Loss != Loss.None)
        {
            context.Report(DiagnosticDescriptors.NotDifferentiable, context.Kind, context.Name, layer.Activation.ToString(), context.Network.TypeName, context.Network.Loss.ToString());
        }
    }

    /// <summary>α of the activation, its default when not given.</summary>
    public static float ResolvedAlpha(LayerSpec layer) => float.IsNaN(layer.Alpha) ? InitRules.DefaultAlpha(layer.Activation) : layer.Alpha;
}
