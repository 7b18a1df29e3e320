using System;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class PreprocessingTests
{
    private static readonly Dataset Train = new([1, 10, 5, 3, 20, 5, 2, 30, 5], [0, 1, 0], 3, 2);

    [Fact]
    public void Min_max_is_fitted_on_training_data_and_applied_unchanged_to_test_data()
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(Train);
        Assert.Equal([1f, 10f, 5f], scaler.Minimum);
        Assert.Equal([3f, 30f, 5f], scaler.Maximum);
        float[] train = (float[])Train.Features.Clone();
        scaler.Transform(train);
        Assert.Equal([0f, 0f, 0f, 1f, 0.5f, 0f, 0.5f, 1f, 0f], train);
        float[] test = [5, 10, 7];
        scaler.Transform(test);
        Assert.Equal([2f, 0f, 0f], test); // outside the training range stays outside; a constant feature maps to low
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[4]));
    }

    [Fact]
    public void Z_score_gives_zero_mean_and_unit_population_deviation_on_training_data()
    {
        StandardScaler scaler = StandardScaler.Fit(Train);
        Assert.Equal(2f, scaler.Mean[0]);
        Assert.Equal(MathF.Sqrt(2f / 3f), scaler.StandardDeviation[0], 6);
        Assert.Equal(0f, scaler.StandardDeviation[2]);
        float[] x = (float[])Train.Features.Clone();
        scaler.Transform(x);
        for (int j = 0; j < 3; j++)
        {
            float mean = (x[j] + x[3 + j] + x[6 + j]) / 3;
            float variance = ((x[j] - mean) * (x[j] - mean) + (x[3 + j] - mean) * (x[3 + j] - mean) + (x[6 + j] - mean) * (x[6 + j] - mean)) / 3;
            Assert.Equal(0f, mean, 5);
            Assert.Equal(j == 2 ? 0f : 1f, variance, 5);
        }
    }

    [Fact]
    public void Channel_normalizer_uses_statistics_per_channel()
    {
        // Two 2-channel 1×2 images: channel 0 holds 0,2,4,6 (mean 3), channel 1 holds 10 everywhere.
        var images = new Dataset([0, 2, 10, 10, 4, 6, 10, 10], [0, 1], 4, 2) { Shape = new ImageShape(2, 1, 2) };
        ChannelNormalizer normalizer = ChannelNormalizer.Fit(images);
        Assert.Equal([3f, 10f], normalizer.Mean);
        Assert.Equal(MathF.Sqrt(5f), normalizer.StandardDeviation[0], 6);
        Assert.Equal(0f, normalizer.StandardDeviation[1]);
        normalizer.TransformInPlace(images);
        Assert.Equal(-3f / MathF.Sqrt(5f), images.Features[0], 6);
        Assert.Equal(0f, images.Features[2]);
        Assert.Throws<ArgumentException>(() => ChannelNormalizer.Fit(Train));
    }

    [Fact]
    public void One_hot_encoding_round_trips_and_rejects_bad_labels()
    {
        float[] rows = OneHotEncoding.Encode([2, 0, 1], 3);
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f], rows);
        int[] labels = new int[3];
        OneHotEncoding.Decode(rows, 3, labels);
        Assert.Equal([2, 0, 1], labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHotEncoding.Encode([3], 3));
        float[] dest = new float[6];
        Train.OneHot(1, 2, dest);
        Assert.Equal([0f, 1f, 1f, 0f, 0f, 0f], dest);
    }

    [Fact]
    public void Scalers_fit_on_arrays_as_on_a_data_set()
    {
        float[,] matrix = { { 1, 10, 5 }, { 3, 20, 5 }, { 2, 30, 5 } };
        foreach (StandardScaler s in new[] { StandardScaler.Fit(Train.Features, 3), StandardScaler.Fit(matrix) })
        {
            Assert.Equal(StandardScaler.Fit(Train).Mean, s.Mean);
            Assert.Equal(StandardScaler.Fit(Train).StandardDeviation, s.StandardDeviation);
        }
        foreach (MinMaxScaler s in new[] { MinMaxScaler.Fit(Train.Features, 3, -1, 1), MinMaxScaler.Fit(matrix, -1, 1) })
        {
            Assert.Equal([1f, 10f, 5f], s.Minimum);
            Assert.Equal([3f, 30f, 5f], s.Maximum);
            Assert.Equal((-1f, 1f), (s.Low, s.High));
        }
        var e = Assert.Throws<ArgumentException>(() => StandardScaler.Fit(new float[] { 1, 2, 3, 4, 5 }, 2));
        Assert.Contains("5 values are not one or more whole rows of 2 features", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(new float[] { 1, 2, float.NaN, 4 }, 2));
        Assert.Contains("Row 1, feature 0 is NaN", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StandardScaler.Fit(ReadOnlySpan<float>.Empty, 2));
    }

    [Fact]
    public void Scalers_rebuilt_from_their_statistics_transform_identically()
    {
        StandardScaler standard = StandardScaler.Fit(Train);
        MinMaxScaler minMax = MinMaxScaler.Fit(Train, -2, 2);
        float[] a = [7, -3, 11], b = (float[])a.Clone(), c = (float[])a.Clone(), d = (float[])a.Clone();
        standard.Transform(a);
        StandardScaler.FromStatistics(standard.Mean, standard.StandardDeviation).Transform(b);
        minMax.Transform(c);
        MinMaxScaler.FromRanges(minMax.Minimum, minMax.Maximum, minMax.Low, minMax.High).Transform(d);
        Assert.Equal(a, b);
        Assert.Equal(c, d);
        Assert.Throws<ArgumentException>(() => StandardScaler.FromStatistics([1f], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.FromRanges([1f], [2f], 1, 1));
    }

    [Fact]
    public void Categories_are_one_hot_encoded_from_the_training_values()
    {
        CategoryEncoder encoder = CategoryEncoder.Fit(["red", "green", null, "red", "blue"]);
        Assert.Equal(["blue", "green", "red"], encoder.Categories);
        Assert.Equal("red", encoder.MostFrequent);
        Assert.Equal(1, encoder.IndexOf("green"));
        Assert.Equal(-1, encoder.IndexOf("purple"));
        // An unknown category and a missing value are all zeros.
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], encoder.Encode(["red", "blue", "purple", null]));
        Assert.Throws<ArgumentException>(() => encoder.Encode("red", new float[2]));
        Assert.Throws<ArgumentException>(() => CategoryEncoder.Fit([null]));
        CategoryEncoder rebuilt = CategoryEncoder.FromCategories(encoder.Categories, encoder.MostFrequent);
        Assert.Equal(encoder.Encode(["green", "red"]), rebuilt.Encode(["green", "red"]));
        Assert.Null(CategoryEncoder.FromCategories(["b", "a"]).MostFrequent);
        Assert.Equal(0, CategoryEncoder.FromCategories(["b", "a"]).IndexOf("b")); // the given order
        Assert.Throws<ArgumentException>(() => CategoryEncoder.FromCategories(["a", "a"]));
        Assert.Throws<ArgumentException>(() => CategoryEncoder.FromCategories(["a"], "b"));
    }
}
