using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Distributed;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Distributed;

/// <summary>The mpirun jobs run while no other test does: each starts several processes on the host's cores, and the
/// timing assertions here (and the allocation and threading tests elsewhere) should not compete with them.</summary>
[CollectionDefinition(nameof(MpirunJobs), DisableParallelization = true)]
public sealed class MpirunJobs;

/// <summary>Data-parallel training across Open MPI processes (tests/NetGen.Distributed.TestApp under mpirun); skipped
/// with the reason when mpirun is not installed. Each mpirun job here takes one to two seconds.</summary>
[Collection(nameof(MpirunJobs))]
public sealed class DataParallelTests
{
    /// <summary>Losses of runs that differ only in how the same global batch's gradient is summed.</summary>
    private const float LossTolerance = 1e-5f;

    private static void AssertSameLosses(RunResult expected, RunResult actual, int skip = 0)
    {
        Assert.True(expected.ExitCode == 0, expected.ToString());
        Assert.True(actual.ExitCode == 0, actual.ToString());
        IReadOnlyList<float> reference = expected.Losses.Skip(skip).ToList(), losses = actual.Losses;
        Assert.True(reference.Count > 0 && reference.Count == losses.Count, $"{reference.Count} losses alone, {losses.Count} in the parallel run");
        for (int step = 0; step < reference.Count; step++)
        {
            float tolerance = LossTolerance * Math.Max(1f, Math.Abs(reference[step]));
            Assert.True(Math.Abs(reference[step] - losses[step]) <= tolerance, $"step {step + 1 + skip}: {reference[step]:R} alone, {losses[step]:R} in parallel");
        }
    }

