using System;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.LeNet;

/// <summary>
/// Trains <see cref="LeNet5"/> on the 60,000 Fashion-MNIST training images with Adam and scores the 10,000 test images.
/// Exits 1 when test accuracy is below 89 %.
/// Usage: <c>dotnet run -c Release --project samples/LeNet [-- --data DIR] [--epochs N]</c>.
/// </summary>
internal static class Program
{
    private const double RequiredAccuracy = 0.89;
    private const int BatchSize = 64;
    private const int Seed = 1;

    private static int Main(string[] args)
    {
        if (!FashionSample.TryLoad("LeNet", args, defaultEpochs: 10, out Dataset train, out Dataset test, out int epochs, out int exitCode))
        {
            return exitCode;
        }
        ChannelNormalizer normalizer = ChannelNormalizer.Fit(train);
        normalizer.TransformInPlace(train);
        normalizer.TransformInPlace(test);
        Console.WriteLine($"LeNet-5 {LeNet5.InputSize} → {LeNet5.OutputSize}: {LeNet5.ParameterCount:N0} parameters, {LeNet5.FlopsPerSample:N0} FLOPs per image forward");
        Console.WriteLine($"{train.Count:N0} training and {test.Count:N0} test images; {epochs} epochs of Adam (η = 1e-3 with cosine annealing, batch {BatchSize})");

        var net = new LeNet5(seed: Seed, capacity: BatchSize);
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
        Console.WriteLine($"Test accuracy: {accuracy:P2} on {test.Count:N0} images (training took {seconds:F1} s, {seconds / epochs:F1} s per epoch)");
        if (accuracy < RequiredAccuracy)
        {
            Console.Error.WriteLine($"Test accuracy is below the {RequiredAccuracy:P0} this sample promises.");
            return 1;
        }
        return 0;
    }
}
