using System;
using System.Buffers.Binary;
using System.IO;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>A checkpoint that cannot be resumed is an <see cref="InvalidDataException"/> naming the file and what is wrong,
/// and the trainer, its network (parameters, running statistics, mask generator), optimizer and schedule are afterwards
/// exactly as they were.</summary>
public sealed class ResumeFailureTests
{
    private static TrainerOptions Options(string? checkpoint, LearningRateSchedule? schedule = null) => new()
    {
        Epochs = 3,
        BatchSize = 16,
        Seed = 11,
        Schedule = schedule ?? new ReduceOnPlateau(0.5f, patience: 0),
        EarlyStoppingPatience = 5,
        CheckpointPath = checkpoint,
        CheckpointEverySteps = 4,
    };

    /// <summary>The checkpoint a run of <see cref="StatefulClassifier"/> writes at step 16 (epoch 3, batch 2).</summary>
    private static byte[] MidEpochCheckpoint()
    {
        string path = SyntheticData.TempPath("run.ckpt");
        byte[]? copy = null;
        var trainer = new Trainer(new StatefulClassifier(seed: 1, capacity: 16), new Adam(0.01f), Options(path));
        trainer.BatchEnded += report =>
        {
            if (report.Step == 16)
            {
                copy = File.ReadAllBytes(path);
            }
        };
        trainer.Fit(SyntheticData.Blobs(), SyntheticData.Blobs(count: 40, seed: 9), TestContext.Current.CancellationToken);
        return copy!;
    }

    /// <summary>A trainer with state of its own everywhere a checkpoint reaches: trained on other data from another seed.</summary>
    private static Trainer Victim()
    {
        var trainer = new Trainer(new StatefulClassifier(seed: 2, capacity: 16), new Adam(0.02f), Options(null));
        trainer.Fit(SyntheticData.Blobs(count: 90, seed: 6), SyntheticData.Blobs(count: 30, seed: 8), TestContext.Current.CancellationToken);
        return trainer;
    }

    /// <summary>Everything a trainer holds, as the bytes of a checkpoint it writes now.</summary>
    private static byte[] Snapshot(Trainer trainer)
    {
        string path = SyntheticData.TempPath("snapshot.ckpt");
        trainer.SaveCheckpoint(path);
        return File.ReadAllBytes(path);
    }

