using System;

namespace NetGen.Classical;

/// <summary>Settings of full-batch gradient descent for the convex classical models.</summary>
/// <param name="LearningRate">η of θ ← θ − η∇J.</param>
/// <param name="MaxIterations">Bound on the steps.</param>
/// <param name="Tolerance">Stop when the largest gradient component |∂J/∂θⱼ| is below this.</param>
public sealed record GradientDescentOptions(double LearningRate = 0.1, int MaxIterations = 100_000, double Tolerance = 1e-9);

/// <summary>A fitted linear model: score wᵀx + b.</summary>
/// <param name="Weights">w, one per feature.</param>
/// <param name="Bias">b (the intercept, never penalized).</param>
/// <param name="Iterations">Gradient or Newton steps taken (0 for the closed form).</param>
/// <param name="Converged">Whether the stopping test was met before the iteration bound.</param>
public sealed record LinearModel(double[] Weights, double Bias, int Iterations, bool Converged)
{
    /// <summary>wᵀx + b.</summary>
    public double Score(ReadOnlySpan<double> x) => Perceptron.Score(Weights, Bias, x);
}

/// <summary>A fitted softmax regression: scores Wx + b, probabilities softmax(Wx + b).</summary>
/// <param name="Weights">W, [classes, features] row-major.</param>
/// <param name="Bias">b, one per class.</param>
/// <param name="Iterations">Gradient steps taken.</param>
/// <param name="Converged">Whether the stopping test was met before the iteration bound.</param>
public sealed record SoftmaxModel(double[] Weights, double[] Bias, int Iterations, bool Converged)
{
    /// <summary>The class with the largest score.</summary>
    public int Predict(ReadOnlySpan<double> x)
    {
        int d = x.Length, best = 0;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < Bias.Length; k++)
        {
            double s = Perceptron.Score(Weights.AsSpan(k * d, d), Bias[k], x);
            if (s > bestScore)
            {
                (best, bestScore) = (k, s);
            }
        }
        return best;
    }
}

/// <summary>
/// Linear, logistic and softmax regression. Every objective is the MEAN loss over the N samples plus a ridge term on the
/// weights (not the intercept): J = (1/N) Σᵢ ℓᵢ + (λ/2)‖w‖². With λ = 0 the linear-regression optimum is the classical
/// (XᵀX)⁻¹Xᵀy (on X with a column of ones). The objectives are convex (strictly, for λ &gt; 0 or full-rank data), so the
/// closed form, gradient descent and Newton/IRLS reach the same optimum.
/// </summary>
public static class LinearModels
{
    /// <summary>Linear regression, ℓ = ½(wᵀx + b − y)², by the normal equations (XₐᵀXₐ/N + λI′)θ = Xₐᵀy/N solved with
    /// Cholesky. Throws <see cref="MatrixNotPositiveDefiniteException"/> for a singular system (collinear features,
    /// fewer samples than unknowns) when λ = 0.</summary>
    public static LinearModel LinearRegressionNormalEquations(double[,] x, double[] y, double ridge = 0)
    {
        (int n, int d) = Check(x, y, ridge);
        int p = d + 1;
        var a = new double[p * p];
        var rhs = new double[p];
        var row = new double[p];
        for (int i = 0; i < n; i++)
        {
            Augment(x, i, row);
            for (int r = 0; r < p; r++)
            {
                rhs[r] += row[r] * y[i] / n;
                for (int c = 0; c <= r; c++)
                {
                    a[r * p + c] += row[r] * row[c] / n;
                }
            }
        }
        for (int j = 0; j < d; j++)
        {
            a[j * p + j] += ridge;
        }
        double[] theta = LinearAlgebra.SolveSymmetric(a, p, rhs, "The normal-equation matrix XᵀX/N + λI");
        return new LinearModel(theta[..d], theta[d], 0, true);
    }

