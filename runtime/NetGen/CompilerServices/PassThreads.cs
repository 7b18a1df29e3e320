using System;
using System.ComponentModel;
using NetGen.Concurrency;

namespace NetGen.CompilerServices;

/// <summary>
/// The worker threads of one generated network and the splits of its pass steps over them. The network hands in its
/// step method, which only the pool (through a private adapter) and this class call; the steps are numbered as the
/// generated pass schedule numbers them.
/// </summary>
/// <remarks>With one thread (the default) there is no pool and every step runs on the calling thread. A network is not
/// thread-safe, and neither is this class.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PassThreads : IDisposable
{
    private readonly Action<int, int, int, int> _runStep;
    private readonly Steps _steps;
    private WorkerPool? _pool;
    private long _minimumWorkPerPart = WorkerPool.DefaultMinimumWorkPerPart;

    /// <summary>Threads for the steps of <paramref name="runStep"/>(step, part, start, end).</summary>
    public PassThreads(Action<int, int, int, int> runStep)
    {
        ArgumentNullException.ThrowIfNull(runStep);
        _runStep = runStep;
        _steps = new Steps(runStep);
    }

    /// <summary>Threads that run a step, the caller included: 1 to <see cref="WorkerPool.MaxThreads"/>. Changing it ends
    /// the old workers and starts the new ones.</summary>
    public int Count
    {
        get => _pool?.Threads ?? 1;
        set
        {
            WorkerPool.CheckThreadCount(value, nameof(value));
            if (value == Count)
            {
                return;
            }
            _pool?.Dispose();
            _pool = value == 1 ? null : new WorkerPool(value, _minimumWorkPerPart);
        }
    }

    /// <summary>The fewest estimated FLOPs a part of a split step gets (<see cref="WorkerPool.MinimumWorkPerPart"/>).</summary>
    public long MinimumWorkPerPart
    {
        get => _minimumWorkPerPart;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _minimumWorkPerPart = value;
            if (_pool is { } pool)
            {
                _pool = new WorkerPool(pool.Threads, value);
                pool.Dispose();
            }
        }
    }

    /// <summary>How many slices the pair of steps running now is cut into (<see cref="SplitTogether"/>).</summary>
    public int Slices { get; private set; } = 1;

    /// <summary>Runs items [0, <paramref name="count"/>) of step 0 of <paramref name="work"/> over the threads, in ranges
    /// whose boundaries are multiples of <paramref name="grain"/> (a batch's preparation).</summary>
    public void Run(IPartitionedWork work, int count, int grain = 1)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_pool is { } pool)
        {
            pool.Run(work, 0, count, grain);
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grain);
            work.Run(0, 0, 0, count);
        }
    }

    /// <summary>Runs items [0, <paramref name="count"/>) of <paramref name="step"/>, about <paramref name="workPerItem"/>
    /// FLOPs each, over the threads when <paramref name="onThreads"/> (the training workspace's pass) and there are
    /// several, else on this thread.</summary>
    public void Split(int step, int count, int grain, long workPerItem, bool onThreads)
    {
        if (onThreads && _pool is { } pool)
        {
            pool.Run(_steps, step, count, grain, workPerItem);
        }
        else
        {
            _runStep(step, 0, 0, count);
        }
    }

    /// <summary>Runs a pair of steps that neither read what the other writes as one split of <see cref="Slices"/>
    /// slices: each thread takes one slice of the first's items and the same slice of the second's samples, over as many
    /// threads as the pair's <paramref name="workPerSample"/> FLOPs per sample of the <paramref name="batch"/> warrant
    /// (<see cref="WorkerPool.PartsFor"/>).</summary>
    public void SplitTogether(int step, int batch, long workPerSample, bool onThreads)
    {
        Slices = onThreads && _pool is { } pool ? WorkerPool.PartsFor(batch, workPerSample, pool.MinimumWorkPerPart, pool.Threads) : 1;
        Split(step, Slices, 1, 0, onThreads);
    }

    /// <summary>Ends the worker threads, as a <see cref="Count"/> of 1 does; the threads can be raised again.</summary>
    public void Dispose() => Count = 1;

    /// <summary>The steps as the pool sees them.</summary>
    private sealed class Steps(Action<int, int, int, int> runStep) : IPartitionedWork
    {
        public void Run(int step, int part, int start, int end) => runStep(step, part, start, end);
    }
}
