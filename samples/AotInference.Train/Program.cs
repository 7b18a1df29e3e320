using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen.IO;
using NetGen.Kernels;

namespace NetGen.Samples.AotInference.Train;

/// <summary>
/// Produces samples/AotInference/fashion-mlp.safetensors: trains <see cref="FashionMlp"/> on the Fashion-MNIST training
/// set (Debian package dataset-fashion-mnist), reports test accuracy, saves the weights, and reloads them to check the
/// round trip. Seeded: the same machine gives the same file.
/// <code>dotnet run -c Release --project samples/AotInference.Train -- [data directory] [output file]</code>
/// </summary>
internal static class Program
{
    private const int Epochs = 8;
    private const int BatchSize = 64;
    private const float LearningRate = 0.1f;
    private const int Seed = 2024;

    private static int Main(string[] args)
    {
        string data = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
        string output = args.Length > 1 ? args[1] : Path.Combine("samples", "AotInference", "fashion-mlp.safetensors");
        float[] trainImages = ImageFiles.ReadIdxImages(Path.Combine(data, "train-images-idx3-ubyte.gz"), out int trainCount);
        byte[] trainLabels = ImageFiles.ReadIdxLabels(Path.Combine(data, "train-labels-idx1-ubyte.gz"));
        float[] testImages = ImageFiles.ReadIdxImages(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), out int testCount);
        byte[] testLabels = ImageFiles.ReadIdxLabels(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));
        Console.WriteLine($"Fashion-MNIST: {trainCount} training and {testCount} test images; {FashionMlp.ParameterCount:N0} parameters; {Epochs} epochs of SGD (batch {BatchSize}, η = {LearningRate})");

        var network = new FashionMlp(seed: Seed, capacity: BatchSize);
        var clock = Stopwatch.StartNew();
        Train(network, trainImages, trainLabels, trainCount);
        double accuracy = Accuracy(network, testImages, testLabels, testCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy {accuracy:P2} after {clock.Elapsed.TotalSeconds:F1} s"));

        network.Save(output, new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["netgen.network"] = "FashionMlp",
            ["dataset"] = "Fashion-MNIST",
            ["test_accuracy"] = accuracy.ToString("F4", CultureInfo.InvariantCulture),
            ["training"] = $"{Epochs} epochs SGD batch {BatchSize} lr {LearningRate.ToString(CultureInfo.InvariantCulture)} seed {Seed}",
        });
        var reloaded = new FashionMlp(seed: Seed + 1, capacity: 1);
        reloaded.Load(output);
        if (!network.Parameters.SequenceEqual(reloaded.Parameters))
        {
            Console.Error.WriteLine($"{output}: the reloaded parameters differ from the saved ones.");
            return 1;
        }
        Console.WriteLine($"saved {Path.GetFullPath(output)} ({new FileInfo(output).Length:N0} bytes) and reloaded it bit-identically");
        return accuracy >= 0.85 ? 0 : 1;
    }

    private static void Train(FashionMlp network, float[] images, byte[] labels, int count)
    {
        var random = new SeededRandom(Seed);
        int[] order = new int[count];
        float[] inputs = new float[BatchSize * FashionMlp.InputSize];
        float[] targets = new float[BatchSize * FashionMlp.OutputSize];
        float[] outputs = new float[BatchSize * FashionMlp.OutputSize];
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }
            random.Shuffle(order.AsSpan());
            double lossSum = 0;
            for (int start = 0; start < count; start += BatchSize)
            {
                int n = Math.Min(BatchSize, count - start);
                Array.Clear(targets);
                for (int b = 0; b < n; b++)
                {
                    int sample = order[start + b];
                    images.AsSpan(sample * FashionMlp.InputSize, FashionMlp.InputSize).CopyTo(inputs.AsSpan(b * FashionMlp.InputSize));
                    targets[b * FashionMlp.OutputSize + labels[sample]] = 1f;
                }
                network.Forward(inputs, outputs, n);
                network.ZeroGradients();
                lossSum += network.Backward(targets, n) * n;
                VectorOps.AddScaled(network.Parameters, network.Gradients, -LearningRate);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{Epochs}: mean loss {lossSum / count:F4}"));
        }
    }

    private static double Accuracy(FashionMlp network, float[] images, byte[] labels, int count)
    {
        float[] scores = new float[FashionMlp.OutputSize];
        int correct = 0;
        for (int i = 0; i < count; i++)
        {
            network.Predict(images.AsSpan(i * FashionMlp.InputSize, FashionMlp.InputSize), scores);
            correct += VectorOps.ArgMax(scores) == labels[i] ? 1 : 0;
        }
        return (double)correct / count;
    }
}