    /// <summary>Linear regression by full-batch gradient descent on the same objective: θ ← θ − η(Xₐᵀ(Xₐθ − y)/N + λw).</summary>
    public static LinearModel LinearRegressionGradientDescent(double[,] x, double[] y, double ridge = 0, GradientDescentOptions? options = null) =>
        GradientDescent(x, y, ridge, options ?? new GradientDescentOptions(), static z => z);

    /// <summary>Logistic regression (labels 0/1), ℓ = −[y ln σ(z) + (1 − y) ln(1 − σ(z))], by full-batch gradient
    /// descent: θ ← θ − η(Xₐᵀ(a − y)/N + λw).</summary>
    public static LinearModel LogisticRegressionGradientDescent(double[,] x, double[] y, double ridge = 0, GradientDescentOptions? options = null)
    {
        CheckBinary(y);
        return GradientDescent(x, y, ridge, options ?? new GradientDescentOptions(), Sigmoid);
    }

    /// <summary>Logistic regression by Newton's method, i.e. iteratively reweighted least squares:
    /// θ ← θ − (XₐᵀRXₐ/N + λI′)⁻¹ ∇J with R = diag(a(1 − a)). Stops when the largest gradient component is below
    /// <paramref name="tolerance"/>. On linearly separable data with λ = 0 the optimum lies at infinity and the Hessian
    /// becomes singular: the method then throws <see cref="MatrixNotPositiveDefiniteException"/>; use λ &gt; 0.</summary>
    public static LinearModel LogisticRegressionNewton(double[,] x, double[] y, double ridge = 0, int maxIterations = 100, double tolerance = 1e-12)
    {
        (int n, int d) = Check(x, y, ridge);
        CheckBinary(y);
        int p = d + 1;
        var theta = new double[p];
        var row = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        for (int iteration = 0; iteration <= maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                Augment(x, i, row);
                double a = Sigmoid(Dot(theta, row));
                double r = a * (1 - a);
                for (int j = 0; j < p; j++)
                {
                    gradient[j] += (a - y[i]) * row[j] / n;
                    for (int c = 0; c <= j; c++)
                    {
                        hessian[j * p + c] += r * row[j] * row[c] / n;
                    }
                }
            }
            for (int j = 0; j < d; j++)
            {
                gradient[j] += ridge * theta[j];
                hessian[j * p + j] += ridge;
            }
            if (MaxAbs(gradient) < tolerance)
            {
                return new LinearModel(theta[..d], theta[d], iteration, true);
            }
            if (iteration == maxIterations)
            {
                break;
            }
            double[] step = LinearAlgebra.SolveSymmetric(hessian, p, gradient, "The IRLS Hessian XᵀRX/N + λI");
            for (int j = 0; j < p; j++)
            {
                theta[j] -= step[j];
            }
        }
        return new LinearModel(theta[..d], theta[d], maxIterations, false);
    }

    /// <summary>Softmax regression (labels 0…K−1), ℓ = −ln softmax(Wx + b)_y, by full-batch gradient descent with
    /// ∂J/∂W = (A − Y)ᵀX/N + λW and ∂J/∂b = Σ(A − Y)/N. Without a ridge term the optimum is only defined up to adding the
    /// same vector to every class; with λ &gt; 0 it is unique.</summary>
    public static SoftmaxModel SoftmaxRegressionGradientDescent(double[,] x, int[] labels, int classes, double ridge = 0, GradientDescentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        (int n, int d) = Check(x, new double[labels.Length], ridge);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentException($"Label {label} is outside 0…{classes - 1}.", nameof(labels));
            }
        }
        options ??= new GradientDescentOptions();
        var w = new double[classes * d];
        var b = new double[classes];
        var gw = new double[classes * d];
        var gb = new double[classes];
        var probabilities = new double[classes];
        for (int iteration = 0; iteration <= options.MaxIterations; iteration++)
        {
            Array.Clear(gw);
            Array.Clear(gb);
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++)
                {
                    double s = b[k];
                    for (int j = 0; j < d; j++)
                    {
                        s += w[k * d + j] * x[i, j];
                    }
                    probabilities[k] = s;
                    max = Math.Max(max, s);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++)
                {
                    probabilities[k] = Math.Exp(probabilities[k] - max);
                    sum += probabilities[k];
                }
                for (int k = 0; k < classes; k++)
                {
                    double delta = (probabilities[k] / sum - (labels[i] == k ? 1 : 0)) / n;
                    gb[k] += delta;
                    for (int j = 0; j < d; j++)
                    {
                        gw[k * d + j] += delta * x[i, j];
                    }
                }
            }
            for (int j = 0; j < w.Length; j++)
            {
                gw[j] += ridge * w[j];
            }
            if (Math.Max(MaxAbs(gw), MaxAbs(gb)) < options.Tolerance)
            {
                return new SoftmaxModel(w, b, iteration, true);
            }
            if (iteration == options.MaxIterations)
            {
                break;
            }
            for (int j = 0; j < w.Length; j++)
            {
                w[j] -= options.LearningRate * gw[j];
            }
            for (int k = 0; k < classes; k++)
            {
                b[k] -= options.LearningRate * gb[k];
            }
        }
        return new SoftmaxModel(w, b, options.MaxIterations, false);
    }

    /// <summary>The logistic function, computed without overflow for large |z|.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Converts a float data set (N rows of <paramref name="featureCount"/>) to the [N, features] array the
    /// classical learners take.</summary>
    public static double[,] ToMatrix(ReadOnlySpan<float> features, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of {featureCount}-feature rows.", nameof(features));
        }
        int n = features.Length / featureCount;
        var x = new double[n, featureCount];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < featureCount; j++)
            {
                x[i, j] = features[i * featureCount + j];
            }
        }
        return x;
    }

    private static LinearModel GradientDescent(double[,] x, double[] y, double ridge, GradientDescentOptions options, Func<double, double> link)
    {
        (int n, int d) = Check(x, y, ridge);
        int p = d + 1;
        var theta = new double[p];
        var row = new double[p];
        var gradient = new double[p];
        for (int iteration = 0; iteration <= options.MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            for (int i = 0; i < n; i++)
            {
                Augment(x, i, row);
                double residual = (link(Dot(theta, row)) - y[i]) / n;
                for (int j = 0; j < p; j++)
                {
                    gradient[j] += residual * row[j];
                }
            }
            for (int j = 0; j < d; j++)
            {
                gradient[j] += ridge * theta[j];
            }
            if (MaxAbs(gradient) < options.Tolerance)
            {
                return new LinearModel(theta[..d], theta[d], iteration, true);
            }
            if (iteration == options.MaxIterations)
            {
                break;
            }
            for (int j = 0; j < p; j++)
            {
                theta[j] -= options.LearningRate * gradient[j];
            }
            if (!double.IsFinite(theta[0]))
            {
                throw new InvalidOperationException($"Gradient descent diverged at step {iteration + 1}: η = {options.LearningRate} is too large for this data (scale the features or lower η).");
            }
        }
        return new LinearModel(theta[..d], theta[d], options.MaxIterations, false);
    }

    private static void Augment(double[,] x, int i, Span<double> row)
    {
        int d = row.Length - 1;
        for (int j = 0; j < d; j++)
        {
            row[j] = x[i, j];
        }
        row[d] = 1;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        double m = 0;
        foreach (double v in values)
        {
            m = Math.Max(m, Math.Abs(v));
        }
        return m;
    }

    private static (int N, int D) Check(double[,] x, double[] y, double ridge)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(ridge >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge coefficient λ must be ≥ 0.");
        }
        int n = x.GetLength(0);
        if (n == 0)
        {
            throw new ArgumentException("No samples.", nameof(x));
        }
        if (y.Length != n)
        {
            throw new ArgumentException($"{n} samples but {y.Length} targets.", nameof(y));
        }
        return (n, x.GetLength(1));
    }

    private static void CheckBinary(double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] is not (0 or 1))
            {
                throw new ArgumentException($"Target {i} is {y[i]}; logistic regression takes targets 0 and 1.", nameof(y));
            }
        }
    }
}
