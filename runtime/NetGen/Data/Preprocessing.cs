using System;

namespace NetGen.Data;

/// <summary>
/// A per-feature transform fitted on training data only and then applied, unchanged, to training, validation and test
/// features — so nothing about the held-out samples leaks into the model (fit inside each cross-validation fold).
/// </summary>
public interface IFeatureTransform
{
    /// <summary>Features per sample the transform was fitted for.</summary>
    int FeatureCount { get; }

    /// <summary>Transforms whole rows of <see cref="FeatureCount"/> values in place; allocates nothing.</summary>
    void Transform(Span<float> rows);
}

/// <summary>Shared plumbing of the feature transforms.</summary>
public static class FeatureTransform
{
    /// <summary>Transforms every sample of <paramref name="data"/> in place and returns it.</summary>
    public static Dataset TransformInPlace(this IFeatureTransform transform, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(data);
        transform.Transform(data.Features);
        return data;
    }

    /// <summary>The rows of a matrix as one row-major span.</summary>
    internal static ReadOnlySpan<float> Rows(float[,] matrix) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
            ref System.Runtime.CompilerServices.Unsafe.As<byte, float>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);

    /// <summary>Training rows for a fit: at least one whole row of at least one feature, all finite.</summary>
    internal static void CheckTrainingRows(ReadOnlySpan<float> rows, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (rows.Length == 0 || rows.Length % featureCount != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not one or more whole rows of {featureCount} features.", nameof(rows));
        }
        int bad = IndexOfNonFinite(rows);
        if (bad >= 0)
        {
            throw new ArgumentException($"Row {bad / featureCount}, feature {bad % featureCount} is {rows[bad]}: a scaler is fitted on finite values only (impute missing values first).", nameof(rows));
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }

    internal static void CheckRows(Span<float> rows, int featureCount)
    {
        if (rows.Length % featureCount != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not whole rows of {featureCount} features.", nameof(rows));
        }
    }
}

/// <summary>Min-max scaling: feature j maps linearly from its training range [min_j, max_j] to [low, high]. A feature that
/// is constant on the training set maps to <c>low</c>. Values outside the training range land outside [low, high].</summary>
public sealed class MinMaxScaler : IFeatureTransform
{
    private readonly float[] _scale;
    private readonly float[] _offset;

    private MinMaxScaler(float[] minimum, float[] maximum, float low, float high)
    {
        Minimum = minimum;
        Maximum = maximum;
        Low = low;
        High = high;
        _scale = new float[minimum.Length];
        _offset = new float[minimum.Length];
        for (int j = 0; j < minimum.Length; j++)
        {
            double range = (double)maximum[j] - minimum[j];
            double scale = range > 0 ? (high - low) / range : 0;
            _scale[j] = (float)scale;
            _offset[j] = (float)(low - minimum[j] * scale);
        }
    }

    /// <summary>The training minimum of each feature.</summary>
    public float[] Minimum { get; }

    /// <summary>The training maximum of each feature.</summary>
    public float[] Maximum { get; }

    /// <summary>Where a feature's training minimum maps to.</summary>
    public float Low { get; }

    /// <summary>Where a feature's training maximum maps to.</summary>
    public float High { get; }

    /// <inheritdoc/>
    public int FeatureCount => Minimum.Length;

    /// <summary>Fits the per-feature ranges on <paramref name="train"/>.</summary>
    public static MinMaxScaler Fit(Dataset train, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(train.Features, train.FeatureCount, low, high);
    }

    /// <summary>Fits the per-feature ranges on a matrix of training samples, one row each.</summary>
    public static MinMaxScaler Fit(float[,] train, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(FeatureTransform.Rows(train), train.GetLength(1), low, high);
    }

