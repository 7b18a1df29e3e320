using System;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Kernels;
using NetGen.Training;

namespace NetGen.Samples.FashionMnist;

/// <summary>
/// Trains <see cref="FashionMlp"/> on the 60,000 Fashion-MNIST training images with mini-batch SGD and heavy-ball
/// momentum, then scores the 10,000 test images. Exits 1 when test accuracy is below 88 %.
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
        clock.Restart();
        Train(net, train, epochs);
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

    private static void Train(FashionMlp net, Dataset train, int epochs)
    {
        float[] velocity = new float[FashionMlp.ParameterCount];
        float[] outputs = new float[BatchSize * FashionMlp.OutputSize];
        using var batches = new MiniBatchSource(train, BatchSize, seed: Seed);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            // Cosine annealing from η to 0 over the run, one rate per epoch.
            float rate = LearningRate * 0.5f * (1 + MathF.Cos(MathF.PI * (epoch - 1) / epochs));
            double lossSum = 0;
            int correct = 0;
            var clock = Stopwatch.StartNew();
            while (batches.TryNext(out MiniBatch batch))
            {
                net.Forward(batch.Inputs, outputs, batch.Count);
                net.ZeroGradients();
                lossSum += net.Backward(batch.Targets, batch.Count) * batch.Count;
                // Heavy-ball momentum: v ← ρv + g, θ ← θ − ηv.
                Span<float> gradients = net.Gradients;
                for (int i = 0; i < velocity.Length; i++)
                {
                    velocity[i] = Momentum * velocity[i] + gradients[i];
                }
                VectorOps.AddScaled(net.Parameters, velocity, -rate);
                for (int b = 0; b < batch.Count; b++)
                {
                    if (VectorOps.ArgMax(outputs.AsSpan(b * FashionMlp.OutputSize, FashionMlp.OutputSize)) == batch.Labels[b])
                    {
                        correct++;
                    }
                }
            }
            Console.WriteLine($"epoch {epoch,2}/{epochs}  η {rate:F4}  loss {lossSum / train.Count:F4}  train acc {(double)correct / train.Count:P2}  {train.Count / clock.Elapsed.TotalSeconds,8:N0} samples/s");
        }
    }
}
