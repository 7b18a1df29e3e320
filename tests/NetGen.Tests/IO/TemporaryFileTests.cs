using System;
using System.Diagnostics;
using System.IO;
using NetGen.IO;
using NetGen.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.IO;

/// <summary>Atomic writes go through a temporary file beside the target; a process killed during one leaves that file
/// behind, and the next save or checkpoint read of the same target removes it — and nothing else.</summary>
public sealed class TemporaryFileTests
{
    /// <summary>No process has this id (Linux ids stay below 2²², Windows ids are multiples of 4).</summary>
    private const int EndedProcess = int.MaxValue;

    private static string Random() => Guid.NewGuid().ToString("N");

    /// <summary>Creates leftovers of killed writes of <paramref name="path"/> and files that only look like them.</summary>
    private static (string[] Stale, string[] Kept) Plant(string path, int liveProcess)
    {
        string directory = Path.GetDirectoryName(path)!, name = Path.GetFileName(path);
        string[] stale =
        [
            $".{name}.{EndedProcess}.{Random()}.tmp",
            $".{name}.{Environment.ProcessId}.{Random()}.tmp", // an earlier process with this one's id
        ];
        string[] kept =
        [
            $".{name}.{liveProcess}.{Random()}.tmp", // a write in progress in another process
            $".other.ckpt.{EndedProcess}.{Random()}.tmp",
            $".{name}x.{EndedProcess}.{Random()}.tmp",
            $"{name}.{EndedProcess}.tmp",
            $".{name}.tmp",
            $"{name}.bak",
            $".{name}.{EndedProcess}.{Random()}.tmp.keep",
            $".{name}.{EndedProcess}.{Random().ToUpperInvariant()}.tmp",
            $".{name}.{EndedProcess}.{Random()[1..]}.tmp",
            $".{name}.-5.{Random()}.tmp",
            $".{name}.{EndedProcess}x.{Random()}.tmp",
        ];
        foreach (string file in (string[])[.. stale, .. kept])
        {
            File.WriteAllText(Path.Combine(directory, file), "user data");
        }
        return (stale, kept);
    }

    private static void AssertCleaned(string path, string[] stale, string[] kept)
    {
        string directory = Path.GetDirectoryName(path)!;
        foreach (string file in stale)
        {
            Assert.False(File.Exists(Path.Combine(directory, file)), $"{file} was left behind.");
        }
        foreach (string file in kept)
        {
            Assert.True(File.Exists(Path.Combine(directory, file)), $"{file} was deleted.");
            Assert.Equal("user data", File.ReadAllText(Path.Combine(directory, file)));
        }
    }

    private static void WithLiveProcess(Action<int> test)
    {
        using Process live = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            test(live.Id);
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
    }

    [Fact]
    public void Saving_a_checkpoint_removes_the_leftovers_of_killed_writes_of_that_file_and_nothing_else() => WithLiveProcess(live =>
    {
        string path = SyntheticData.TempPath("run.ckpt");
        (string[] stale, string[] kept) = Plant(path, live);
        Checkpoint.Save(path, new TinyClassifier(seed: 1, capacity: 4), null);
        AssertCleaned(path, stale, kept);
        Assert.Equal(kept.Length + 1, Directory.GetFiles(Path.GetDirectoryName(path)!).Length);
    });

    [Fact]
    public void Saving_weights_removes_the_leftovers_of_killed_writes_of_that_file() => WithLiveProcess(live =>
    {
        string path = SyntheticData.TempPath("model.safetensors");
        (string[] stale, string[] kept) = Plant(path, live);
        new TinyClassifier(seed: 1, capacity: 4).Save(path);
        AssertCleaned(path, stale, kept);
    });

    [Fact]
    public void Resuming_and_loading_remove_the_leftovers_of_killed_writes_of_the_checkpoint() => WithLiveProcess(live =>
    {
        string path = SyntheticData.TempPath("run.ckpt");
        var trainer = new Trainer(new TinyClassifier(seed: 1, capacity: 16), new NetGen.Optimizers.Adam(0.01f),
            new TrainerOptions { Epochs = 1, BatchSize = 16, CheckpointPath = path });
        trainer.Fit(SyntheticData.Blobs(), null, TestContext.Current.CancellationToken);
        (string[] stale, string[] kept) = Plant(path, live);
        trainer.Resume(path);
        AssertCleaned(path, stale, kept);

        (stale, kept) = Plant(path, live);
        Checkpoint.Load(path, new TinyClassifier(capacity: 16), null);
        AssertCleaned(path, stale, kept);

        // Also when the checkpoint itself is missing.
        File.Delete(path);
        (stale, kept) = Plant(path, live);
        Assert.Throws<FileNotFoundException>(() => trainer.Resume(path));
        AssertCleaned(path, stale, kept);
    });

    [Fact]
    public void A_failed_write_leaves_neither_a_temporary_file_nor_a_changed_target()
    {
        string path = SyntheticData.TempPath("history.csv");
        File.WriteAllText(path, "before");
        Assert.Throws<InvalidOperationException>(() => NetGen.IO.AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("the writer failed");
        }));
        Assert.Equal("before", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
