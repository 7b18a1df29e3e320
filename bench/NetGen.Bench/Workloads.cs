using System;
using System.Collections.Generic;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Bench;

/// <summary>The workloads of <c>torch_bench.py</c>, in its order, and NetGen's own: a dense-input variant of the single-sample
/// MLP and LeNet's thread scaling.</summary>
internal static class Workloads
{
    private const int Seed = 0;
    private const double WarmUpSeconds = 0.5;
    private const double SecondsPerRun = 0.2;

    /// <summary>The workloads that read Fashion-MNIST (a prefix such as <c>--only infer1-lenet5</c> selects one of them).</summary>
    private static readonly string[] DataWorkloads = ["infer1-mlp-784-128-10", "infer1-lenet5", "train-mlp-784-128-10-b32", "train-lenet5-b64", ScalingWorkload];

    /// <summary>NetGen's own workload (the peer has none): LeNet's epoch at 1 thread over the same at <c>--threads</c>.</summary>
    private const string ScalingWorkload = "scaling-lenet5-b64";

    /// <summary>
    /// NetGen's own workload: <c>infer1-mlp-784-128-10</c> on an input with no zero entries. The single-sample dense kernel
    /// skips inputs that are exactly 0, so the latency of the test image depends on its share of zero pixels; this one
    /// shows the latency without that shortcut on the first layer. compare.py compares it with the peer's
    /// <c>infer1-mlp-784-128-10</c> (PyTorch multiplies every input, so its latency does not depend on the values).
    /// </summary>
    private const string DenseInputWorkload = "infer1-mlp-784-128-10-dense";

    public static void Run(BenchOptions options, Report report)
    {
        Dataset? train = null, test = null;
        bool needsData = Array.Exists(DataWorkloads, options.Selected);
        if (needsData)
        {
            (train, test) = FashionMnist.Load(options.DataDirectory);
        }

        if (options.Selected("grad-tiny-24-8-2-n200"))
        {
            GradTiny(options, report);
        }
        if (options.Selected("dense-1024x1024-b256-forward"))
        {
            DenseForward(options, report);
        }
        if (options.Selected("infer1-mlp-784-128-10"))
        {
            Latency("infer1-mlp-784-128-10", WithThreads(new Mlp(seed: Seed, capacity: 1), options), test!.Sample(0).ToArray(), options, report);
        }
        if (options.Selected(DenseInputWorkload))
        {
            Latency(DenseInputWorkload, WithThreads(new Mlp(seed: Seed, capacity: 1), options), DenseInput(Mlp.InputSize), options, report);
        }
        if (options.Selected("infer1-lenet5"))
        {
            Latency("infer1-lenet5", WithThreads(new LeNet5(seed: Seed, capacity: 1), options), test!.Sample(0).ToArray(), options, report);
        }
        if (options.Selected("train-mlp-784-128-10-b32"))
        {
            Train("train-mlp-784-128-10-b32", batch => WithThreads(new Mlp(seed: Seed, capacity: batch), options), 32, train!, test!, options, report);
        }
        if (options.Selected("train-lenet5-b64"))
        {
            Train("train-lenet5-b64", batch => WithThreads(new LeNet5(seed: Seed, capacity: batch), options), 64, train!, test!, options, report);
        }
        if (options.Threads > 1 && options.Selected(ScalingWorkload))
        {
            Scaling(batch => new LeNet5(seed: Seed, capacity: batch), 64, train!, options, report);
        }
    }

    /// <summary>The network with <see cref="INetwork.Threads"/> set to the <c>--threads</c> option.</summary>
    private static T WithThreads<T>(T net, BenchOptions options) where T : INetwork
    {
        net.Threads = options.Threads;
        return net;
    }

    /// <summary>One gradient (forward, zeroed gradients, backward) of 24 → 8 tanh → 2 with squared error on 200 random samples.</summary>
    private static void GradTiny(BenchOptions options, Report report)
    {
        const int n = 200;
        var net = WithThreads(new TinyNet(seed: Seed, capacity: n), options);
        float[] x = Gaussian(n * TinyNet.InputSize, 1);
        float[] y = Gaussian(n * TinyNet.OutputSize, 2);
        float[] output = new float[n * TinyNet.OutputSize];
        (double seconds, double bytes) = Measure(() =>
        {
            net.ZeroGradients();
            net.Forward(x, output, n);
            net.Backward(y, n);
        }, options.Repeats);
        report.Write("grad-tiny-24-8-2-n200", options.Threads,
        [
            ("microseconds", Math.Round(seconds * 1e6, 2)),
            ("allocated_bytes_per_op", bytes),
        ]);
    }

