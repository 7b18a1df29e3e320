using System;
using NetGen.Data;
using NetGen.Kernels;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>Softmax regression on the 8×8 digits: small enough to train five times in a test.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(64)]
[Dense(10, Name = "fc")]
public partial class DigitsSoftmaxRegression;

public class CrossValidationTests
{
    [Fact]
    public void Five_fold_cross_validation_trains_one_model_per_fold_and_reports_the_spread()
    {
        Dataset digits = EmbeddedDatasets.Digits();
        Fold[] folds = Splits.StratifiedKFold(digits.Labels, 5, seed: 1);
        int created = 0;
        CrossValidationResult result = CrossValidation.Run(
            digits,
            folds,
            fold => { created++; return new DigitsSoftmaxRegression(seed: fold, capacity: 32); },
            (net, train, validation) =>
            {
                MinMaxScaler scaler = MinMaxScaler.Fit(train); // fitted on the fold's training part only
                scaler.TransformInPlace(train);
                scaler.TransformInPlace(validation);
                using var batches = new MiniBatchSource(train, 32, seed: 7);
                float[] outputs = new float[32 * 10];
                for (int epoch = 0; epoch < 8; epoch++)
                {
                    while (batches.TryNext(out MiniBatch batch))
                    {
                        net.Forward(batch.Inputs, outputs, batch.Count);
                        net.ZeroGradients();
                        net.Backward(batch.Targets, batch.Count);
                        VectorOps.AddScaled(net.Parameters, net.Gradients, -0.5f);
                    }
                }
                return Evaluation.AccuracyOf(net, validation);
            });
        Assert.Equal(5, created);
        Assert.Equal(5, result.Scores.Length);
        Assert.InRange(result.Mean, 0.9, 1.0);
        Assert.InRange(result.StandardDeviation, 1e-6, 0.05);
        TestContext.Current.TestOutputHelper?.WriteLine($"digits, softmax regression, 5-fold: {result}");
    }
}
