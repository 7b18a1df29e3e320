using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Per-class precision, recall and F1 with their averages, the classification report, confusion matrices with
/// class names, and RMSE, MAE and R² of a regression.</summary>
public sealed class MetricsTests
{
    /// <summary>Counts [actual, predicted] of 16 samples; the expected figures are scikit-learn's
    /// <c>precision_recall_fscore_support</c> on the same labels.</summary>
    private static readonly int[,] s_confusion = { { 5, 1, 0 }, { 2, 3, 1 }, { 0, 0, 4 } };

    [Theory]
    [InlineData(0, 5.0 / 7, 5.0 / 6, 10.0 / 13, 6)]
    [InlineData(1, 0.75, 0.5, 0.6, 6)]
    [InlineData(2, 0.8, 1.0, 8.0 / 9, 4)]
    public void Per_class_metrics_read_rows_as_actual_and_columns_as_predicted(int label, double precision, double recall, double f1, int support)
    {
        ClassMetrics m = ClassMetrics.Of(s_confusion, label);

        Assert.Equal(precision, m.Precision, 12);
        Assert.Equal(recall, m.Recall, 12);
        Assert.Equal(f1, m.F1, 12);
        Assert.Equal(support, m.Support);
    }

    [Fact]
    public void Macro_averages_count_each_class_once_and_weighted_ones_by_support()
    {
        ClassMetrics macro = ClassMetrics.Average(s_confusion, weighted: false);
        ClassMetrics weighted = ClassMetrics.Average(s_confusion, weighted: true);

        Assert.Equal((10.0 / 13 + 0.6 + 8.0 / 9) / 3, macro.F1, 12);
        Assert.Equal((5.0 / 7 + 0.75 + 0.8) / 3, macro.Precision, 12);
        Assert.Equal((6 * 10.0 / 13 + 6 * 0.6 + 4 * 8.0 / 9) / 16, weighted.F1, 12);
        Assert.Equal((6 * 5.0 / 6 + 6 * 0.5 + 4 * 1.0) / 16, weighted.Recall, 12); // the accuracy, as always for weighted recall
        Assert.Equal(16, weighted.Support);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_not_nan()
    {
        ClassMetrics m = ClassMetrics.Of(new[,] { { 3, 0 }, { 2, 0 } }, 1);

        Assert.Equal(new ClassMetrics(0, 0, 0, 2), m);
    }

    [Fact]
    public void The_report_and_the_confusion_matrix_name_the_classes()
    {
        TrainingData train = SyntheticData.Blobs();
        var net = new TinyClassifier(seed: 2, capacity: 16);
        var trainer = new Trainer(net, new Adam(0.02f), new TrainerOptions { Epochs = 10, BatchSize = 16 });
        trainer.Fit(train, null, TestContext.Current.CancellationToken);
        Evaluation evaluation = trainer.Evaluate(SyntheticData.Blobs(count: 45, seed: 21));
        string[] names = ["setosa", "versicolor", "virginica"];

        string report = evaluation.FormatClassificationReport(names);
        string matrix = evaluation.FormatConfusionMatrix(names);

        string[] lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["precision", "recall", "f1", "support"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        for (int c = 0; c < 3; c++)
        {
            ClassMetrics m = evaluation.MetricsOf(c);
            Assert.Equal(FormattableString.Invariant($"{names[c]} {m.Precision:F3} {m.Recall:F3} {m.F1:F3} {m.Support}"),
                string.Join(' ', lines[c + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        Assert.Contains(lines, l => l.TrimStart().StartsWith("macro avg", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("weighted avg", StringComparison.Ordinal));
        Assert.Equal(["actual\\pred", .. names], matrix.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virginica", matrix.Split('\n')[3], StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => evaluation.FormatConfusionMatrix(["a", "b"]));
        Assert.True(double.IsNaN(evaluation.RootMeanSquaredError));
    }

    [Fact]
    public void Regression_errors_match_the_outputs_computed_directly()
    {
        var random = new Random(5);
        float[] x = [.. Enumerable.Range(0, 3 * 40).Select(_ => (float)random.NextDouble())];
        float[] y = [.. Enumerable.Range(0, 40).Select(i => 2 * x[3 * i] - x[3 * i + 1] + 0.5f * x[3 * i + 2] + 0.1f * (float)random.NextDouble())];
        var data = new TrainingData(x, y, 3, 1);
        var net = new LinearModel(seed: 3, capacity: 16);
        var trainer = new Trainer(net, new Sgd(0.2f), new TrainerOptions { Epochs = 30, BatchSize = 8 });
        trainer.Fit(data, null, TestContext.Current.CancellationToken);

        Evaluation evaluation = trainer.Evaluate(data);

        double squared = 0, absolute = 0, total = 0, mean = y.Average(v => (double)v);
        var output = new float[1];
        for (int i = 0; i < 40; i++)
        {
            net.Predict(x.AsSpan(3 * i, 3), output);
            squared += Math.Pow(output[0] - y[i], 2);
            absolute += Math.Abs(output[0] - y[i]);
            total += Math.Pow(y[i] - mean, 2);
        }
        Assert.Equal(Math.Sqrt(squared / 40), evaluation.RootMeanSquaredError, 5);
        Assert.Equal(absolute / 40, evaluation.MeanAbsoluteError, 5);
        Assert.Equal(1 - squared / total, evaluation.RSquared, 5);
        Assert.InRange(evaluation.RSquared, 0.8, 1.0);
        Assert.True(double.IsNaN(evaluation.Accuracy));
    }

    [Fact]
    public void Regression_errors_of_given_predictions()
    {
        float[] predictions = [1f, 2f, 4f, 3f], targets = [1f, 3f, 3f, 5f];
        Evaluation evaluation = Evaluation.OfRegression(predictions, targets);
        Assert.Equal(4, evaluation.Count);
        Assert.Equal(Math.Sqrt(6.0 / 4), evaluation.RootMeanSquaredError, 12);
        Assert.Equal(1.0, evaluation.MeanAbsoluteError, 12);
        Assert.Equal(1 - 6.0 / 8.0, evaluation.RSquared, 12); // targets' mean 3, Σ(t − 3)² = 8
        Assert.True(double.IsNaN(evaluation.Loss));
        Assert.True(double.IsNaN(evaluation.Accuracy));
        Assert.Throws<ArgumentException>(() => Evaluation.OfRegression(predictions, targets.AsSpan(0, 3)));
        Assert.Throws<ArgumentException>(() => Evaluation.OfRegression(predictions, targets, outputCount: 3));
    }
}
