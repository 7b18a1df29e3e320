using System;
using System.Collections.Concurrent;
using System.Linq;
using NetGen.CompilerServices;
using NetGen.Concurrency;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary>The threads of a generated network's passes: how a step is split, and when it is not.</summary>
public sealed class PassThreadsTests
{
    [Fact]
    public void One_thread_runs_a_step_whole_on_the_caller()
    {
        var calls = new ConcurrentBag<(int Step, int Part, int Start, int End)>();
        using var threads = new PassThreads((step, part, start, end) => calls.Add((step, part, start, end)));

        threads.Split(3, 10, 1, 1_000_000, onThreads: true);
        threads.SplitTogether(4, 64, 1_000_000, onThreads: true);

        Assert.Equal(1, threads.Count);
        Assert.Equal(1, threads.Slices);
        Assert.Equal([(3, 0, 0, 10), (4, 0, 0, 1)], calls.OrderBy(call => call.Step));
    }

    [Fact]
    public void Several_threads_split_a_step_into_ranges_that_cover_it_once()
    {
        var calls = new ConcurrentBag<(int Step, int Part, int Start, int End)>();
        using var threads = new PassThreads((step, part, start, end) => calls.Add((step, part, start, end))) { Count = 2 };

        threads.Split(1, 10, 1, 1_000_000, onThreads: true);

        Assert.Equal(2, calls.Count);
        Assert.Equal(Enumerable.Range(0, 10), calls.SelectMany(call => Enumerable.Range(call.Start, call.End - call.Start)).Order());
        Assert.Equal([0, 1], calls.Select(call => call.Part).Order());
    }

    [Fact]
    public void A_pass_off_the_threads_and_a_step_too_small_to_share_run_on_the_caller()
    {
        var calls = new ConcurrentBag<(int Step, int Part, int Start, int End)>();
        using var threads = new PassThreads((step, part, start, end) => calls.Add((step, part, start, end))) { Count = 2 };

        threads.Split(1, 10, 1, 1_000_000, onThreads: false);
        threads.Split(2, 10, 1, workPerItem: 1, onThreads: true);
        threads.SplitTogether(3, 64, workPerSample: 1, onThreads: true);

        Assert.Equal([(1, 0, 0, 10), (2, 0, 0, 10), (3, 0, 0, 1)], calls.OrderBy(call => call.Step));
        Assert.Equal(1, threads.Slices);
    }

    [Fact]
    public void Refuses_thread_counts_and_thresholds_out_of_range()
    {
        using var threads = new PassThreads((_, _, _, _) => { });

        Assert.Throws<ArgumentOutOfRangeException>(() => threads.Count = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => threads.Count = WorkerPool.MaxThreads + 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => threads.MinimumWorkPerPart = -1);
        Assert.Throws<ArgumentNullException>(() => new PassThreads(null!));
        threads.Count = 3;
        threads.MinimumWorkPerPart = 5;
        Assert.Equal(3, threads.Count);
        threads.Dispose();
        Assert.Equal(1, threads.Count);
    }
}
