using System;
using NetGen.Data;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class TrainingDataTests
{
    private static Dataset ThreeSamples(int classes) => new([0f, 1f, 2f, 3f, 4f, 5f], [0, 1, classes - 1], featureCount: 2, classCount: classes);

    [Fact]
    public void Classification_targets_are_one_hot_rows()
    {
        TrainingData data = TrainingData.FromDataset(ThreeSamples(3), outputSize: 3, Loss.SoftmaxCrossEntropy);
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], data.Targets);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([2f, 3f], data.Input(1).ToArray());
    }

    [Fact]
    public void Hinge_targets_are_minus_one_and_plus_one()
    {
        TrainingData data = TrainingData.FromDataset(ThreeSamples(3), outputSize: 3, Loss.Hinge);
        Assert.Equal([1f, -1f, -1f, -1f, 1f, -1f, -1f, -1f, 1f], data.Targets);
        TrainingData binary = TrainingData.FromDataset(ThreeSamples(2), outputSize: 1, Loss.Hinge);
        Assert.Equal([-1f, 1f, 1f], binary.Targets);
    }

    [Fact]
    public void A_single_output_takes_the_binary_label()
    {
        TrainingData data = TrainingData.FromDataset(ThreeSamples(2), outputSize: 1, Loss.BinaryCrossEntropy);
        Assert.Equal([0f, 1f, 1f], data.Targets);
    }

    [Fact]
    public void Mismatched_outputs_and_classes_are_refused_with_both_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingData.FromDataset(ThreeSamples(3), outputSize: 4, Loss.CrossEntropy));
        Assert.Contains("4 outputs", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 classes", error.Message, StringComparison.Ordinal);
    }
}