    /// <summary>Fits the per-feature ranges on <paramref name="rows"/>: training samples of <paramref name="featureCount"/>
    /// values each, row-major.</summary>
    public static MinMaxScaler Fit(ReadOnlySpan<float> rows, int featureCount, float low = 0f, float high = 1f)
    {
        FeatureTransform.CheckTrainingRows(rows, featureCount);
        if (!(high > low))
        {
            throw new ArgumentException($"The target range [{low}, {high}] is empty.", nameof(high));
        }
        int f = featureCount;
        float[] min = new float[f], max = new float[f];
        min.AsSpan().Fill(float.PositiveInfinity);
        max.AsSpan().Fill(float.NegativeInfinity);
        for (int start = 0; start < rows.Length; start += f)
        {
            ReadOnlySpan<float> row = rows.Slice(start, f);
            for (int j = 0; j < f; j++)
            {
                min[j] = Math.Min(min[j], row[j]);
                max[j] = Math.Max(max[j], row[j]);
            }
        }
        return new MinMaxScaler(min, max, low, high);
    }

    /// <summary>A scaler with given training ranges (e.g. read back from a weights file's metadata).</summary>
    public static MinMaxScaler FromRanges(float[] minimum, float[] maximum, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(minimum);
        ArgumentNullException.ThrowIfNull(maximum);
        if (minimum.Length != maximum.Length || minimum.Length == 0)
        {
            throw new ArgumentException($"{minimum.Length} minima and {maximum.Length} maxima: one of each per feature, at least one feature.", nameof(maximum));
        }
        if (!(high > low))
        {
            throw new ArgumentException($"The target range [{low}, {high}] is empty.", nameof(high));
        }
        return new MinMaxScaler((float[])minimum.Clone(), (float[])maximum.Clone(), low, high);
    }

    /// <inheritdoc/>
    public void Transform(Span<float> rows)
    {
        FeatureTransform.CheckRows(rows, FeatureCount);
        for (int start = 0; start < rows.Length; start += FeatureCount)
        {
            Span<float> row = rows.Slice(start, FeatureCount);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = row[j] * _scale[j] + _offset[j];
            }
        }
    }
}

/// <summary>Z-score standardization: feature j becomes (x − μ_j) / σ_j with the training mean and the population
/// standard deviation (divisor N). A feature with σ_j = 0 on the training set is only centred.</summary>
public sealed class StandardScaler : IFeatureTransform
{
    private readonly float[] _inverse;

    private StandardScaler(float[] mean, float[] deviation)
    {
        Mean = mean;
        StandardDeviation = deviation;
        _inverse = new float[mean.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            _inverse[j] = deviation[j] > 0 ? 1f / deviation[j] : 1f;
        }
    }

    /// <summary>The training mean of each feature.</summary>
    public float[] Mean { get; }

    /// <summary>The training standard deviation of each feature (population form).</summary>
    public float[] StandardDeviation { get; }

    /// <inheritdoc/>
    public int FeatureCount => Mean.Length;

    /// <summary>Fits means and deviations on <paramref name="train"/> (accumulated in double precision).</summary>
    public static StandardScaler Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(train.Features, train.FeatureCount);
    }

    /// <summary>Fits means and deviations on a matrix of training samples, one row each.</summary>
    public static StandardScaler Fit(float[,] train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(FeatureTransform.Rows(train), train.GetLength(1));
    }

    /// <summary>Fits means and deviations on <paramref name="rows"/>: training samples of <paramref name="featureCount"/>
    /// values each, row-major (accumulated in double precision).</summary>
    public static StandardScaler Fit(ReadOnlySpan<float> rows, int featureCount)
    {
        FeatureTransform.CheckTrainingRows(rows, featureCount);
        int f = featureCount, count = rows.Length / f;
        double[] sum = new double[f];
        for (int start = 0; start < rows.Length; start += f)
        {
            ReadOnlySpan<float> row = rows.Slice(start, f);
            for (int j = 0; j < f; j++)
            {
                sum[j] += row[j];
            }
        }
        double[] mean = new double[f];
        for (int j = 0; j < f; j++)
        {
            mean[j] = sum[j] / count;
        }
        double[] squares = new double[f];
        for (int start = 0; start < rows.Length; start += f)
        {
            ReadOnlySpan<float> row = rows.Slice(start, f);
            for (int j = 0; j < f; j++)
            {
                double d = row[j] - mean[j];
                squares[j] += d * d;
            }
        }
        float[] m = new float[f], s = new float[f];
        for (int j = 0; j < f; j++)
        {
            m[j] = (float)mean[j];
            s[j] = (float)Math.Sqrt(squares[j] / count);
        }
        return new StandardScaler(m, s);
    }

    /// <summary>A scaler with given means and deviations (e.g. read back from a weights file's metadata).</summary>
    public static StandardScaler FromStatistics(float[] mean, float[] standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Length != standardDeviation.Length || mean.Length == 0)
        {
            throw new ArgumentException($"{mean.Length} means and {standardDeviation.Length} deviations: one of each per feature, at least one feature.", nameof(standardDeviation));
        }
        return new StandardScaler((float[])mean.Clone(), (float[])standardDeviation.Clone());
    }

    /// <inheritdoc/>
    public void Transform(Span<float> rows)
    {
        FeatureTransform.CheckRows(rows, FeatureCount);
        for (int start = 0; start < rows.Length; start += FeatureCount)
        {
            Span<float> row = rows.Slice(start, FeatureCount);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = (row[j] - Mean[j]) * _inverse[j];
            }
        }
    }
}

