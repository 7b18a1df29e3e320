using System;
using System.Diagnostics;
using System.IO;
using NetGen.Data;
using NetGen.IO;
using NetGen.Kernels;

namespace NetGen.Demo;

/// <summary>
/// The main job: train <see cref="DigitsMlp"/> on the UCI handwritten digits embedded in NetGen, report accuracy on a
/// held-out 20 %, and classify a few test images.
/// </summary>
internal static class Program
{
    private const int Epochs = 30;
    private const int BatchSize = 32;
    private const float LearningRate = 0.1f;
    private const int Seed = 1;

    private static int Main()
    {
        Dataset digits = EmbeddedDatasets.Digits();
        ScaleToUnitRange(digits.Features, maximum: 16f);
        (Dataset train, Dataset test) = Split(digits, testFraction: 0.2, seed: Seed);
        Console.WriteLine($"NetGen demo: {DigitsMlp.InputSize} → 64 ReLU → {DigitsMlp.OutputSize} MLP ({DigitsMlp.ParameterCount:N0} parameters) on the UCI digits");
        Console.WriteLine($"{train.Count} training and {test.Count} test images, {Epochs} epochs of mini-batch SGD (batch {BatchSize}, η = {LearningRate})");

        var net = new DigitsMlp(seed: Seed, capacity: BatchSize);
        var progress = new ProgressDisplay(Epochs, train.Count);
        Train(net, train, progress);

        double accuracy = Accuracy(net, test);
        Console.WriteLine($"Test accuracy: {accuracy:P2} ({test.Count} held-out images)");
        ShowPredictions(net, test, count: 3);
        if (!SaveAndReload(net, test))
        {
            return 1;
        }
        if (accuracy < 0.95)
        {
            Console.Error.WriteLine("Accuracy is below the 95 % this demo promises.");
            return 1;
        }
        return 0;
    }

