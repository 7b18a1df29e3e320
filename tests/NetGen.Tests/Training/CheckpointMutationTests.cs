using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// Seeded mutations of a real checkpoint — bit flips, byte overwrites, truncation, a length field overwritten, bytes
/// inserted or removed — each given to <see cref="Trainer.Resume"/> and, when it is accepted, to one short
/// <see cref="Trainer.Fit(TrainingData, TrainingData?, CancellationToken)"/>. Three in four mutated files get a checksum
/// that matches again, so the checks of every section are what must refuse them; the rest must fail the checksum.
/// <c>NETGEN_MUTATIONS</c> sets the number of mutations (default 3,000); <see cref="MutationTesting"/> holds the mutation
/// kinds and the limits, which every reader's mutation test shares.
/// </summary>
public sealed class CheckpointMutationTests
{
    private const int DefaultMutations = 3_000;

    private static TrainerOptions Options(string? checkpoint) => new()
    {
        Epochs = 3,
        BatchSize = 16,
        Seed = 11,
        Schedule = new ReduceOnPlateau(0.5f, patience: 0),
        EarlyStoppingPatience = 5,
        CheckpointPath = checkpoint,
        CheckpointEverySteps = 4,
    };

    [Fact]
    public async Task A_mutated_checkpoint_resumes_and_trains_or_is_refused_as_invalid_data()
    {
        TrainingData train = SyntheticData.Blobs(), validation = SyntheticData.Blobs(count: 40, seed: 9);
        string written = SyntheticData.TempPath("run.ckpt");
        byte[]? sound = null;
        var run = new Trainer(new StatefulClassifier(seed: 1, capacity: 16), new Adam(0.01f), Options(written));
        run.BatchEnded += report =>
        {
            if (report.Step == 16)
            {
                sound = File.ReadAllBytes(written); // epoch 3, batch 2: a mid-epoch position with history and best weights
            }
        };
        run.Fit(train, validation, TestContext.Current.CancellationToken);
        Assert.NotNull(sound);

        int mutations = MutationTesting.Count(DefaultMutations);
        int current = -1;
        var outcome = new Tally();
        // One thread for all cases, so that GC.GetAllocatedBytesForCurrentThread sees each case's allocations.
        Task cases = Task.Factory.StartNew(() => outcome = RunCases(sound, train, validation, mutations, ref current),
            TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await cases.WaitAsync(TimeSpan.FromSeconds(60 + mutations / 20), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Mutation {Volatile.Read(ref current)} did not finish: Resume or Fit hangs.");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{mutations} mutations of a {sound.Length}-byte checkpoint: {outcome.Resumed} resumed and trained, {outcome.ChecksumRefused} refused by the " +
            $"checksum, {outcome.OtherwiseRefused} refused by a section's checks, {outcome.Diverged} resumed and then stopped by the non-finite guard; " +
            $"at most {outcome.MostAllocated:N0} bytes allocated ({(double)outcome.MostAllocated / sound.Length:F1} × the file), slowest case " +
            $"{outcome.Slowest.TotalMilliseconds:F1} ms, {outcome.Elapsed.TotalSeconds:F1} s in all.");
        Assert.True(outcome.Failures.Count == 0, string.Join("\n", outcome.Failures));
        // The checksum is not the only line of defence: resealed files reach the sections' checks and are refused there.
        Assert.True(outcome.OtherwiseRefused > mutations / 4, $"only {outcome.OtherwiseRefused} files were refused by a section's checks");
        Assert.True(outcome.ChecksumRefused > mutations / 10, $"only {outcome.ChecksumRefused} files failed the checksum");
    }

    private sealed class Tally
    {
        public int Resumed, ChecksumRefused, OtherwiseRefused, Diverged;
        public long MostAllocated;
        public TimeSpan Slowest, Elapsed;
        public List<string> Failures { get; } = [];
    }

    private static Tally RunCases(byte[] sound, TrainingData train, TrainingData validation, int mutations, ref int current)
    {
        var tally = new Tally();
        string path = SyntheticData.TempPath("mutated.ckpt");
        var trainer = new Trainer(new StatefulClassifier(seed: 2, capacity: 16), new Adam(0.01f), Options(null));
        File.WriteAllBytes(path, sound);
        trainer.Resume(path); // first calls and static state, outside the measurements
        trainer.Fit(train, validation, CancellationToken.None);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < mutations; i++)
        {
            Volatile.Write(ref current, i);
            var random = new SeededRandom(25_000L + i);
            var mutation = (Mutation)random.NextInt(6);
            bool resealed = random.NextInt(4) != 0;
            byte[] file = MutationTesting.Mutate(sound, mutation, random);
            if (resealed)
            {
                CheckpointFiles.Reseal(file);
            }
            File.WriteAllBytes(path, file);
            string what = $"mutation {i} ({mutation}{(resealed ? ", resealed" : "")}, {file.Length} bytes)";
            long bound = MutationTesting.AllocationBound(file.Length);
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool resumed = false;
            try
            {
                trainer.Resume(path);
                resumed = true;
                trainer.Fit(train, validation, CancellationToken.None);
                tally.Resumed++;
            }
            catch (InvalidDataException e) when (!resumed)
            {
                if (e.Message.Contains("checksum mismatch", StringComparison.Ordinal))
                {
                    tally.ChecksumRefused++;
                }
                else
                {
                    tally.OtherwiseRefused++;
                }
                if (!e.Message.Contains(path, StringComparison.Ordinal))
                {
                    tally.Failures.Add($"{what}: the message does not name the file: {e.Message}");
                }
            }
            catch (TrainingDivergedException) when (resumed && resealed)
            {
                // A file whose checksum holds is the file that was written: numbers changed to NaN or 1e38 are the run's
                // numbers, and the guard stops the run on them as it would have then.
                tally.Diverged++;
            }
            catch (Exception e)
            {
                tally.Failures.Add($"{what}: {(resumed ? "Fit" : "Resume")} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            clock.Stop();
            tally.MostAllocated = Math.Max(tally.MostAllocated, allocated);
            tally.Slowest = clock.Elapsed > tally.Slowest ? clock.Elapsed : tally.Slowest;
            if (allocated > bound)
            {
                tally.Failures.Add($"{what}: allocated {allocated:N0} bytes, more than {bound:N0}.");
            }
            if (tally.Failures.Count >= 10)
            {
                break;
            }
        }
        tally.Elapsed = total.Elapsed;
        return tally;
    }
}