    /// <summary>Forward pass of one 1024 → 1024 dense layer on a batch of 256: 2·256·1024·1024 FLOPs.</summary>
    private static void DenseForward(BenchOptions options, Report report)
    {
        const int batch = 256;
        var net = WithThreads(new Dense1024(seed: Seed, capacity: batch), options);
        float[] x = Gaussian(batch * Dense1024.InputSize, 3);
        float[] output = new float[batch * Dense1024.OutputSize];
        (double seconds, double bytes) = Measure(() => net.Forward(x, output, batch), options.Repeats);
        report.Write("dense-1024x1024-b256-forward", options.Threads,
        [
            ("gflops", Math.Round(2.0 * batch * 1024 * 1024 / seconds / 1e9, 1)),
            ("allocated_bytes_per_op", bytes),
        ]);
    }

    /// <summary>Single-sample <see cref="INetwork.Predict"/> of <paramref name="input"/> (the first test image, as in the
    /// peer, or <see cref="DenseInput"/>) on an untrained network.</summary>
    private static void Latency(string workload, INetwork net, float[] input, BenchOptions options, Report report)
    {
        float[] output = new float[net.OutputSize];
        (double seconds, double bytes) = Measure(() => net.Predict(input, output), options.Repeats);
        report.Write(workload, options.Threads,
        [
            ("microseconds", Math.Round(seconds * 1e6, 2)),
            ("allocated_bytes_per_op", bytes),
        ]);
    }

    /// <summary>
    /// Trains a fresh network for <see cref="BenchOptions.Epochs"/> epochs of Fashion-MNIST with the runtime's
    /// <see cref="Trainer"/> and Adam (1e-3), pixels in [0, 1], then scores the test set. Only <see cref="Trainer.Fit(TrainingData, TrainingData?, System.Threading.CancellationToken)"/>
    /// is timed (the peer also builds its tensors before its clock starts). A warm-up trains a throwaway network on 1/10 of
    /// the data first; then min(repeats, 3) timed runs from the same seed, median reported.
    /// </summary>
    private static void Train(string workload, Func<int, INetwork> create, int batch, Dataset train, Dataset test,
        BenchOptions options, Report report)
    {
        TrainingData data = WarmUpTraining(create(batch), train, batch);
        int runs = Math.Min(options.Repeats, 3);
        var results = new List<(double Seconds, double Accuracy, double BytesPerStep)>(runs);
        for (int r = 0; r < runs; r++)
        {
            INetwork net = create(batch);
            (double seconds, double bytesPerStep) = TimeTraining(net, data, batch, options);
            results.Add((seconds, Evaluation.AccuracyOf(net, test), bytesPerStep));
        }
        results.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
        (double median, double acc, double perStep) = results[runs / 2];
        double worstBytes = 0;
        foreach (var result in results)
        {
            worstBytes = Math.Max(worstBytes, result.BytesPerStep);
        }
        report.Write(workload, options.Threads,
        [
            ("epochs", options.Epochs),
            ("seconds_per_epoch", Math.Round(median, 3)),
            ("test_accuracy", Math.Round(acc, 4)),
            ("runs", runs),
            ("allocated_bytes_per_step", Math.Max(perStep, worstBytes)),
        ]);
    }

    /// <summary>
    /// LeNet's training throughput at <c>--threads</c> over that at 1 thread, the scaling target. The two thread
    /// counts alternate epoch by epoch in one process (1, N, N, 1, 1, N, …), so each pair of epochs runs seconds apart
    /// and a change of the machine's speed between minutes (large on a shared host) falls on both sides of the
    /// ratio; timing each side in its own process a minute apart leaves that change in the ratio. The reported speed-up
    /// is the median over min(repeats, 5) pairs of the 1-thread epoch over the N-thread epoch next to it.
    /// </summary>
    private static void Scaling(Func<int, INetwork> create, int batch, Dataset train, BenchOptions options, Report report)
    {
        INetwork warmNet = create(batch);
        warmNet.Threads = options.Threads;
        TrainingData data = WarmUpTraining(warmNet, train, batch);
        int pairs = Math.Min(options.Repeats, 5);
        var one = new double[pairs];
        var many = new double[pairs];
        var speedUps = new double[pairs];
        double worstBytes = 0;
        for (int p = 0; p < pairs; p++)
        {
            for (int side = 0; side < 2; side++)
            {
                bool single = (side == 0) == (p % 2 == 0);
                INetwork net = create(batch);
                net.Threads = single ? 1 : options.Threads;
                (double seconds, double bytesPerStep) = TimeTraining(net, data, batch, options);
                (single ? one : many)[p] = seconds;
                worstBytes = Math.Max(worstBytes, bytesPerStep);
            }
            speedUps[p] = one[p] / many[p];
        }
        Array.Sort(speedUps);
        Array.Sort(one);
        Array.Sort(many);
        report.Write(ScalingWorkload, options.Threads,
        [
            ("speedup", Math.Round(speedUps[pairs / 2], 3)),
            ("pairs", pairs),
            ("seconds_per_epoch_1_thread", Math.Round(one[pairs / 2], 3)),
            ("seconds_per_epoch", Math.Round(many[pairs / 2], 3)),
            ("allocated_bytes_per_step", worstBytes),
        ]);
    }

