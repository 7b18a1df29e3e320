using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Tests.Concurrency;
using Xunit;

namespace NetGen.Tests.Data;

public class MiniBatchSourceTests
{
    private static readonly Dataset Data = TestData.Images(103, new ImageShape(1, 4, 4), 5, seed: 9);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_epoch_serves_every_sample_once_in_a_new_seeded_order(bool prefetch)
    {
        using var source = new MiniBatchSource(Data, 10, seed: 3, prefetch: prefetch);
        Assert.Equal(11, source.BatchesPerEpoch);
        var epochs = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            var sizes = new List<int>();
            while (source.TryNext(out MiniBatch batch))
            {
                sizes.Add(batch.Count);
                for (int b = 0; b < batch.Count; b++)
                {
                    int i = batch.Indices[b];
                    seen.Add(i);
                    Assert.Equal(Data.Labels[i], batch.Labels[b]);
                    Assert.Equal(1f, batch.Targets[b * 5 + Data.Labels[i]]);
                    Assert.True(Data.Sample(i).SequenceEqual(batch.Inputs.Slice(b * 16, 16)));
                }
                Assert.Equal(batch.Count * 16, batch.Inputs.Length);
            }
            Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], sizes);
            Assert.Equal(Enumerable.Range(0, 103), seen.Order());
            epochs.Add(seen.ToArray());
        }
        Assert.Equal(3, source.CompletedEpochs);
        Assert.NotEqual(epochs[0], epochs[1]);
        using var again = new MiniBatchSource(Data, 7, seed: 3, prefetch: !prefetch);
        Assert.Equal(epochs[0], Drain(again).Indices);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steady_state_batches_allocate_nothing(bool prefetch)
    {
        var augmentation = new ImageAugmentation(new ImageShape(1, 4, 4)) { MaxShift = 1, HorizontalFlip = true, MaxRotationDegrees = 10, NoiseStandardDeviation = 0.1f };
        using var source = new MiniBatchSource(Data, 8, seed: 1, augmentation: augmentation, prefetch: prefetch);
        float sum = 0;
        for (int epoch = 0; epoch < 2; epoch++) // warm up: JIT, tiering
        {
            while (source.TryNext(out MiniBatch batch))
            {
                sum += batch.Inputs[0];
            }
        }
        FirstWait.BlockThisThreadOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 0; epoch < 5; epoch++)
        {
            while (source.TryNext(out MiniBatch batch))
            {
                sum += batch.Inputs[0] + batch.Targets[0] + batch.Labels[0];
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(float.IsFinite(sum));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Augmented_batches_do_not_depend_on_batch_size_or_prefetch()
    {
        var augmentation = new ImageAugmentation(new ImageShape(1, 4, 4)) { MaxShift = 1, HorizontalFlip = true, NoiseStandardDeviation = 0.05f };
        using var a = new MiniBatchSource(Data, 8, seed: 5, augmentation: augmentation);
        using var b = new MiniBatchSource(Data, 13, seed: 5, augmentation: augmentation, prefetch: true); // shared augmentation
        (int[] indicesA, float[] inputsA) = Drain(a);
        (int[] indicesB, float[] inputsB) = Drain(b);
        Assert.Equal(indicesA, indicesB);
        Assert.Equal(inputsA, inputsB);
        Assert.NotEqual(inputsA, indicesA.SelectMany(i => Data.Sample(i).ToArray()).ToArray());
    }

    [Fact]
    public void Augmentation_in_a_batch_equals_augmenting_the_sample_with_its_seed()
    {
        var augmentation = new ImageAugmentation(new ImageShape(1, 4, 4)) { MaxShift = 1, MaxRotationDegrees = 20 };
        using var source = new MiniBatchSource(Data, 16, seed: 21, augmentation: augmentation);
        Drain(source); // epoch 0
        Assert.True(source.TryNext(out MiniBatch batch)); // first batch of epoch 1
        int sample = batch.Indices[3];
        float[] expected = Data.Sample(sample).ToArray();
        augmentation.Apply(expected, ImageAugmentation.SampleSeed(21, epoch: 1, sample));
        Assert.Equal(expected, batch.Inputs.Slice(3 * 16, 16).ToArray());
    }

    [Fact]
    public void Prefetch_thread_stops_on_dispose()
    {
        var source = new MiniBatchSource(Data, 8, seed: 1, prefetch: true);
        Assert.True(source.TryNext(out _));
        source.Dispose();
        Assert.Throws<ObjectDisposedException>(() => source.TryNext(out _));
        new MiniBatchSource(Data, 8, seed: 1, prefetch: true).Dispose(); // disposed before any batch was taken
    }

    [Fact]
    public void Without_shuffling_the_order_is_the_data_set_order()
    {
        using var source = new MiniBatchSource(Data, 50, seed: 0, shuffle: false);
        Assert.Equal(Enumerable.Range(0, 103), Drain(source).Indices);
    }

    private static (int[] Indices, float[] Inputs) Drain(MiniBatchSource source)
    {
        var indices = new List<int>();
        var inputs = new List<float>();
        while (source.TryNext(out MiniBatch batch))
        {
            indices.AddRange(batch.Indices.ToArray());
            inputs.AddRange(batch.Inputs.ToArray());
        }
        return (indices.ToArray(), inputs.ToArray());
    }
}
