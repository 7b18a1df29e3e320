using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.IO;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Layers;

/// <summary>State that is not a weight — running statistics, the mask generator — saved, loaded and checkpointed with
/// the weights; the trainer's handling of modes; a residual network trained on Fashion-MNIST.</summary>
public sealed class LayerStateTests
{
    private static (float[] Inputs, float[] Targets) Batch(INetwork net, int n, int seed)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, n * net.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] t = Enumerable.Range(0, n * net.OutputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        return (x, t);
    }

    [Fact]
    public void Running_statistics_travel_with_the_weights_in_safetensors()
    {
        var net = new ConvBatchNorm(seed: 1, capacity: 8);
        (float[] x, _) = Batch(net, 8, 2);
        float[] y = new float[8 * 3];
        net.Forward(x, y, 8); // moves the running averages away from 0 and 1
        Assert.Equal(["bn.running_mean", "bn.running_var"], net.Engine().StateTensors.Select(t => t.Name));
        string path = SyntheticData.TempPath("bn.safetensors");
        net.Save(path);
        SafetensorsHeader header = SafetensorsHeader.Read(path);
        Assert.True(header.TryGetTensor("bn.running_var", out SafetensorsTensorInfo info));
        Assert.Equal([3L], info.Shape);

        var other = new ConvBatchNorm(seed: 9, capacity: 8);
        other.Load(path);
        Assert.Equal(net.Engine().State.ToArray(), other.Engine().State.ToArray());
        Assert.Equal(net.Parameters.ToArray(), other.Parameters.ToArray());
        net.Mode = other.Mode = NetworkMode.Inference;
        float[] a = new float[3], b = new float[3];
        net.Predict(x.AsSpan(0, ConvBatchNorm.InputSize), a);
        other.Predict(x.AsSpan(0, ConvBatchNorm.InputSize), b);
        Assert.Equal(a, b);

        // A file without the running statistics does not fit, and names them.
        var entries = net.ToEntries().Where(e => !e.Name.StartsWith("bn.running", StringComparison.Ordinal)).ToList();
        var error = Assert.Throws<InvalidDataException>(() => other.Load(SafetensorsWriter.Serialize(entries), "old.safetensors"));
        Assert.Contains("tensor 'bn.running_mean' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoints_keep_running_statistics_and_the_mask_generator()
    {
        var net = new MixedNetwork(seed: 3, capacity: 8);
        var adam = new Adam(0.01f);
        (float[] x, float[] _) = Batch(net, 8, 4);
        float[] t = new float[8 * 5];
        for (int s = 0; s < 8; s++)
        {
            t[s * 5 + s % 5] = 1f;
        }
        float[] y = new float[8 * 5];
        void Step(INetwork network, Optimizer optimizer)
        {
            network.Forward(x, y, 8);
            network.ZeroGradients();
            network.Backward(t, 8);
            optimizer.Step(network);
        }
        Step(net, adam);
        string path = SyntheticData.TempPath("mixed.ckpt");
        Checkpoint.Save(path, net, adam);
        Step(net, adam);
        Step(net, adam);

        var resumed = new MixedNetwork(seed: 77, capacity: 8);
        var adam2 = new Adam(0.01f);
        Checkpoint.Load(path, resumed, adam2);
        Step(resumed, adam2);
        Step(resumed, adam2);
        Assert.Equal(SyntheticData.Bytes(net.Parameters), SyntheticData.Bytes(resumed.Parameters));
        Assert.Equal(SyntheticData.Bytes(net.Engine().State), SyntheticData.Bytes(resumed.Engine().State));
        Assert.Equal(net.Engine().Random.State, resumed.Engine().Random.State);
    }

    [Fact]
    public void The_trainer_trains_in_training_mode_validates_in_inference_mode_and_restores_the_mode()
    {
        var net = new DenseBatchNorm(seed: 5, capacity: 16);
        var random = new SeededRandom(6);
        // 33 samples in batches of 16: the last batch has one sample, which batch statistics cannot use.
        float[] inputs = Enumerable.Range(0, 33 * 5).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] targets = Enumerable.Range(0, 33 * 3).Select(_ => (float)random.NextGaussian()).ToArray();
        var data = new TrainingData(inputs, targets, 5, 3);
        net.Mode = NetworkMode.Inference;
        var trainer = new Trainer(net, new Sgd(0.05f), new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 1 });
        int steps = 0;
        trainer.BatchEnded += report => steps++;
        TrainingResult result = trainer.Fit(data, data);
        Assert.Equal(6, steps); // two full batches per epoch; the single-sample batch is skipped
        Assert.Equal(NetworkMode.Inference, net.Mode);
        Assert.True(double.IsFinite(result.Validation!.Loss));
        Assert.NotEqual(0f, net.Engine().State[0]); // the running mean moved during training
    }

    [Fact]
    public void Early_stopping_restores_the_running_statistics_of_the_best_epoch()
    {
        var net = new DenseBatchNorm(seed: 8, capacity: 16);
        TrainingData data = SyntheticRegression(64, seed: 9);
        TrainingData validation = SyntheticRegression(32, seed: 10);
        float[]? bestState = null;
        int bestEpoch = 0;
        double best = double.PositiveInfinity;
        var trainer = new Trainer(net, new Sgd(0.5f), new TrainerOptions { Epochs = 12, BatchSize = 16, Seed = 2, EarlyStoppingPatience = 3, RestoreBestWeights = true });
        trainer.EpochEnded += record =>
        {
            if (record.ValidationLoss < best)
            {
                best = record.ValidationLoss;
                bestEpoch = record.Epoch;
                bestState = net.Engine().State.ToArray();
            }
        };
        TrainingResult result = trainer.Fit(data, validation);
        Assert.Equal(bestEpoch, result.BestEpoch);
        Assert.Equal(bestState, net.Engine().State.ToArray());
    }

    private static TrainingData SyntheticRegression(int count, int seed)
    {
        var random = new SeededRandom(seed);
        float[] x = Enumerable.Range(0, count * 5).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] t = new float[count * 3];
        for (int s = 0; s < count; s++)
        {
            for (int o = 0; o < 3; o++)
            {
                t[s * 3 + o] = MathF.Sin(x[s * 5 + o]) + 0.5f * x[s * 5 + o + 1];
            }
        }
        return new TrainingData(x, t, 5, 3);
    }

    [Fact]
    public void A_residual_mlp_with_batch_norm_and_dropout_trains_on_fashion_mnist()
    {
        if (!FashionMnist.IsAvailable())
        {
            Assert.Skip($"Fashion-MNIST is not in {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (or set {FashionMnist.DirectoryVariable}).");
        }
        (Dataset train, Dataset test) = FashionMnist.Load();
        var net = new ResidualFashionMlp(seed: 1, capacity: 64);
        var trainer = new Trainer(net, new Adam(1e-3f), new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 1 });
        trainer.Fit(train);
        double accuracy = Evaluation.AccuracyOf(net, test);
        TestContext.Current.TestOutputHelper?.WriteLine($"ResidualFashionMlp: {accuracy:P2} test accuracy after 2 epochs");
        // A plain 784→128→10 MLP reaches about 85 % after one epoch; two epochs of this network must clear 85 %.
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2}");
        Assert.Equal(NetworkMode.Training, net.Mode);
    }
}
