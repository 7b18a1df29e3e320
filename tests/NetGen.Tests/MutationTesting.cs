using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen.Tests;

/// <summary>How a mutation test damages a valid file.</summary>
internal enum Mutation
{
    BitFlips,
    ByteOverwrites,
    Truncation,
    LengthField,
    InsertedBytes,
    RemovedBytes,
}

/// <summary>Where a length or count that a mutation overwrites is stored: its offset and byte order.</summary>
internal readonly record struct LengthField(int Offset, bool BigEndian);

/// <summary>One mutated file (or set of files) and the reading of it: <see cref="Read"/> returns what happened when the
/// reader accepted the bytes, or throws. <see cref="FileSize"/> counts every file read; <see cref="Path"/> is the damaged
/// one, which a refusal must name.</summary>
internal sealed record MutationCase(string What, long FileSize, Func<string> Read)
{
    public string? Path { get; init; }
}

/// <summary>
/// The mutation tests of NetGen's readers (checkpoints, IDX, CIFAR, CSV, safetensors in the runtime and in the generator)
/// share these rules: seeded mutations (<see cref="Mutation"/>), <c>NETGEN_MUTATIONS</c> for more of them, and for every
/// case the documented exception or none, at most <see cref="AllocationFactor"/> × the file's size allocated (counting at
/// least <see cref="SmallestFile"/> bytes, never more than <see cref="AllocationCeiling"/>), and no case slower than
/// <see cref="CaseTimeLimit"/>.
/// </summary>
internal static class MutationTesting
{
    /// <summary>What a case may use of the memory: this many times the file's size, and never more than
    /// <see cref="AllocationCeiling"/>.</summary>
    public const int AllocationFactor = 64;

    /// <summary>A file counts as at least this many bytes: opening and refusing any file costs a few KiB (a buffer, the
    /// exception and its message), however short the file.</summary>
    public const int SmallestFile = 1024;

    public const long AllocationCeiling = 100L << 20;

    /// <summary>A case that takes longer fails the test: the reader hangs, or spends time out of proportion to the file.</summary>
    public static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(5);

    /// <summary>How many cases run once before the measured run.</summary>
    public const int WarmUpCases = 50;

    /// <summary>The number of mutations: <c>NETGEN_MUTATIONS</c> when it is set to a positive count, else
    /// <paramref name="defaultCount"/>.</summary>
    public static int Count(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("NETGEN_MUTATIONS"), out int count) && count > 0 ? count : defaultCount;

    /// <summary>The most a case on a file of <paramref name="fileSize"/> bytes may allocate.</summary>
    public static long AllocationBound(long fileSize) =>
        Math.Min(AllocationFactor * Math.Max(fileSize, SmallestFile), AllocationCeiling);

