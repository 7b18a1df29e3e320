using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.IO;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Tests.Data;
using NetGen.Tests.IO;
using NetGen.Tests.Layers;
using NetGen.Tests.Numerics;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// Class-weighted cross-entropy (<see cref="ClassWeights"/>, <see cref="TrainerOptions.ClassWeights"/>): PyTorch's
/// <c>cross_entropy(weight=…)</c> as the oracle for loss and gradient, central differences in double of the weighted mean
/// written out per sample, and the trainer's use of them. The kernels run on whichever SIMD path the process has (CI
/// repeats the suite on each width).
/// </summary>
public sealed class ClassWeightTests
{
    private const int Batch = 7;

    public static TheoryData<int, int> Shapes => new() { { 7, 5 }, { 9, 21 } };

    /// <summary>Rows narrower than a vector (5 classes) and wider than one (21), so both paths of the kernel are checked.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weighted_cross_entropy_loss_and_gradient_agree_with_pytorch(int rows, int classes)
    {
        string python = TorchPeer.PythonOrSkip();
        var random = new SeededRandom(41 + classes);
        float[] logits = Enumerable.Range(0, rows * classes).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        float[] labels = Enumerable.Range(0, rows).Select(_ => (float)random.NextInt(classes)).ToArray();
        float[] weights = Enumerable.Range(0, classes).Select(c => c == 1 ? 0f : 0.25f + 3 * random.NextSingle()).ToArray();
        float[] targets = OneHot(labels.Select(l => (int)l).ToArray(), classes);

        float[] weighted = new float[targets.Length];
        ClassWeights.WeightTargets(weights, targets, weighted, rows);
        float[] gradient = new float[targets.Length];
        float loss = LossKernels.SoftmaxCrossEntropy(logits, weighted, gradient, rows, classes);

        Dictionary<string, float[]> torch = RunTorchLosses(python, [],
        [
            SafetensorsEntry.FromFloats("logits", [rows, classes], logits),
            SafetensorsEntry.FromFloats("labels", [rows], labels),
            SafetensorsEntry.FromFloats("weights", [classes], weights),
        ]);

        Assert.True(Math.Abs(torch["loss"][0] - loss) <= 1e-6 * Math.Max(1, Math.Abs(loss)), $"loss: PyTorch {torch["loss"][0]:R}, NetGen {loss:R}");
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(torch["grad"][i] - gradient[i]) <= 1e-6, $"gradient[{i}]: PyTorch {torch["grad"][i]:R}, NetGen {gradient[i]:R}");
        }
    }

    /// <summary>The generated network's gradient of the weighted loss (through <see cref="ClassWeights.WeightTargets"/>)
    /// against central differences in double of Σᵢ w[yᵢ]·lᵢ / Σᵢ w[yᵢ], each lᵢ the double reference network's unweighted
    /// loss of sample i: the weighting is checked against its definition, not against the target scaling it uses.</summary>
    [Theory]
    [InlineData(nameof(SoftmaxCe))]
    [InlineData(nameof(LogitsCe))]
    public void Weighted_gradient_matches_central_differences_of_the_weighted_mean_in_double(string name)
    {
        INetwork network = NetworkFactory.Create(name, seed: 23);
        var reference = new ReferenceNetwork(network);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 29);
        int classes = network.OutputSize;
        var random = new SeededRandom(31);
        float[] weights = Enumerable.Range(0, classes).Select(_ => 0.1f + 4 * random.NextSingle()).ToArray();
        int[] labels = Enumerable.Range(0, Batch).Select(b => targets.AsSpan(b * classes, classes).IndexOf(1f)).ToArray();

        float[] weighted = new float[targets.Length];
        ClassWeights.WeightTargets(weights, targets, weighted, Batch);
        network.Forward(inputs, new float[Batch * classes], Batch);
        network.ZeroGradients();
        float loss = network.Backward(weighted, Batch);
        AssertGradientOfTheWeightedMean(name, network, reference, inputs, targets, [.. labels.Select(l => (double)weights[l])], loss);
    }

    /// <summary>Runs IO/torch_losses.py with <paramref name="arguments"/> before its input and output files, on
    /// <paramref name="inputs"/>, and returns what it wrote ("loss", "grad").</summary>
    internal static Dictionary<string, float[]> RunTorchLosses(string python, string[] arguments, SafetensorsEntry[] inputs)
    {
        using var directory = new TempDirectory();
        SafetensorsWriter.Write(directory.File("inputs.safetensors"), inputs);
        TorchPeer.RunScript(python, Path.Combine(AppContext.BaseDirectory, "IO", "torch_losses.py"),
            [.. arguments, directory.File("inputs.safetensors"), directory.File("torch.safetensors")]);
        return TorchLayerTests.ReadAll(directory.File("torch.safetensors"));
    }

    /// <summary>The loss and the gradient <paramref name="network"/>'s last backward pass left against Σᵢ wᵢ·lᵢ / Σᵢ wᵢ, each lᵢ
    /// the double reference network's unweighted loss of sample i, and its central differences in double.</summary>
    internal static void AssertGradientOfTheWeightedMean(string name, INetwork network, ReferenceNetwork reference, float[] inputs, float[] targets,
        double[] sampleWeights, float loss)
    {
        double[] gradient = reference.GradientOf(network);
        int inputSize = network.InputSize, outputSize = network.OutputSize;

        double WeightedMean()
        {
            double sum = 0, weightSum = 0;
            for (int b = 0; b < sampleWeights.Length; b++)
            {
                sum += sampleWeights[b] * reference.LossAndGradient(inputs[(b * inputSize)..((b + 1) * inputSize)], targets[(b * outputSize)..((b + 1) * outputSize)], 1, null);
                weightSum += sampleWeights[b];
            }
            return sum / weightSum;
        }

        double expectedLoss = WeightedMean();
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-5 * Math.Max(1, expectedLoss), $"{name} loss: generated {loss:R} vs weighted mean {expectedLoss:R}");
        // h = 1e-6 in double: truncation ~h², rounding ~1e-16/h; the float network's gradient within 1e-4 of the largest magnitude.
        const double h = 1e-6;
        double scale = Math.Max(gradient.Max(Math.Abs), 1e-3);
        for (int p = 0; p < reference.ParameterCount; p += 3)
        {
            double saved = reference[p];
            reference[p] = saved + h;
            double plus = WeightedMean();
            reference[p] = saved - h;
            double minus = WeightedMean();
            reference[p] = saved;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[p]) <= 1e-4 * scale, $"{name} parameter {p}: finite difference {fd:R} vs generated {gradient[p]:R} (scale {scale:R})");
        }
    }

    [Fact]
    public void Weighting_targets_scales_each_row_by_its_class_weight_times_rows_over_the_total_weight()
    {
        float[] targets = [1, 0, 0, 0, 1, 0, 0, 1, 0];
        float[] weighted = new float[9];
        double total = ClassWeights.WeightTargets([2f, 0.5f, 3f], targets, weighted, 3);
        Assert.Equal(3.0, total);
        Assert.Equal([2f, 0, 0, 0, 0.5f, 0, 0, 0.5f, 0], weighted);
    }

    [Fact]
    public void A_batch_whose_targets_all_weigh_zero_has_zero_targets()
    {
        float[] weighted = [9, 9, 9, 9];
        Assert.Equal(0.0, ClassWeights.WeightTargets([0f, 1f], [1, 0, 1, 0], weighted, 2));
        Assert.Equal([0f, 0, 0, 0], weighted);
    }

    [Theory]
    [InlineData(new[] { 1f, 2f }, "has 2 weights; the network has 3 classes")]
    [InlineData(new[] { 1f, -0.5f, 1f }, "[1] is -0.5; class weights must be finite and ≥ 0")]
    [InlineData(new[] { 1f, 1f, float.NaN }, "[2] is NaN; class weights must be finite and ≥ 0")]
    [InlineData(new[] { 1f, float.PositiveInfinity, 1f }, "[1] is Infinity; class weights must be finite and ≥ 0")]
    [InlineData(new[] { 0f, 0f, 0f }, "are all 0; at least one class needs a positive weight")]
    public void Bad_weights_are_rejected_naming_the_argument(float[] weights, string expected)
    {
        var options = new TrainerOptions { BatchSize = 16, ClassWeights = weights };
        var error = Assert.Throws<ArgumentException>(() => new Trainer(new TinyClassifier(seed: 1, capacity: 16), new Sgd(), options));
        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("options.ClassWeights", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);

        var direct = Assert.Throws<ArgumentException>(() => ClassWeights.WeightTargets(weights.Length == 2 ? [1f, -1f] : weights, new float[9], new float[9], 3));
        Assert.Equal("classWeights", direct.ParamName);
    }

    [Fact]
    public void Class_weights_need_a_cross_entropy_loss()
    {
        var options = new TrainerOptions { ClassWeights = [1f] };
        var error = Assert.Throws<ArgumentException>(() => new Trainer(new LinearModel(seed: 1, capacity: 32), new Sgd(), options));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("options.ClassWeights weight a cross-entropy loss; LinearModel trains with Loss.SquaredError.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_of_one_train_bit_for_bit_as_no_weights()
    {
        TrainingData data = SyntheticData.Blobs();
        float[] Train(IReadOnlyList<float>? weights)
        {
            var network = new TinyClassifier(seed: 3, capacity: 16);
            new Trainer(network, new Adam(0.01f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 4, ClassWeights = weights })
                .Fit(data, data, TestContext.Current.CancellationToken);
            return network.Parameters.ToArray();
        }
        Assert.Equal(Train(null), Train([1f, 1f, 1f]));
    }

    /// <summary>The weighted targets are written by the threads that gather the batch; any split gives the same bits.</summary>
    [Fact]
    public void Weighted_training_is_bit_identical_on_one_and_on_three_threads()
    {
        TrainingData data = SyntheticData.Blobs();
        float[] Train(int threads)
        {
            using var network = new TinyClassifier(seed: 3, capacity: 16).SplitOver(threads);
            new Trainer(network, new Adam(0.01f), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 4, ClassWeights = [0.5f, 2f, 1f] })
                .Fit(data, null, TestContext.Current.CancellationToken);
            return network.Parameters.ToArray();
        }
        Assert.Equal(Train(1), Train(3));
    }

    /// <summary>One step over the whole set in order: the trainer's loss and update are those of
    /// <see cref="ClassWeights.WeightTargets"/>'s rows, and <see cref="Trainer.Evaluate(TrainingData)"/> gives the set's
    /// weighted mean Σ w[yᵢ]·lᵢ / Σ w[yᵢ] from per-sample losses.</summary>
    [Fact]
    public void The_trainer_steps_on_and_evaluates_the_weighted_mean()
    {
        TrainingData data = SyntheticData.Blobs(count: 16);
        float[] weights = [0.5f, 2f, 4f];
        var expected = new TinyClassifier(seed: 5, capacity: 16);
        float[] weighted = new float[data.Targets.Length];
        ClassWeights.WeightTargets(weights, data.Targets, weighted, data.Count);
        expected.Forward(data.Inputs, new float[data.Targets.Length], data.Count);
        expected.ZeroGradients();
        float expectedLoss = expected.Backward(weighted, data.Count);
        new Sgd(0.1f).Step(expected);

        var network = new TinyClassifier(seed: 5, capacity: 16);
        Trainer trainer = AssertOneStep(network, data, weights, expected, expectedLoss);
        Assert.Equal(WeightedMeanOfSampleLosses(network, data, weights), trainer.Evaluate(data).Loss, 5);
    }

    /// <summary>Trains <paramref name="network"/> for one SGD step (rate 0.1) over the whole of <paramref name="data"/> in order
    /// with <paramref name="weights"/>, asserts that the trainer reports <paramref name="expectedLoss"/> and leaves the
    /// parameters of <paramref name="expected"/>, and returns the trainer.</summary>
    internal static Trainer AssertOneStep(INetwork network, TrainingData data, float[] weights, INetwork expected, float expectedLoss)
    {
        var trainer = new Trainer(network, new Sgd(0.1f), new TrainerOptions { Epochs = 1, BatchSize = data.Count, Shuffle = false, ClassWeights = weights });
        float loss = float.NaN;
        trainer.BatchEnded += report => loss = report.Loss;
        trainer.Fit(data, null, TestContext.Current.CancellationToken);
        Assert.Equal(expectedLoss, loss);
        Assert.Equal(expected.Parameters.ToArray(), network.Parameters.ToArray());
        return trainer;
    }

    /// <summary>Σ w[yᵢ]·lᵢ / Σ w[yᵢ] of the network's unweighted losses of the samples one by one.</summary>
    internal static double WeightedMeanOfSampleLosses(INetwork network, TrainingData data, float[] weights)
    {
        double sum = 0, weightSum = 0;
        float[] output = new float[network.OutputSize];
        for (int i = 0; i < data.Count; i++)
        {
            network.Forward(data.Input(i), output, 1);
            double w = weights[data.Labels![i]];
            sum += w * network.Backward(data.Target(i), 1);
            weightSum += w;
        }
        network.ZeroGradients();
        return sum / weightSum;
    }

    /// <summary>With the parameters held still (rate 0), the epoch's training loss, gathered batch by batch in a shuffled
    /// order, is the weighted mean over the whole set that <see cref="Trainer.Evaluate(TrainingData)"/> gives.</summary>
    [Fact]
    public void The_epoch_training_loss_is_the_weighted_mean_over_the_set()
    {
        TrainingData data = SyntheticData.Blobs();
        var trainer = new Trainer(new TinyClassifier(seed: 7, capacity: 16), new Sgd(0f),
            new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 8, ClassWeights = [0.2f, 1f, 5f] });
        TrainingResult result = trainer.Fit(data, null, TestContext.Current.CancellationToken);
        Assert.Equal(trainer.Evaluate(data).Loss, result.History.Epochs[0].TrainLoss, 5);
    }

    [Fact]
    public void Balanced_weights_are_samples_over_classes_times_count()
    {
        // scikit-learn: compute_class_weight('balanced', classes=[0, 1, 2], y=[0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
        //   = 12 / (3 · [6, 2, 4]) = [0.6667, 2, 1].
        int[] labels = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
        Assert.Equal([2f / 3, 2f, 1f], ClassWeights.Balanced(labels, 3));
        var dataset = new Dataset(new float[labels.Length], labels, 1, 3);
        Assert.Equal([2f / 3, 2f, 1f], ClassWeights.Balanced(dataset));
    }

    [Fact]
    public void Balanced_weights_need_every_class_and_labels_in_range()
    {
        var missing = Assert.Throws<ArgumentException>(() => ClassWeights.Balanced([0, 0, 2], 3));
        Assert.Equal("labels", missing.ParamName);
        Assert.Contains("Class 1 has no sample among the 3 labels", missing.Message, StringComparison.Ordinal);
        var outside = Assert.Throws<ArgumentException>(() => ClassWeights.Balanced([0, 3, 1], 3));
        Assert.Contains("Label 1 is 3; the classes are 0 … 2.", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ClassWeights.Balanced([], 3));
    }

    private static float[] OneHot(int[] labels, int classes)
    {
        float[] targets = new float[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            targets[i * classes + labels[i]] = 1f;
        }
        return targets;
    }
}
