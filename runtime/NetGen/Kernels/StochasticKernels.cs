using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// Dropout, alpha dropout and Gaussian noise for training-mode passes of generated networks. Every random draw comes
/// from the network's <see cref="SeededRandom"/>, one value at a time in buffer order, so the same generator state gives
/// the same masks on every machine and for any thread count.
/// </summary>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StochasticKernels
{
    /// <summary>Inverted dropout: each value is kept with probability 1 − <paramref name="rate"/> and scaled by
    /// 1/(1 − rate), else zeroed; <paramref name="mask"/> receives the factor of each value (0 or 1/(1 − rate)) for
    /// backward, which multiplies the gradient by it.</summary>
    public static void Dropout(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLengths(x.Length, y.Length, mask.Length);
        CheckRate(rate);
        float scale = 1f / (1f - rate);
        for (int i = 0; i < x.Length; i++)
        {
            float factor = random.NextSingle() < rate ? 0f : scale;
            mask[i] = factor;
            y[i] = x[i] * factor;
        }
    }

    /// <summary>SELU's saturation value α' = −λα that alpha dropout sets dropped values to.</summary>
    public const double AlphaPrime = -1.0507009873554805 * 1.6732632423543772;

    /// <summary>The affine correction of alpha dropout for drop probability <paramref name="rate"/>: with keep probability
    /// q = 1 − rate, <c>a = (q + α'²q(1 − q))^(−1/2)</c> and <c>b = −a(1 − q)α'</c> keep mean 0 and variance 1.</summary>
    public static (double A, double B) AlphaDropoutCorrection(double rate)
    {
        double q = 1.0 - rate;
        double a = 1.0 / Math.Sqrt(q + AlphaPrime * AlphaPrime * q * (1.0 - q));
        return (a, -a * (1.0 - q) * AlphaPrime);
    }

    /// <summary>Alpha dropout: a kept value becomes <c>a·x + b</c>, a dropped one <c>a·α' + b</c>; <paramref name="mask"/>
    /// receives ∂y/∂x (a or 0) for backward.</summary>
    public static void AlphaDropout(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLengths(x.Length, y.Length, mask.Length);
        CheckRate(rate);
        (double a, double b) = AlphaDropoutCorrection(rate);
        float scale = (float)a, shift = (float)b, dropped = (float)(a * AlphaPrime + b);
        for (int i = 0; i < x.Length; i++)
        {
            bool drop = random.NextSingle() < rate;
            mask[i] = drop ? 0f : scale;
            y[i] = drop ? dropped : MathF.FusedMultiplyAdd(x[i], scale, shift);
        }
    }

    /// <summary>Adds N(0, σ²) to every value (σ = <paramref name="standardDeviation"/>); backward is the identity.</summary>
    public static void GaussianNoise(ReadOnlySpan<float> x, Span<float> y, float standardDeviation, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckLengths(x.Length, y.Length, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] + (float)(standardDeviation * random.NextGaussian());
        }
    }

    private static void CheckRate(float rate)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The drop probability must be in [0, 1).");
        }
    }

    private static void CheckLengths(int x, int y, int mask)
    {
        if (y < x || mask < x)
        {
            throw new ArgumentException($"Output ({y}) and mask ({mask}) spans must hold the {x} input values.");
        }
    }
}
