using System;
using System.Diagnostics;
using System.IO;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.LeNet;

/// <summary>
/// Trains <see cref="LeNet5"/> on the 60,000 Fashion-MNIST training images with Adam and scores the 10,000 test images.
/// Exits 1 when test accuracy is below 89 %.
/// Usage: <c>dotnet run -c Release --project samples/LeNet [-- --data DIR] [--epochs N]</c>. Started by <c>mpirun -np P</c>
/// it trains data-parallel: each of the P processes takes its share of every batch of 64 (docs/distributed.md).
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
        ICommunicator world = Communicators.World();
        // Every rank trains and scores the same model; rank 0 alone prints.
        TextWriter output = world.Rank == 0 ? Console.Out : TextWriter.Null;
        output.WriteLine($"LeNet-5 {LeNet5.InputSize} → {LeNet5.OutputSize}: {LeNet5.ParameterCount:N0} parameters, {LeNet5.FlopsPerSample:N0} FLOPs per image forward");
        output.WriteLine($"{train.Count:N0} training and {test.Count:N0} test images; {epochs} epochs of Adam (η = 1e-3 with cosine annealing, batch {BatchSize}){(world.Size > 1 ? $" over {world.Size} processes" : "")}");

        var net = new LeNet5(seed: Seed, capacity: BatchSize);
        var trainer = new Trainer(net, new Adam(1e-3f), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            Schedule = LearningRateSchedule.CosineAnnealing(epochs),
            Progress = ProgressDisplay.ForConsole(),
            Communicator = world,
        });
        var clock = Stopwatch.StartNew();
        trainer.Fit(train);
        double seconds = clock.Elapsed.TotalSeconds;

        double accuracy = Evaluation.AccuracyOf(net, test);
        output.WriteLine($"Test accuracy: {accuracy:P2} on {test.Count:N0} images (training took {seconds:F1} s, {seconds / epochs:F1} s per epoch)");
        if (accuracy < RequiredAccuracy)
        {
            (world.Rank == 0 ? Console.Error : TextWriter.Null).WriteLine($"Test accuracy is below the {RequiredAccuracy:P0} this sample promises.");
            return 1;
        }
        return 0;
    }
}
