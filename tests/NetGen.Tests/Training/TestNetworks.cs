using System;
using NetGen.Training;

[assembly: Xunit.AssemblyFixture(typeof(NetGen.Tests.Training.TempFiles))]

namespace NetGen.Tests.Training;

/// <summary>Linear regression g = wᵀx + b with squared error.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(3)]
[Dense(1, Bias = true, Name = "linear")]
public partial class LinearModel;

/// <summary>A small classifier for trainer tests: 4 → 8 ReLU → 3 logits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(8, Activation.ReLU, Name = "fc1")]
[Dense(3, Name = "fc2")]
public partial class TinyClassifier;

internal static class SyntheticData
{
    /// <summary>Three Gaussian blobs in 4-D (103 samples by default, so batches of 16 leave a partial last batch).</summary>
    public static TrainingData Blobs(int count = 103, long seed = 5, double spread = 0.8, bool scrambleLabels = false)
    {
        var random = new SeededRandom(seed);
        float[] inputs = new float[count * 4];
        float[] targets = new float[count * 3];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            for (int f = 0; f < 4; f++)
            {
                double center = f == label ? 2.0 : f == 3 ? -1.0 + label : 0.0;
                inputs[i * 4 + f] = (float)(center + spread * random.NextGaussian());
            }
            if (scrambleLabels)
            {
                label = random.NextInt(3);
            }
            labels[i] = label;
            targets[i * 3 + label] = 1f;
        }
        return new TrainingData(inputs, targets, 4, 3, labels, 3);
    }

    public static byte[] Bytes(ReadOnlySpan<float> values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();

    public static string TempPath(string name)
    {
        string directory = System.IO.Path.Combine(TempFiles.Root, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return System.IO.Path.Combine(directory, name);
    }
}

/// <summary>One temporary directory per test run, deleted when the run ends.</summary>
public sealed class TempFiles : IDisposable
{
    public static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Root))
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
    }
}