    private static void Train(DigitsMlp net, Dataset train, ProgressDisplay progress)
    {
        var random = new SeededRandom(Seed);
        int[] order = new int[train.Count];
        float[] inputs = new float[BatchSize * DigitsMlp.InputSize];
        float[] targets = new float[BatchSize * DigitsMlp.OutputSize];
        float[] outputs = new float[BatchSize * DigitsMlp.OutputSize];
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
            random.Shuffle(order.AsSpan());
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                int n = Math.Min(BatchSize, order.Length - start);
                Array.Clear(targets);
                for (int b = 0; b < n; b++)
                {
                    int sample = order[start + b];
                    train.Sample(sample).CopyTo(inputs.AsSpan(b * DigitsMlp.InputSize));
                    targets[b * DigitsMlp.OutputSize + train.Labels[sample]] = 1f;
                }
                net.Forward(inputs, outputs, n);
                net.ZeroGradients();
                lossSum += net.Backward(targets, n) * n;
                VectorOps.AddScaled(net.Parameters, net.Gradients, -LearningRate);
                for (int b = 0; b < n; b++)
                {
                    if (VectorOps.ArgMax(outputs.AsSpan(b * DigitsMlp.OutputSize, DigitsMlp.OutputSize)) == train.Labels[order[start + b]])
                    {
                        correct++;
                    }
                }
                progress.Report(epoch, start + n, lossSum / (start + n), (double)correct / (start + n));
            }
            progress.EndEpoch(epoch, lossSum / order.Length, (double)correct / order.Length);
        }
    }

    /// <summary>Saves the trained weights as safetensors (PyTorch state_dict names), reloads them into a fresh network, and
    /// checks that it predicts exactly the same scores.</summary>
    private static bool SaveAndReload(DigitsMlp net, Dataset test)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "digits-mlp.safetensors");
        net.Save(path);
        var reloaded = new DigitsMlp(seed: Seed + 1, capacity: 1);
        reloaded.Load(path);
        DigitsMlp.Output expected = default, actual = default;
        for (int i = 0; i < test.Count; i++)
        {
            net.Predict(test.Sample(i), expected);
            reloaded.Predict(test.Sample(i), actual);
            if (!((ReadOnlySpan<float>)expected).SequenceEqual(actual))
            {
                Console.Error.WriteLine($"{path}: the reloaded network predicts differently on test image {i}.");
                return false;
            }
        }
        Console.WriteLine($"Saved the weights to {path} and reloaded them: identical predictions on all {test.Count} test images");
        return true;
    }

    private static double Accuracy(DigitsMlp net, Dataset data)
    {
        DigitsMlp.Output scores = default;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            net.Predict(data.Sample(i), scores);
            if (VectorOps.ArgMax(scores) == data.Labels[i])
            {
                correct++;
            }
        }
        return (double)correct / data.Count;
    }

    private static void ShowPredictions(DigitsMlp net, Dataset test, int count)
    {
        const string shades = " .:-=+*#%@";
        Console.WriteLine("A few test images and what the network says:");
        Span<float> probabilities = stackalloc float[DigitsMlp.OutputSize];
        for (int i = 0; i < count; i++)
        {
            DigitsMlp.Input image = default;
            test.Sample(i).CopyTo(image);
            DigitsMlp.Output logits = net.Predict(in image);
            ActivationKernels.Softmax(logits, probabilities, 1, DigitsMlp.OutputSize);
            int predicted = VectorOps.ArgMax(probabilities);
            for (int row = 0; row < 8; row++)
            {
                var line = new char[16];
                for (int column = 0; column < 8; column++)
                {
                    char c = shades[(int)(image[row * 8 + column] * (shades.Length - 1))];
                    line[2 * column] = c;
                    line[2 * column + 1] = c;
                }
                string note = row switch
                {
                    2 => $"   predicted {predicted} ({probabilities[predicted]:P1})",
                    4 => $"   label     {test.Labels[i]}",
                    _ => "",
                };
                Console.WriteLine("    " + new string(line) + note);
            }
        }
    }

    private static void ScaleToUnitRange(float[] features, float maximum)
    {
        for (int i = 0; i < features.Length; i++)
        {
            features[i] /= maximum;
        }
    }

    private static (Dataset Train, Dataset Test) Split(Dataset data, double testFraction, int seed)
    {
        int[] order = new int[data.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        new SeededRandom(seed).Shuffle(order.AsSpan());
        int testCount = (int)Math.Round(data.Count * testFraction);
        return (data.Subset(order.AsSpan(testCount)), data.Subset(order.AsSpan(0, testCount)));
    }
}

/// <summary>A bar with ETA and samples/s on a terminal; one plain line per epoch when output is redirected.</summary>
internal sealed class ProgressDisplay(int epochs, int samplesPerEpoch)
{
    private const int BarWidth = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private long _lastDraw;

    public void Report(int epoch, int samplesDone, double loss, double accuracy)
    {
        if (!_interactive || _clock.ElapsedMilliseconds - _lastDraw < 50)
        {
            return;
        }
        _lastDraw = _clock.ElapsedMilliseconds;
        Console.Write("\r" + Line(epoch, samplesDone, loss, accuracy));
    }

    public void EndEpoch(int epoch, double loss, double accuracy)
    {
        string line = Line(epoch, samplesPerEpoch, loss, accuracy);
        Console.Write(_interactive ? "\r" + line + (epoch == epochs ? "\n" : "") : line + "\n");
    }

    private string Line(int epoch, int samplesDone, double loss, double accuracy)
    {
        double done = ((epoch - 1) * (double)samplesPerEpoch + samplesDone) / ((double)epochs * samplesPerEpoch);
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? ((epoch - 1) * (double)samplesPerEpoch + samplesDone) / seconds : 0;
        double eta = done > 0 ? seconds * (1 - done) / done : 0;
        int filled = (int)(done * BarWidth);
        string bar = new string('█', filled) + new string('░', BarWidth - filled);
        return $"epoch {epoch,3}/{epochs} {bar} loss {loss:F4}  train acc {accuracy:P1}  {rate,9:N0} samples/s  ETA {eta,4:F1}s";
    }
}
