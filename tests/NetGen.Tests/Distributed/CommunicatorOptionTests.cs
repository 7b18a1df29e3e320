using System;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Distributed;

/// <summary>What the trainer checks of a communicator before any process starts training (no MPI needed).</summary>
public sealed class CommunicatorOptionTests
{
    /// <summary>A rank of a world that is never reached: these tests fail before the first collective.</summary>
    private sealed class Unreachable(int rank, int size) : ICommunicator
    {
        public int Rank => rank;

        public int Size => size;

        public void Broadcast(Span<float> buffer, int root) => throw new InvalidOperationException("no collective expected");

        public void StartSum(Span<float> buffer) => throw new InvalidOperationException("no collective expected");

        public void WaitAll() => throw new InvalidOperationException("no collective expected");

        public void Sum(Span<double> values) => throw new InvalidOperationException("no collective expected");

        public bool AllEqual(ulong value) => throw new InvalidOperationException("no collective expected");

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Abort(int exitCode) => throw new InvalidOperationException("no collective expected");
    }

    [Fact]
    public void The_capacity_must_hold_a_rank_s_share_of_the_global_batch()
    {
        using var net = new TinyClassifier(seed: 1, capacity: 16);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(net, new Sgd(), new TrainerOptions { BatchSize = 64, Communicator = new Unreachable(0, 3) }));
        Assert.StartsWith("Batch size 64 split over 3 processes is up to 22 samples per process, more than TinyClassifier's capacity 16; construct the network with capacity ≥ 22.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_global_batch_above_the_capacity_is_fine_when_each_share_fits()
    {
        using var net = new TinyClassifier(seed: 1, capacity: 16);
        var trainer = new Trainer(net, new Sgd(), new TrainerOptions { BatchSize = 64, Communicator = new Unreachable(1, 4) });
        Assert.Equal(64, trainer.Options.BatchSize);
    }

    [Fact]
    public void A_world_of_one_trains_as_one_process_does()
    {
        TrainingData data = SyntheticData.Blobs();
        using var alone = new TinyClassifier(seed: 2, capacity: 16);
        using var world = new TinyClassifier(seed: 2, capacity: 16);
        new Trainer(alone, new Momentum(0.05f, 0.9f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 3 }).Fit(data);
        new Trainer(world, new Momentum(0.05f, 0.9f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 3, Communicator = new Unreachable(0, 1) }).Fit(data);
        Assert.Equal(SyntheticData.Bytes(alone.Parameters), SyntheticData.Bytes(world.Parameters));
    }

    [Fact]
    public void A_negative_replica_check_interval_is_rejected()
    {
        using var net = new TinyClassifier(seed: 1, capacity: 16);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(net, new Sgd(), new TrainerOptions { BatchSize = 16, ReplicaCheckEverySteps = -1 }));
        Assert.Equal("options.ReplicaCheckEverySteps", error.ParamName);
    }
}
