using System;
using System.IO;
using NetGen.Data;

namespace NetGen.Tests.Data;

/// <summary>A directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-data-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Small synthetic data sets whose values survive a byte round trip exactly.</summary>
internal static class TestData
{
    /// <summary><paramref name="count"/> images of <paramref name="shape"/> with pixels k/255 and labels below <paramref name="classes"/>.</summary>
    public static Dataset Images(int count, ImageShape shape, int classes, long seed)
    {
        var random = new SeededRandom(seed);
        float[] features = new float[count * shape.Size];
        int[] labels = new int[count];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextInt(256) * (1f / 255f); // exactly what the readers produce: byte × pixelScale
        }
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.NextInt(classes);
        }
        return new Dataset(features, labels, shape.Size, classes) { Shape = shape };
    }
}
