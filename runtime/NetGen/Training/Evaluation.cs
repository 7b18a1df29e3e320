using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>Loss and classification metrics of a network on a data set.</summary>
public sealed class Evaluation
{
    internal Evaluation(int count, double loss, int correct, int topKCorrect, int k, int[,]? confusion, RegressionErrors? regression = null)
    {
        Count = count;
        RootMeanSquaredError = regression?.RootMeanSquaredError ?? double.NaN;
        MeanAbsoluteError = regression?.MeanAbsoluteError ?? double.NaN;
        RSquared = regression?.RSquared ?? double.NaN;
        Loss = loss;
        Accuracy = confusion is null ? double.NaN : (double)correct / count;
        TopKAccuracy = confusion is null || k == 0 ? double.NaN : (double)topKCorrect / count;
        K = k;
        ConfusionMatrix = confusion;
    }

    /// <summary>The fraction of <paramref name="data"/> whose largest output is the label, run in inference mode in
    /// batches of the network's capacity.</summary>
    public static double AccuracyOf(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (network.InputSize != data.FeatureCount)
        {
            throw new ArgumentException($"The network takes {network.InputSize} features; the data set has {data.FeatureCount}.", nameof(data));
        }
        int batch = network.Capacity, outputs = network.OutputSize;
        float[] scores = new float[batch * outputs];
        int correct = 0;
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        for (int start = 0; start < data.Count; start += batch)
        {
            int n = Math.Min(batch, data.Count - start);
            network.Forward(data.Features.AsSpan(start * data.FeatureCount, n * data.FeatureCount), scores, n);
            for (int b = 0; b < n; b++)
            {
                if (VectorOps.ArgMax(scores.AsSpan(b * outputs, outputs)) == data.Labels[start + b])
                {
                    correct++;
                }
            }
        }
        return data.Count == 0 ? 0 : (double)correct / data.Count;
    }

