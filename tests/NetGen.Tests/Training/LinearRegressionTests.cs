using System;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Gradient descent on linear regression reaches the closed-form least-squares solution (XᵀX)⁻¹Xᵀy (003 §4.1).</summary>
public sealed class LinearRegressionTests
{
    [Fact]
    public void Full_batch_gradient_descent_reaches_the_closed_form_solution()
    {
        const int n = 60;
        var random = new SeededRandom(2024);
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int f = 0; f < 3; f++)
            {
                x[i * 3 + f] = (float)(random.NextGaussian() + (f == 2 ? 1.0 : 0.0));
            }
            // Noise, so the optimum is not simply the generating weights.
            y[i] = (float)(1.5 * x[i * 3] - 2.0 * x[i * 3 + 1] + 0.25 * x[i * 3 + 2] + 0.7 + 0.3 * random.NextGaussian());
        }
        double[] closedForm = LeastSquares(x, y, n);

        var model = new LinearModel(seed: 1, capacity: n);
        var trainer = new Trainer(model, new Sgd(0.3f), new TrainerOptions { Epochs = 600, BatchSize = n, Shuffle = false });
        trainer.Fit(new TrainingData(x, y, 3, 1), null, TestContext.Current.CancellationToken);

        float[] w = new float[3];
        float[] b = new float[1];
        foreach (ParameterTensor tensor in LinearModel.ParameterTensors)
        {
            tensor.CopyTo(model.Parameters, tensor.Kind == ParameterKind.Weight ? w : b);
        }
        for (int f = 0; f < 3; f++)
        {
            Assert.True(Math.Abs(w[f] - closedForm[f]) < 1e-4, $"w[{f}] = {w[f]}, closed form {closedForm[f]}");
        }
        Assert.True(Math.Abs(b[0] - closedForm[3]) < 1e-4, $"b = {b[0]}, closed form {closedForm[3]}");
    }

    /// <summary>Solves the normal equations (AᵀA)θ = Aᵀy with A = [X | 1] by Gaussian elimination with partial pivoting.</summary>
    private static double[] LeastSquares(float[] x, float[] y, int n)
    {
        const int m = 4;
        double[,] a = new double[m, m + 1];
        for (int i = 0; i < n; i++)
        {
            double[] row = [x[i * 3], x[i * 3 + 1], x[i * 3 + 2], 1.0];
            for (int r = 0; r < m; r++)
            {
                for (int c = 0; c < m; c++)
                {
                    a[r, c] += row[r] * row[c];
                }
                a[r, m] += row[r] * y[i];
            }
        }
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }
            for (int c = 0; c <= m; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }
            for (int r = 0; r < m; r++)
            {
                if (r == col)
                {
                    continue;
                }
                double factor = a[r, col] / a[col, col];
                for (int c = col; c <= m; c++)
                {
                    a[r, c] -= factor * a[col, c];
                }
            }
        }
        double[] solution = new double[m];
        for (int r = 0; r < m; r++)
        {
            solution[r] = a[r, m] / a[r, r];
        }
        return solution;
    }
}
