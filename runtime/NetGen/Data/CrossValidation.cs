using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>The scores of a cross-validation run, one per fold, and their summary.</summary>
public sealed class CrossValidationResult
{
    /// <summary>Wraps the per-fold scores.</summary>
    public CrossValidationResult(double[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfZero(scores.Length);
        Scores = scores;
        double sum = 0;
        foreach (double s in scores)
        {
            sum += s;
        }
        Mean = sum / scores.Length;
        double squares = 0;
        foreach (double s in scores)
        {
            squares += (s - Mean) * (s - Mean);
        }
        StandardDeviation = scores.Length > 1 ? Math.Sqrt(squares / (scores.Length - 1)) : 0;
    }

    /// <summary>The score of each fold, in fold order.</summary>
    public double[] Scores { get; }

    /// <summary>The cross-validation estimate: the mean fold score.</summary>
    public double Mean { get; }

    /// <summary>The spread of the fold scores: their sample standard deviation (divisor k − 1).</summary>
    public double StandardDeviation { get; }

    /// <summary>The standard error of <see cref="Mean"/>, σ/√k (folds share training data, so it is optimistic).</summary>
    public double StandardError => StandardDeviation / Math.Sqrt(Scores.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean:F4} ± {StandardDeviation:F4} (mean ± std over {Scores.Length} folds)");
}

/// <summary>
/// Cross-validation over any network and any training loop: for every fold it builds a fresh model, hands it the
/// fold's training and held-out data, and collects the score the delegate returns.
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs one model per fold. <paramref name="createModel"/> receives the fold index (use it in the seed);
    /// <paramref name="trainAndScore"/> trains the model on the first data set and returns its score on the second
    /// (fit any preprocessing inside it, on the training part only).</summary>
    public static CrossValidationResult Run<TModel>(Dataset data, IReadOnlyList<Fold> folds, Func<int, TModel> createModel, Func<TModel, Dataset, Dataset, double> trainAndScore)
        where TModel : INetwork
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(trainAndScore);
        double[] scores = new double[folds.Count];
        for (int f = 0; f < folds.Count; f++)
        {
            TModel model = createModel(f);
            scores[f] = trainAndScore(model, data.Subset(folds[f].Train), data.Subset(folds[f].Validation));
            (model as IDisposable)?.Dispose();
        }
        return new CrossValidationResult(scores);
    }
}