    /// <summary>The regression errors (<see cref="RootMeanSquaredError"/>, <see cref="MeanAbsoluteError"/>,
    /// <see cref="RSquared"/>) of <paramref name="predictions"/> against <paramref name="targets"/>, both rows of
    /// <paramref name="outputCount"/> values: for predictions in a target's own units (e.g.
    /// <see cref="Data.TabularModel.PredictValues"/>), where <see cref="Trainer.Evaluate(TrainingData)"/> measures the
    /// network's outputs. <see cref="Loss"/> is NaN: no network loss was computed.</summary>
    public static Evaluation OfRegression(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, int outputCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputCount);
        if (predictions.Length != targets.Length || predictions.Length == 0 || predictions.Length % outputCount != 0)
        {
            throw new ArgumentException($"{predictions.Length} predictions and {targets.Length} targets: the same, non-zero number of whole rows of {outputCount} are needed.", nameof(predictions));
        }
        double[] sums = new double[4 * outputCount];
        AddRegressionErrors(predictions, targets, outputCount, sums);
        int count = predictions.Length / outputCount;
        return new Evaluation(count, double.NaN, 0, 0, 0, null, RegressionErrorsOf(sums, outputCount, count));
    }

    internal static void AddRegressionErrors(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputSize, double[] sums)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            int j = 4 * (i % outputSize);
            double difference = (double)outputs[i] - targets[i], target = targets[i];
            sums[j] += difference * difference;
            sums[j + 1] += Math.Abs(difference);
            sums[j + 2] += target;
            sums[j + 3] += target * target;
        }
    }

    internal static RegressionErrors RegressionErrorsOf(double[] sums, int outputSize, int count)
    {
        double squared = 0, absolute = 0, rSquared = 0;
        for (int j = 0; j < outputSize; j++)
        {
            squared += sums[4 * j];
            absolute += sums[4 * j + 1];
            double mean = sums[4 * j + 2] / count, total = sums[4 * j + 3] - count * mean * mean;
            rSquared += total > 0 ? 1 - sums[4 * j] / total : double.NaN;
        }
        double values = (double)count * outputSize;
        return new RegressionErrors(Math.Sqrt(squared / values), absolute / values, rSquared / outputSize);
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Mean loss per sample (the network's <see cref="INetwork.Loss"/>).</summary>
    public double Loss { get; }

    /// <summary>Fraction of samples whose highest output is the label (NaN without labels).</summary>
    public double Accuracy { get; }

    /// <summary>Fraction whose label is among the <see cref="K"/> highest outputs (ties counted in the sample's favour);
    /// NaN when <see cref="K"/> is 0.</summary>
    public double TopKAccuracy { get; }

    /// <summary>The k of <see cref="TopKAccuracy"/>; 0 when the k asked for is not below the number of classes (every label
    /// would be among the k highest outputs, so the figure would say nothing).</summary>
    public int K { get; }

    /// <summary>Counts [actual label, predicted class]; null without labels.</summary>
    public int[,]? ConfusionMatrix { get; }

    /// <summary>Root of the mean squared difference between outputs and targets over every output of every sample, for a
    /// data set without labels (regression); NaN with labels.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>Mean absolute difference between outputs and targets (regression); NaN with labels.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>The coefficient of determination 1 − Σ(y − t)² / Σ(t − t̄)², per output, averaged over the outputs (as
    /// scikit-learn's <c>r2_score</c>); NaN with labels or when a target is constant.</summary>
    public double RSquared { get; }

    /// <summary>Precision, recall, F1 and support of class <paramref name="label"/> (see <see cref="ClassMetrics.Of"/>).</summary>
    /// <exception cref="InvalidOperationException">The data had no labels.</exception>
    public ClassMetrics MetricsOf(int label)
        => ClassMetrics.Of(ConfusionMatrix ?? throw new InvalidOperationException("Per-class metrics need labels; this evaluation had none."), label);

    /// <summary>The classes' metrics averaged, each class counting once (macro) or by its support (weighted).</summary>
    /// <exception cref="InvalidOperationException">The data had no labels.</exception>
    public ClassMetrics Average(bool weighted)
        => ClassMetrics.Average(ConfusionMatrix ?? throw new InvalidOperationException("Averaged metrics need labels; this evaluation had none."), weighted);

    /// <summary>Precision, recall, F1 and support per class, then the accuracy and the macro and weighted averages, as
    /// aligned text (the layout of scikit-learn's <c>classification_report</c>); classes by name when
    /// <paramref name="classNames"/> are given.</summary>
    public string FormatClassificationReport(IReadOnlyList<string>? classNames = null)
    {
        if (ConfusionMatrix is null)
        {
            return "(no labels)";
        }
        int classes = ConfusionMatrix.GetLength(0);
        string[] names = Names(classNames, classes);
        int width = Math.Max(12, names.Max(n => n.Length) + 2);
        var text = new StringBuilder();
        text.Append(' ', width).AppendLine(" precision    recall        f1   support");
        void Row(string name, ClassMetrics m) => text.Append(CultureInfo.InvariantCulture,
            $"{name.PadLeft(width)} {m.Precision,9:F3} {m.Recall,9:F3} {m.F1,9:F3} {m.Support,9}").AppendLine();
        for (int c = 0; c < classes; c++)
        {
            Row(names[c], MetricsOf(c));
        }
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{"accuracy".PadLeft(width)} {"",9} {"",9} {Accuracy,9:F3} {Count,9}").AppendLine();
        Row("macro avg", Average(weighted: false));
        Row("weighted avg", Average(weighted: true));
        return text.ToString();
    }

    /// <summary>The confusion matrix as aligned text, rows = actual, columns = predicted; classes by name when
    /// <paramref name="classNames"/> are given (a data set's <see cref="Dataset.ClassNames"/>), else by index.</summary>
    public string FormatConfusionMatrix(IReadOnlyList<string>? classNames = null)
    {
        if (ConfusionMatrix is null)
        {
            return "(no labels)";
        }
        int classes = ConfusionMatrix.GetLength(0);
        string[] names = Names(classNames, classes);
        int width = Math.Max(4, Math.Max(Count.ToString(CultureInfo.InvariantCulture).Length, names.Max(n => n.Length)) + 1);
        int rowHeader = Math.Max(12, names.Max(n => n.Length) + 1);
        var text = new StringBuilder();
        text.Append("actual\\pred".PadRight(rowHeader));
        for (int c = 0; c < classes; c++)
        {
            text.Append(names[c].PadLeft(width));
        }
        text.AppendLine();
        for (int r = 0; r < classes; r++)
        {
            text.Append(names[r].PadRight(rowHeader));
            for (int c = 0; c < classes; c++)
            {
                text.Append(ConfusionMatrix[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The class names to print: <paramref name="classNames"/> when there is one per class, else the indices.</summary>
    private static string[] Names(IReadOnlyList<string>? classNames, int classes)
    {
        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"{classNames.Count} class names were given for {classes} classes.", nameof(classNames));
        }
        return [.. Enumerable.Range(0, classes).Select(c => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>The class a row of outputs predicts: the arg-max, or for a single output the comparison with the threshold
    /// (0 for hinge targets ±1, else 0.5).</summary>
    internal static int Predict(ReadOnlySpan<float> outputs, Loss loss)
    {
        if (outputs.Length == 1)
        {
            return outputs[0] >= (loss == NetGen.Loss.Hinge ? 0f : 0.5f) ? 1 : 0;
        }
        return VectorOps.ArgMax(outputs);
    }

    /// <summary>Whether <paramref name="label"/> is among the <paramref name="k"/> highest outputs.</summary>
    internal static bool InTopK(ReadOnlySpan<float> outputs, int label, int k, Loss loss)
    {
        if (outputs.Length == 1)
        {
            return Predict(outputs, loss) == label;
        }
        float score = outputs[label];
        int higher = 0;
        foreach (float value in outputs)
        {
            if (value > score)
            {
                higher++;
            }
        }
        return higher < k;
    }
}

/// <summary>Precision, recall and F1 of a class (or their average) and its number of samples.</summary>
public readonly record struct ClassMetrics(double Precision, double Recall, double F1, int Support)
{
    /// <summary>The metrics of class <paramref name="label"/> in <paramref name="confusion"/> (counts [actual, predicted]).
    /// A class never predicted has precision 0, a class with no samples recall 0 (scikit-learn's <c>zero_division=0</c>).</summary>
    public static ClassMetrics Of(int[,] confusion, int label)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, confusion.GetLength(0));
        int truePositives = confusion[label, label], predicted = 0, actual = 0;
        for (int c = 0; c < confusion.GetLength(0); c++)
        {
            predicted += confusion[c, label];
            actual += confusion[label, c];
        }
        double precision = predicted == 0 ? 0 : (double)truePositives / predicted;
        double recall = actual == 0 ? 0 : (double)truePositives / actual;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(precision, recall, f1, actual);
    }

    /// <summary>The mean of every class's metrics in <paramref name="confusion"/>, each class counting once (macro) or by
    /// its support (weighted); the support is the total.</summary>
    public static ClassMetrics Average(int[,] confusion, bool weighted)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int classes = confusion.GetLength(0);
        double precision = 0, recall = 0, f1 = 0;
        int support = 0;
        for (int c = 0; c < classes; c++)
        {
            ClassMetrics m = Of(confusion, c);
            double weight = weighted ? m.Support : 1;
            (precision, recall, f1, support) = (precision + weight * m.Precision, recall + weight * m.Recall, f1 + weight * m.F1, support + m.Support);
        }
        double total = weighted ? support : classes;
        return total == 0 ? new ClassMetrics(0, 0, 0, support) : new ClassMetrics(precision / total, recall / total, f1 / total, support);
    }
}

/// <summary>The regression errors of an evaluation (see <see cref="Evaluation.RootMeanSquaredError"/>).</summary>
internal readonly record struct RegressionErrors(double RootMeanSquaredError, double MeanAbsoluteError, double RSquared);
