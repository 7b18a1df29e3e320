using System;
using System.IO;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class CheckpointTests
{
    private static void Steps(TinyClassifier net, Optimizer optimizer, TrainingData data, int count)
    {
        float[] outputs = new float[16 * 3];
        for (int s = 0; s < count; s++)
        {
            int start = (s * 16) % (data.Count - 16);
            net.Forward(data.Inputs.AsSpan(start * 4, 16 * 4), outputs, 16);
            net.ZeroGradients();
            net.Backward(data.Targets.AsSpan(start * 3, 16 * 3), 16);
            optimizer.Step(net);
        }
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("Rprop")]
    [InlineData("DeltaBarDelta")]
    public void Weights_and_optimizer_state_round_trip(string name)
    {
        Func<Optimizer> create = name switch
        {
            "Adam" => () => new Adam(0.01f),
            "Rprop" => () => new Rprop(),
            _ => () => new DeltaBarDelta(0.05f),
        };
        TrainingData data = SyntheticData.Blobs();
        string path = SyntheticData.TempPath("model.ckpt");
        var a = new TinyClassifier(seed: 1, capacity: 16);
        Optimizer optA = create();
        Steps(a, optA, data, 5);
        Checkpoint.Save(path, a, optA);
        Steps(a, optA, data, 5);

        var b = new TinyClassifier(seed: 99, capacity: 16);
        Optimizer optB = create();
        Checkpoint.Load(path, b, optB);
        Assert.Equal(5, optB.StepCount);
        Steps(b, optB, data, 5);
        Assert.Equal(SyntheticData.Bytes(a.Parameters), SyntheticData.Bytes(b.Parameters));
    }

    [Fact]
    public void Loading_into_another_network_or_optimizer_names_the_mismatch()
    {
        string path = SyntheticData.TempPath("tiny.ckpt");
        var tiny = new TinyClassifier(capacity: 16);
        var adam = new Adam();
        Steps(tiny, adam, SyntheticData.Blobs(), 1);
        Checkpoint.Save(path, tiny, adam);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, new LinearModel(capacity: 4), null));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("TinyClassifier", error.Message, StringComparison.Ordinal);

        var wrongRule = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, new TinyClassifier(capacity: 16), new Sgd()));
        Assert.Contains("Adam", wrongRule.Message, StringComparison.Ordinal);

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, new TinyClassifier(capacity: 16), new Adam()));
    }

    [Fact]
    public void A_trainer_checkpoint_saved_before_training_resumes_into_the_same_run_as_a_fresh_start()
    {
        TrainingData data = SyntheticData.Blobs();
        var options = new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 4 };
        string path = SyntheticData.TempPath("untrained.ckpt");
        new Trainer(new TinyClassifier(seed: 1, capacity: 16), new Adam(0.01f), options).SaveCheckpoint(path);

        var fresh = new TinyClassifier(seed: 1, capacity: 16);
        new Trainer(fresh, new Adam(0.01f), options).Fit(data, null, TestContext.Current.CancellationToken);
        var resumed = new TinyClassifier(seed: 2, capacity: 16);
        var trainer = new Trainer(resumed, new Adam(0.01f), options);
        trainer.Resume(path);
        trainer.Fit(data, null, TestContext.Current.CancellationToken);
        Assert.Equal(SyntheticData.Bytes(fresh.Parameters), SyntheticData.Bytes(resumed.Parameters));
    }

    [Fact]
    public void Seeded_random_state_continues_the_same_sequence()
    {
        var random = new SeededRandom(77);
        for (int i = 0; i < 10; i++)
        {
            random.NextUInt64();
        }
        random.NextGaussian(); // leaves a spare Gaussian in the state
        SeededRandomState state = random.State;
        var copy = new SeededRandom(state);
        Assert.Equal(random.NextGaussian(), copy.NextGaussian());
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(random.NextUInt64(), copy.NextUInt64());
        }
        var other = new SeededRandom(1) { State = state };
        Assert.NotEqual(random.NextUInt64(), new SeededRandom(77).NextUInt64());
        Assert.Throws<ArgumentException>(() => other.State = default);
    }
}
