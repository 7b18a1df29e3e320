using System;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class SplitTests
{
    [Fact]
    public void Train_validation_test_is_a_seeded_partition()
    {
        (int[] train, int[] validation, int[] test) = Splits.TrainValidationTest(100, 0.15, 0.2, seed: 4);
        Assert.Equal((65, 15, 20), (train.Length, validation.Length, test.Length));
        Assert.Equal(Enumerable.Range(0, 100), train.Concat(validation).Concat(test).Order());
        Assert.Equal(test, Splits.TrainValidationTest(100, 0.15, 0.2, seed: 4).Test);
        Assert.NotEqual(test, Splits.TrainValidationTest(100, 0.15, 0.2, seed: 5).Test);
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions()
    {
        Dataset digits = EmbeddedDatasets.Digits();
        DatasetSplit split = Splits.TrainValidationTest(digits, 0.1, 0.2, seed: 1);
        Assert.Equal(digits.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        for (int c = 0; c < 10; c++)
        {
            double all = digits.Labels.Count(l => l == c) / (double)digits.Count;
            double inTest = split.Test.Labels.Count(l => l == c) / (double)split.Test.Count;
            Assert.InRange(inTest, all - 0.01, all + 0.01);
        }
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(101, 5)]
    [InlineData(7, 7)]
    public void K_fold_validates_every_sample_exactly_once_with_balanced_folds(int count, int k)
    {
        Fold[] folds = Splits.KFold(count, k, seed: 2);
        Assert.Equal(k, folds.Length);
        Assert.Equal(Enumerable.Range(0, count), folds.SelectMany(f => f.Validation).Order());
        foreach (Fold fold in folds)
        {
            Assert.InRange(fold.Validation.Length, count / k, (count + k - 1) / k);
            Assert.Empty(fold.Train.Intersect(fold.Validation));
            Assert.Equal(count, fold.Train.Length + fold.Validation.Length);
        }
    }

    [Fact]
    public void Stratified_k_fold_keeps_each_class_within_one_sample_per_fold()
    {
        int[] labels = Enumerable.Range(0, 103).Select(i => i % 7 == 0 ? 2 : i % 3).ToArray();
        Fold[] folds = Splits.StratifiedKFold(labels, 4, seed: 3);
        Assert.Equal(Enumerable.Range(0, labels.Length), folds.SelectMany(f => f.Validation).Order());
        foreach (int c in labels.Distinct())
        {
            int[] perFold = folds.Select(f => f.Validation.Count(i => labels[i] == c)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(",", perFold)}");
        }
        int[] sizes = folds.Select(f => f.Validation.Length).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void Leave_one_out_holds_out_each_sample_alone()
    {
        Fold[] folds = Splits.LeaveOneOut(5);
        Assert.Equal(5, folds.Length);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal([i], folds[i].Validation);
            Assert.Equal(4, folds[i].Train.Length);
        }
    }

    [Fact]
    public void Cross_validation_result_reports_mean_and_sample_deviation()
    {
        var result = new CrossValidationResult([0.8, 0.9, 1.0]);
        Assert.Equal(0.9, result.Mean, 12);
        Assert.Equal(0.1, result.StandardDeviation, 12);
        Assert.Equal(0.1 / Math.Sqrt(3), result.StandardError, 12);
        Assert.Equal("0.9000 ± 0.1000 (mean ± std over 3 folds)", result.ToString());
    }
}
