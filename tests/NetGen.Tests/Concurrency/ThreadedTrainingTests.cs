using System;
using System.Linq;
using System.Threading;
using NetGen.Concurrency;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary>What runs around the passes on a network's threads — the optimizer's element-wise step, the trainer's batch
/// gathering — gives bit for bit what one thread gives, and allocates nothing per step.</summary>
public sealed class ThreadedTrainingTests
{

    private const int Batch = 12;

    /// <summary>Optimizers with every element-wise option the block step runs (clipping, decay), on a network whose
    /// parameters span several blocks.</summary>
    public static TheoryData<string> Optimizers => new("Sgd+L2", "Momentum+ClipValue", "Nesterov+L1", "Adam+ClipNorm", "AdamW", "RmsProp", "AdaGrad", "Adadelta", "Rprop", "Quickprop", "DeltaBarDelta");

    private static Optimizer CreateOptimizer(string name) => name switch
    {
        "Sgd+L2" => new Sgd(0.05f) { L2 = 1e-3f },
        "Momentum+ClipValue" => new Momentum(0.05f) { ClipValue = 0.01f },
        "Nesterov+L1" => new Nesterov(0.05f) { L1 = 1e-4f, DecayBiases = true },
        "Adam+ClipNorm" => new Adam(1e-3f) { ClipNorm = 0.5f, ClipValue = 0.02f, L2 = 1e-4f },
        "AdamW" => new AdamW(1e-3f, weightDecay: 0.1f),
        "RmsProp" => new RmsProp(1e-3f),
        "AdaGrad" => new AdaGrad(0.01f),
        "Adadelta" => new Adadelta(),
        "Rprop" => new Rprop(),
        "Quickprop" => new Quickprop(0.01f),
        "DeltaBarDelta" => new DeltaBarDelta(0.01f),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static (float[] Inputs, float[] Targets) Data(int count, int seed)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, count * WideMlp.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] t = new float[count * WideMlp.OutputSize];
        for (int s = 0; s < count; s++)
        {
            t[s * WideMlp.OutputSize + (s * 7 + seed) % WideMlp.OutputSize] = 1f;
        }
        return (x, t);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Optimizer_steps_give_the_same_bits_on_any_thread_count(string name)
    {
        Assert.True(WideMlp.ParameterCount > 2 * 4096, "the network must span several parameter blocks");
        (float[] x, float[] t) = Data(Batch, seed: 5);
        float[] Train(int threads)
        {
            var net = new WideMlp(seed: 1, capacity: Batch).SplitOver(threads);
            Optimizer optimizer = CreateOptimizer(name);
            float[] y = new float[Batch * WideMlp.OutputSize];
            for (int step = 0; step < 4; step++)
            {
                net.Forward(x, y, Batch);
                net.ZeroGradients();
                net.Backward(t, Batch);
                optimizer.Step(net);
            }
            float[] parameters = net.Parameters.ToArray();
            net.Threads = 1;
            return parameters;
        }
        float[] one = Train(1);
        Assert.NotEqual(new WideMlp(seed: 1, capacity: 1).Parameters.ToArray(), one);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(3));
    }

    [Theory]
    [InlineData("RmsProp")]
    [InlineData("Adadelta")]
    [InlineData("Rprop")]
    [InlineData("DeltaBarDelta")]
    public void The_block_step_matches_one_update_over_all_parameters(string name)
    {
        (float[] x, float[] t) = Data(Batch, seed: 6);
        var net = new WideMlp(seed: 2, capacity: Batch).SplitOver(2);
        Optimizer blocks = CreateOptimizer(name), whole = CreateOptimizer(name);
        float[] parameters = net.Parameters.ToArray();
        float[] y = new float[Batch * WideMlp.OutputSize];
        for (int step = 0; step < 3; step++)
        {
            net.Forward(x, y, Batch);
            net.ZeroGradients();
            net.Backward(t, Batch);
            whole.Step(parameters, net.Gradients);
            blocks.Step(net);
            Assert.Equal(parameters, net.Parameters.ToArray());
        }
        net.Threads = 1;
    }

    /// <summary>Records what <see cref="UpdateState.StreamParameters"/> said to each call (one per thread's range of blocks).</summary>
    private sealed class StreamRecorder() : Optimizer(0.01f)
    {
        public int Streamed, Plain;

        public override string Name => "recorder";

        protected override int StateSlots => 0;

        protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
            Interlocked.Increment(ref state.StreamParameters ? ref Streamed : ref Plain);
    }

    /// <summary>The update streams the parameters exactly when the network runs on several threads (whose caches all hold
    /// them after a forward pass); the raw-span step never does.</summary>
    [Fact]
    public void Blocks_are_told_to_stream_the_parameters_only_on_several_threads()
    {
        var net = new WideMlp(seed: 1, capacity: Batch);
        var recorder = new StreamRecorder();
        recorder.Step(net);
        Assert.Equal((0, 1), (recorder.Streamed, recorder.Plain)); // all three blocks of 4,096 in one range
        net.SplitOver(2);
        recorder.Step(net);
        Assert.Equal((2, 1), (recorder.Streamed, recorder.Plain)); // one range per thread
        recorder.Step(net.Parameters, net.Gradients);
        Assert.Equal((2, 2), (recorder.Streamed, recorder.Plain));
        net.Threads = 1;
    }

    [Fact]
    public void A_threaded_optimizer_step_allocates_nothing()
    {
        var net = new WideMlp(seed: 1, capacity: Batch).SplitOver(2);
        var adam = new Adam(1e-3f) { L2 = 1e-4f };
        adam.Step(net); // allocates the state buffers
        adam.Step(net);
        FirstWait.BlockThisThreadOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            adam.Step(net);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        net.Threads = 1;
    }

    [Fact]
    public void A_trainer_on_two_threads_gives_the_same_history_and_weights()
    {
        (float[] x, float[] t) = Data(100, seed: 9);
        var data = new TrainingData(x, t, WideMlp.InputSize, WideMlp.OutputSize);
        (double[] Losses, float[] Parameters) Fit(int threads)
        {
            var net = new WideMlp(seed: 3, capacity: 16).SplitOver(threads);
            var trainer = new Trainer(net, new Adam(1e-3f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 4 });
            TrainingResult result = trainer.Fit(data);
            var outcome = (result.History.BatchLosses.Select(l => (double)l).ToArray(), net.Parameters.ToArray());
            net.Threads = 1;
            return outcome;
        }
        var one = Fit(1);
        var two = Fit(2);
        Assert.Equal(14, one.Losses.Length); // 7 batches (the last of 4 samples) per epoch
        Assert.Equal(one.Losses, two.Losses);
        Assert.Equal(one.Parameters, two.Parameters);
    }

    /// <summary>TryStep checks on the network's threads and, for a non-finite value in any block (the last one too),
    /// changes nothing: parameters, optimizer state and step count stay as they were; with every value finite it is Step.</summary>
    [Theory]
    [InlineData(1, "gradient")]
    [InlineData(2, "gradient")]
    [InlineData(3, "parameter")]
    [InlineData(2, "none")]
    public void TryStep_changes_nothing_when_a_value_is_not_finite(int threads, string poisoned)
    {
        (float[] x, float[] t) = Data(Batch, seed: 7);
        var net = new WideMlp(seed: 4, capacity: Batch).SplitOver(threads);
        var reference = new WideMlp(seed: 4, capacity: Batch);
        Optimizer tried = new Adam(1e-3f), stepped = new Adam(1e-3f);
        float[] y = new float[Batch * WideMlp.OutputSize];
        foreach (WideMlp network in new[] { net, reference })
        {
            network.Forward(x, y, Batch);
            network.ZeroGradients();
            network.Backward(t, Batch);
        }
        Assert.True(tried.TryStep(net));
        stepped.Step(reference);
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());

        float[] before = net.Parameters.ToArray();
        int last = WideMlp.ParameterCount - 1;
        if (poisoned == "gradient")
        {
            net.Gradients[last] = float.NaN;
        }
        else if (poisoned == "parameter")
        {
            before[last] = float.PositiveInfinity;
            net.Parameters[last] = float.PositiveInfinity;
        }
        bool finite = poisoned == "none";
        Assert.Equal(finite, tried.TryStep(net));
        Assert.Equal(finite ? 2 : 1, tried.StepCount);
        if (finite)
        {
            stepped.Step(reference);
            Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        }
        else
        {
            Assert.Equal(before, net.Parameters.ToArray());
        }
        net.Threads = 1;
    }

    /// <summary>A batch written into the network's own input rows and passed as they are runs as a copied one does, on any
    /// thread count; the rows are the capacity's worth.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_batch_written_into_BatchInputs_runs_without_a_copy_and_gives_the_same_results(int threads)
    {
        (float[] x, float[] t) = Data(Batch, seed: 8);
        var copied = new WideMlp(seed: 5, capacity: Batch).SplitOver(threads);
        var direct = new WideMlp(seed: 5, capacity: Batch).SplitOver(threads);
        Assert.Equal(Batch * WideMlp.InputSize, direct.Engine().BatchInputs.Length);
        float[] expected = new float[Batch * WideMlp.OutputSize], actual = new float[Batch * WideMlp.OutputSize];
        copied.Forward(x, expected, Batch);
        x.CopyTo(direct.Engine().BatchInputs);
        direct.Forward(direct.Engine().BatchInputs, actual, Batch);
        Assert.Equal(expected, actual);
        Assert.Equal(x, direct.Engine().BatchInputs.ToArray()); // the rows are read, not changed
        copied.ZeroGradients();
        direct.ZeroGradients();
        Assert.Equal(copied.Backward(t, Batch), direct.Backward(t, Batch));
        Assert.Equal(copied.Gradients.ToArray(), direct.Gradients.ToArray());
        // A batch that starts later in the rows is copied to their start (an overlapping copy).
        x.AsSpan(0, 3 * WideMlp.InputSize).CopyTo(direct.Engine().BatchInputs.Slice(WideMlp.InputSize));
        direct.Forward(direct.Engine().BatchInputs.Slice(WideMlp.InputSize, 3 * WideMlp.InputSize), actual, 3);
        copied.Forward(x.AsSpan(0, 3 * WideMlp.InputSize), expected, 3);
        Assert.Equal(expected.AsSpan(0, 3 * WideMlp.OutputSize).ToArray(), actual.AsSpan(0, 3 * WideMlp.OutputSize).ToArray());
        copied.Threads = 1;
        direct.Threads = 1;
    }

    /// <summary>Records how often each item ran.</summary>
    private sealed class Counter(int count) : IPartitionedWork
    {
        public readonly int[] Hits = new int[count];

        public void Run(int step, int part, int start, int end)
        {
            Assert.Equal(0, step);
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref Hits[i]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RunOnThreads_runs_every_item_once(int threads)
    {
        var net = new WideMlp(seed: 1, capacity: 4).SplitOver(threads);
        foreach (int count in new[] { 0, 1, 5, 64 })
        {
            var work = new Counter(count);
            net.Engine().RunOnThreads(work, count);
            Assert.All(work.Hits, h => Assert.Equal(1, h));
        }
        Assert.Throws<ArgumentNullException>(() => net.Engine().RunOnThreads(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Engine().RunOnThreads(new Counter(3), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Engine().RunOnThreads(new Counter(3), 3, grain: 0));
        net.Threads = 1;
    }
}

/// <summary>About 9,400 parameters: more than two blocks of the optimizer's element-wise step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(60)]
[Dense(140, Activation.Tanh)]
[Dense(10)]
public partial class WideMlp;
