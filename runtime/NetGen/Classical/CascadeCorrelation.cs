using System;
using System.Collections.Generic;

namespace NetGen.Classical;

/// <summary>Settings of <see cref="CascadeCorrelation.Train"/>.</summary>
/// <param name="MaxHiddenUnits">Bound on the units grown.</param>
/// <param name="Candidates">Candidate units trained from different random starts per growth step; the best is kept.</param>
/// <param name="CandidateEpochs">Full-batch gradient-ascent steps on the correlation objective per candidate.</param>
/// <param name="CandidateLearningRate">Step size of that ascent (on S/N).</param>
/// <param name="OutputRidge">λ of the outputs' logistic regressions (keeps them finite once the data are separated).</param>
/// <param name="Seed">Seed of the candidates' initial weights, drawn from U(−1, 1).</param>
public sealed record CascadeCorrelationOptions(int MaxHiddenUnits = 8, int Candidates = 8, int CandidateEpochs = 400,
    double CandidateLearningRate = 1.0, double OutputRidge = 1e-4, long Seed = 0);

/// <summary>The state after one round of output training.</summary>
/// <param name="HiddenUnits">Hidden units at that point.</param>
/// <param name="Accuracy">Fraction of samples whose every output is on the right side of ½.</param>
/// <param name="SquaredError">Mean over samples of ½Σₒ(aₒ − yₒ)².</param>
/// <param name="Correlation">The correlation score S of the unit just added (NaN for the first round).</param>
public readonly record struct CascadeStage(int HiddenUnits, double Accuracy, double SquaredError, double Correlation);

/// <summary>
/// A cascade-correlation network (Fahlman and Lebiere 1990; Klambauer §8.6.1): sigmoid outputs see the inputs, a bias and
/// every hidden unit; hidden unit k is a tanh unit that sees the inputs, a bias and hidden units 0…k−1. Hidden weights
/// are frozen once the unit is installed.
/// </summary>
public sealed class CascadeCorrelationNetwork
{
    private readonly List<double[]> _hidden = [];
    private double[] _output;

    internal CascadeCorrelationNetwork(int inputs, int outputs)
    {
        InputCount = inputs;
        OutputCount = outputs;
        _output = new double[outputs * (inputs + 1)];
    }

    /// <summary>Inputs per sample.</summary>
    public int InputCount { get; }

    /// <summary>Outputs per sample.</summary>
    public int OutputCount { get; }

    /// <summary>Hidden units grown so far.</summary>
    public int HiddenUnits => _hidden.Count;

    /// <summary>The frozen incoming weights of hidden unit <paramref name="unit"/>: inputs, bias, then earlier units.</summary>
    public ReadOnlySpan<double> HiddenWeights(int unit) => _hidden[unit];

    /// <summary>The output weights, [outputs, inputs + 1 + hidden units] row-major (inputs, bias, hidden units).</summary>
    public ReadOnlySpan<double> OutputWeights => _output;

    /// <summary>The sigmoid outputs for one sample.</summary>
    public double[] Predict(ReadOnlySpan<double> x)
    {
        if (x.Length != InputCount)
        {
            throw new ArgumentException($"The network takes {InputCount} inputs, got {x.Length}.", nameof(x));
        }
        double[] features = Features(x);
        var result = new double[OutputCount];
        int width = features.Length;
        for (int o = 0; o < OutputCount; o++)
        {
            result[o] = LinearModels.Sigmoid(Dot(_output.AsSpan(o * width, width), features));
        }
        return result;
    }

    /// <summary>Inputs, 1, then every hidden unit's activation.</summary>
    internal double[] Features(ReadOnlySpan<double> x)
    {
        var features = new double[InputCount + 1 + _hidden.Count];
        x.CopyTo(features);
        features[InputCount] = 1;
        for (int k = 0; k < _hidden.Count; k++)
        {
            features[InputCount + 1 + k] = Math.Tanh(Dot(_hidden[k], features.AsSpan(0, InputCount + 1 + k)));
        }
        return features;
    }

    internal void AddHidden(double[] weights) => _hidden.Add(weights);

    internal void SetOutputs(double[] weights) => _output = weights;

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            s += a[j] * b[j];
        }
        return s;
    }
}

