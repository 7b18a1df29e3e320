using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// Weight normalization <c>w = g·v/‖v‖</c> per output unit (Salimans and Kingma), for generated layers. The weights are
/// given in the layer's stored layout: unit-major (<c>[units, fanIn]</c>, convolutions) when <c>panelWidth</c> is 0,
/// otherwise in panels of that many units (dense layers, see <see cref="ParameterTensor.PanelWidth"/>). A unit whose v is
/// all zeros gets w = 0 and zero gradients.
/// </summary>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WeightNormKernels
{
    /// <summary>Sets every g to ‖v‖ of its unit, so that the effective weights start equal to v (PyTorch's
    /// <c>weight_norm</c> does the same).</summary>
    public static void InitializeMagnitudes(ReadOnlySpan<float> v, Span<float> g, int units, int panelWidth)
    {
        Check(v.Length, g.Length, units);
        for (int o = 0; o < units; o++)
        {
            g[o] = (float)Math.Sqrt(SquaredNorm(v, o, units, panelWidth));
        }
    }

    /// <summary>w = g·v/‖v‖; <paramref name="norms"/> receives ‖v‖ per unit for backward.</summary>
    public static void Forward(ReadOnlySpan<float> v, ReadOnlySpan<float> g, Span<float> w, Span<float> norms, int units, int panelWidth)
    {
        Check(v.Length, g.Length, units);
        if (w.Length != v.Length || norms.Length < units)
        {
            throw new ArgumentException($"Weight ({w.Length}) and norm ({norms.Length}) spans do not fit {v.Length} values of {units} units.");
        }
        int fanIn = v.Length / units;
        for (int o = 0; o < units; o++)
        {
            double norm = Math.Sqrt(SquaredNorm(v, o, units, panelWidth));
            norms[o] = (float)norm;
            float factor = norm > 0 ? (float)(g[o] / norm) : 0f;
            for (int k = 0; k < fanIn; k++)
            {
                int at = Index(o, k, units, fanIn, panelWidth);
                w[at] = v[at] * factor;
            }
        }
    }

    /// <summary>The full gradient through w = g·v/‖v‖ from ∂L/∂w (not the diagonal approximation):
    /// <c>∂g += (∂w·v)/‖v‖</c> and <c>∂v += (g/‖v‖)·∂w − (g·∂g/‖v‖²)·v</c>.</summary>
    public static void Backward(ReadOnlySpan<float> v, ReadOnlySpan<float> g, ReadOnlySpan<float> norms, ReadOnlySpan<float> weightGradient,
        Span<float> vGradient, Span<float> gGradient, int units, int panelWidth)
    {
        Check(v.Length, g.Length, units);
        if (weightGradient.Length != v.Length || vGradient.Length != v.Length || gGradient.Length != units || norms.Length < units)
        {
            throw new ArgumentException("Gradient spans do not fit the weights.");
        }
        int fanIn = v.Length / units;
        for (int o = 0; o < units; o++)
        {
            double norm = norms[o];
            if (norm <= 0)
            {
                continue;
            }
            double dot = 0;
            for (int k = 0; k < fanIn; k++)
            {
                int at = Index(o, k, units, fanIn, panelWidth);
                dot += (double)weightGradient[at] * v[at];
            }
            double gGrad = dot / norm;
            gGradient[o] += (float)gGrad;
            double direct = g[o] / norm, radial = g[o] * gGrad / (norm * norm);
            for (int k = 0; k < fanIn; k++)
            {
                int at = Index(o, k, units, fanIn, panelWidth);
                vGradient[at] += (float)(direct * weightGradient[at] - radial * v[at]);
            }
        }
    }

    private static double SquaredNorm(ReadOnlySpan<float> v, int unit, int units, int panelWidth)
    {
        int fanIn = v.Length / units;
        double sum = 0;
        for (int k = 0; k < fanIn; k++)
        {
            double value = v[Index(unit, k, units, fanIn, panelWidth)];
            sum += value * value;
        }
        return sum;
    }

    private static int Index(int unit, int k, int units, int fanIn, int panelWidth)
        => panelWidth == 0 ? unit * fanIn + k : DenseLayout.StoredIndex(unit, k, units, fanIn, panelWidth);

    private static void Check(int weights, int magnitudes, int units)
    {
        if (units < 1 || weights % units != 0 || magnitudes != units)
        {
            throw new ArgumentException($"{weights} weights and {magnitudes} magnitudes do not form {units} units.");
        }
    }
}
