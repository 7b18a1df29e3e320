using System;
using System.Linq;
using System.Threading;
using NetGen.Concurrency;
using Xunit;

namespace NetGen.Tests.Concurrency;

public sealed class WorkerPoolTests
{
    /// <summary>Records which step ran each item, and how often.</summary>
    private sealed class Recorder(int count) : IPartitionedWork
    {
        public readonly int[] Hits = new int[count];
        public readonly int[] Steps = new int[count];
        public int Grain = 1;
        public bool Misaligned;

        public void Run(int step, int part, int start, int end)
        {
            if (start % Grain != 0)
            {
                Misaligned = true;
            }
            for (int i = start; i < end; i++)
            {
                Interlocked.Increment(ref Hits[i]);
                Steps[i] = step;
            }
        }
    }

    [Theory]
    [InlineData(1, 10, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(2, 7, 1)]
    [InlineData(2, 64, 6)]
    [InlineData(3, 100, 4)]
    [InlineData(4, 3, 1)]
    [InlineData(2, 5, 8)]
    public void Every_item_runs_exactly_once_on_grain_boundaries(int threads, int count, int grain)
    {
        using var pool = new WorkerPool(threads);
        for (int step = 0; step < 50; step++)
        {
            var work = new Recorder(count) { Grain = grain };
            pool.Run(work, step, count, grain);
            Assert.All(work.Hits, h => Assert.Equal(1, h));
            Assert.All(work.Steps, s => Assert.Equal(step, s));
            Assert.False(work.Misaligned);
        }
    }

    [Theory]
    [InlineData(64, 0, 200_000, 2, 2)]
    [InlineData(64, 1_000, 0, 3, 3)]
    [InlineData(64, 1_000, 200_000, 2, 1)]
    [InlineData(64, 6_250, 200_000, 2, 2)]
    [InlineData(64, 6_249, 200_000, 2, 1)]
    [InlineData(64, 1_000_000, 200_000, 3, 3)]
    [InlineData(64, 10_000, 200_000, 8, 3)]
    [InlineData(0, 1_000, 200_000, 2, 1)]
    [InlineData(int.MaxValue, long.MaxValue, 1, 4, 4)]
    public void A_step_uses_as_many_threads_as_have_a_part_worth_running(int count, long workPerItem, long minimum, int threads, int expected)
    {
        Assert.Equal(expected, WorkerPool.PartsFor(count, workPerItem, minimum, threads));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.PartsFor(count, workPerItem, minimum, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.PartsFor(-1, workPerItem, minimum, threads));
    }

    /// <summary>The fixed-order reduction of per-shard gradients: added onto the destination, shard 0 first, on every
    /// vector width and tail length.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 7)]
    [InlineData(4, 16)]
    [InlineData(3, 45)]
    public void AddShards_adds_the_shards_in_order_onto_the_destination(int count, int length)
    {
        var random = new SeededRandom(length);
        float[] shards = Enumerable.Range(0, count * length).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] destination = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        float[] expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            float sum = shards[i];
            for (int k = 1; k < count; k++)
            {
                sum += shards[k * length + i];
            }
            expected[i] = destination[i] + sum;
        }
        Kernels.VectorOps.AddShards(destination, shards, count);
        Assert.Equal(expected, destination);
        Assert.Throws<ArgumentException>(() => Kernels.VectorOps.AddShards(destination, shards.AsSpan(1), count));
        Assert.Throws<ArgumentException>(() => Kernels.VectorOps.AddShards(destination, shards, 0));
    }

    /// <summary>Reading rows into this core's cache before a strided kernel changes nothing, whatever the length (a
    /// NaN or infinity included: the reads are not arithmetic anyone sees).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(4096)]
    public void BringIntoCache_reads_and_changes_nothing(int length)
    {
        float[] values = Enumerable.Range(0, length).Select(i => i == 3 ? float.NaN : i * 0.5f).ToArray();
        float[] before = (float[])values.Clone();
        Kernels.VectorOps.BringIntoCache(values);
        Kernels.VectorOps.BringIntoCache(values.AsSpan(Math.Min(1, length)));
        Assert.Equal(before, values);
    }

    private sealed class Failing : IPartitionedWork
    {
        public void Run(int step, int part, int start, int end)
        {
            if (start > 0)
            {
                throw new InvalidOperationException($"failed at {start}");
            }
        }
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(new Failing(), 0, 10));
        Assert.StartsWith("failed at", error.Message, StringComparison.Ordinal);
        var work = new Recorder(10);
        pool.Run(work, 1, 10);
        Assert.All(work.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Steps_allocate_nothing_and_survive_workers_falling_asleep()
    {
        using var pool = new WorkerPool(2);
        var work = new Recorder(64);
        pool.Run(work, 0, 64);
        FirstWait.BlockThisThreadOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            pool.Run(work, i, 64);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Thread.Sleep(50); // longer than the spin budget: the worker sleeps and must be woken
        var again = new Recorder(64);
        pool.Run(again, 0, 64);
        Assert.All(again.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Disposing_ends_the_workers_and_refuses_more_work()
    {
        var pool = new WorkerPool(3);
        pool.Dispose();
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new Recorder(4), 0, 4));
    }
}

/// <summary>The threshold below which a generated step is not split (<see cref="WorkerPool.MinimumWorkPerPart"/>).</summary>
public sealed class WorkerPoolThresholdTests
{
    private sealed class Starts : IPartitionedWork
    {
        public readonly System.Collections.Concurrent.ConcurrentBag<(int Start, int End)> Ranges = [];

        public void Run(int step, int part, int start, int end) => Ranges.Add((start, end));
    }

    /// <summary>A step whose items are too cheap for every thread splits evenly over fewer of them: the boundaries are those
    /// an expensive step over the same items gets with that many threads, so each thread keeps its samples.</summary>
    [Theory]
    [InlineData(1_000, 1, 1)]
    [InlineData(40_000, 1, 2)]
    [InlineData(40_000, 3, 2)]
    [InlineData(1_000_000, 1, 3)]
    public void A_step_with_little_work_splits_evenly_over_fewer_threads(long workPerItem, int grain, int expectedParts)
    {
        // 60 items: 1 part below 16,667 FLOPs each, 2 below 50,000, else 3.
        using var pool = new WorkerPool(3, minimumWorkPerPart: 1_000_000);
        var work = new Starts();
        pool.Run(work, 0, 60, grain, workPerItem);
        var ranges = work.Ranges.OrderBy(r => r.Start).ToArray();
        Assert.Equal(expectedParts, ranges.Length);
        int size = 60 / expectedParts;
        Assert.Equal(Enumerable.Range(0, expectedParts).Select(p => (p * size, (p + 1) * size)), ranges);
    }
}
