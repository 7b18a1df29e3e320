using System;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.SelfNormalizing;

/// <summary>
/// Trains <see cref="SelfNormalizingMlp"/> on Fashion-MNIST: shows that the activations of all eight SELU layers start
/// near mean 0 and variance 1, trains with Adam, scores the test set, and estimates the model's uncertainty on a few test
/// images with Monte-Carlo alpha dropout. Exits 1 when test accuracy is below 88 %.
/// Usage: <c>dotnet run -c Release --project samples/SelfNormalizing [-- --data DIR] [--epochs N]</c>.
/// </summary>
internal static class Program
{
    private const double RequiredAccuracy = 0.88;
    private const int BatchSize = 64;
    private const int Seed = 1;

    private static int Main(string[] args)
    {
        if (!FashionSample.TryLoad("SelfNormalizing", args, defaultEpochs: 10, out Dataset train, out Dataset test, out int epochs, out int exitCode))
        {
            return exitCode;
        }
        // Self-normalization needs standardized inputs: mean 0 and variance 1, fitted on the training set only.
        ChannelNormalizer normalizer = ChannelNormalizer.Fit(train);
        normalizer.TransformInPlace(train);
        normalizer.TransformInPlace(test);

        var net = new SelfNormalizingMlp(seed: Seed, capacity: BatchSize);
        Console.WriteLine($"Self-normalizing MLP: 784 → 8 × 256 SELU (LeCun normal, alpha dropout 0.05) → 10, {SelfNormalizingMlp.ParameterCount:N0} parameters");
        ShowMoments(net, train);

        Console.WriteLine($"{epochs} epoch{(epochs == 1 ? "" : "s")} of Adam (η = 1e-3 with cosine annealing, batch {BatchSize})");
        var trainer = new Trainer(net, new Adam(1e-3f), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            Schedule = LearningRateSchedule.CosineAnnealing(epochs),
            Progress = ProgressDisplay.ForConsole(),
        });
        var clock = Stopwatch.StartNew();
        trainer.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;
        double accuracy = Evaluation.AccuracyOf(net, test);
        Console.WriteLine($"Test accuracy: {accuracy:P2} on {test.Count:N0} images (training took {seconds:F1} s)");

        ShowUncertainty(net, test);
        if (accuracy < RequiredAccuracy)
        {
            Console.Error.WriteLine($"Test accuracy is below the {RequiredAccuracy:P0} this sample promises.");
            return 1;
        }
        return 0;
    }

    /// <summary>Mean and variance of every hidden layer's activations on one batch, before training.</summary>
    private static void ShowMoments(SelfNormalizingMlp net, Dataset train)
    {
        float[] outputs = new float[BatchSize * SelfNormalizingMlp.OutputSize];
        net.Mode = NetworkMode.Inference;
        net.Forward(train.Features.AsSpan(0, BatchSize * SelfNormalizingMlp.InputSize), outputs, BatchSize);
        net.Mode = NetworkMode.Training;
        Console.Write("Activations at initialization (mean / variance):");
        for (int layer = 1; layer <= 8; layer++)
        {
            ReadOnlySpan<float> values = net.LayerOutput("h" + layer);
            double sum = 0, squares = 0;
            foreach (float v in values)
            {
                sum += v;
                squares += (double)v * v;
            }
            double mean = sum / values.Length;
            Console.Write($"  h{layer} {mean:+0.00;-0.00} / {squares / values.Length - mean * mean:F2}");
        }
        Console.WriteLine();
    }

    /// <summary>Monte-Carlo alpha dropout: 100 stochastic passes per image; the spread of the winning class's probability
    /// says how sure the model is.</summary>
    private static void ShowUncertainty(SelfNormalizingMlp net, Dataset test)
    {
        Console.WriteLine("Monte-Carlo dropout on the first test images (100 passes each):");
        for (int i = 0; i < 6; i++)
        {
            (float[] mean, float[] spread) = MonteCarloDropout.Predict(net, test.Sample(i), passes: 100);
            int predicted = Kernels.VectorOps.ArgMax(mean);
            string label = test.ClassNames?[test.Labels[i]] ?? test.Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            string guess = test.ClassNames?[predicted] ?? predicted.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"  image {i}: {label,-12} predicted {guess,-12} p = {mean[predicted]:F3} ± {spread[predicted]:F3}");
        }
    }
}
