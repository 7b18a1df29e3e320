using System;
using System.Linq;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Distributed.TestApp;

/// <summary>A classifier for the data-parallel tests: 4 → 16 ReLU → 3 logits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(16, Activation.ReLU, Name = "fc1")]
[Dense(3, Name = "fc2")]
public partial class BlobClassifier;

/// <summary>The same with batch normalization, whose running statistics every rank must also agree on.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(16, Name = "fc1")]
[BatchNorm(Activation.ReLU, Name = "bn1")]
[Dense(3, Name = "fc2")]
public partial class NormalizedBlobClassifier;

/// <summary>Wide enough for several gradient buckets: fc2's start while the backward pass still runs fc1.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(256, Activation.ReLU, Name = "fc1")]
[Dense(128, Activation.ReLU, Name = "fc2")]
[Dense(3, Name = "fc3")]
public partial class WideBlobClassifier;

/// <summary>
/// Trains a small classifier on Gaussian blobs, alone or as one rank of <c>mpirun</c>, for the data-parallel tests, which
/// parse its output: rank 0 prints <c>loss STEP VALUE</c> per step, every rank prints <c>hash RANK HASH</c> at the end.
/// Options: <c>--epochs N --batch N --network plain|batchnorm|wide --overlap 0|1 --class-weights w0,w1,w2 --checkpoint PATH --resume PATH --kill-rank R --throw-rank R
/// --perturb-rank R --at-step N --check-every N --files DIR --fail-before-fit R --rate η</c>. <c>--files DIR</c> gives every rank
/// its own history, learning-curve and checkpoint paths in DIR (named after the rank) and a progress display on standard
/// output. Exit codes: 0 done, 3 the replicas disagreed, 4 training diverged.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        int Option(string name, int fallback) => options.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        ICommunicator world = Communicators.World();
        if (world.Rank == Option("fail-before-fit", -1))
        {
            throw new InvalidOperationException($"rank {world.Rank} fails on purpose before training");
        }
        string? files = options.GetValueOrDefault("files");
        int epochs = Option("epochs", 3), batch = Option("batch", 16), atStep = Option("at-step", 5);
        using INetwork net = options.GetValueOrDefault("network", "plain") switch
        {
            "plain" => new BlobClassifier(seed: 3, capacity: batch),
            "batchnorm" => new NormalizedBlobClassifier(seed: 3, capacity: batch),
            "wide" => new WideBlobClassifier(seed: 3, capacity: batch),
            string other => throw new ArgumentException($"unknown network '{other}'"),
        };
        if (world.Rank != 0)
        {
            // Different initial weights on the other ranks: training must start from rank 0's.
            net.Initialize(100 + world.Rank);
        }
        float rate = options.TryGetValue("rate", out string? given) ? float.Parse(given, CultureInfo.InvariantCulture) : 0.05f;
        var trainer = new Trainer(net, new Momentum(rate, 0.9f), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = batch,
            Seed = 7,
            Communicator = world,
            CheckpointPath = files is null ? options.GetValueOrDefault("checkpoint") : System.IO.Path.Combine(files, $"rank{world.Rank}.ckpt"),
            HistoryCsvPath = files is null ? null : System.IO.Path.Combine(files, $"rank{world.Rank}.csv"),
            LearningCurvePath = files is null ? null : System.IO.Path.Combine(files, $"rank{world.Rank}.svg"),
            Progress = files is null ? null : new ProgressDisplay(Console.Out, interactive: false),
            ReplicaCheckEverySteps = Option("check-every", 100),
            OverlapGradientSums = Option("overlap", 1) != 0,
            ClassWeights = options.TryGetValue("class-weights", out string? classWeights)
                ? [.. classWeights.Split(',').Select(w => float.Parse(w, CultureInfo.InvariantCulture))]
                : null,
        });
        if (options.TryGetValue("resume", out string? resume))
        {
            trainer.Resume(resume);
        }
        trainer.BatchEnded += report =>
        {
            if (world.Rank == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss {report.Step} {report.Loss:R}"));
            }
            if (report.Step == atStep && world.Rank == Option("kill-rank", -1))
            {
                Console.Out.Flush();
                Process.GetCurrentProcess().Kill();
            }
            if (report.Step == atStep && world.Rank == Option("throw-rank", -1))
            {
                throw new InvalidOperationException($"rank {world.Rank} fails on purpose at step {atStep}");
            }
            if (report.Step == atStep && world.Rank == Option("perturb-rank", -1))
            {
                net.Parameters[0] += 1e-3f;
            }
        };
        try
        {
            trainer.Fit(Blobs(103));
        }
        catch (ReplicaMismatchException e)
        {
            Console.WriteLine($"mismatch {world.Rank} {e.Message}");
            return 3;
        }
        catch (TrainingDivergedException e)
        {
            Console.WriteLine($"diverged {world.Rank} step {e.Step}");
            return 4;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hash {world.Rank} {Hash(net):X16}"));
        return 0;
    }

    /// <summary>FNV-1a over the parameters' bytes (and the running statistics of a network with batch normalization).</summary>
    private static ulong Hash(INetwork net)
    {
        ulong hash = 0xCBF29CE484222325;
        Span<float> state = net is CompilerServices.INetworkEngine engine ? engine.State : [];
        foreach (byte b in MemoryMarshal.AsBytes(net.Parameters))
        {
            hash = (hash ^ b) * 0x100000001B3;
        }
        foreach (byte b in MemoryMarshal.AsBytes(state))
        {
            hash = (hash ^ b) * 0x100000001B3;
        }
        return hash;
    }

    /// <summary>Three Gaussian blobs in 4-D; 103 samples leave a partial last batch of 7 at batch 16.</summary>
    private static TrainingData Blobs(int count)
    {
        var random = new SeededRandom(5);
        float[] inputs = new float[count * 4];
        float[] targets = new float[count * 3];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            for (int f = 0; f < 4; f++)
            {
                double center = f == label ? 2.0 : f == 3 ? -1.0 + label : 0.0;
                inputs[i * 4 + f] = (float)(center + 0.8 * random.NextGaussian());
            }
            labels[i] = label;
            targets[i * 3 + label] = 1f;
        }
        return new TrainingData(inputs, targets, 4, 3, labels, 3);
    }
}
