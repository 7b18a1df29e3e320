using NetGen.Classical;
using Xunit;

namespace NetGen.Tests.Classical;

public sealed class PerceptronTests
{
    private static readonly double[,] s_booleanInputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    private static double[,] SeparableCloud(out int[] labels)
    {
        // 60 points on both sides of 0.8·x₀ − 0.6·x₁ + 0.1 = 0 with a margin of at least 0.1.
        var random = new SeededRandom(7);
        var x = new double[60, 2];
        labels = new int[60];
        for (int i = 0; i < 60;)
        {
            double a = 4 * random.NextDouble() - 2, b = 4 * random.NextDouble() - 2;
            double score = 0.8 * a - 0.6 * b + 0.1;
            if (System.Math.Abs(score) < 0.1)
            {
                continue;
            }
            (x[i, 0], x[i, 1], labels[i]) = (a, b, score > 0 ? 1 : -1);
            i++;
        }
        return x;
    }

    [Fact]
    public void Primal_perceptron_converges_on_separable_data_and_separates_it()
    {
        double[,] x = SeparableCloud(out int[] y);
        PerceptronResult result = Perceptron.TrainPrimal(x, y, maxEpochs: 1000);
        Assert.True(result.Converged);
        Assert.True(result.Epochs < 1000);
        Assert.Equal(0, result.MistakesPerEpoch[^1]);
        for (int i = 0; i < y.Length; i++)
        {
            double score = Perceptron.Score(result.Weights, result.Bias, [x[i, 0], x[i, 1]]);
            Assert.True(y[i] * score > 0, $"sample {i} is not strictly on its side: y·score = {y[i] * score}");
        }
    }

    [Fact]
    public void Dual_form_makes_the_same_updates_as_the_primal_form()
    {
        double[,] x = SeparableCloud(out int[] y);
        PerceptronResult primal = Perceptron.TrainPrimal(x, y, learningRate: 0.5);
        PerceptronResult dual = Perceptron.TrainDual(x, y, learningRate: 0.5);
        Assert.True(dual.Converged);
        Assert.Equal(primal.Epochs, dual.Epochs);
        Assert.Equal(primal.MistakesPerEpoch, dual.MistakesPerEpoch);
        Assert.Equal(primal.Bias, dual.Bias, 12);
        Assert.Equal(primal.Weights[0], dual.Weights[0], 10);
        Assert.Equal(primal.Weights[1], dual.Weights[1], 10);
        Assert.NotNull(dual.Alpha);
        double updates = 0;
        foreach (double a in dual.Alpha)
        {
            updates += a / 0.5;
        }
        Assert.Equal(System.Linq.Enumerable.Sum(primal.MistakesPerEpoch), updates, 9);
    }

    [Fact]
    public void Perceptron_learns_NAND()
    {
        int[] nand = [1, 1, 1, -1];
        PerceptronResult result = Perceptron.TrainPrimal(s_booleanInputs, nand);
        Assert.True(result.Converged);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(nand[i], result.Predict([s_booleanInputs[i, 0], s_booleanInputs[i, 1]]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Perceptron_reports_non_convergence_on_XOR_after_the_epoch_bound(bool dual)
    {
        int[] xor = [-1, 1, 1, -1];
        PerceptronResult result = dual ? Perceptron.TrainDual(s_booleanInputs, xor, maxEpochs: 50) : Perceptron.TrainPrimal(s_booleanInputs, xor, maxEpochs: 50);
        Assert.False(result.Converged);
        Assert.Equal(50, result.Epochs);
        Assert.All(result.MistakesPerEpoch, m => Assert.True(m > 0));
    }

    [Fact]
    public void A_score_of_zero_is_a_mistake_in_training_and_plus_one_in_prediction()
    {
        Assert.Equal(1, Perceptron.Sign(0));
        Assert.Equal(-1, Perceptron.Sign(-1e-300));
        // w = 0, b = 0 scores 0 on the only sample, labelled +1: sign(0) = +1 would call it right, training still updates.
        PerceptronResult result = Perceptron.TrainPrimal(new double[,] { { 0, 0 } }, [1]);
        Assert.Equal([1, 0], result.MistakesPerEpoch);
        Assert.Equal(1, result.Bias);
    }

    [Fact]
    public void Perceptron_separates_zeros_from_ones_in_the_embedded_digits()
    {
        NetGen.Data.Dataset digits = NetGen.Data.EmbeddedDatasets.Digits();
        var rows = new System.Collections.Generic.List<int>();
        for (int i = 0; i < digits.Count; i++)
        {
            if (digits.Labels[i] is 0 or 1)
            {
                rows.Add(i);
            }
        }
        var x = new double[rows.Count, digits.FeatureCount];
        var y = new int[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            System.ReadOnlySpan<float> sample = digits.Sample(rows[r]);
            for (int j = 0; j < digits.FeatureCount; j++)
            {
                x[r, j] = sample[j] / 16.0;
            }
            y[r] = digits.Labels[rows[r]] == 1 ? 1 : -1;
        }
        PerceptronResult result = Perceptron.TrainPrimal(x, y, maxEpochs: 100);
        Assert.True(result.Converged, $"mistakes per epoch: {string.Join(", ", result.MistakesPerEpoch)}");
        Assert.True(rows.Count > 350);
    }

    [Fact]
    public void Labels_other_than_plus_minus_one_are_rejected()
    {
        var error = Assert.Throws<System.ArgumentException>(() => Perceptron.TrainPrimal(s_booleanInputs, [0, 1, 1, 0]));
        Assert.Contains("Label 0 is 0", error.Message, System.StringComparison.Ordinal);
    }
}