    /// <summary>A copy of <paramref name="sound"/> with one <paramref name="mutation"/> drawn from <paramref name="random"/>.
    /// A <see cref="Mutation.LengthField"/> overwrites four bytes at a random offset (little-endian) with a length that is
    /// huge, negative, zero or about the file's size; <paramref name="lengthField"/>, when given, chooses the place instead
    /// (a header field of the format).</summary>
    public static byte[] Mutate(byte[] sound, Mutation mutation, SeededRandom random, Func<SeededRandom, LengthField>? lengthField = null)
    {
        byte[] file = (byte[])sound.Clone();
        switch (mutation)
        {
            case Mutation.BitFlips:
                for (int n = 1 + random.NextInt(3); n > 0; n--)
                {
                    file[random.NextInt(file.Length)] ^= (byte)(1 << random.NextInt(8));
                }
                return file;
            case Mutation.ByteOverwrites:
                for (int n = 1 + random.NextInt(4); n > 0; n--)
                {
                    file[random.NextInt(file.Length)] = random.NextInt(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.NextInt(256) };
                }
                return file;
            case Mutation.Truncation:
                return file[..random.NextInt(file.Length)];
            case Mutation.LengthField:
            {
                LengthField field = lengthField?.Invoke(random) ?? new LengthField(random.NextInt(file.Length - 3), BigEndian: false);
                int at = field.Offset;
                int[] values = [-1, -2, int.MinValue, int.MaxValue, int.MaxValue - 7, file.Length, file.Length - at, 0, 1, 127, 128,
                    random.NextInt(1000), random.NextInt(int.MaxValue)];
                int value = values[random.NextInt(values.Length)];
                if (field.BigEndian)
                {
                    BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(at), value);
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), value);
                }
                return file;
            }
            case Mutation.InsertedBytes:
            {
                int at = random.NextInt(file.Length + 1);
                byte[] inserted = new byte[1 + random.NextInt(16)];
                for (int k = 0; k < inserted.Length; k++)
                {
                    inserted[k] = (byte)random.NextInt(256);
                }
                return [.. file[..at], .. inserted, .. file[at..]];
            }
            default:
            {
                int at = random.NextInt(file.Length);
                int length = Math.Min(1 + random.NextInt(16), file.Length - at);
                return [.. file[..at], .. file[(at + length)..]];
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> cases, all on one thread so that <see cref="GC.GetAllocatedBytesForCurrentThread"/>
    /// sees each case's allocations: <paramref name="prepare"/> mutates and writes case <c>i</c> (not measured), then its
    /// <see cref="MutationCase.Read"/> is timed and its allocations counted. <paramref name="judge"/> says why an exception
    /// is not the documented one (or returns null when it is). A watchdog on the calling thread stops the run when one case
    /// takes longer than <see cref="CaseTimeLimit"/>, naming it. <paramref name="warmUp"/> and the first
    /// <see cref="WarmUpCases"/> cases run first, unmeasured: what happens once per process (first calls, the resource strings
    /// of the first exceptions of each kind, static state) is not counted against a file.
    /// </summary>
    public static async Task<MutationReport> RunAsync(int count, Action warmUp, Func<int, MutationCase> prepare,
        Func<MutationCase, Exception, string?> judge, CancellationToken cancellationToken)
    {
        var report = new MutationReport { Cases = count };
        int current = -1;
        long started = 0; // Stopwatch timestamp at which the current case's read began; 0 between reads
        MutationCase? running = null;
        Task cases = Task.Factory.StartNew(() =>
        {
            warmUp();
            for (int i = 0; i < Math.Min(count, WarmUpCases); i++)
            {
                MutationCase @case = prepare(i);
                Volatile.Write(ref running, @case);
                Volatile.Write(ref current, i);
                Volatile.Write(ref started, Stopwatch.GetTimestamp()); // the watchdog sees a hang here too
                try
                {
                    @case.Read();
                }
                catch (Exception)
                {
                    // Judged when the case runs again, measured.
                }
                Volatile.Write(ref started, 0);
            }
            var total = Stopwatch.StartNew();
            for (int i = 0; i < count && report.Failures.Count < 10 && !cancellationToken.IsCancellationRequested; i++)
            {
                MutationCase @case = prepare(i);
                Volatile.Write(ref running, @case);
                Volatile.Write(ref current, i);
                long bound = AllocationBound(@case.FileSize);
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                Volatile.Write(ref started, start);
                string outcome;
                try
                {
                    outcome = @case.Read();
                }
                catch (Exception e)
                {
                    string? failure = judge(@case, e);
                    outcome = failure is null ? "refused" : "failed";
                    if (failure is not null)
                    {
                        report.Failures.Add($"case {i} ({@case.What}): {failure}");
                    }
                }
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                Volatile.Write(ref started, 0);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                report.Outcomes[outcome] = report.Outcomes.GetValueOrDefault(outcome) + 1;
                if (allocated > report.MostAllocated)
                {
                    report.MostAllocated = allocated;
                }
                double perByte = (double)allocated / Math.Max(@case.FileSize, SmallestFile);
                if (perByte > report.MostAllocatedPerByte)
                {
                    (report.MostAllocatedPerByte, report.MostAllocatedCase) = (perByte, $"case {i} ({@case.What}): {allocated:N0} bytes");
                }
                if (elapsed > report.Slowest)
                {
                    (report.Slowest, report.SlowestCase) = (elapsed, $"case {i} ({@case.What})");
                }
                if (allocated > bound)
                {
                    report.Failures.Add($"case {i} ({@case.What}): allocated {allocated:N0} bytes, more than {bound:N0}.");
                }
                if (elapsed > CaseTimeLimit)
                {
                    report.Failures.Add($"case {i} ({@case.What}): took {elapsed.TotalSeconds:F1} s, more than {CaseTimeLimit.TotalSeconds} s.");
                }
            }
            report.Elapsed = total.Elapsed;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        while (!cases.IsCompleted)
        {
            await Task.WhenAny(cases, Task.Delay(100, cancellationToken));
            long start = Volatile.Read(ref started);
            if (start != 0 && !cases.IsCompleted && Stopwatch.GetElapsedTime(start) > CaseTimeLimit)
            {
                // The reader is still inside this case: it hangs. Its thread is left behind; the run is over.
                report.Failures.Add($"case {Volatile.Read(ref current)} ({Volatile.Read(ref running)?.What}) did not finish within {CaseTimeLimit.TotalSeconds} s: the reader hangs.");
                report.Hung = true;
                return report;
            }
        }
        await cases;
        return report;
    }
}

/// <summary>What a mutation run found.</summary>
internal sealed class MutationReport
{
    public int Cases { get; init; }

    /// <summary>How many cases ended each way ("loaded", "refused", "failed", or what the case's read returned).</summary>
    public SortedDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    public long MostAllocated { get; set; }

    /// <summary>The largest allocation of one case divided by its file's size (counting at least
    /// <see cref="MutationTesting.SmallestFile"/> bytes), and that case.</summary>
    public double MostAllocatedPerByte { get; set; }

    public string? MostAllocatedCase { get; set; }

    public TimeSpan Slowest { get; set; }

    public string? SlowestCase { get; set; }

    public TimeSpan Elapsed { get; set; }

    public bool Hung { get; set; }

    public List<string> Failures { get; } = [];

    /// <summary>One paragraph for the test's output: counts, the largest allocation and the slowest case.</summary>
    public string Summary(string target) =>
        $"{target}: {Cases} mutations: {string.Join(", ", Outcomes.Select(o => $"{o.Value} {o.Key}"))}; {Failures.Count} failures; " +
        $"at most {MostAllocated:N0} bytes allocated, at most {MostAllocatedPerByte:F1} × the file's size counting at least 1 KiB ({MostAllocatedCase}); " +
        $"slowest case {Slowest.TotalMilliseconds:F1} ms ({SlowestCase}); {Elapsed.TotalSeconds:F1} s in all.";
}
