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
/// gradient sum, the optimizer step. <c>hidden_share</c> is the part of the gradient sum overlapped with the backward pass
/// (0: the trainer starts the sums after it).
/// Usage: <c>mpirun -np P dotnet NetGen.Bench.Distributed.dll [--repeats N]</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        int repeats = args.Length == 2 && args[0] == "--repeats" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        ICommunicator world = NetGen.Distributed.Communicators.World();
        AllReduceSweep(world, repeats);
        LeNetSteps(world, repeats * 4);
        return 0;
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

    private static void LeNetSteps(ICommunicator world, int steps)
    {
        const int GlobalBatch = 64;
        int local = GlobalBatch / world.Size;
        using var net = new LeNet5(seed: 1, capacity: local);
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
        Report(world, string.Create(CultureInfo.InvariantCulture, $"{{\"name\":\"lenet-step\",\"ranks\":{world.Size},\"global_batch\":{GlobalBatch},\"parameters\":{LeNet5.ParameterCount},\"forward_backward_seconds\":{Median(compute):R},\"wait_for_slowest_seconds\":{Median(skew):R},\"allreduce_seconds\":{Median(communicate):R},\"optimizer_seconds\":{Median(update):R},\"hidden_share\":0}}"));
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
