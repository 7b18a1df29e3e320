using System;
using System.ComponentModel;

namespace NetGen.Kernels;

/// <summary>
/// Forward and backward passes of batch, group (and layer) and local response normalization, called by generated
/// networks. Tensors are batches of <c>n</c> samples of <c>channels × pixels</c> values, channel-major (a vector of F
/// features is F channels of 1 pixel). Statistics are accumulated in double, so the float results do not depend on the
/// order a sample sits in. Backward functions store (not add) the input gradient and add the parameter gradients.
/// </summary>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizationKernels
{
    /// <summary>
    /// Batch normalization. With <paramref name="batchStatistics"/> (training mode) each channel is normalized with the
    /// batch mean and biased variance over its n·pixels values, and the running averages become
    /// <c>(1 − momentum)·running + momentum·batch</c> (the variance with the unbiased m/(m − 1) factor, m = n·pixels), as
    /// PyTorch does; otherwise the running averages are used. <paramref name="mean"/> and <paramref name="inverseStd"/>
    /// receive the statistics used, for backward. γ and β may be empty (no affine transform). Only channels
    /// <paramref name="channelStart"/> to <paramref name="channelEnd"/> (exclusive) are done, so threads can share a batch.
    /// </summary>
    /// <exception cref="InvalidOperationException">Training mode with only one value per channel (m = 1): the variance is
    /// undefined.</exception>
    public static void BatchNormForward(ReadOnlySpan<float> x, Span<float> y, int n, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVariance,
        Span<float> mean, Span<float> inverseStd, float epsilon, float momentum, bool batchStatistics, string layer, int channelStart, int channelEnd)
    {
        CheckBatch(x.Length, y.Length, n, channels, pixels);
        CheckRange(channelStart, channelEnd, channels);
        int m = n * pixels;
        for (int c = channelStart; c < channelEnd; c++)
        {
            double mu, variance;
            if (batchStatistics)
            {
                if (m < 2)
                {
                    throw new InvalidOperationException($"BatchNorm '{layer}' needs more than one value per channel in training mode, but the batch has {n} sample(s) of {pixels} pixel(s); use a larger batch, or NetworkMode.Inference.");
                }
                double sum = 0, squares = 0;
                for (int s = 0; s < n; s++)
                {
                    ReadOnlySpan<float> plane = x.Slice((s * channels + c) * pixels, pixels);
                    foreach (float v in plane)
                    {
                        sum += v;
                    }
                }
                mu = sum / m;
                for (int s = 0; s < n; s++)
                {
                    ReadOnlySpan<float> plane = x.Slice((s * channels + c) * pixels, pixels);
                    foreach (float v in plane)
                    {
                        double d = v - mu;
                        squares += d * d;
                    }
                }
                variance = squares / m;
                runningMean[c] = (float)((1.0 - momentum) * runningMean[c] + momentum * mu);
                runningVariance[c] = (float)((1.0 - momentum) * runningVariance[c] + momentum * variance * m / (m - 1));
            }
            else
            {
                mu = runningMean[c];
                variance = runningVariance[c];
            }
            mean[c] = (float)mu;
            inverseStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
        }
        for (int s = 0; s < n; s++)
        {
            for (int c = channelStart; c < channelEnd; c++)
            {
                float scale = inverseStd[c] * (gamma.IsEmpty ? 1f : gamma[c]);
                float shift = (beta.IsEmpty ? 0f : beta[c]) - mean[c] * scale;
                int start = (s * channels + c) * pixels;
                Affine(x.Slice(start, pixels), y.Slice(start, pixels), scale, shift);
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="BatchNormForward"/>: with batch statistics
    /// <c>dx = γ/(m·√(σ² + ε))·(m·dy − Σdy − x̂·Σ(dy·x̂))</c>, with running statistics (constants) <c>dx = γ·dy/√(σ² + ε)</c>;
    /// <c>∂γ += Σ dy·x̂</c>, <c>∂β += Σ dy</c>. <paramref name="dx"/>, γ and the parameter gradients may be empty. Only
    /// channels <paramref name="channelStart"/> to <paramref name="channelEnd"/> (exclusive) are done.
    /// </summary>
    public static void BatchNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int n, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> gammaGradient, Span<float> betaGradient,
        bool batchStatistics, int channelStart, int channelEnd)
    {
        CheckBatch(x.Length, dy.Length, n, channels, pixels);
        CheckRange(channelStart, channelEnd, channels);
        int m = n * pixels;
        for (int c = channelStart; c < channelEnd; c++)
        {
            double mu = mean[c], invStd = inverseStd[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int s = 0; s < n; s++)
            {
                int start = (s * channels + c) * pixels;
                for (int p = 0; p < pixels; p++)
                {
                    double d = dy[start + p];
                    sumDy += d;
                    sumDyXhat += d * (x[start + p] - mu) * invStd;
                }
            }
            if (!gammaGradient.IsEmpty)
            {
                gammaGradient[c] += (float)sumDyXhat;
                betaGradient[c] += (float)sumDy;
            }
            if (dx.IsEmpty)
            {
                continue;
            }
            double g = gamma.IsEmpty ? 1.0 : gamma[c];
            for (int s = 0; s < n; s++)
            {
                int start = (s * channels + c) * pixels;
                for (int p = 0; p < pixels; p++)
                {
                    double d = dy[start + p];
                    dx[start + p] = batchStatistics
                        ? (float)(g * invStd / m * (m * d - sumDy - (x[start + p] - mu) * invStd * sumDyXhat))
                        : (float)(g * invStd * d);
                }
            }
        }
    }

    /// <summary>
    /// Group normalization: each sample's channels are split into <paramref name="groups"/> groups of consecutive
    /// channels, each normalized over its (channels/groups)·pixels values with its own mean and biased variance, then
    /// <c>y = γ·x̂ + β</c>. γ and β hold one value per channel, one per value of a sample (layer normalization:
    /// <paramref name="groups"/> = 1, length channels·pixels), or are empty. <paramref name="mean"/> and
    /// <paramref name="inverseStd"/> receive n·groups statistics.
    /// </summary>
    public static void GroupNormForward(ReadOnlySpan<float> x, Span<float> y, int n, int channels, int pixels, int groups,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> mean, Span<float> inverseStd, float epsilon)
    {
        CheckBatch(x.Length, y.Length, n, channels, pixels);
        CheckGroups(channels, groups, mean.Length, inverseStd.Length, n);
        int size = channels / groups * pixels, sampleSize = channels * pixels;
        bool perValue = gamma.Length == sampleSize && gamma.Length != channels;
        for (int s = 0; s < n; s++)
        {
            for (int group = 0; group < groups; group++)
            {
                int start = s * sampleSize + group * size;
                ReadOnlySpan<float> values = x.Slice(start, size);
                double sum = 0, squares = 0;
                foreach (float v in values)
                {
                    sum += v;
                }
                double mu = sum / size;
                foreach (float v in values)
                {
                    double d = v - mu;
                    squares += d * d;
                }
                float invStd = (float)(1.0 / Math.Sqrt(squares / size + epsilon));
                int statistic = s * groups + group;
                mean[statistic] = (float)mu;
                inverseStd[statistic] = invStd;
                for (int k = 0; k < size; k++)
                {
                    int within = group * size + k;
                    int affine = perValue ? within : within / pixels;
                    float normalized = (values[k] - (float)mu) * invStd;
                    y[start + k] = gamma.IsEmpty ? normalized : normalized * gamma[affine] + beta[affine];
                }
            }
        }
    }

    /// <summary>The input gradient of <see cref="GroupNormForward"/> per sample and group, with dy' = γ·dy:
    /// <c>dx = (K·dy' − Σdy' − x̂·Σ(dy'·x̂))/(K·√(σ² + ε))</c> over the group's K values. Samples are independent, so a
    /// batch may be split by samples; the parameter gradients are <see cref="GroupNormParameterGradients"/>.</summary>
    public static void GroupNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int n, int channels, int pixels, int groups,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd)
    {
        CheckBatch(x.Length, dy.Length, n, channels, pixels);
        CheckBatch(x.Length, dx.Length, n, channels, pixels);
        CheckGroups(channels, groups, mean.Length, inverseStd.Length, n);
        int size = channels / groups * pixels, sampleSize = channels * pixels;
        bool perValue = gamma.Length == sampleSize && gamma.Length != channels;
        for (int s = 0; s < n; s++)
        {
            for (int group = 0; group < groups; group++)
            {
                int start = s * sampleSize + group * size;
                int statistic = s * groups + group;
                double mu = mean[statistic], invStd = inverseStd[statistic];
                double sumDy = 0, sumDyXhat = 0;
                for (int k = 0; k < size; k++)
                {
                    int affine = perValue ? group * size + k : (group * size + k) / pixels;
                    double scaled = gamma.IsEmpty ? dy[start + k] : dy[start + k] * (double)gamma[affine];
                    sumDy += scaled;
                    sumDyXhat += scaled * (x[start + k] - mu) * invStd;
                }
                for (int k = 0; k < size; k++)
                {
                    int affine = perValue ? group * size + k : (group * size + k) / pixels;
                    double xhat = (x[start + k] - mu) * invStd;
                    double scaled = gamma.IsEmpty ? dy[start + k] : dy[start + k] * (double)gamma[affine];
                    dx[start + k] = (float)(invStd / size * (size * scaled - sumDy - xhat * sumDyXhat));
                }
            }
        }
    }

    /// <summary>The parameter gradients of <see cref="GroupNormForward"/>: <c>∂γ += Σ dy·x̂</c>, <c>∂β += Σ dy</c> over the
    /// batch, for the γ entries <paramref name="affineStart"/> to <paramref name="affineEnd"/> (exclusive) — channels, or
    /// values of a sample for layer normalization — so threads can split them.</summary>
    public static void GroupNormParameterGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int n, int channels, int pixels, int groups,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> gammaGradient, Span<float> betaGradient, int affineStart, int affineEnd)
    {
        CheckBatch(x.Length, dy.Length, n, channels, pixels);
        CheckGroups(channels, groups, mean.Length, inverseStd.Length, n);
        int sampleSize = channels * pixels, groupSize = channels / groups * pixels;
        bool perValue = gammaGradient.Length == sampleSize && gammaGradient.Length != channels;
        CheckRange(affineStart, affineEnd, gammaGradient.Length);
        // Entries a cover the values [a·width, (a + 1)·width) of each sample: one value, or one channel's pixels.
        int width = perValue ? 1 : pixels;
        for (int a = affineStart; a < affineEnd; a++)
        {
            double gammaSum = 0, betaSum = 0;
            for (int s = 0; s < n; s++)
            {
                for (int k = a * width; k < (a + 1) * width; k++)
                {
                    int statistic = s * groups + k / groupSize;
                    double d = dy[s * sampleSize + k];
                    gammaSum += d * (x[s * sampleSize + k] - (double)mean[statistic]) * inverseStd[statistic];
                    betaSum += d;
                }
            }
            gammaGradient[a] += (float)gammaSum;
            betaGradient[a] += (float)betaSum;
        }
    }

    /// <summary>
    /// Local response normalization across channels, PyTorch's convention: <c>y_c = x_c / D_c^β</c> with
    /// <c>D_c = k + (α/size)·Σ_j x_j²</c> over the channels j = c − ⌊size/2⌋ … c + ⌊(size − 1)/2⌋ that exist.
    /// <paramref name="denominators"/> receives D for backward.
    /// </summary>
    public static void LocalResponseNormForward(ReadOnlySpan<float> x, Span<float> y, Span<float> denominators, int n, int channels, int pixels,
        int size, float alpha, float beta, float k)
    {
        CheckBatch(x.Length, y.Length, n, channels, pixels);
        CheckBatch(x.Length, denominators.Length, n, channels, pixels);
        double coefficient = (double)alpha / size;
        for (int s = 0; s < n; s++)
        {
            int sample = s * channels * pixels;
            for (int p = 0; p < pixels; p++)
            {
                for (int c = 0; c < channels; c++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - size / 2); j <= Math.Min(channels - 1, c + (size - 1) / 2); j++)
                    {
                        double v = x[sample + j * pixels + p];
                        sum += v * v;
                    }
                    int at = sample + c * pixels + p;
                    double denominator = k + coefficient * sum;
                    denominators[at] = (float)denominator;
                    y[at] = (float)(x[at] * Math.Pow(denominator, -beta));
                }
            }
        }
    }

    /// <summary>Backward of <see cref="LocalResponseNormForward"/>:
    /// <c>dx_i = dy_i·D_i^−β − (2αβ/size)·x_i·Σ_{c: i ∈ window(c)} dy_c·x_c·D_c^(−β−1)</c>.</summary>
    public static void LocalResponseNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> denominators, ReadOnlySpan<float> dy, Span<float> dx,
        int n, int channels, int pixels, int size, float alpha, float beta)
    {
        CheckBatch(x.Length, dx.Length, n, channels, pixels);
        CheckBatch(dy.Length, denominators.Length, n, channels, pixels);
        double coefficient = 2.0 * alpha * beta / size;
        for (int s = 0; s < n; s++)
        {
            int sample = s * channels * pixels;
            for (int p = 0; p < pixels; p++)
            {
                for (int i = 0; i < channels; i++)
                {
                    int at = sample + i * pixels + p;
                    double sum = 0;
                    // Channel i lies in the window of c exactly when c − ⌊size/2⌋ ≤ i ≤ c + ⌊(size − 1)/2⌋.
                    for (int c = Math.Max(0, i - (size - 1) / 2); c <= Math.Min(channels - 1, i + size / 2); c++)
                    {
                        int other = sample + c * pixels + p;
                        sum += dy[other] * (double)x[other] * Math.Pow(denominators[other], -beta - 1.0);
                    }
                    dx[at] = (float)(dy[at] * Math.Pow(denominators[at], -beta) - coefficient * x[at] * sum);
                }
            }
        }
    }

    /// <summary>destination = source·scale + shift.</summary>
    private static void Affine(ReadOnlySpan<float> source, Span<float> destination, float scale, float shift)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = MathF.FusedMultiplyAdd(source[i], scale, shift);
        }
    }

    private static void CheckBatch(int sourceLength, int destinationLength, int n, int channels, int pixels)
    {
        long needed = (long)n * channels * pixels;
        if (n < 0 || channels < 1 || pixels < 1 || sourceLength < needed || destinationLength < needed)
        {
            throw new ArgumentException($"Spans of {sourceLength} and {destinationLength} floats cannot hold {n} samples of {channels}×{pixels} values.");
        }
    }

    private static void CheckRange(int start, int end, int count)
    {
        if (start < 0 || end < start || end > count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"The range [{start}, {end}) does not lie in [0, {count}).");
        }
    }

    private static void CheckGroups(int channels, int groups, int meanLength, int inverseStdLength, int n)
    {
        if (groups < 1 || channels % groups != 0 || meanLength < n * groups || inverseStdLength < n * groups)
        {
            throw new ArgumentException($"{channels} channels cannot form {groups} equal groups with statistics spans of {meanLength} and {inverseStdLength} for {n} samples.");
        }
    }
}