    /// <summary>
    /// Fashion-MNIST as training data for <paramref name="probe"/>, after training that network for one epoch on the first
    /// tenth of it so the timed runs see compiled code and warm caches.
    /// </summary>
    private static TrainingData WarmUpTraining(INetwork probe, Dataset train, int batch)
    {
        TrainingData data = TrainingData.FromDataset(train, probe.OutputSize, probe.Loss);
        int warmCount = data.Count / 10;
        var warm = new TrainingData(data.Inputs.AsSpan(0, warmCount * data.InputSize).ToArray(),
            data.Targets.AsSpan(0, warmCount * data.TargetSize).ToArray(), data.InputSize, data.TargetSize,
            data.Labels!.AsSpan(0, warmCount).ToArray(), data.ClassCount);
        new Trainer(probe, new Adam(1e-3f), new TrainerOptions { Epochs = 1, BatchSize = batch, Seed = Seed }).Fit(warm);
        return data;
    }

    /// <summary>
    /// Seconds per epoch of <see cref="Trainer.Fit(TrainingData, TrainingData?, System.Threading.CancellationToken)"/> on
    /// <paramref name="net"/> with Adam (1e-3) for <see cref="BenchOptions.Epochs"/> epochs, and the bytes allocated per step.
    /// </summary>
    private static (double SecondsPerEpoch, double BytesPerStep) TimeTraining(INetwork net, TrainingData data, int batch,
        BenchOptions options)
    {
        var trainer = new Trainer(net, new Adam(1e-3f), new TrainerOptions { Epochs = options.Epochs, BatchSize = batch, Seed = Seed });
        var counter = new StepAllocationCounter();
        trainer.BatchEnded += counter.OnBatchEnded;
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(data);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (seconds / options.Epochs, counter.BytesPerStep);
    }

    /// <summary>
    /// Warms <paramref name="operation"/> up for <see cref="WarmUpSeconds"/> (so tiered compilation has settled), picks a
    /// repetition count that makes one run last about <see cref="SecondsPerRun"/>, and returns the median seconds per
    /// operation over <paramref name="runs"/> runs and the bytes allocated per operation over all of them (on every thread,
    /// so a worker thread's allocations count too).
    /// </summary>
    private static (double Seconds, double BytesPerOperation) Measure(Action operation, int runs)
    {
        long warmStart = Stopwatch.GetTimestamp();
        long calls = 0;
        while (Stopwatch.GetElapsedTime(warmStart).TotalSeconds < WarmUpSeconds)
        {
            operation();
            calls++;
        }
        double perCall = WarmUpSeconds / calls;
        int reps = (int)Math.Clamp(SecondsPerRun / perCall, 10, 10_000_000);

        double[] times = new double[runs];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                operation();
            }
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Array.Sort(times);
        return (times[runs / 2], (double)allocated / ((long)reps * runs));
    }

    /// <summary>Pixel-like values uniform in (0, 1], none of them 0, from a fixed seed.</summary>
    private static float[] DenseInput(int count)
    {
        var random = new Random(4);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(1.0 - random.NextDouble());
        }
        return values;
    }

    private static float[] Gaussian(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Box–Muller: standard normal samples like torch.randn.
            double u = 1.0 - random.NextDouble(), v = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v));
        }
        return values;
    }

    /// <summary>Bytes allocated (on every thread) per optimizer step within the last epoch, from its batch 20 (after the
    /// first steps' one-time allocations) to its last batch; what the trainer records once per epoch, between epochs, is not
    /// a step's. The precise count suspends every managed thread to read their allocation contexts (about 0.1 ms per call
    /// at 2 threads, where a worker is spinning), so it is read at those two batches only, not after every batch. The
    /// handler itself allocates nothing.</summary>
    private sealed class StepAllocationCounter
    {
        private const int FirstCountedBatch = 20;
        private long _startBytes;
        private long _lastBytes;
        private int _lastBatch;

        public double BytesPerStep => _lastBatch > FirstCountedBatch ? (double)(_lastBytes - _startBytes) / (_lastBatch - FirstCountedBatch) : double.NaN;

        public void OnBatchEnded(BatchReport batch)
        {
            if (batch.Epoch != batch.Epochs)
            {
                return;
            }
            if (batch.Batch == FirstCountedBatch)
            {
                _startBytes = GC.GetTotalAllocatedBytes(precise: true);
            }
            else if (batch.Batch == batch.BatchesPerEpoch && batch.Batch > FirstCountedBatch)
            {
                _lastBytes = GC.GetTotalAllocatedBytes(precise: true);
                _lastBatch = batch.Batch;
            }
        }
    }
}