    private static void Write(byte[] file, int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), value);

    public static TheoryData<string> Corruptions =>
    [
        "a flipped bit", "a truncated file", "another batch size", "an epoch without its record", "a repeated sample", "an all-zero shuffling generator",
        "an all-zero mask generator", "another network state", "a negative plateau count", "a batch loss short", "a negative optimizer step count",
        "optimizer buffers of another length", "a trailing byte",
    ];

    /// <summary>What <paramref name="corruption"/> does to <paramref name="sound"/>, and what the message must then say. All
    /// but the first two keep the checksum valid, so that the check of each field is what refuses the file.</summary>
    private static (byte[] File, string Expected) Corrupt(byte[] sound, string corruption)
    {
        CheckpointFiles at = CheckpointFiles.Of(sound);
        byte[] file = (byte[])sound.Clone();
        int Read(int offset) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset));
        switch (corruption)
        {
            case "a flipped bit":
                file[at.Parameters + 5] ^= 0x10;
                return (file, "is corrupted: checksum mismatch");
            case "a truncated file":
                return (file[..^100], "is corrupted: checksum mismatch");
            case "another batch size":
                Write(file, at.BatchSize, 8);
                break;
            case "an epoch without its record":
                Write(file, at.Epoch, 1);
                break;
            case "a repeated sample":
                Write(file, at.Order + 4, Read(at.Order));
                break;
            case "an all-zero shuffling generator":
                file.AsSpan(at.ShufflingGenerator, 32).Clear();
                break;
            case "an all-zero mask generator":
                file.AsSpan(at.MaskGenerator, 32).Clear();
                break;
            case "another network state":
                Write(file, at.NetworkStateCount, Read(at.NetworkStateCount) + 1);
                break;
            case "a negative plateau count":
                Write(file, at.ScheduleState + 8, -1);
                break;
            case "a batch loss short":
                Write(file, at.BatchLossCount, Read(at.BatchLossCount) - 1);
                break;
            case "a negative optimizer step count":
                BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(at.OptimizerSection + 5), -1); // after the rule's name, "Adam"
                break;
            case "optimizer buffers of another length":
                Write(file, at.OptimizerSection + 21, Read(at.OptimizerSection + 21) - 1); // after name, steps, rate and slots
                break;
            case "a trailing byte":
                file = [.. file[..^4], 0, .. file[^4..]];
                break;
        }
        string expected = corruption switch
        {
            "another batch size" => "batch size 8",
            "an epoch without its record" => "the trainer section: epoch 1 with 2 epoch records",
            "a repeated sample" => "the trainer section: the sample order is not a permutation",
            "an all-zero shuffling generator" => "the trainer section: the shuffling generator: an all-zero",
            "an all-zero mask generator" => "the mask generator: an all-zero",
            "another network state" => "the network state:",
            "a negative plateau count" => "the trainer section: the schedule's state",
            "a batch loss short" => "the trainer section: 4 bytes follow the history",
            "a negative optimizer step count" => "the optimizer section: The saved Adam state has taken -1 steps",
            "optimizer buffers of another length" => "the optimizer section: The saved Adam state buffers hold",
            _ => "the trainer section: the sections end at byte",
        };
        return (CheckpointFiles.Reseal(file), expected);
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_refused_checkpoint_names_the_file_and_the_fault_and_changes_nothing(string corruption)
    {
        byte[] sound = MidEpochCheckpoint();
        (byte[] file, string expected) = Corrupt(sound, corruption);
        string path = SyntheticData.TempPath("corrupted.ckpt");
        File.WriteAllBytes(path, file);
        Trainer trainer = Victim();
        INetwork network = trainer.Network;
        byte[] before = Snapshot(trainer);
        byte[] parameters = SyntheticData.Bytes(network.Parameters), state = SyntheticData.Bytes(network.Engine().State);
        SeededRandomState masks = network.Engine().Random.State;
        long step = trainer.Step, optimizerSteps = trainer.Optimizer.StepCount;
        int reductions = ((ReduceOnPlateau)trainer.Options.Schedule!).Reductions;

        var error = Assert.Throws<InvalidDataException>(() => trainer.Resume(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, SyntheticData.Bytes(network.Parameters));
        Assert.Equal(state, SyntheticData.Bytes(network.Engine().State));
        Assert.Equal(masks, network.Engine().Random.State);
        Assert.Equal(step, trainer.Step);
        Assert.Equal(optimizerSteps, trainer.Optimizer.StepCount);
        Assert.Equal(reductions, ((ReduceOnPlateau)trainer.Options.Schedule!).Reductions);
        Assert.Equal(before, Snapshot(trainer));

        // The same file, sound, resumes into the same trainer.
        File.WriteAllBytes(path, sound);
        trainer.Resume(path);
        Assert.NotEqual(parameters, SyntheticData.Bytes(network.Parameters));
        Assert.Equal(16, trainer.Step);
    }

    [Fact]
    public void A_warm_up_checkpoint_resumes_only_into_a_warm_up_with_the_same_schedule_after_it()
    {
        static TrainerOptions WarmUpThen(LearningRateSchedule after, string? checkpoint) => Options(checkpoint, LearningRateSchedule.LinearWarmup(3, after));
        string path = SyntheticData.TempPath("warmup.ckpt");
        new Trainer(new StatefulClassifier(seed: 1, capacity: 16), new Adam(0.01f), WarmUpThen(new ReduceOnPlateau(0.5f, patience: 0), path))
            .Fit(SyntheticData.Blobs(), SyntheticData.Blobs(count: 40, seed: 9), TestContext.Current.CancellationToken);

        var other = new Trainer(new StatefulClassifier(seed: 2, capacity: 16), new Adam(0.02f), WarmUpThen(LearningRateSchedule.Constant(), null));
        byte[] before = Snapshot(other);
        var error = Assert.Throws<InvalidDataException>(() => other.Resume(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("NetGen.Training.ReduceOnPlateau after the warm-up", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(other));

        var same = new Trainer(new StatefulClassifier(seed: 2, capacity: 16), new Adam(0.02f), WarmUpThen(new ReduceOnPlateau(0.5f, patience: 0), null));
        same.Resume(path);
        Assert.True(same.Step > 0);
    }

    [Fact]
    public void Checkpoint_Load_of_a_refused_file_changes_neither_the_network_nor_the_optimizer()
    {
        (byte[] file, _) = Corrupt(MidEpochCheckpoint(), "optimizer buffers of another length");
        string path = SyntheticData.TempPath("corrupted.ckpt");
        File.WriteAllBytes(path, file);
        Trainer trainer = Victim();
        byte[] before = Snapshot(trainer);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, trainer.Network, trainer.Optimizer));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(trainer));
    }

    [Fact]
    public void A_version_2_checkpoint_without_a_checksum_still_resumes_as_its_version_3_twin()
    {
        byte[] sound = MidEpochCheckpoint();
        byte[] old = sound[..^4];
        const int VersionOffset = 1 + 17; // after the signature "NetGen checkpoint"
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(old.AsSpan(VersionOffset)));
        Write(old, VersionOffset, 2);
        string current = SyntheticData.TempPath("v3.ckpt"), previous = SyntheticData.TempPath("v2.ckpt");
        File.WriteAllBytes(current, sound);
        File.WriteAllBytes(previous, old);
        Trainer fromCurrent = Victim(), fromPrevious = Victim();
        fromCurrent.Resume(current);
        fromPrevious.Resume(previous);
        Assert.Equal(Snapshot(fromCurrent), Snapshot(fromPrevious));
    }

    [Fact]
    public void The_checksum_is_the_CRC_32C_of_everything_before_it()
    {
        Assert.Equal(0xE3069283u, CheckpointFiles.Crc32C("123456789"u8));
        byte[] sound = MidEpochCheckpoint();
        Assert.Equal(CheckpointFiles.Crc32C(sound.AsSpan(0, sound.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(sound.AsSpan(sound.Length - 4)));
    }
}
