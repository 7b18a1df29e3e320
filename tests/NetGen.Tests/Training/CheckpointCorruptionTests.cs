using System;
using System.Buffers.Binary;
using System.IO;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>A corrupted checkpoint is an invalid file to <see cref="Trainer.Resume"/>, never an allocation out of proportion
/// to it.</summary>
public sealed class CheckpointCorruptionTests
{
    /// <summary>Every 4-byte field of a real checkpoint, in turn, overwritten with a huge count, a count just past what is
    /// left, and a negative one, and the checksum made to match again: <c>Resume</c> either succeeds or throws an
    /// <see cref="InvalidDataException"/>, and allocates at most 64 times the file's size (a length read from the file is
    /// checked against the bytes left before anything is allocated for it).</summary>
    [Fact]
    public void A_corrupted_length_is_an_invalid_file_and_never_allocates_out_of_proportion_to_it()
    {
        string path = SyntheticData.TempPath("sound.ckpt");
        var options = new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 3, CheckpointPath = path, CheckpointEverySteps = 2 };
        new Trainer(new TinyClassifier(seed: 1, capacity: 16), new Adam(0.01f), options).Fit(SyntheticData.Blobs(), null, TestContext.Current.CancellationToken);
        byte[] sound = File.ReadAllBytes(path);
        long bound = 64L * sound.Length;
        string corrupted = SyntheticData.TempPath("corrupted.ckpt");
        var trainer = new Trainer(new TinyClassifier(seed: 2, capacity: 16), new Adam(0.01f), new TrainerOptions { BatchSize = 16, Seed = 3 });
        byte[] file = new byte[sound.Length];
        foreach (int value in new[] { int.MaxValue - 7, sound.Length, -5 })
        {
            for (int at = 0; at + 4 <= sound.Length; at++)
            {
                sound.CopyTo(file, 0);
                BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(at), value);
                CheckpointFiles.Reseal(file); // past the checksum, to the length checks
                File.WriteAllBytes(corrupted, file);
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    trainer.Resume(corrupted);
                }
                catch (InvalidDataException)
                {
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated <= bound, $"{value} at byte {at}: Resume allocated {allocated} bytes for a {sound.Length}-byte file.");
            }
        }
    }
}
