using System;

namespace NetGen.Classical;

/// <summary>The outcome of perceptron learning.</summary>
/// <param name="Weights">w (one per feature).</param>
/// <param name="Bias">b.</param>
/// <param name="Converged">True when an epoch made no mistake (the data are linearly separated by w, b); false when
/// <see cref="Epochs"/> reached the bound first (non-separable data such as XOR never converge).</param>
/// <param name="Epochs">Epochs run, the last one included.</param>
/// <param name="MistakesPerEpoch">Updates made in each epoch.</param>
/// <param name="Alpha">Dual form only: αᵢ = η·(updates on sample i); w = Σ αᵢyᵢxᵢ and b = Σ αᵢyᵢ. Null for the primal form.</param>
public sealed record PerceptronResult(double[] Weights, double Bias, bool Converged, int Epochs, int[] MistakesPerEpoch, double[]? Alpha)
{
    /// <summary>The predicted label of <paramref name="x"/>: +1 when wᵀx + b ≥ 0, else −1 (sign(0) = +1).</summary>
    public int Predict(ReadOnlySpan<double> x) => Perceptron.Sign(Perceptron.Score(Weights, Bias, x));
}

/// <summary>
/// Rosenblatt's perceptron for labels y ∈ {−1, +1}, in the primal form (on a mistake w ← w + ηyx, b ← b + ηy) and the
/// dual form (αᵢ ← αᵢ + η, b ← b + ηyᵢ, with the scores from the Gram matrix Gᵢⱼ = xᵢᵀxⱼ).
/// </summary>
/// <remarks>
/// Samples are visited in index order every epoch, so both forms make the same updates and end with the same w, b.
/// A sample counts as a mistake when yᵢ(wᵀxᵢ + b) ≤ 0: a score of exactly 0 is a mistake whatever the label, so a
/// converged perceptron separates with a strict margin. <see cref="Sign"/> maps 0 to +1 for prediction; since training
/// only stops when no score is 0, this choice never decides a training label. Learning stops after the first epoch
/// without a mistake (<see cref="PerceptronResult.Converged"/>) or after <c>maxEpochs</c> epochs (not converged).
/// </remarks>
public static class Perceptron
{
    /// <summary>sign with sign(0) = +1.</summary>
    public static int Sign(double score) => score >= 0 ? 1 : -1;

    /// <summary>wᵀx + b.</summary>
    public static double Score(ReadOnlySpan<double> w, double b, ReadOnlySpan<double> x)
    {
        double s = b;
        for (int j = 0; j < w.Length; j++)
        {
            s += w[j] * x[j];
        }
        return s;
    }

    /// <summary>Primal perceptron learning from w = 0, b = 0.</summary>
    public static PerceptronResult TrainPrimal(double[,] x, int[] y, double learningRate = 1, int maxEpochs = 1000)
    {
        (int n, int d) = Check(x, y, learningRate, maxEpochs);
        var w = new double[d];
        double b = 0;
        var row = new double[d];
        var mistakes = new System.Collections.Generic.List<int>();
        bool converged = false;
        while (mistakes.Count < maxEpochs && !converged)
        {
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    row[j] = x[i, j];
                }
                if (y[i] * Score(w, b, row) <= 0)
                {
                    for (int j = 0; j < d; j++)
                    {
                        w[j] += learningRate * y[i] * row[j];
                    }
                    b += learningRate * y[i];
                    count++;
                }
            }
            mistakes.Add(count);
            converged = count == 0;
        }
        return new PerceptronResult(w, b, converged, mistakes.Count, mistakes.ToArray(), null);
    }

    /// <summary>Dual perceptron learning from α = 0, b = 0, with the Gram matrix computed once (n² memory).</summary>
    public static PerceptronResult TrainDual(double[,] x, int[] y, double learningRate = 1, int maxEpochs = 1000)
    {
        (int n, int d) = Check(x, y, learningRate, maxEpochs);
        var gram = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k <= i; k++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    s += x[i, j] * x[k, j];
                }
                gram[i, k] = gram[k, i] = s;
            }
        }
        var alpha = new double[n];
        double b = 0;
        var mistakes = new System.Collections.Generic.List<int>();
        bool converged = false;
        while (mistakes.Count < maxEpochs && !converged)
        {
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                double score = b;
                for (int k = 0; k < n; k++)
                {
                    score += alpha[k] * y[k] * gram[k, i];
                }
                if (y[i] * score <= 0)
                {
                    alpha[i] += learningRate;
                    b += learningRate * y[i];
                    count++;
                }
            }
            mistakes.Add(count);
            converged = count == 0;
        }
        var w = new double[d];
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < d; j++)
            {
                w[j] += alpha[k] * y[k] * x[k, j];
            }
        }
        return new PerceptronResult(w, b, converged, mistakes.Count, mistakes.ToArray(), alpha);
    }

    private static (int N, int D) Check(double[,] x, int[] y, double learningRate, int maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEpochs);
        if (!(learningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be > 0.");
        }
        int n = x.GetLength(0);
        if (y.Length != n)
        {
            throw new ArgumentException($"{n} samples but {y.Length} labels.", nameof(y));
        }
        for (int i = 0; i < n; i++)
        {
            if (y[i] is not (1 or -1))
            {
                throw new ArgumentException($"Label {i} is {y[i]}; the perceptron takes labels −1 and +1.", nameof(y));
            }
        }
        return (n, x.GetLength(1));
    }
}
