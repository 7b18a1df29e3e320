using System;
using System.Threading;
using NetGen.Concurrency;
using NetGen.Tests.Layers;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary><see cref="INetwork.ForwardBackward"/> gives bit for bit what its preparation, <see cref="INetwork.Forward"/> and
/// <see cref="INetwork.Backward"/> give one after the other on one thread: for the networks that run it as one split (a
/// forward pass of one sample step and a backward pass by shard) and for those that do not (batch statistics, masks,
/// dense-only networks).</summary>
public sealed class ForwardBackwardTests
{

    public static TheoryData<string> Networks => new(nameof(LeNetLike), nameof(ConvHinge), nameof(WideMlp), nameof(DenseDropout),
        nameof(ConvBatchNorm), nameof(ConvProjectedResidual));

    private static INetwork Create(string name) => name switch
    {
        nameof(LeNetLike) => new LeNetLike(seed: 6, capacity: 8),
        nameof(ConvHinge) => new ConvHinge(seed: 7, capacity: 8),
        nameof(WideMlp) => new WideMlp(seed: 8, capacity: 8),
        _ => LayerGradientTests.Create(name),
    };

    /// <summary>Copies sample rows from arrays into the network's rows, as the trainer does, and counts each item.</summary>
    internal sealed class RowCopy(INetwork network, float[] inputs, float[] targets) : IPartitionedWork
    {
        public int[] Hits { get; } = new int[network.Capacity];

        /// <summary>Steps other than 0 seen (none expected); counted rather than asserted, which would allocate.</summary>
        public int OtherSteps;

