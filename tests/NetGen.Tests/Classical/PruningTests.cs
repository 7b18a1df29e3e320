using System;
using System.Linq;
using NetGen.Classical;
using NetGen.Optimizers;
using NetGen.Tests.Numerics;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Classical;

/// <summary>A linear least-squares model: its loss ½·mean(wᵀx + b − y)² is exactly quadratic in the parameters.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(3)]
[Dense(1, Name = "fc")]
public partial class LeastSquares;

public sealed class PruningTests
{
    private const int Samples = 64;

    /// <summary>y = 2·x₀ − 0.5·x₁ + 1·x₂ + 0.3 + noise, with x₀ ten times smaller in scale than the others: the largest
    /// weight (w₀) contributes least to the fit, so saliency and magnitude disagree.</summary>
    private static (double[,] X, float[] Inputs, float[] Targets) Problem()
    {
        var random = new SeededRandom(21);
        var x = new double[Samples, 3];
        var inputs = new float[Samples * 3];
        var targets = new float[Samples];
        for (int i = 0; i < Samples; i++)
        {
            float a = (float)(0.1 * random.NextGaussian()), b = (float)random.NextGaussian(), c = (float)random.NextGaussian();
            (inputs[3 * i], inputs[3 * i + 1], inputs[3 * i + 2]) = (a, b, c);
            (x[i, 0], x[i, 1], x[i, 2]) = (a, b, c);
            targets[i] = (float)(2 * a - 0.5 * b + c + 0.3 + 0.1 * random.NextGaussian());
        }
        return (x, inputs, targets);
    }

