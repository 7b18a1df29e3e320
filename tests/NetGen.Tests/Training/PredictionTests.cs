using System;
using NetGen.Kernels;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Training;

public class PredictionTests
{
    private static readonly float[] Rows = [0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 0f, -2f, 0.75f, 0.5f, 1.5f];

    [Fact]
    public void Probabilities_are_the_softmax_of_the_logits()
    {
        using var network = new TinyClassifier(seed: 2);
        float[] logits = new float[3], expected = new float[3];
        network.Predict(Rows.AsSpan(0, 4), logits);
        ActivationKernels.Softmax(logits, expected, 1, 3);
        float[] probabilities = network.PredictProbabilities(Rows.AsSpan(0, 4));
        Assert.Equal(expected, probabilities);
        Assert.Equal(1f, probabilities[0] + probabilities[1] + probabilities[2], 6);
        Assert.Equal(VectorOps.ArgMax(logits), network.PredictClass(Rows.AsSpan(0, 4)));
        var e = Assert.Throws<ArgumentException>(() => network.PredictProbabilities(Rows.AsSpan(0, 4), new float[2]));
        Assert.Contains("TinyClassifier gives 3 class probabilities; the span has 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_set_predicts_as_its_samples_one_by_one()
    {
        using var network = new TinyClassifier(seed: 2, capacity: 2); // three rows: two batches
        float[] outputs = network.PredictAll(Rows);
        float[] probabilities = network.PredictAllProbabilities(Rows);
        int[] classes = network.PredictAllClasses(Rows);
        Assert.Equal(9, outputs.Length);
        for (int i = 0; i < 3; i++)
        {
            float[] one = new float[3];
            network.Predict(Rows.AsSpan(i * 4, 4), one);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(one[k], outputs[i * 3 + k], 5);
            }
            Assert.Equal(network.PredictProbabilities(Rows.AsSpan(i * 4, 4)), probabilities.AsSpan(i * 3, 3).ToArray());
            Assert.Equal(network.PredictClass(Rows.AsSpan(i * 4, 4)), classes[i]);
        }
        Assert.Equal(NetworkMode.Training, network.Mode);
        var e = Assert.Throws<ArgumentException>(() => network.PredictAll(Rows.AsSpan(0, 7)));
        Assert.Contains("7 values are not whole rows of TinyClassifier's 4 inputs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probabilities_follow_the_loss()
    {
        float[] input = [0.1f, 0.2f, -0.3f, 0.4f, 0.5f];
        using var softmax = new MatrixIdentityCrossEntropy(seed: 1);
        float[] outputs = new float[4];
        softmax.Predict(input, outputs);
        Assert.Equal(outputs, softmax.PredictProbabilities(input));
        using var sigmoid = new MatrixIdentityBinaryCrossEntropy(seed: 1);
        float[] two = new float[2];
        sigmoid.Predict(input, two);
        Assert.Equal(two, sigmoid.PredictProbabilities(input));
        using var squared = new MatrixIdentitySquaredError(seed: 1);
        var e = Assert.Throws<InvalidOperationException>(() => squared.PredictProbabilities(input));
        Assert.Contains("trained with SquaredError", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_is_filled_from_an_array_of_exactly_its_length()
    {
        using var network = new TinyClassifier(seed: 2);
        TinyClassifier.Input input = network.ToInput<TinyClassifier.Input>(Rows.AsSpan(0, 4));
        Assert.Equal(Rows.AsSpan(0, 4).ToArray(), ((ReadOnlySpan<float>)input).ToArray());
        var e = Assert.Throws<ArgumentException>(() => network.ToInput<TinyClassifier.Input>(Rows.AsSpan(0, 3)));
        Assert.StartsWith("TinyClassifier takes 4 input values; 3 were given.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => network.ToInput<TinyClassifier.Output>(Rows.AsSpan(0, 4)));
    }
}
