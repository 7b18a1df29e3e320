using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Samples.LeNet;
using NetGen.Training;

namespace NetGen.Bench.Distributed;

/// <summary>
/// Measures, under <c>mpirun -np P</c>, what data-parallel training spends communicating. Prints JSON lines from rank 0:
/// <c>allreduce</c> — median seconds of an in-place float sum (<c>ICommunicator.StartSum</c> then <c>WaitAll</c>, as the
/// trainer runs it) for sizes from 1 to 16 M floats; <c>lenet-step</c> — median seconds per training step of LeNet-5 at a
/// global batch of 64 split over the ranks: forward and backward, the wait for the slowest rank (a one-value sum), the
/// gradient sum (after the pass), the optimizer step; <c>trainer-step</c> — the trainer's steps of LeNet-5 and of a
/// 9.9 M-parameter MLP at a global batch of 64, with the gradient sums overlapped with the backward pass and without: time
/// per step, and time per step in the communicator's calls (starting and progressing sums, waiting for them after the
/// pass, the blocking sums of loss and counts).
/// Usage: <c>mpirun -np P dotnet NetGen.Bench.Distributed.dll [--repeats N]</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        int repeats = args.Length == 2 && args[0] == "--repeats" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        ICommunicator world = NetGen.Distributed.Communicators.World();
        AllReduceSweep(world, repeats);
        // Threads per rank: the host's cores shared by the ranks on it.
        int localRanks = int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_SIZE"), CultureInfo.InvariantCulture, out int local) ? local : 1;
        int threads = Math.Max(1, Environment.ProcessorCount / localRanks);
        LeNetSteps(world, threads, repeats * 4);
        using (var lenet = new LeNet5(seed: 1, capacity: 64))
        {
            TrainerSteps(world, lenet, "lenet", threads, steps: repeats * 4);
        }
        using (var mlp = new TenMillionMlp(seed: 1, capacity: 64))
        {
            TrainerSteps(world, mlp, "mlp10m", threads, steps: Math.Max(8, repeats / 2));
        }
        return 0;
    }

    /// <summary>Time in the communicator's calls, by kind, as the trainer makes them.</summary>
    private sealed class TimedCommunicator(ICommunicator inner) : ICommunicator
    {
        /// <summary>Seconds in StartSum and Progress: work on the sums the training thread does between its own.</summary>
        public double InlineSeconds;

        /// <summary>Seconds in WaitAll: the part of the gradient sums not done when the backward pass ends.</summary>
        public double WaitSeconds;

        /// <summary>Seconds in the blocking sums of the loss and counts, which also wait for the slowest rank.</summary>
        public double BatchSumSeconds;

        public int Rank => inner.Rank;

        public int Size => inner.Size;

        public void Broadcast(Span<float> buffer, int root) => inner.Broadcast(buffer, root);

        public void StartSum(Span<float> buffer) => Timed(ref InlineSeconds, buffer, static (c, b) => c.StartSum(b));

        public void Progress() => Timed(ref InlineSeconds, default, static (c, _) => c.Progress());

        public void WaitAll() => Timed(ref WaitSeconds, default, static (c, _) => c.WaitAll());

        public void Sum(Span<double> values)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Sum(values);
            BatchSumSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public bool AllEqual(ulong value) => inner.AllEqual(value);

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Abort(int exitCode) => inner.Abort(exitCode);

        private delegate void Call(ICommunicator communicator, Span<float> buffer);

        private void Timed(ref double seconds, Span<float> buffer, Call call)
        {
            long start = Stopwatch.GetTimestamp();
            call(inner, buffer);
            seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    /// <summary>
    /// Trainer steps at a global batch of 64 (32 per rank at 2 ranks) on random data, with the gradient sums overlapped
    /// with the backward pass and started after it, in alternating runs of <paramref name="steps"/> steps (which goes first
    /// changes each round: the later of two runs tends to be faster): per mode, the median over the rounds of the time per
    /// step and of the time per step in the communicator's calls.
    /// </summary>
    private static void TrainerSteps(ICommunicator world, INetwork net, string name, int threads, int steps)
    {
        const int GlobalBatch = 64, Rounds = 5;
        net.Threads = threads;
        var random = new SeededRandom(11);
        int samples = steps * GlobalBatch;
        float[] inputs = new float[samples * net.InputSize];
        float[] targets = new float[samples * net.OutputSize];
        int[] labels = new int[samples];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextGaussian();
        }
        for (int b = 0; b < samples; b++)
        {
            labels[b] = random.NextInt(net.OutputSize);
            targets[b * net.OutputSize + labels[b]] = 1f;
        }
        var data = new TrainingData(inputs, targets, net.InputSize, net.OutputSize, labels, net.OutputSize);
        // Per mode (0: after the pass, 1: overlapped), per round: seconds per step, and in StartSum and Progress, WaitAll, Sum.
        var timings = new double[2, 4, Rounds];
        for (int round = -1; round < Rounds; round++)
        {
            foreach (int mode in round % 2 == 0 ? new[] { 1, 0 } : new[] { 0, 1 })
            {
                var timed = new TimedCommunicator(world);
                var trainer = new Trainer(net, new Sgd(1e-3f), new TrainerOptions
                {
                    Epochs = 1,
                    BatchSize = GlobalBatch,
                    Shuffle = false,
                    Communicator = timed,
                    OverlapGradientSums = mode == 1,
                    StopOnNonFinite = false,
                    ReplicaCheckEverySteps = 0,
                });
                int ran = 0;
                trainer.BatchEnded += _ => ran++;
                world.Sum(new double[1]); // start together
                long start = Stopwatch.GetTimestamp();
                trainer.Fit(data);
                double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (ran != steps)
                {
                    throw new InvalidOperationException($"{name}: {ran} steps ran, not {steps}");
                }
                if (round >= 0)
                {
                    timings[mode, 0, round] = elapsed / steps;
                    timings[mode, 1, round] = timed.InlineSeconds / steps;
                    timings[mode, 2, round] = timed.WaitSeconds / steps;
                    timings[mode, 3, round] = timed.BatchSumSeconds / steps;
                }
            }
        }
        for (int mode = 0; mode < 2; mode++)
        {
            double Of(int what) => Median([.. Enumerable.Range(0, Rounds).Select(round => timings[mode, what, round])]);
            Report(world, string.Create(CultureInfo.InvariantCulture, $"{{\"name\":\"trainer-step\",\"network\":\"{name}\",\"parameters\":{net.ParameterCount},\"ranks\":{world.Size},\"threads\":{threads},\"global_batch\":{GlobalBatch},\"overlap\":{(mode == 1 ? "true" : "false")},\"step_seconds\":{Of(0):R},\"inline_seconds\":{Of(1):R},\"wait_seconds\":{Of(2):R},\"batch_sum_seconds\":{Of(3):R}}}"));
        }
    }

    private static void AllReduceSweep(ICommunicator world, int repeats)
    {
        float[] buffer = GC.AllocateArray<float>(1 << 24, pinned: true);
        double[] barrier = new double[1];
        for (int floats = 1; floats <= buffer.Length; floats *= 4)
        {
            Span<float> values = buffer.AsSpan(0, floats);
            int rounds = floats >= 1 << 22 ? Math.Max(5, repeats / 4) : repeats;
            double[] seconds = new double[rounds];
            for (int r = -2; r < rounds; r++)
            {
                world.Sum(barrier); // start together
                long start = Stopwatch.GetTimestamp();
                world.StartSum(values);
                world.WaitAll();
                double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (r >= 0)
                {
                    seconds[r] = elapsed;
                }
            }
            Report(world, string.Create(CultureInfo.InvariantCulture, $"{{\"name\":\"allreduce\",\"ranks\":{world.Size},\"floats\":{floats},\"bytes\":{4L * floats},\"seconds\":{Median(seconds):R}}}"));
        }
    }

    private static void LeNetSteps(ICommunicator world, int threads, int steps)
    {
        const int GlobalBatch = 64;
        int local = GlobalBatch / world.Size;
        using var net = new LeNet5(seed: 1, capacity: local);
        net.Threads = threads;
        var random = new SeededRandom(3 + world.Rank);
        float[] inputs = new float[local * LeNet5.InputSize];
        float[] targets = new float[local * LeNet5.OutputSize];
        float[] outputs = new float[local * LeNet5.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextGaussian();
        }
        for (int b = 0; b < local; b++)
        {
            targets[b * LeNet5.OutputSize + random.NextInt(LeNet5.OutputSize)] = 1f;
        }
        var optimizer = new Adam(1e-3f);
        double[] compute = new double[steps], skew = new double[steps], communicate = new double[steps], update = new double[steps];
        double[] barrier = new double[1];
        for (int s = -5; s < steps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            net.ZeroGradients();
            net.Forward(inputs, outputs, local);
            net.Backward(targets, local);
            long t1 = Stopwatch.GetTimestamp();
            // Waits for the slowest rank, so that the sum after it is timed as transfer alone.
            world.Sum(barrier);
            long t1b = Stopwatch.GetTimestamp();
            world.StartSum(net.Gradients);
            world.WaitAll();
            long t2 = Stopwatch.GetTimestamp();
            optimizer.Step(net);
            long t3 = Stopwatch.GetTimestamp();
            if (s >= 0)
            {
                compute[s] = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
                skew[s] = Stopwatch.GetElapsedTime(t1, t1b).TotalSeconds;
                communicate[s] = Stopwatch.GetElapsedTime(t1b, t2).TotalSeconds;
                update[s] = Stopwatch.GetElapsedTime(t2, t3).TotalSeconds;
            }
        }
        Report(world, string.Create(CultureInfo.InvariantCulture, $"{{\"name\":\"lenet-step\",\"ranks\":{world.Size},\"global_batch\":{GlobalBatch},\"parameters\":{LeNet5.ParameterCount},\"forward_backward_seconds\":{Median(compute):R},\"wait_for_slowest_seconds\":{Median(skew):R},\"allreduce_seconds\":{Median(communicate):R},\"optimizer_seconds\":{Median(update):R}}}"));
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static void Report(ICommunicator world, string json)
    {
        if (world.Rank == 0)
        {
            Console.WriteLine(json);
        }
    }
}

/// <summary>784 → 3,000 → 2,500 → 10, ReLU: 9,882,510 parameters, the "10 M-parameter network" of the scaling model.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(3000, Activation.ReLU)]
[Dense(2500, Activation.ReLU)]
[Dense(10)]
internal partial class TenMillionMlp;
