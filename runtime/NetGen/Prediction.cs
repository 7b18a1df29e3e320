using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Kernels;
using NetGen.Training;

namespace NetGen;

/// <summary>
/// Prediction on any <see cref="INetwork"/>: class probabilities, the predicted class, a whole set of rows at once, and a
/// checked copy of an array into a generated network's <c>Input</c>. Single-sample calls run <see cref="INetwork.Predict"/>;
/// the whole-set calls run <see cref="INetwork.Forward"/> in <see cref="NetworkMode.Inference"/> in batches of the
/// network's <see cref="INetwork.Capacity"/>, and restore its mode.
/// </summary>
public static class Prediction
{
    /// <summary>The class probabilities of one sample, written to <paramref name="probabilities"/>: the softmax of the outputs
    /// for <see cref="Loss.SoftmaxCrossEntropy"/> (the outputs are logits), the outputs themselves for
    /// <see cref="Loss.CrossEntropy"/> (a softmax layer) and for <see cref="Loss.BinaryCrossEntropy"/> with several outputs
    /// (one sigmoid each), and [1 − p, p] for a single sigmoid output. Length: <see cref="ClassCount"/>.</summary>
    /// <exception cref="InvalidOperationException">The network's loss does not make its outputs probabilities.</exception>
    public static void PredictProbabilities(this INetwork network, ReadOnlySpan<float> input, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(network);
        int classes = ClassCount(network);
        if (probabilities.Length != classes)
        {
            throw new ArgumentException($"{network.Name} gives {classes} class probabilities; the span has {probabilities.Length}.", nameof(probabilities));
        }
        float[] outputs = new float[network.OutputSize];
        network.Predict(input, outputs);
        ToProbabilities(network.Loss, outputs, probabilities, 1);
    }

    /// <summary>The class probabilities of one sample (see <see cref="PredictProbabilities(INetwork, ReadOnlySpan{float}, Span{float})"/>).</summary>
    public static float[] PredictProbabilities(this INetwork network, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] probabilities = new float[ClassCount(network)];
        PredictProbabilities(network, input, probabilities);
        return probabilities;
    }

    /// <summary>The predicted class of one sample: the largest output, or for a single output the comparison with the
    /// threshold (0.5; 0 for <see cref="Loss.Hinge"/>), as <see cref="Trainer.Evaluate(TrainingData)"/> counts it.</summary>
    public static int PredictClass(this INetwork network, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] outputs = new float[network.OutputSize];
        network.Predict(input, outputs);
        return Evaluation.Predict(outputs, network.Loss);
    }

    /// <summary>The outputs of every row of <paramref name="inputs"/> (<see cref="INetwork.InputSize"/> values each):
    /// <see cref="INetwork.OutputSize"/> values per row.</summary>
    public static float[] PredictAll(this INetwork network, ReadOnlySpan<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        int rows = RowCount(network, inputs);
        float[] outputs = new float[rows * network.OutputSize];
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        for (int start = 0; start < rows; start += network.Capacity)
        {
            int n = Math.Min(network.Capacity, rows - start);
            network.Forward(inputs.Slice(start * network.InputSize, n * network.InputSize), outputs.AsSpan(start * network.OutputSize, n * network.OutputSize), n);
        }
        return outputs;
    }

    /// <summary>The class probabilities of every row of <paramref name="inputs"/>: <see cref="ClassCount"/> values per row.</summary>
    public static float[] PredictAllProbabilities(this INetwork network, ReadOnlySpan<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        int classes = ClassCount(network);
        float[] outputs = PredictAll(network, inputs);
        int rows = outputs.Length / network.OutputSize;
        float[] probabilities = new float[rows * classes];
        ToProbabilities(network.Loss, outputs, probabilities, rows);
        return probabilities;
    }

    /// <summary>The predicted class of every row of <paramref name="inputs"/> (see <see cref="PredictClass"/>).</summary>
    public static int[] PredictAllClasses(this INetwork network, ReadOnlySpan<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] outputs = PredictAll(network, inputs);
        int[] classes = new int[outputs.Length / network.OutputSize];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = Evaluation.Predict(outputs.AsSpan(i * network.OutputSize, network.OutputSize), network.Loss);
        }
        return classes;
    }

    /// <summary>A generated network's input struct (e.g. <c>MyNet.Input</c>) filled from <paramref name="values"/>, which must
    /// hold exactly <see cref="INetwork.InputSize"/> values: a short array is an error, not an input padded with zeros.</summary>
    public static TInput ToInput<TInput>(this INetwork network, ReadOnlySpan<float> values)
        where TInput : struct
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Unsafe.SizeOf<TInput>() != network.InputSize * sizeof(float))
        {
            throw new ArgumentException($"{typeof(TInput).Name} holds {Unsafe.SizeOf<TInput>() / sizeof(float)} floats; {network.Name} takes {network.InputSize} inputs.", nameof(TInput));
        }
        if (values.Length != network.InputSize)
        {
            throw new ArgumentException($"{network.Name} takes {network.InputSize} input values; {values.Length} were given.", nameof(values));
        }
        TInput input = default;
        values.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<TInput, float>(ref input), network.InputSize));
        return input;
    }

    /// <summary>The number of classes the network's outputs stand for: its outputs, or 2 for a single output.</summary>
    public static int ClassCount(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.OutputSize == 1 ? 2 : network.OutputSize;
    }

    private static int RowCount(INetwork network, ReadOnlySpan<float> inputs)
    {
        if (inputs.Length % network.InputSize != 0)
        {
            throw new ArgumentException($"{inputs.Length} values are not whole rows of {network.Name}'s {network.InputSize} inputs.", nameof(inputs));
        }
        return inputs.Length / network.InputSize;
    }

    private static void ToProbabilities(Loss loss, ReadOnlySpan<float> outputs, Span<float> probabilities, int rows)
    {
        int columns = outputs.Length / rows;
        switch (loss)
        {
            case Loss.SoftmaxCrossEntropy when columns > 1:
                ActivationKernels.Softmax(outputs, probabilities, rows, columns);
                break;
            case Loss.CrossEntropy when columns > 1:
            case Loss.BinaryCrossEntropy when columns > 1:
                outputs.CopyTo(probabilities);
                break;
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < rows; i++)
                {
                    (probabilities[2 * i], probabilities[2 * i + 1]) = (1f - outputs[i], outputs[i]);
                }
                break;
            default:
                throw new InvalidOperationException($"The outputs of a network trained with {loss} ({columns} per sample) are not class probabilities; " +
                    "use PredictClass, or train with SoftmaxCrossEntropy, CrossEntropy or BinaryCrossEntropy.");
        }
    }
}