    private static void AssertIdenticalReplicas(RunResult run, int ranks)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Enumerable.Range(0, ranks), run.Hashes.Keys.Order());
        Assert.Single(run.Hashes.Values.Distinct());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Ranks_follow_one_process_with_the_same_global_batch(int ranks)
    {
        MpiRun.SkipWithoutMpirun();
        RunResult alone = MpiRun.Alone("--epochs", "3");
        RunResult parallel = MpiRun.Ranks(ranks, "--epochs", "3", "--check-every", "5");
        AssertSameLosses(alone, parallel);
        AssertIdenticalReplicas(parallel, ranks);
    }

    /// <summary>The sums of a network with several gradient buckets, started while the backward pass runs, give every rank
    /// the bits of sums started after it, and the losses of one process.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Sums_overlapped_with_the_backward_pass_give_the_bits_of_sums_after_it(int ranks)
    {
        MpiRun.SkipWithoutMpirun();
        RunResult overlapped = MpiRun.Ranks(ranks, "--epochs", "2", "--network", "wide", "--check-every", "3");
        RunResult after = MpiRun.Ranks(ranks, "--epochs", "2", "--network", "wide", "--overlap", "0");
        AssertIdenticalReplicas(overlapped, ranks);
        AssertIdenticalReplicas(after, ranks);
        Assert.Equal(after.Hashes[0], overlapped.Hashes[0]);
        AssertSameLosses(MpiRun.Alone("--epochs", "2", "--network", "wide"), overlapped);
    }

    /// <summary>With class weights every rank weighs its slice by the whole batch's weight, so the ranks' sum is the batch's
    /// weighted mean, as one process computes it; under batch statistics a left-out slice of one sample does not count in
    /// that weight (the last batch of 7 on 4 ranks).</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Class_weights_weigh_the_global_batch_as_one_process_does(int ranks)
    {
        MpiRun.SkipWithoutMpirun();
        string[] weighted = ["--epochs", "2", "--class-weights", "0.5,3,1"];
        AssertSameLosses(MpiRun.Alone(weighted), MpiRun.Ranks(ranks, [.. weighted, "--check-every", "4"]));
        RunResult normalized = MpiRun.Ranks(4, [.. weighted, "--network", "batchnorm"]);
        AssertIdenticalReplicas(normalized, 4);
        Assert.All(normalized.Losses, loss => Assert.True(float.IsFinite(loss) && loss > 0, normalized.ToString()));
    }

    [Fact]
    public void Ranks_hold_identical_parameters_and_running_statistics()
    {
        AssertIdenticalReplicas(MpiRun.Ranks(4, "--epochs", "4", "--network", "batchnorm", "--check-every", "1"), 4);
    }

    /// <summary>Under batch statistics a last batch that gives no rank more than one sample (4 of 103 at batch 11 on 4
    /// ranks) is skipped on every rank, as one process skips a last batch of one sample.</summary>
    [Fact]
    public void A_last_batch_too_small_for_batch_statistics_on_any_rank_is_skipped()
    {
        RunResult run = MpiRun.Ranks(4, "--network", "batchnorm", "--batch", "11", "--epochs", "2");
        AssertIdenticalReplicas(run, 4);
        Assert.Equal(2 * 9, run.Losses.Count);
        Assert.All(run.Losses, loss => Assert.True(float.IsFinite(loss), run.ToString()));
    }

    [Fact]
    public void A_killed_rank_ends_the_job_within_seconds()
    {
        RunResult run = MpiRun.Ranks(2, "--epochs", "1000000", "--kill-rank", "1", "--at-step", "5");
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), run.ToString());
        // mpirun exits with 128 + the signal of the killed rank, and usually says so (its notices are not always printed).
        Assert.True(run.ExitCode == 128 + 9 || (run.Error + run.Output).Contains("signal 9", StringComparison.Ordinal), run.ToString());
    }

    [Fact]
    public void A_rank_that_throws_aborts_the_job_with_its_message()
    {
        RunResult run = MpiRun.Ranks(2, "--epochs", "1000000", "--throw-rank", "1", "--at-step", "5");
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), run.ToString());
        Assert.Contains("rank 1 of 2 failed after 5 steps; ending every rank", run.Error, StringComparison.Ordinal);
        Assert.Contains("rank 1 fails on purpose at step 5", run.Error, StringComparison.Ordinal);
        // Not asserted: mpirun's "MPI_ABORT was invoked" notice, which Open MPI 4.1 sometimes fails to print (an ORTE_ERROR_LOG
        // in show_help.c instead) while ending the job all the same.
    }

    [Fact]
    public void A_rank_that_fails_before_training_ends_the_job()
    {
        RunResult run = MpiRun.Ranks(2, "--fail-before-fit", "1");
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), run.ToString());
        Assert.Contains("NetGen.Distributed: rank failed: System.InvalidOperationException: rank 1 fails on purpose before training", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_rank_0_writes_checkpoints_history_curves_and_progress()
    {
        MpiRun.SkipWithoutMpirun();
        string directory = System.IO.Path.GetDirectoryName(NetGen.Tests.Training.SyntheticData.TempPath("files"))!;
        RunResult run = MpiRun.Ranks(2, "--epochs", "2", "--files", directory);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["rank0.ckpt", "rank0.csv", "rank0.svg"], System.IO.Directory.GetFiles(directory).Select(System.IO.Path.GetFileName).Order());
        Assert.Equal(2, run.Output.Split('\n').Count(line => line.StartsWith("epoch ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Divergence_stops_every_rank_at_the_same_step_without_an_abort()
    {
        RunResult run = MpiRun.Ranks(2, "--epochs", "3", "--rate", "1e30");
        Assert.NotEqual(0, run.ExitCode);
        string[] diverged = [.. run.Output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("diverged ", StringComparison.Ordinal)).Order()];
        Assert.Equal(2, diverged.Length);
        Assert.Equal(diverged[0]["diverged 0".Length..], diverged[1]["diverged 1".Length..]);
        Assert.DoesNotContain("MPI_ABORT", run.Error + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_that_differ_stop_training_on_every_rank()
    {
        RunResult run = MpiRun.Ranks(2, "--epochs", "3", "--perturb-rank", "1", "--at-step", "5", "--check-every", "10");
        Assert.NotEqual(0, run.ExitCode);
        foreach (int rank in new[] { 0, 1 })
        {
            Assert.Contains($"mismatch {rank} BlobClassifier: after step 10 the processes of the data-parallel run hold different parameters or state (rank {rank} of 2", run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(4, 1)]
    public void Training_resumes_from_a_checkpoint_with_another_number_of_ranks(int before, int after)
    {
        MpiRun.SkipWithoutMpirun();
        string checkpoint = NetGen.Tests.Training.SyntheticData.TempPath("parallel.ckpt");
        RunResult uninterrupted = MpiRun.Alone("--epochs", "4");
        RunResult first = MpiRun.Ranks(before, "--epochs", "2", "--checkpoint", checkpoint);
        AssertSameLosses(new RunResult(0, string.Join('\n', uninterrupted.Output.Split('\n').Take(first.Losses.Count)), "", TimeSpan.Zero), first);
        string[] resume = ["--epochs", "4", "--resume", checkpoint];
        RunResult second = after == 1 ? MpiRun.Alone(resume) : MpiRun.Ranks(after, resume);
        AssertSameLosses(uninterrupted, second, skip: first.Losses.Count);
        if (after > 1)
        {
            AssertIdenticalReplicas(second, after);
        }
    }

    [Fact]
    public void A_missing_mpi_library_is_named_in_the_error()
    {
        RunResult run = MpiRun.Run("dotnet", [MpiRun.Program], new Dictionary<string, string>
        {
            ["OMPI_COMM_WORLD_SIZE"] = "2",
            ["NETGEN_MPI_LIBRARY"] = "/nonexistent/libmpi.so.40",
        });
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("this process was started by an MPI launcher (OMPI_COMM_WORLD_SIZE is set) but Open MPI's library '/nonexistent/libmpi.so.40' cannot be loaded", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_launcher_the_world_is_this_process_alone()
    {
        Assert.Null(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"));
        ICommunicator world = Communicators.World();
        Assert.Equal((0, 1), (world.Rank, world.Size));
        Assert.True(world.AllEqual(42));
    }
}
