using System;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.FashionMnist;

/// <summary>
/// Trains <see cref="FashionMlp"/> on the 60,000 Fashion-MNIST training images with the runtime's <see cref="Trainer"/>:
/// mini-batch SGD with heavy-ball momentum and cosine annealing, then scores the 10,000 test images. Exits 1 when test accuracy is below 88 %.
/// Usage: <c>dotnet run -c Release --project samples/FashionMnist [-- --data DIR] [--epochs N]</c>.
/// </summary>
internal static class Program
{
    private const double RequiredAccuracy = 0.88;
    private const int BatchSize = 64;
    private const float LearningRate = 0.02f;
    private const float Momentum = 0.9f;
    private const int Seed = 1;

    private static int Main(string[] args)
    {
        var clock = Stopwatch.StartNew();
        if (!FashionSample.TryLoad("FashionMnist", args, defaultEpochs: 15, out Dataset train, out Dataset test, out int epochs, out int exitCode))
        {
            return exitCode;
        }
        double loadMs = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"Loaded {train.Count + test.Count:N0} Fashion-MNIST images ({train.Count:N0} train, {test.Count:N0} test) in {loadMs:F0} ms");

        // Normalize with the training set's pixel mean and deviation only; the test set gets the same numbers.
        ChannelNormalizer normalizer = ChannelNormalizer.Fit(train);
        normalizer.TransformInPlace(train);
        normalizer.TransformInPlace(test);
        Console.WriteLine($"{FashionMlp.InputSize} → 256 ReLU → {FashionMlp.OutputSize} MLP, {FashionMlp.ParameterCount:N0} parameters; " +
            $"{epochs} epochs of SGD (batch {BatchSize}, η = {LearningRate}, momentum {Momentum}, cosine decay)");

        var net = new FashionMlp(seed: Seed, capacity: BatchSize);
        var trainer = new Trainer(net, new Momentum(LearningRate, Momentum), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            Schedule = LearningRateSchedule.CosineAnnealing(epochs),
            Progress = ProgressDisplay.ForConsole(),
        });
        clock.Restart();
        trainer.Fit(train);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        double accuracy = Evaluation.AccuracyOf(net, test);
        Console.WriteLine($"Test accuracy: {accuracy:P2} on {test.Count:N0} images (training took {trainSeconds:F1} s)");
        if (accuracy < RequiredAccuracy)
        {
            Console.Error.WriteLine($"Test accuracy is below the {RequiredAccuracy:P0} this sample promises.");
            return 1;
        }
        return 0;
    }
}
