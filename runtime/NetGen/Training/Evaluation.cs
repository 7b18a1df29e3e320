using System;
using System.Globalization;
using System.Text;
using NetGen.Data;
using NetGen.Kernels;

namespace NetGen.Training;

/// <summary>Loss and classification metrics of a network on a data set.</summary>
public sealed class Evaluation
{
    internal Evaluation(int count, double loss, int correct, int topKCorrect, int k, int[,]? confusion)
    {
        Count = count;
        Loss = loss;
        Accuracy = confusion is null ? double.NaN : (double)correct / count;
        TopKAccuracy = confusion is null || k == 0 ? double.NaN : (double)topKCorrect / count;
        K = k;
        ConfusionMatrix = confusion;
    }

    /// <summary>The fraction of <paramref name="data"/> whose largest output is the label, run in inference mode in
    /// batches of the network's capacity.</summary>
    public static double AccuracyOf(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (network.InputSize != data.FeatureCount)
        {
            throw new ArgumentException($"The network takes {network.InputSize} features; the data set has {data.FeatureCount}.", nameof(data));
        }
        int batch = network.Capacity, outputs = network.OutputSize;
        float[] scores = new float[batch * outputs];
        int correct = 0;
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        for (int start = 0; start < data.Count; start += batch)
        {
            int n = Math.Min(batch, data.Count - start);
            network.Forward(data.Features.AsSpan(start * data.FeatureCount, n * data.FeatureCount), scores, n);
            for (int b = 0; b < n; b++)
            {
                if (VectorOps.ArgMax(scores.AsSpan(b * outputs, outputs)) == data.Labels[start + b])
                {
                    correct++;
                }
            }
        }
        return data.Count == 0 ? 0 : (double)correct / data.Count;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Mean loss per sample (the network's <see cref="INetwork.Loss"/>).</summary>
    public double Loss { get; }

    /// <summary>Fraction of samples whose highest output is the label (NaN without labels).</summary>
    public double Accuracy { get; }

    /// <summary>Fraction whose label is among the <see cref="K"/> highest outputs (ties counted in the sample's favour);
    /// NaN when <see cref="K"/> is 0.</summary>
    public double TopKAccuracy { get; }

    /// <summary>The k of <see cref="TopKAccuracy"/>; 0 when the k asked for is not below the number of classes (every label
    /// would be among the k highest outputs, so the figure would say nothing).</summary>
    public int K { get; }

    /// <summary>Counts [actual label, predicted class]; null without labels.</summary>
    public int[,]? ConfusionMatrix { get; }

    /// <summary>The confusion matrix as aligned text, rows = actual, columns = predicted.</summary>
    public string FormatConfusionMatrix()
    {
        if (ConfusionMatrix is null)
        {
            return "(no labels)";
        }
        int classes = ConfusionMatrix.GetLength(0);
        int width = Math.Max(4, Count.ToString(CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder();
        text.Append("actual\\pred".PadRight(12));
        for (int c = 0; c < classes; c++)
        {
            text.Append(c.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }
        text.AppendLine();
        for (int r = 0; r < classes; r++)
        {
            text.Append(r.ToString(CultureInfo.InvariantCulture).PadRight(12));
            for (int c = 0; c < classes; c++)
            {
                text.Append(ConfusionMatrix[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The class a row of outputs predicts: the arg-max, or for a single output the comparison with the threshold
    /// (0 for hinge targets ±1, else 0.5).</summary>
    internal static int Predict(ReadOnlySpan<float> outputs, Loss loss)
    {
        if (outputs.Length == 1)
        {
            return outputs[0] >= (loss == NetGen.Loss.Hinge ? 0f : 0.5f) ? 1 : 0;
        }
        return VectorOps.ArgMax(outputs);
    }

    /// <summary>Whether <paramref name="label"/> is among the <paramref name="k"/> highest outputs.</summary>
    internal static bool InTopK(ReadOnlySpan<float> outputs, int label, int k, Loss loss)
    {
        if (outputs.Length == 1)
        {
            return Predict(outputs, loss) == label;
        }
        float score = outputs[label];
        int higher = 0;
        foreach (float value in outputs)
        {
            if (value > score)
            {
                higher++;
            }
        }
        return higher < k;
    }
}
