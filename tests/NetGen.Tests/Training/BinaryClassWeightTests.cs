using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.CompilerServices;
using NetGen.Data;
using NetGen.IO;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.IO;
using NetGen.Tests.Numerics;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// Class weights for binary cross-entropy (<see cref="TrainerOptions.ClassWeights"/> = [w₀, w₁] on a single sigmoid output):
/// the weighted loss kernel against PyTorch 1.13's <c>binary_cross_entropy_with_logits</c> with per-sample weights w[y] and
/// with <c>pos_weight</c>, the generated network's gradient against central differences in double of Σ w[yᵢ]·lᵢ / Σ w[yᵢ],
/// and the trainer's step, evaluation and epoch loss. The kernels run on whichever SIMD path the process has (CI repeats
/// the suite on each width).
/// </summary>
public sealed class BinaryClassWeightTests
{
    /// <summary>37 single outputs (two Vector512 and a partial one, four Vector256 and a partial one) and 9 rows of 3
    /// outputs; labels 0 or 1, weighted by the label's class (PyTorch's per-sample <c>weight</c>), or targets anywhere in
    /// [0, 1] (PyTorch's <c>pos_weight</c> form). A few logits are ±30, where a weighted loss that subtracted
    /// w·softplus(z) − w·z·y would have lost its digits.</summary>
    [Theory]
    [InlineData(37, 1, "bce-sample")]
    [InlineData(9, 3, "bce-sample")]
    [InlineData(37, 1, "bce-pos-weight")]
    public void Weighted_binary_cross_entropy_agrees_with_pytorch(int rows, int columns, string form)
    {
        string python = TorchPeer.PythonOrSkip();
        var random = new SeededRandom(rows + columns);
        float[] logits = Enumerable.Range(0, rows * columns).Select(i => i % 11 == 4 ? (i % 2 == 0 ? 30f : -30f) : (float)(3 * random.NextGaussian())).ToArray();
        float[] targets = Enumerable.Range(0, logits.Length).Select(_ => form == "bce-sample" ? random.NextInt(2) : random.NextSingle()).ToArray();
        float[] weights = [0.4f, 3.5f];
        // As the trainer does: the weights times n/W, so that the kernel's mean over the rows is the weighted mean.
        double total = targets.Sum(y => weights[0] * (1.0 - y) + weights[1] * y);
        float scale = (float)(rows / total);
        float[] gradient = new float[logits.Length];
        float loss = LossKernels.BinaryCrossEntropyWithLogits(logits, targets, gradient, rows, columns, [weights[0] * scale, weights[1] * scale]);

        Dictionary<string, float[]> torch = ClassWeightTests.RunTorchLosses(python, [form],
        [
            SafetensorsEntry.FromFloats("logits", [rows, columns], logits),
            SafetensorsEntry.FromFloats("targets", [rows, columns], targets),
            SafetensorsEntry.FromFloats("weights", [2], weights),
        ]);
        Assert.True(Math.Abs(torch["loss"][0] - loss) <= 1e-6 * Math.Max(1, Math.Abs(loss)), $"loss: PyTorch {torch["loss"][0]:R}, NetGen {loss:R}");
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(torch["grad"][i] - gradient[i]) <= 1e-6, $"gradient[{i}]: PyTorch {torch["grad"][i]:R}, NetGen {gradient[i]:R}");
        }

        // A backward pass split into shards takes each shard's sum: the same gradient bits, the same total.
        float[] sharded = new float[gradient.Length];
        double sum = 0;
        foreach ((int first, int last) in new[] { (0, 2), (2, 5), (5, rows) })
        {
            Range part = (first * columns)..(last * columns);
            sum += LossKernels.BinaryCrossEntropyWithLogitsSum(logits[part], targets[part], sharded.AsSpan(part), last - first, columns, rows,
                [weights[0] * scale, weights[1] * scale]);
        }
        Assert.Equal(gradient, sharded);
        Assert.True(Math.Abs(sum / rows - loss) <= 1e-6 * Math.Max(1, loss), $"shards {sum / rows:R} vs batch {loss:R}");
    }

    [Fact]
    public void Weights_of_one_are_the_unweighted_loss_and_no_weights_are_its_bits()
    {
        var random = new SeededRandom(3);
        float[] logits = Enumerable.Range(0, 45).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        float[] targets = Enumerable.Range(0, 45).Select(_ => random.NextSingle()).ToArray();
        float[] plain = new float[45], ones = new float[45], none = new float[45];
        float expected = LossKernels.BinaryCrossEntropyWithLogits(logits, targets, plain, 15, 3);
        float weighted = LossKernels.BinaryCrossEntropyWithLogits(logits, targets, ones, 15, 3, [1f, 1f]);
        Assert.Equal(expected, LossKernels.BinaryCrossEntropyWithLogits(logits, targets, none, 15, 3, []));
        Assert.Equal(plain, none);
        Assert.True(Math.Abs(weighted - expected) <= 1e-6 * expected, $"weights of one {weighted:R}, unweighted {expected:R}");
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.True(Math.Abs(ones[i] - plain[i]) <= 1e-8, $"gradient[{i}]: weights of one {ones[i]:R}, unweighted {plain[i]:R}");
        }
    }

    /// <summary>The generated network's gradient with the loss weights set (as the trainer sets them) against central
    /// differences in double of Σᵢ w[yᵢ]·lᵢ / Σᵢ w[yᵢ], each lᵢ the double reference network's unweighted loss of sample i.</summary>
    [Fact]
    public void Weighted_gradient_matches_central_differences_of_the_weighted_mean_in_double()
    {
        INetwork network = NetworkFactory.Create(nameof(WideBce), seed: 23);
        var reference = new ReferenceNetwork(network);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 29);
        float[] weights = [0.3f, 2.6f];
        double[] sampleWeights = [.. targets.Select(y => (double)weights[(int)y])];
        float scale = (float)(targets.Length / sampleWeights.Sum());
        network.Engine().SetLossWeights([weights[0] * scale, weights[1] * scale]);
        network.Forward(inputs, new float[targets.Length], targets.Length);
        network.ZeroGradients();
        float loss = network.Backward(targets, targets.Length);
        ClassWeightTests.AssertGradientOfTheWeightedMean(nameof(WideBce), network, reference, inputs, targets, sampleWeights, loss);
    }

    /// <summary>One step over the whole set in order: the trainer's loss and update are those of the network with the loss
    /// weights (w₀, w₁)·n/W; <see cref="Trainer.Evaluate(TrainingData)"/> gives the weighted mean Σ w[yᵢ]·lᵢ / Σ w[yᵢ] of
    /// the unweighted per-sample losses, and afterwards the network's loss is unweighted again.</summary>
    [Fact]
    public void The_trainer_steps_on_and_evaluates_the_weighted_mean()
    {
        TrainingData data = Imbalanced(count: 24);
        float[] weights = [0.5f, 3f];
        double total = data.Labels!.Sum(label => (double)weights[label]);
        var expected = new WideBce(seed: 5, capacity: 24);
        float scale = (float)(data.Count / total);
        expected.Engine().SetLossWeights([weights[0] * scale, weights[1] * scale]);
        expected.Forward(data.Inputs, new float[data.Count], data.Count);
        expected.ZeroGradients();
        float expectedLoss = expected.Backward(data.Targets, data.Count);
        new Sgd(0.1f).Step(expected);

        var network = new WideBce(seed: 5, capacity: 24);
        Trainer trainer = ClassWeightTests.AssertOneStep(network, data, weights, expected, expectedLoss);
        Assert.Equal(ClassWeightTests.WeightedMeanOfSampleLosses(network, data, weights), trainer.Evaluate(data).Loss, 5);
    }

    /// <summary>With the parameters held still (rate 0), the epoch's training loss, gathered batch by batch in a shuffled
    /// order, is the weighted mean over the whole set; balanced weights (scikit-learn's) are taken for the two classes.</summary>
    [Fact]
    public void The_epoch_training_loss_is_the_weighted_mean_over_the_set_with_balanced_weights()
    {
        TrainingData data = Imbalanced(count: 100);
        float[] balanced = ClassWeights.Balanced(data.Labels!, 2);
        Assert.Equal(2, balanced.Length);
        Assert.True(balanced[1] > 1f && balanced[0] < 1f, $"balanced weights {balanced[0]}, {balanced[1]}");
        var trainer = new Trainer(new WideBce(seed: 7, capacity: 16), new Sgd(0f),
            new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 8, ClassWeights = balanced });
        TrainingResult result = trainer.Fit(data, null, TestContext.Current.CancellationToken);
        Assert.Equal(trainer.Evaluate(data).Loss, result.History.Epochs[0].TrainLoss, 5);
    }

    /// <summary>The loss weights reach every thread's shard of the backward pass: any split gives the same bits.</summary>
    [Fact]
    public void Weighted_training_is_bit_identical_on_one_and_on_three_threads()
    {
        TrainingData data = Imbalanced(count: 100);
        float[] Train(int threads)
        {
            using var network = new WideBce(seed: 3, capacity: 16).SplitOver(threads);
            new Trainer(network, new Adam(0.01f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 4, ClassWeights = [0.5f, 4f] })
                .Fit(data, null, TestContext.Current.CancellationToken);
            return network.Parameters.ToArray();
        }
        Assert.Equal(Train(1), Train(3));
    }

    [Fact]
    public void Class_weights_need_one_sigmoid_output_and_two_weights()
    {
        var error = Assert.Throws<ArgumentException>(() => new Trainer(new SigmoidBce(seed: 1, capacity: 8), new Sgd(), new TrainerOptions { BatchSize = 8, ClassWeights = [1f, 2f] }));
        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("options.ClassWeights weight the two classes of binary cross-entropy's single output; SigmoidBce has 4 sigmoid outputs", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new Trainer(new WideBce(seed: 1, capacity: 8), new Sgd(), new TrainerOptions { BatchSize = 8, ClassWeights = [1f] }));
        Assert.StartsWith("options.ClassWeights has 1 weights; the network has 2 classes (one sigmoid output: class 0 and class 1).", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new WideBce().Engine().SetLossWeights([1f, -1f]));
        Assert.Equal("weights", error.ParamName);
        Assert.StartsWith("Binary cross-entropy takes two class weights (class 0, class 1), finite and ≥ 0, or none; got [1, -1].", error.Message, StringComparison.Ordinal);
        var unsupported = Assert.Throws<NotSupportedException>(() => new TinyClassifier().Engine().SetLossWeights([1f, 2f]));
        Assert.Equal("TinyClassifier trains with Loss.SoftmaxCrossEntropy, whose generated loss takes no class weights.", unsupported.Message);
        new TinyClassifier().Engine().SetLossWeights([]);
    }

    /// <summary><paramref name="count"/> samples of <see cref="WideBce"/>'s 70 features, about one in five of class 1 (the sign of
    /// a fixed linear score, shifted).</summary>
    private static TrainingData Imbalanced(int count)
    {
        var random = new SeededRandom(11);
        float[] inputs = new float[count * 70];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double score = 0;
            for (int f = 0; f < 70; f++)
            {
                inputs[i * 70 + f] = (float)random.NextGaussian();
                score += (f % 7 == 0 ? 1 : 0) * inputs[i * 70 + f];
            }
            labels[i] = score > 2 || i % 5 == 0 ? 1 : 0;
        }
        return TrainingData.FromDataset(new Dataset(inputs, labels, 70, 2), 1, Loss.BinaryCrossEntropy);
    }
}
