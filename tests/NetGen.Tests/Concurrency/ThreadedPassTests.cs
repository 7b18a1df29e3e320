using System;
using System.Linq;
using NetGen.Concurrency;
using NetGen.Tests.Layers;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary>Passes split over threads give bit for bit what one thread gives: outputs, loss, gradients, running
/// statistics and masks, for every kind of layer. The test networks are small, so every step is split regardless of
/// its work (<see cref="EngineAccess.SplitOver"/>).</summary>
public sealed class ThreadedPassTests
{

    public static TheoryData<string> Networks => new(
        nameof(ConvBatchNorm), nameof(DenseBatchNorm), nameof(ConvGroupNorm), nameof(ConvLayerNorm), nameof(ConvLocalResponseNorm),
        nameof(DenseDropout), nameof(DenseAlphaDropout), nameof(DenseNoise), nameof(DenseWeightNorm), nameof(ConvWeightNorm),
        nameof(DenseResidual), nameof(ConvProjectedResidual), nameof(SharedSkips), nameof(MixedNetwork));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_thread_count_gives_the_same_bits(string name) => AssertSameBitsOnEveryThreadCount(() => LayerGradientTests.Create(name));

    /// <summary>Dense layers of several 32-output panels after another layer: each thread takes a slice of the weight
    /// gradient's panels and the same slice of the input gradient's samples in one split, and reads the batch's rows
    /// first; slices outnumber the panels of the narrow layers at 3 threads.</summary>
    [Fact]
    public void Weight_gradients_split_with_input_gradients_give_the_same_bits() => AssertSameBitsOnEveryThreadCount(() => new OddWidths(seed: 4, capacity: 8));

    /// <summary>Convolutional networks whose backward pass gives each thread whole shards of the batch, then splits the
    /// dense weight gradients and the shard sums in fixed lanes; batches of 1 and 5 leave shards empty or uneven.</summary>
    [Fact]
    public void Backward_passes_by_shard_of_the_batch_give_the_same_bits()
    {
        AssertSameBitsOnEveryThreadCount(() => new LeNetLike(seed: 6, capacity: 8));
        AssertSameBitsOnEveryThreadCount(() => new ConvHinge(seed: 7, capacity: 8));
    }

    private static void AssertSameBitsOnEveryThreadCount(Func<INetwork> create)
    {
        (float[] Outputs, float Loss, float[] Gradients, float[] State) Run(int threads, int batch)
        {
            INetwork net = create();
            net.SplitOver(threads);
            (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(net, seed: 3);
            float[] outputs = new float[batch * net.OutputSize];
            float loss = 0;
            for (int step = 0; step < 2; step++)
            {
                net.Forward(inputs.AsSpan(0, batch * net.InputSize), outputs, batch);
                net.ZeroGradients();
                loss = net.Backward(targets.AsSpan(0, batch * net.OutputSize), batch);
                Kernels.VectorOps.AddScaled(net.Parameters, net.Gradients, -0.01f);
            }
            var result = (outputs, loss, net.Gradients.ToArray(), net.Engine().State.ToArray());
            net.Threads = 1;
            return result;
        }
        foreach (int batch in new[] { 1, 5, 6 })
        {
            if (batch == 1 && create().Engine().UsesBatchStatistics)
            {
                continue; // batch statistics of one sample are undefined
            }
            var one = Run(1, batch);
            foreach (int threads in new[] { 2, 3 })
            {
                var many = Run(threads, batch);
                Assert.Equal(one.Outputs, many.Outputs);
                Assert.Equal(one.Loss, many.Loss);
                Assert.Equal(one.Gradients, many.Gradients);
                Assert.Equal(one.State, many.State);
            }
        }
    }

    [Fact]
    public void Lenet_and_the_mlp_train_identically_on_two_threads()
    {
        foreach (Func<INetwork> create in new Func<INetwork>[] { () => new LeNetLike(seed: 1, capacity: 16), () => new LogitsCe(seed: 2, capacity: 16) })
        {
            INetwork a = create(), b = create();
            b.SplitOver(2);
            var random = new SeededRandom(4);
            float[] x = Enumerable.Range(0, 16 * a.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
            float[] t = new float[16 * a.OutputSize];
            for (int s = 0; s < 16; s++)
            {
                t[s * a.OutputSize + s % a.OutputSize] = 1f;
            }
            float[] ya = new float[16 * a.OutputSize], yb = new float[ya.Length];
            for (int step = 0; step < 3; step++)
            {
                foreach ((INetwork net, float[] y) in new[] { (a, ya), (b, yb) })
                {
                    net.Forward(x, y, 16);
                    net.ZeroGradients();
                    net.Backward(t, 16);
                    Kernels.VectorOps.AddScaled(net.Parameters, net.Gradients, -0.05f);
                }
                Assert.Equal(ya, yb);
                Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
            }
            b.Threads = 1;
        }
    }

    [Fact]
    public void Small_steps_stay_on_one_thread_by_default_with_the_same_bits()
    {
        float[] Train(int threads, long minimumWork)
        {
            var net = new LeNetLike(seed: 1, capacity: 16);
            net.Engine().MinimumWorkPerPart = minimumWork;
            net.Threads = threads;
            var random = new SeededRandom(5);
            float[] x = Enumerable.Range(0, 16 * LeNetLike.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
            float[] t = new float[16 * LeNetLike.OutputSize];
            float[] y = new float[t.Length];
            for (int step = 0; step < 2; step++)
            {
                net.Forward(x, y, 16);
                net.ZeroGradients();
                net.Backward(t, 16);
                Kernels.VectorOps.AddScaled(net.Parameters, net.Gradients, -0.05f);
            }
            net.Threads = 1;
            return net.Parameters.ToArray();
        }
        float[] one = Train(1, 0);
        Assert.Equal(one, Train(2, WorkerPool.DefaultMinimumWorkPerPart));
        Assert.Equal(one, Train(2, long.MaxValue));
        Assert.Equal(one, Train(2, 0));
    }

    [Fact]
    public void Threads_must_be_positive_and_steps_allocate_nothing()
    {
        var net = new LeNetLike(seed: 1, capacity: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Threads = 0);
        net.SplitOver(2);
        float[] x = new float[8 * LeNetLike.InputSize], y = new float[8 * LeNetLike.OutputSize], t = new float[y.Length];
        net.Forward(x, y, 8);
        net.Backward(t, 8);
        FirstWait.BlockThisThreadOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            net.Forward(x, y, 8);
            net.ZeroGradients();
            net.Backward(t, 8);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(2, net.Threads);
        net.Threads = 1;
        Assert.Equal(1, net.Threads);
    }
}

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 12, 12)]
[Conv2D(6, 5, Activation.ReLU, Padding = 2)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(20, Activation.ReLU)]
[Dense(10)]
public partial class LeNetLike;

/// <summary>A hinge loss after convolutions, average pooling and dropout: the sharded backward pass with a loss that no
/// other threaded test uses.</summary>
[Network(Loss = Loss.Hinge)]
[Input(2, 8, 8)]
[Conv2D(5, 3, Activation.Tanh, Padding = 1)]
[AvgPool2D(2)]
[Conv2D(6, 3, Activation.ReLU)]
[Flatten]
[Dropout(0.2f)]
[Dense(40, Activation.ReLU)]
[Dense(3)]
public partial class ConvHinge;