/// <summary>The grown network and the record of its growth.</summary>
/// <param name="Network">The final network.</param>
/// <param name="Stages">One entry per round of output training: with 0 hidden units, then after each unit.</param>
/// <param name="Solved">Whether the last stage classifies every training sample correctly.</param>
public sealed record CascadeCorrelationResult(CascadeCorrelationNetwork Network, IReadOnlyList<CascadeStage> Stages, bool Solved);

/// <summary>
/// Cascade-correlation learning. (1) Train the outputs: each output is a logistic regression on the current features,
/// solved by IRLS (<see cref="LinearModels.LogisticRegressionNewton"/>, convex, so "retrain the outputs" reaches their
/// optimum). (2) Stop when every sample is classified correctly or <see cref="CascadeCorrelationOptions.MaxHiddenUnits"/>
/// units exist. (3) Otherwise train a pool of candidate tanh units on the current features by gradient ascent on the
/// correlation S = Σₒ |Σₚ (Vₚ − V̄)(Eₚₒ − Ēₒ)| between the candidate's value V and the residual errors E = a − y, with
/// ∂S/∂wᵢ = Σₚ Σₒ σₒ(Eₚₒ − Ēₒ) f′ₚ Iₚᵢ (σₒ the sign of output o's correlation). (4) Install the candidate with the
/// largest S, freeze its weights, and go to (1).
/// </summary>
public static class CascadeCorrelation
{
    /// <summary>Grows a network for inputs <paramref name="x"/> [N, inputs] and 0/1 targets <paramref name="y"/> [N, outputs].</summary>
    public static CascadeCorrelationResult Train(double[,] x, double[,] y, CascadeCorrelationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        options ??= new CascadeCorrelationOptions();
        int n = x.GetLength(0), inputs = x.GetLength(1), outputs = y.GetLength(1);
        if (y.GetLength(0) != n || n == 0)
        {
            throw new ArgumentException($"{n} input rows but {y.GetLength(0)} target rows.", nameof(y));
        }
        var network = new CascadeCorrelationNetwork(inputs, outputs);
        var random = new SeededRandom(options.Seed);
        var stages = new List<CascadeStage>();
        double correlation = double.NaN;
        while (true)
        {
            double[,] features = FeatureMatrix(network, x);
            double[,] predictions = TrainOutputs(network, features, y, options.OutputRidge);
            (double accuracy, double error) = Score(predictions, y);
            stages.Add(new CascadeStage(network.HiddenUnits, accuracy, error, correlation));
            if (accuracy == 1 || network.HiddenUnits == options.MaxHiddenUnits)
            {
                return new CascadeCorrelationResult(network, stages, accuracy == 1);
            }
            var residuals = new double[n, outputs];
            for (int p = 0; p < n; p++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    residuals[p, o] = predictions[p, o] - y[p, o];
                }
            }
            double[]? best = null;
            correlation = double.NegativeInfinity;
            for (int c = 0; c < options.Candidates; c++)
            {
                (double[] weights, double score) = TrainCandidate(features, residuals, options, random);
                if (score > correlation)
                {
                    (best, correlation) = (weights, score);
                }
            }
            network.AddHidden(best!);
        }
    }

    /// <summary>The correlation S of a unit with weights <paramref name="weights"/> on the given features and residuals.</summary>
    public static double Correlation(double[,] features, double[,] residuals, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(residuals);
        int n = features.GetLength(0), width = features.GetLength(1), outputs = residuals.GetLength(1);
        var v = new double[n];
        var row = new double[width];
        double mean = 0;
        for (int p = 0; p < n; p++)
        {
            Row(features, p, row);
            v[p] = Math.Tanh(CascadeCorrelationNetwork.Dot(weights, row));
            mean += v[p] / n;
        }
        double s = 0;
        for (int o = 0; o < outputs; o++)
        {
            double meanError = 0;
            for (int p = 0; p < n; p++)
            {
                meanError += residuals[p, o] / n;
            }
            double covariance = 0;
            for (int p = 0; p < n; p++)
            {
                covariance += (v[p] - mean) * (residuals[p, o] - meanError);
            }
            s += Math.Abs(covariance);
        }
        return s;
    }

    private static (double[] Weights, double Score) TrainCandidate(double[,] features, double[,] residuals, CascadeCorrelationOptions options, SeededRandom random)
    {
        int n = features.GetLength(0), width = features.GetLength(1), outputs = residuals.GetLength(1);
        var w = new double[width];
        for (int i = 0; i < width; i++)
        {
            w[i] = 2 * random.NextDouble() - 1;
        }
        var centered = new double[n, outputs];
        for (int o = 0; o < outputs; o++)
        {
            double meanError = 0;
            for (int p = 0; p < n; p++)
            {
                meanError += residuals[p, o] / n;
            }
            for (int p = 0; p < n; p++)
            {
                centered[p, o] = residuals[p, o] - meanError;
            }
        }
        var v = new double[n];
        var row = new double[width];
        var sign = new double[outputs];
        var gradient = new double[width];
        for (int epoch = 0; epoch < options.CandidateEpochs; epoch++)
        {
            double mean = 0;
            for (int p = 0; p < n; p++)
            {
                Row(features, p, row);
                v[p] = Math.Tanh(CascadeCorrelationNetwork.Dot(w, row));
                mean += v[p] / n;
            }
            for (int o = 0; o < outputs; o++)
            {
                double covariance = 0;
                for (int p = 0; p < n; p++)
                {
                    covariance += (v[p] - mean) * centered[p, o];
                }
                sign[o] = covariance >= 0 ? 1 : -1;
            }
            Array.Clear(gradient);
            for (int p = 0; p < n; p++)
            {
                double drive = 0;
                for (int o = 0; o < outputs; o++)
                {
                    drive += sign[o] * centered[p, o];
                }
                double slope = (1 - v[p] * v[p]) * drive / n;
                Row(features, p, row);
                for (int i = 0; i < width; i++)
                {
                    gradient[i] += slope * row[i];
                }
            }
            for (int i = 0; i < width; i++)
            {
                w[i] += options.CandidateLearningRate * gradient[i];
            }
        }
        return (w, Correlation(features, residuals, w));
    }

    private static double[,] TrainOutputs(CascadeCorrelationNetwork network, double[,] features, double[,] y, double ridge)
    {
        int n = features.GetLength(0), width = features.GetLength(1), outputs = y.GetLength(1);
        // The bias is a feature column already; fit the logistic regressions on the other columns and put it back there.
        int inputs = network.InputCount;
        var design = new double[n, width - 1];
        for (int p = 0; p < n; p++)
        {
            for (int i = 0, c = 0; i < width; i++)
            {
                if (i != inputs)
                {
                    design[p, c++] = features[p, i];
                }
            }
        }
        var weights = new double[outputs * width];
        var predictions = new double[n, outputs];
        var target = new double[n];
        for (int o = 0; o < outputs; o++)
        {
            for (int p = 0; p < n; p++)
            {
                target[p] = y[p, o];
            }
            LinearModel model = LinearModels.LogisticRegressionNewton(design, target, ridge, maxIterations: 200, tolerance: 1e-10);
            for (int i = 0, c = 0; i < width; i++)
            {
                weights[o * width + i] = i == inputs ? model.Bias : model.Weights[c++];
            }
            var row = new double[width];
            for (int p = 0; p < n; p++)
            {
                Row(features, p, row);
                predictions[p, o] = LinearModels.Sigmoid(CascadeCorrelationNetwork.Dot(weights.AsSpan(o * width, width), row));
            }
        }
        network.SetOutputs(weights);
        return predictions;
    }

    private static double[,] FeatureMatrix(CascadeCorrelationNetwork network, double[,] x)
    {
        int n = x.GetLength(0), inputs = x.GetLength(1);
        var features = new double[n, inputs + 1 + network.HiddenUnits];
        var row = new double[inputs];
        for (int p = 0; p < n; p++)
        {
            Row(x, p, row);
            double[] f = network.Features(row);
            for (int i = 0; i < f.Length; i++)
            {
                features[p, i] = f[i];
            }
        }
        return features;
    }

    private static (double Accuracy, double Error) Score(double[,] predictions, double[,] y)
    {
        int n = y.GetLength(0), outputs = y.GetLength(1), correct = 0;
        double error = 0;
        for (int p = 0; p < n; p++)
        {
            bool right = true;
            for (int o = 0; o < outputs; o++)
            {
                double difference = predictions[p, o] - y[p, o];
                error += 0.5 * difference * difference / n;
                right &= (predictions[p, o] > 0.5) == (y[p, o] > 0.5);
            }
            correct += right ? 1 : 0;
        }
        return ((double)correct / n, error);
    }

    private static void Row(double[,] matrix, int p, Span<double> row)
    {
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = matrix[p, i];
        }
    }
}
