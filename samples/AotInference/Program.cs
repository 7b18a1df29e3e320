using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Samples.AotInference;

/// <summary>
/// A self-contained Fashion-MNIST classifier: PGM or IDX images in, labels and probabilities out. Published with
/// NativeAOT it is one native file with the weights inside; nothing else is needed beside it.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: AotInference [options] <image>...
          <image>            a 28×28 PGM file (P5 or P2) or an IDX image file (raw or .gz), e.g. t10k-images-idx3-ubyte.gz
          --labels <file>    IDX labels for the IDX images: mark each answer and report the accuracy
          --top <k>          show the k most probable classes (default 3)
          --limit <n>        classify at most n images
          --quiet            print only the summary
          --time             report weight loading and per-image latency
          --info             print what the binary runs on (SIMD width, runtime) and exit
          --extract <idx> <index> <out.pgm>
                             write image <index> of an IDX file as a PGM and exit
        """;

    private static int Main(string[] args)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return Run(args, started);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine("error: " + exception.Message);
            return 1;
        }
    }

    private static int Run(string[] args, long started)
    {
        var images = new List<string>();
        string? labels = null;
        int top = 3, limit = int.MaxValue;
        bool quiet = false, time = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--labels" when i + 1 < args.Length:
                    labels = args[++i];
                    break;
                case "--top" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out top) && top is >= 1 and <= 10:
                    i++;
                    break;
                case "--limit" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out limit) && limit >= 1:
                    i++;
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                case "--time":
                    time = true;
                    break;
                case "--info":
                    PrintInfo();
                    return 0;
                case "--extract" when i + 3 < args.Length && int.TryParse(args[i + 2], CultureInfo.InvariantCulture, out int index):
                    return Extract(args[i + 1], index, args[i + 3]);
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        Console.Error.WriteLine($"error: unknown or incomplete option '{args[i]}'\n\n{Usage}");
                        return 2;
                    }
                    images.Add(args[i]);
                    break;
            }
        }
        if (images.Count == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        long beforeNetwork = Stopwatch.GetTimestamp();
        var network = new FashionClassifier(seed: 0, capacity: 1);
        long beforeLoad = Stopwatch.GetTimestamp();
        network.LoadEmbeddedWeights();
        double createMicroseconds = Stopwatch.GetElapsedTime(beforeNetwork, beforeLoad).TotalMicroseconds;
        double loadMicroseconds = Stopwatch.GetElapsedTime(beforeLoad).TotalMicroseconds;
        double readyMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds;

        var probabilities = new float[FashionClassifier.OutputSize];
        Span<int> order = stackalloc int[FashionClassifier.OutputSize];
        int classified = 0, labeled = 0, correct = 0;
        double predictSeconds = 0;
        var latencies = new List<double>();
        foreach (string path in images)
        {
            string? labelFile = labels is not null && ImageFiles.LooksLikeIdx(path) ? labels : null;
            foreach (LabeledImage image in ImageFiles.Expand(path, labelFile))
            {
                if (classified == limit)
                {
                    break;
                }
                long before = Stopwatch.GetTimestamp();
                network.Predict(image.Pixels, probabilities);
                double seconds = Stopwatch.GetElapsedTime(before).TotalSeconds;
                predictSeconds += seconds;
                latencies.Add(seconds);
                classified++;
                Rank(probabilities, order);
                if (image.Label >= 0)
                {
                    labeled++;
                    correct += order[0] == image.Label ? 1 : 0;
                }
                if (!quiet)
                {
                    PrintAnswer(image, probabilities, order, top);
                }
            }
        }

        if (labeled > 0)
        {
            Console.WriteLine($"accuracy {(double)correct / labeled:P2} ({correct} of {labeled} labeled images)");
        }
        if (time)
        {
            latencies.Sort();
            double median = latencies[latencies.Count / 2] * 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"time: Main to network ready {readyMicroseconds:F0} µs (create {createMicroseconds:F0} µs, load embedded weights {loadMicroseconds:F0} µs); {classified} images, predict mean {predictSeconds / classified * 1e6:F2} µs, median {median:F2} µs per image"));
        }
        return 0;
    }

    private static void PrintAnswer(LabeledImage image, float[] probabilities, ReadOnlySpan<int> order, int top)
    {
        var line = new System.Text.StringBuilder();
        line.Append(image.Source).Append('\t');
        for (int k = 0; k < top; k++)
        {
            int c = order[k];
            line.Append(k == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"{ImageFiles.FashionClasses[c]} {probabilities[c]:P1}");
        }
        if (image.Label >= 0)
        {
            line.Append(order[0] == image.Label ? "\t✓" : $"\t✗ (label {ImageFiles.FashionClasses[image.Label]})");
        }
        Console.WriteLine(line.ToString());
    }

    /// <summary>Class indices by falling probability.</summary>
    private static void Rank(ReadOnlySpan<float> probabilities, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        for (int i = 1; i < order.Length; i++)
        {
            int current = order[i], j = i - 1;
            while (j >= 0 && probabilities[order[j]] < probabilities[current])
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = current;
        }
    }

    private static int Extract(string idx, int index, string output)
    {
        float[] pixels = ImageFiles.ReadIdxImages(idx, out int count);
        if ((uint)index >= (uint)count)
        {
            Console.Error.WriteLine($"error: {idx} has {count} images; index {index} is outside [0, {count}).");
            return 1;
        }
        ImageFiles.WritePgm(output, pixels.AsSpan(index * ImageFiles.PixelCount, ImageFiles.PixelCount));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static void PrintInfo()
    {
        Console.WriteLine($"network: {FashionClassifier.InputSize} → 128 ReLU → {FashionClassifier.OutputSize} softmax, {FashionClassifier.ParameterCount:N0} parameters, weights embedded from {FashionClassifier.EmbeddedWeightsFile} ({FashionClassifier.EmbeddedWeights.Length:N0} bytes)");
        Console.WriteLine($"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {(System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT")}");
        Console.WriteLine($"SIMD: Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}; AVX-512F {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}");
        Console.WriteLine($"kernel path: {(Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar")}");
        _ = VectorOps.ArgMax([0f]);
    }
}
