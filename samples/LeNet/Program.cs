using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
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
        string? directory = null;
        int epochs = 10;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    directory = args[++i];
                    break;
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0:
                    epochs = n;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine("usage: LeNet [--data DIRECTORY] [--epochs N]");
                    return 2;
            }
        }

        Dataset train, test;
        try
        {
            (train, test) = FashionMnist.Load(directory);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
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