/// <summary>Per-channel image normalization: every value of channel c becomes (x − μ_c) / σ_c, with μ_c and σ_c taken
/// over all pixels of that channel in the training images (or given, like torchvision's <c>Normalize</c>).</summary>
public sealed class ChannelNormalizer : IFeatureTransform
{
    private readonly float[] _inverse;

    /// <summary>Uses the given per-channel means and standard deviations.</summary>
    public ChannelNormalizer(ImageShape shape, float[] mean, float[] standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Length != shape.Channels || standardDeviation.Length != shape.Channels)
        {
            throw new ArgumentException($"{shape.Channels} channels need {shape.Channels} means and deviations; got {mean.Length} and {standardDeviation.Length}.", nameof(mean));
        }
        Shape = shape;
        Mean = mean;
        StandardDeviation = standardDeviation;
        _inverse = new float[mean.Length];
        for (int c = 0; c < mean.Length; c++)
        {
            _inverse[c] = standardDeviation[c] > 0 ? 1f / standardDeviation[c] : 1f;
        }
    }

    /// <summary>The image layout.</summary>
    public ImageShape Shape { get; }

    /// <summary>The mean of each channel.</summary>
    public float[] Mean { get; }

    /// <summary>The standard deviation of each channel (population form).</summary>
    public float[] StandardDeviation { get; }

    /// <inheritdoc/>
    public int FeatureCount => Shape.Size;

    /// <summary>Fits per-channel statistics on <paramref name="train"/>, which must carry an <see cref="Dataset.Shape"/>.</summary>
    public static ChannelNormalizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        ImageShape shape = train.Shape ?? throw new ArgumentException("Per-channel normalization needs images: the data set has no Shape.", nameof(train));
        int channels = shape.Channels, plane = shape.PlaneSize;
        double[] sum = new double[channels], squares = new double[channels];
        for (int i = 0; i < train.Count; i++)
        {
            ReadOnlySpan<float> image = train.Sample(i);
            for (int c = 0; c < channels; c++)
            {
                foreach (float v in image.Slice(c * plane, plane))
                {
                    sum[c] += v;
                }
            }
        }
        double n = (double)train.Count * plane;
        float[] mean = new float[channels], deviation = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            mean[c] = (float)(sum[c] / n);
        }
        for (int i = 0; i < train.Count; i++)
        {
            ReadOnlySpan<float> image = train.Sample(i);
            for (int c = 0; c < channels; c++)
            {
                double m = sum[c] / n;
                foreach (float v in image.Slice(c * plane, plane))
                {
                    squares[c] += (v - m) * (v - m);
                }
            }
        }
        for (int c = 0; c < channels; c++)
        {
            deviation[c] = (float)Math.Sqrt(squares[c] / n);
        }
        return new ChannelNormalizer(shape, mean, deviation);
    }

    /// <inheritdoc/>
    public void Transform(Span<float> rows)
    {
        FeatureTransform.CheckRows(rows, FeatureCount);
        int plane = Shape.PlaneSize;
        for (int start = 0; start < rows.Length; start += FeatureCount)
        {
            for (int c = 0; c < Shape.Channels; c++)
            {
                Span<float> values = rows.Slice(start + c * plane, plane);
                float mean = Mean[c], inverse = _inverse[c];
                for (int k = 0; k < values.Length; k++)
                {
                    values[k] = (values[k] - mean) * inverse;
                }
            }
        }
    }
}
