using System;
using NetGen.Classical;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Classical;

/// <summary>Closed form, gradient descent and Newton/IRLS on the same convex objectives. Tolerance: GD stops when every
/// gradient component is below 1e-10; with strong convexity μ ≥ λ that bounds the parameter error by 1e-10/μ, so the
/// solvers must agree to 1e-6 absolute.</summary>
public sealed class LinearModelTests
{
    private const double Agreement = 1e-6;

    private static double[,] Features(int n, int d, long seed)
    {
        var random = new SeededRandom(seed);
        var x = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = random.NextGaussian();
            }
        }
        return x;
    }

    [Fact]
    public void Normal_equations_recover_an_exact_line()
    {
        var x = new double[,] { { 0 }, { 1 }, { 2 }, { 3 } };
        LinearModel model = LinearModels.LinearRegressionNormalEquations(x, [1, 3, 5, 7]);
        Assert.Equal(2, model.Weights[0], 12);
        Assert.Equal(1, model.Bias, 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Linear_regression_closed_form_and_gradient_descent_agree(double ridge)
    {
        double[,] x = Features(80, 3, 1);
        var random = new SeededRandom(2);
        var y = new double[80];
        for (int i = 0; i < 80; i++)
        {
            y[i] = 1.5 * x[i, 0] - 2 * x[i, 1] + 0.5 * x[i, 2] + 0.7 + 0.3 * random.NextGaussian();
        }
        LinearModel closed = LinearModels.LinearRegressionNormalEquations(x, y, ridge);
        LinearModel descent = LinearModels.LinearRegressionGradientDescent(x, y, ridge, new GradientDescentOptions(0.3, 100_000, 1e-10));
        Assert.True(descent.Converged);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(closed.Weights[j], descent.Weights[j], Agreement);
        }
        Assert.Equal(closed.Bias, descent.Bias, Agreement);
        if (ridge == 0)
        {
            Assert.Equal(1.5, closed.Weights[0], 0.15);
        }
        else
        {
            Assert.True(Math.Abs(closed.Weights[0]) < 1.5 * 0.9, "the ridge term shrinks the weights");
        }
    }

    [Fact]
    public void A_singular_system_raises_an_error_naming_the_problem_and_ridge_fixes_it()
    {
        var x = new double[20, 2];
        var y = new double[20];
        for (int i = 0; i < 20; i++)
        {
            (x[i, 0], x[i, 1], y[i]) = (i, 2 * i, i % 3);
        }
        var error = Assert.Throws<MatrixNotPositiveDefiniteException>(() => LinearModels.LinearRegressionNormalEquations(x, y));
        Assert.Contains("normal-equation matrix", error.Message, StringComparison.Ordinal);
        Assert.Contains("singular", error.Message, StringComparison.Ordinal);
        Assert.Contains("ridge", error.Message, StringComparison.Ordinal);
        LinearModel model = LinearModels.LinearRegressionNormalEquations(x, y, ridge: 1e-3);
        Assert.True(double.IsFinite(model.Weights[0]) && double.IsFinite(model.Weights[1]));
    }

    private static (double[,] X, double[] Y) NoisyClasses(long seed)
    {
        double[,] x = Features(120, 2, seed);
        var random = new SeededRandom(seed + 1);
        var y = new double[120];
        for (int i = 0; i < 120; i++)
        {
            double p = LinearModels.Sigmoid(2 * x[i, 0] - x[i, 1] + 0.5);
            y[i] = random.NextDouble() < p ? 1 : 0;
        }
        return (x, y);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void Logistic_regression_gradient_descent_and_IRLS_agree(double ridge)
    {
        (double[,] x, double[] y) = NoisyClasses(3);
        LinearModel newton = LinearModels.LogisticRegressionNewton(x, y, ridge);
        LinearModel descent = LinearModels.LogisticRegressionGradientDescent(x, y, ridge, new GradientDescentOptions(2, 200_000, 1e-10));
        Assert.True(newton.Converged);
        Assert.True(newton.Iterations < 20, $"Newton took {newton.Iterations} steps");
        Assert.True(descent.Converged);
        Assert.Equal(newton.Weights[0], descent.Weights[0], Agreement);
        Assert.Equal(newton.Weights[1], descent.Weights[1], Agreement);
        Assert.Equal(newton.Bias, descent.Bias, Agreement);
    }

    [Fact]
    public void Two_class_softmax_regression_is_logistic_regression_on_the_difference()
    {
        // With K = 2 and ridge λ on both rows, the optimum has w₁ = −w₀ and w₁ − w₀ is the logistic optimum for λ/2.
        (double[,] x, double[] y) = NoisyClasses(5);
        int[] labels = Array.ConvertAll(y, v => (int)v);
        SoftmaxModel softmax = LinearModels.SoftmaxRegressionGradientDescent(x, labels, 2, 0.1, new GradientDescentOptions(2, 200_000, 1e-10));
        LinearModel logistic = LinearModels.LogisticRegressionNewton(x, y, 0.05);
        Assert.True(softmax.Converged);
        Assert.Equal(logistic.Weights[0], softmax.Weights[2] - softmax.Weights[0], Agreement);
        Assert.Equal(logistic.Weights[1], softmax.Weights[3] - softmax.Weights[1], Agreement);
        Assert.Equal(logistic.Bias, softmax.Bias[1] - softmax.Bias[0], Agreement);
    }

    [Fact]
    public void Softmax_regression_classifies_held_out_digits()
    {
        Dataset digits = EmbeddedDatasets.Digits();
        double[,] all = LinearModels.ToMatrix(digits.Features, digits.FeatureCount);
        int train = 1200, d = digits.FeatureCount;
        var x = new double[train, d];
        for (int i = 0; i < train; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i, j] = all[i, j] / 16;
            }
        }
        SoftmaxModel model = LinearModels.SoftmaxRegressionGradientDescent(x, digits.Labels[..train], 10, 1e-3, new GradientDescentOptions(1, 300, 1e-8));
        int correct = 0;
        var row = new double[d];
        for (int i = train; i < digits.Count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                row[j] = all[i, j] / 16;
            }
            correct += model.Predict(row) == digits.Labels[i] ? 1 : 0;
        }
        double accuracy = (double)correct / (digits.Count - train);
        Assert.True(accuracy > 0.9, $"held-out accuracy {accuracy:F3}");
    }
}
