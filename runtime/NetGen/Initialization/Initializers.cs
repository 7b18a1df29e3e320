using System;

namespace NetGen;

/// <summary>Fills weight tensors according to <see cref="Init"/>. Generated networks call this from their constructor.</summary>
public static class Initializers
{
    /// <summary>
    /// Fills <paramref name="weights"/> with draws from the distribution <paramref name="init"/> names.
    /// <paramref name="fanIn"/> (J) is the number of inputs of one unit, <paramref name="fanOut"/> (I) the number of units
    /// it feeds; <paramref name="scale"/> parameterizes Constant, Uniform and Normal (NaN: the documented default).
    /// </summary>
    public static void Fill(Span<float> weights, Init init, Activation activation, float scale, int fanIn, int fanOut, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        init = InitRules.Resolve(init, activation);
        if (float.IsNaN(scale))
        {
            scale = InitRules.DefaultScale(init);
        }
        switch (init)
        {
            case Init.Zeros:
                weights.Clear();
                break;
            case Init.Constant:
                weights.Fill(scale);
                break;
            case Init.Uniform:
                FillUniform(weights, scale, random);
                break;
            case Init.Normal:
                FillNormal(weights, scale, random);
                break;
            case Init.LeCunNormal:
                FillNormal(weights, Math.Sqrt(1.0 / fanIn), random);
                break;
            case Init.LeCunUniform:
                FillUniform(weights, Math.Sqrt(3.0 / fanIn), random);
                break;
            case Init.GlorotNormal:
                FillNormal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), random);
                break;
            case Init.GlorotUniform:
                FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
                break;
            case Init.HeNormal:
                FillNormal(weights, Math.Sqrt(2.0 / fanIn), random);
                break;
            case Init.HeUniform:
                FillUniform(weights, Math.Sqrt(6.0 / fanIn), random);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown initializer.");
        }
    }

    private static void FillUniform(Span<float> weights, double halfWidth, SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((2.0 * random.NextDouble() - 1.0) * halfWidth);
        }
    }

    private static void FillNormal(Span<float> weights, double standardDeviation, SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextGaussian() * standardDeviation);
        }
    }
}
