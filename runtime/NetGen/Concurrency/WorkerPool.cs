using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen.Concurrency;

/// <summary>One step of a pass that a generated network splits over threads: the items <c>[start, end)</c> of the step
/// (samples, weight rows or channels, as the step says). Steps are written so that every item is computed the same way
/// whichever range it falls in, which makes results independent of the thread count.</summary>
public interface IPartitionedWork
{
    /// <summary>Runs items <paramref name="start"/> to <paramref name="end"/> (exclusive) of <paramref name="step"/>;
    /// <paramref name="part"/> (0 to <see cref="WorkerPool.Threads"/> − 1, 0 on the calling thread) selects per-thread
    /// scratch.</summary>
    void Run(int step, int part, int start, int end);
}

/// <summary>
/// A fixed set of worker threads for the passes of one network: <see cref="Run(IPartitionedWork, int, int, int)"/> splits a step into one contiguous range
/// per thread (the calling thread takes the first), waits for all, and rethrows the first exception. Between steps the
/// workers spin for a short while, since the next step of a pass follows within microseconds, then sleep. Running a step
/// allocates nothing.
/// </summary>
/// <remarks>A pool serves one caller at a time (a network is not thread-safe either). <see cref="Dispose"/> ends its
/// threads; a pool that is no longer referenced ends them when it is finalized.</remarks>
// Public because generated code calls it; hidden from IntelliSense, like the engine contract it serves.
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WorkerPool : IDisposable
{
    private readonly Shared _shared;

    /// <summary>The most threads a pool (and so a network) runs on: far beyond any gain, and low enough that a mistaken
    /// count is refused instead of exhausting memory with thread stacks.</summary>
    public const int MaxThreads = 256;

    /// <summary>Creates a pool of <paramref name="threads"/> threads in all: the caller and <paramref name="threads"/> − 1
    /// background workers. A step run with a cost per item is split only over as many threads as give each part at least
    /// <paramref name="minimumWorkPerPart"/> estimated FLOPs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is not within 1 to <see cref="MaxThreads"/>,
    /// or <paramref name="minimumWorkPerPart"/> is negative.</exception>
    public WorkerPool(int threads, long minimumWorkPerPart = DefaultMinimumWorkPerPart)
    {
        CheckThreadCount(threads, nameof(threads));
        ArgumentOutOfRangeException.ThrowIfNegative(minimumWorkPerPart);
        MinimumWorkPerPart = minimumWorkPerPart;
        _shared = new Shared(threads);
    }

    /// <summary>An <see cref="ArgumentOutOfRangeException"/> stating the allowed range unless <paramref name="threads"/> is
    /// within 1 to <see cref="MaxThreads"/>.</summary>
    internal static void CheckThreadCount(int threads, string parameter)
    {
        if (threads is < 1 or > MaxThreads)
        {
            throw new ArgumentOutOfRangeException(parameter, threads, $"A network runs on 1 to {MaxThreads} threads (WorkerPool.MaxThreads); {threads} is outside that range.");
        }
    }

    /// <summary>Ends the workers of a pool that was dropped without <see cref="Dispose"/>.</summary>
    ~WorkerPool() => _shared.Stop(join: false);

    /// <summary>Threads that run a step, the caller included.</summary>
    public int Threads => _shared.Threads;

    /// <summary>
    /// Runs items <c>[0, count)</c> of <paramref name="step"/> of <paramref name="work"/>, split into at most
    /// <see cref="Threads"/> ranges whose boundaries are multiples of <paramref name="grain"/>, and returns when all are
    /// done. A step of at most one grain runs on the calling thread alone.
    /// </summary>
    public void Run(IPartitionedWork work, int step, int count, int grain = 1)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grain);
        ObjectDisposedException.ThrowIf(_shared.Stopped, this);
        _shared.Run(work, step, count, grain, Threads);
    }

    /// <summary>
    /// As <see cref="Run(IPartitionedWork, int, int, int)"/> for a step whose items cost about
    /// <paramref name="workPerItem"/> FLOPs each: the step is split over only as many threads as give every part at least
    /// <see cref="MinimumWorkPerPart"/> (<see cref="PartsFor"/>), and runs on the calling thread alone when it is too small
    /// for two. The boundaries are those of an even split into that many parts, so consecutive steps over the same items
    /// split into as many parts give each thread the same items (which are then in its cache).
    /// </summary>
    public void Run(IPartitionedWork work, int step, int count, int grain, long workPerItem)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grain);
        ObjectDisposedException.ThrowIf(_shared.Stopped, this);
        _shared.Run(work, step, count, grain, PartsFor(count, workPerItem, MinimumWorkPerPart, Threads));
    }

    /// <summary>The default of <see cref="MinimumWorkPerPart"/>: about 2–4 µs of arithmetic here, against a barrier of
    /// about 1 µs.</summary>
    public const long DefaultMinimumWorkPerPart = 200_000;

    /// <summary>Estimated FLOPs a thread's part of a step must reach before the step is split over threads (default
    /// <see cref="DefaultMinimumWorkPerPart"/>; 0 splits every step). It changes speed only: a step computes the same bits
    /// however it is split.</summary>
    public long MinimumWorkPerPart { get; }

    /// <summary>How many of <paramref name="threads"/> threads a step of <paramref name="count"/> items at
    /// <paramref name="workPerItem"/> FLOPs each is split over so that every part holds at least
    /// <paramref name="minimumWorkPerPart"/>: between 1 and <paramref name="threads"/>; all of them when either amount is
    /// 0 or less.</summary>
    public static int PartsFor(int count, long workPerItem, long minimumWorkPerPart, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (workPerItem <= 0 || minimumWorkPerPart <= 0)
        {
            return threads;
        }
        // count × workPerItem may exceed a long only for absurd estimates; saturate rather than wrap.
        long total = workPerItem > long.MaxValue / Math.Max(1, count) ? long.MaxValue : count * workPerItem;
        return (int)Math.Clamp(total / minimumWorkPerPart, 1, threads);
    }

    /// <summary>Ends the worker threads.</summary>
    public void Dispose()
    {
        _shared.Stop(join: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Everything the workers use. They hold this, not the pool, so that an unreferenced pool is finalized.</summary>
    private sealed class Shared
    {
        /// <summary>How long an idle worker spins before it sleeps.</summary>
        private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

        private readonly Thread[] _workers;
        private readonly object _gate = new();
        private IPartitionedWork? _work;
        private int _step, _count, _grain, _parts;
        private int _generation;
        private int _pending;
        private int _sleepers;
        private int _busy;
        private volatile bool _stopped;
        private Exception? _failure;

        public Shared(int threads)
        {
            Threads = threads;
            _workers = new Thread[threads - 1];
            for (int i = 0; i < _workers.Length; i++)
            {
                int part = i + 1;
                _workers[i] = new Thread(() => Work(part)) { IsBackground = true, Name = $"NetGen worker {part}" };
                _workers[i].Start();
            }
        }

        public int Threads { get; }

        public bool Stopped => _stopped;

        public void Run(IPartitionedWork work, int step, int count, int grain, int maximumParts)
        {
            int units = (count + grain - 1) / grain;
            int parts = Math.Min(maximumParts, units);
            if (parts <= 1)
            {
                work.Run(step, 0, 0, count);
                return;
            }
            if (Interlocked.Exchange(ref _busy, 1) != 0)
            {
                throw new InvalidOperationException("A WorkerPool runs one step at a time; it was called from two threads at once.");
            }
            try
            {
                _work = work;
                _step = step;
                _count = count;
                _grain = grain;
                _parts = parts;
                _failure = null;
                Volatile.Write(ref _pending, Threads - 1);
                Interlocked.Increment(ref _generation);
                if (Volatile.Read(ref _sleepers) > 0)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
                (int start, int end) = Range(0, count, grain, parts);
                try
                {
                    work.Run(step, 0, start, end);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, e, null);
                }
                var spinner = new SpinWait();
                while (Volatile.Read(ref _pending) > 0)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                _work = null;
                if (_failure is { } failure)
                {
                    ExceptionDispatchInfo.Capture(failure).Throw();
                }
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        public void Stop(bool join)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
            if (join)
            {
                foreach (Thread worker in _workers)
                {
                    worker.Join();
                }
            }
        }

        /// <summary>Items of part <paramref name="part"/> of <paramref name="parts"/>, boundaries on multiples of the grain.</summary>
        private static (int Start, int End) Range(int part, int count, int grain, int parts)
        {
            long units = (count + (long)grain - 1) / grain;
            int start = (int)Math.Min(count, units * part / parts * grain);
            int end = (int)Math.Min(count, units * (part + 1) / parts * grain);
            return (start, end);
        }

        private void Work(int part)
        {
            int seen = 0;
            while (true)
            {
                int generation;
                long spinStart = Stopwatch.GetTimestamp();
                while ((generation = Volatile.Read(ref _generation)) == seen)
                {
                    if (_stopped)
                    {
                        return;
                    }
                    if (Stopwatch.GetTimestamp() - spinStart < SpinTicks)
                    {
                        Thread.SpinWait(20);
                        continue;
                    }
                    lock (_gate)
                    {
                        Interlocked.Increment(ref _sleepers); // a full fence: the generation read below cannot move before it
                        while (Volatile.Read(ref _generation) == seen && !_stopped)
                        {
                            Monitor.Wait(_gate);
                        }
                        Interlocked.Decrement(ref _sleepers);
                    }
                    spinStart = Stopwatch.GetTimestamp();
                }
                seen = generation;
                if (part < _parts)
                {
                    (int start, int end) = Range(part, _count, _grain, _parts);
                    try
                    {
                        _work!.Run(_step, part, start, end);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref _failure, e, null);
                    }
                }
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
