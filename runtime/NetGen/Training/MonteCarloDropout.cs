using System;
using System.Buffers;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>
/// Monte-Carlo dropout (Gal and Ghahramani): the same inputs are run through the network several times with dropout and
/// noise active and batch normalization on its running averages (<see cref="NetworkMode.MonteCarlo"/>); the mean over
/// the passes is the prediction and the standard deviation a measure of the model's uncertainty.
/// </summary>
public static class MonteCarloDropout
{
    /// <summary>
    /// Runs <paramref name="passes"/> forward passes of <paramref name="batchSize"/> samples and writes the mean and the
    /// standard deviation (population, over the passes) of every output. For a network trained with
    /// <see cref="Loss.SoftmaxCrossEntropy"/> (logit outputs) the passes are turned into softmax probabilities first when
    /// <paramref name="averageProbabilities"/> is true. The masks come from <see cref="CompilerServices.INetworkEngine.Random"/>, so the result
    /// is reproducible from its state. The network's <see cref="INetwork.Mode"/> is restored afterwards; the forward
    /// passes replace whatever a pending <see cref="INetwork.Backward"/> would have used.
    /// </summary>
    public static void Predict(INetwork network, ReadOnlySpan<float> inputs, int batchSize, int passes, Span<float> mean, Span<float> standardDeviation,
        bool averageProbabilities = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 2);
        int count = batchSize * network.OutputSize;
        if (mean.Length < count || standardDeviation.Length < count)
        {
            throw new ArgumentException($"{batchSize} samples of {network.OutputSize} outputs need spans of {count} floats; the mean span has {mean.Length} and the deviation span {standardDeviation.Length}.");
        }
        bool softmax = averageProbabilities && network.Loss == Loss.SoftmaxCrossEntropy;
        float[] pass = ArrayPool<float>.Shared.Rent(count);
        double[] sum = ArrayPool<double>.Shared.Rent(count), squares = ArrayPool<double>.Shared.Rent(count);
        try
        {
            using var sampling = new NetworkModeScope(network, NetworkMode.MonteCarlo);
            Array.Clear(sum, 0, count);
            Array.Clear(squares, 0, count);
            for (int r = 0; r < passes; r++)
            {
                Span<float> outputs = pass.AsSpan(0, count);
                network.Forward(inputs, outputs, batchSize);
                if (softmax)
                {
                    ActivationKernels.Softmax(outputs, outputs, batchSize, network.OutputSize);
                }
                for (int i = 0; i < count; i++)
                {
                    sum[i] += outputs[i];
                    squares[i] += (double)outputs[i] * outputs[i];
                }
            }
            for (int i = 0; i < count; i++)
            {
                double average = sum[i] / passes;
                mean[i] = (float)average;
                standardDeviation[i] = (float)Math.Sqrt(Math.Max(0, squares[i] / passes - average * average));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pass);
            ArrayPool<double>.Shared.Return(sum);
            ArrayPool<double>.Shared.Return(squares);
        }
    }

    /// <summary>One sample: the mean and standard deviation of each output over <paramref name="passes"/> passes.</summary>
    public static (float[] Mean, float[] StandardDeviation) Predict(INetwork network, ReadOnlySpan<float> input, int passes, bool averageProbabilities = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] mean = new float[network.OutputSize], deviation = new float[network.OutputSize];
        Predict(network, input, 1, passes, mean, deviation, averageProbabilities);
        return (mean, deviation);
    }
}