    /// <summary>½·mean residual² of the least-squares refit on the given feature columns (double, independent of the network).</summary>
    private static double RefitLoss(double[,] x, float[] targets, int[] columns)
    {
        var reduced = new double[Samples, columns.Length];
        var y = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                reduced[i, c] = x[i, columns[c]];
            }
            y[i] = targets[i];
        }
        LinearModel model = LinearModels.LinearRegressionNormalEquations(reduced, y);
        double loss = 0;
        var row = new double[columns.Length];
        for (int i = 0; i < Samples; i++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                row[c] = reduced[i, c];
            }
            double r = model.Score(row) - y[i];
            loss += 0.5 * r * r / Samples;
        }
        return loss;
    }

    private static LeastSquares FittedNetwork(double[,] x, float[] targets)
    {
        var net = new LeastSquares(seed: 0, capacity: 16);
        LinearModel fit = LinearModels.LinearRegressionNormalEquations(x, Array.ConvertAll(targets, v => (double)v));
        OracleTests.SetTensor(net, "fc.weight", Array.ConvertAll(fit.Weights, v => (float)v));
        OracleTests.SetTensor(net, "fc.bias", [(float)fit.Bias]);
        return net;
    }

    /// <summary>Buffer index of fc.weight[0, column] (the weight tensor comes first in PyTorch order).</summary>
    private static int BufferIndexOfWeight(INetwork net, int column) => NetworkDerivativeTests.ReferenceToBuffer(net)[column];

    [Fact]
    public void Optimal_brain_surgeon_removes_the_least_salient_weight_and_the_loss_matches_the_quadratic_prediction()
    {
        (double[,] x, float[] inputs, float[] targets) = Problem();
        LeastSquares net = FittedNetwork(x, targets);
        double full = RefitLoss(x, targets, [0, 1, 2]);

        // Independent saliencies: the exact loss increase when weight j is forced to 0 and the rest refitted.
        double[] increase = [RefitLoss(x, targets, [1, 2]) - full, RefitLoss(x, targets, [0, 2]) - full, RefitLoss(x, targets, [0, 1]) - full];
        int leastSalient = Array.IndexOf(increase, increase.Min());
        Assert.Equal(0, leastSalient); // by construction: w₀ is the largest weight but matters least

        var mask = PruningMask.For(net);
        SurgeonStep step = Pruning.OptimalBrainSurgeon(net, mask, inputs, targets, Samples);
        Assert.Equal(BufferIndexOfWeight(net, leastSalient), step.Index);
        Assert.Equal(increase[leastSalient], step.Saliency, 1e-3 * increase[leastSalient]);
        Assert.Equal(0f, net.Parameters[step.Index]);
        double after = NetworkDerivatives.MeanLoss(net, inputs, targets, Samples);
        Assert.Equal(step.LossBefore + step.Saliency, after, 2e-3 * step.Saliency);
        Assert.Equal(full + increase[leastSalient], after, 2e-3 * step.Saliency);

        // The second removal works on the Hessian of the remaining parameters, with the first weight held at zero.
        SurgeonStep second = Pruning.OptimalBrainSurgeon(net, mask, inputs, targets, Samples);
        double[] secondIncrease = [RefitLoss(x, targets, [2]) - full, RefitLoss(x, targets, [1]) - full];
        int kept = secondIncrease[0] < secondIncrease[1] ? 2 : 1;
        Assert.Equal(BufferIndexOfWeight(net, 3 - kept), second.Index);
        Assert.Equal(full + secondIncrease.Min(), NetworkDerivatives.MeanLoss(net, inputs, targets, Samples), 2e-3 * secondIncrease.Min());
        Assert.Equal(2, mask.PrunedCount);
    }

    [Fact]
    public void Magnitude_and_brain_damage_choose_by_their_own_criteria()
    {
        (double[,] x, float[] inputs, float[] targets) = Problem();
        LeastSquares byMagnitude = FittedNetwork(x, targets);
        int[] removed = Pruning.ByMagnitude(byMagnitude, PruningMask.For(byMagnitude), 1);
        Assert.Equal(BufferIndexOfWeight(byMagnitude, 1), removed[0]); // |−0.5| is the smallest weight

        LeastSquares byDamage = FittedNetwork(x, targets);
        double[] saliency = Pruning.BrainDamageSaliencies(byDamage, inputs, targets, Samples);
        // For least squares Hᵢᵢ = mean xᵢ², so the OBD saliency is ½wᵢ²·mean xᵢ².
        for (int column = 0; column < 3; column++)
        {
            double meanSquare = 0;
            for (int i = 0; i < Samples; i++)
            {
                meanSquare += x[i, column] * x[i, column] / Samples;
            }
            double w = byDamage.Parameters[BufferIndexOfWeight(byDamage, column)];
            double expected = 0.5 * w * w * meanSquare;
            Assert.Equal(expected, saliency[BufferIndexOfWeight(byDamage, column)], 1e-4 * expected);
        }
        int[] damaged = Pruning.OptimalBrainDamage(byDamage, PruningMask.For(byDamage), 1, inputs, targets, Samples);
        Assert.Equal(BufferIndexOfWeight(byDamage, 0), damaged[0]);
        Assert.Equal(0f, byDamage.Parameters[damaged[0]]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pruned_weights_stay_zero_through_further_training_only_with_the_mask_attached(bool attached)
    {
        var net = new SmallMse(seed: 3, capacity: 16);
        (float[] inputs, float[] targets) = NetworkDerivativeTests.Data(net, 48, 8);
        var mask = PruningMask.For(net);
        int[] removed = Pruning.ByMagnitude(net, mask, 6);
        Assert.All(removed, j => Assert.Equal(0f, net.Parameters[j]));
        float[] before = net.Parameters.ToArray();

        var trainer = new Trainer(net, new Momentum(0.1f), new TrainerOptions { Epochs = 5, BatchSize = 16, Seed = 1 });
        IDisposable? attachment = attached ? mask.AttachTo(trainer) : null;
        trainer.Fit(new TrainingData(inputs, targets, SmallMse.InputSize, SmallMse.OutputSize));
        attachment?.Dispose();

        float[] after = net.Parameters.ToArray();
        Assert.Contains(Enumerable.Range(0, after.Length), j => !mask.IsPruned(j) && after[j] != before[j]);
        if (attached)
        {
            Assert.All(removed, j => Assert.Equal(0f, after[j]));
        }
        else
        {
            Assert.Contains(removed, j => after[j] != 0f);
        }
    }

    [Fact]
    public void Biases_are_never_pruned()
    {
        var net = new SmallMse(seed: 3, capacity: 1);
        var mask = PruningMask.For(net);
        int weights = net.Tensors.Where(t => t.Kind == ParameterKind.Weight).Sum(t => t.Length);
        Pruning.ByMagnitude(net, mask, weights);
        foreach (ParameterTensor tensor in net.Tensors)
        {
            for (int j = tensor.Offset; j < tensor.Offset + tensor.Length; j++)
            {
                Assert.Equal(tensor.Kind == ParameterKind.Weight, mask.IsPruned(j));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Pruning.ByMagnitude(net, mask, 1));
    }
}