        public void Run(int step, int part, int start, int end)
        {
            if (step != 0)
            {
                Interlocked.Increment(ref OtherSteps);
            }
            int inputSize = network.InputSize, outputSize = network.OutputSize;
            for (int b = start; b < end; b++)
            {
                inputs.AsSpan(b * inputSize, inputSize).CopyTo(network.Engine().BatchInputs.Slice(b * inputSize, inputSize));
                targets.AsSpan(b * outputSize, outputSize).CopyTo(network.Engine().BatchTargets.Slice(b * outputSize, outputSize));
                Interlocked.Increment(ref Hits[b]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardBackward_gives_the_bits_of_Forward_then_Backward_on_every_thread_count(string name)
    {
        (float[] Outputs, float Loss, float[] Gradients, float[] Parameters, float[] State, SeededRandomState Random, float[] LastLayer) Separate(int batch)
        {
            INetwork net = Create(name);
            (float[] x, float[] t) = GradientCheckTests.RandomBatch(net, seed: 3);
            float[] outputs = new float[batch * net.OutputSize];
            float loss = 0;
            for (int step = 0; step < 2; step++)
            {
                net.Forward(x.AsSpan(0, batch * net.InputSize), outputs, batch);
                net.ZeroGradients();
                loss = net.Backward(t.AsSpan(0, batch * net.OutputSize), batch);
                Kernels.VectorOps.AddScaled(net.Parameters, net.Gradients, -0.01f);
            }
            return (outputs, loss, net.Gradients.ToArray(), net.Parameters.ToArray(), net.Engine().State.ToArray(), net.Engine().Random.State,
                net.Engine().LayerOutput(net.Tensors[^1].Layer).ToArray());
        }
        (float[] Outputs, float Loss, float[] Gradients, float[] Parameters, float[] State, SeededRandomState Random, float[] LastLayer) Together(int threads, int batch)
        {
            INetwork net = Create(name);
            net.SplitOver(threads);
            (float[] x, float[] t) = GradientCheckTests.RandomBatch(net, seed: 3);
            var prepare = new RowCopy(net, x, t);
            float[] outputs = new float[batch * net.OutputSize];
            float loss = 0;
            for (int step = 0; step < 2; step++)
            {
                net.ZeroGradients();
                loss = net.Engine().ForwardBackward(prepare, outputs, batch);
                Kernels.VectorOps.AddScaled(net.Parameters, net.Gradients, -0.01f);
            }
            Assert.Equal(0, prepare.OtherSteps);
            for (int b = 0; b < prepare.Hits.Length; b++)
            {
                Assert.Equal(b < batch ? 2 : 0, prepare.Hits[b]);
            }
            // The pass counts as the network's last forward pass: LayerOutput shows this batch.
            var result = (outputs, loss, net.Gradients.ToArray(), net.Parameters.ToArray(), net.Engine().State.ToArray(), net.Engine().Random.State,
                net.Engine().LayerOutput(net.Tensors[^1].Layer).ToArray());
            net.Threads = 1;
            return result;
        }
        foreach (int batch in new[] { 1, 5, 6 })
        {
            if (batch == 1 && Create(name).Engine().UsesBatchStatistics)
            {
                continue; // batch statistics of one sample are undefined
            }
            var expected = Separate(batch);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                var actual = Together(threads, batch);
                Assert.Equal(expected.Outputs, actual.Outputs);
                Assert.Equal(expected.Loss, actual.Loss);
                Assert.Equal(expected.Gradients, actual.Gradients);
                Assert.Equal(expected.Parameters, actual.Parameters);
                Assert.Equal(expected.State, actual.State);
                Assert.Equal(expected.Random, actual.Random);
                Assert.Equal(expected.LastLayer, actual.LastLayer);
            }
        }
    }

    private sealed class Failing : IPartitionedWork
    {
        public void Run(int step, int part, int start, int end) => throw new InvalidOperationException("the data source failed");
    }

    /// <summary>Bad arguments are refused before anything runs; a preparation that throws is rethrown on the calling thread
    /// and leaves no forward pass for a later <see cref="INetwork.Backward"/> to use.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ForwardBackward_refuses_bad_arguments_and_rethrows_a_failing_preparation(int threads)
    {
        foreach (INetwork net in new INetwork[] { new LeNetLike(seed: 1, capacity: 4), new WideMlp(seed: 1, capacity: 4) })
        {
            net.SplitOver(threads);
            float[] outputs = new float[4 * net.OutputSize];
            var prepare = new RowCopy(net, new float[4 * net.InputSize], new float[4 * net.OutputSize]);
            Assert.Throws<ArgumentNullException>(() => net.Engine().ForwardBackward(null!, outputs, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => net.Engine().ForwardBackward(prepare, outputs, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => net.Engine().ForwardBackward(prepare, new float[5 * net.OutputSize], 5));
            Assert.Throws<ArgumentException>(() => net.Engine().ForwardBackward(prepare, new float[3 * net.OutputSize], 4));
            Assert.All(prepare.Hits, h => Assert.Equal(0, h));

            net.Engine().ForwardBackward(prepare, outputs, 4);
            var failure = Assert.Throws<InvalidOperationException>(() => net.Engine().ForwardBackward(new Failing(), outputs, 4));
            Assert.Equal("the data source failed", failure.Message);
            Assert.Throws<InvalidOperationException>(() => net.Backward(new float[4 * net.OutputSize], 4));
            net.Threads = 1;
        }
        var inferenceOnly = new WideSingleLayer(seed: 1, capacity: 2);
        Assert.Equal(0, inferenceOnly.Engine().BatchTargets.Length);
        Assert.Throws<InvalidOperationException>(() => inferenceOnly.Engine().ForwardBackward(new Failing(), new float[2 * WideSingleLayer.OutputSize], 2));
    }

    [Fact]
    public void ForwardBackward_on_two_threads_allocates_nothing()
    {
        var net = new LeNetLike(seed: 1, capacity: 8).SplitOver(2);
        var prepare = new RowCopy(net, new float[8 * LeNetLike.InputSize], new float[8 * LeNetLike.OutputSize]);
        float[] outputs = new float[8 * LeNetLike.OutputSize];
        net.Engine().ForwardBackward(prepare, outputs, 8);
        FirstWait.BlockThisThreadOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            net.ZeroGradients();
            net.Engine().ForwardBackward(prepare, outputs, 8);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        net.Threads = 1;
    }
}
