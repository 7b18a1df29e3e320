using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>Which CIFAR-100 label a data set takes.</summary>
public enum CifarLabel
{
    /// <summary>The 100 fine classes (the second label byte).</summary>
    Fine,

    /// <summary>The 20 superclasses (the first label byte).</summary>
    Coarse,
}

/// <summary>
/// Reads and writes the binary versions of CIFAR-10 and CIFAR-100. A CIFAR-10 record is 1 label byte and 3,072 pixel
/// bytes (1,024 red, 1,024 green, 1,024 blue, each 32 rows of 32); a CIFAR-100 record has 2 label bytes (coarse,
/// fine) before the pixels. Images come out as 3×32×32 (CHW) floats scaled by <c>pixelScale</c>. Files may be raw or
/// gzip-compressed. A file whose length is not a whole number of records, or a label out of range, is a
/// <see cref="DataFormatException"/> naming the file and byte offset.
/// </summary>
public static class Cifar
{
    /// <summary>The 3×32×32 image shape.</summary>
    public static readonly ImageShape Shape = new(3, 32, 32);

    /// <summary>The CIFAR-10 class names, indexed by label.</summary>
    public static readonly string[] Cifar10ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private const int PixelBytes = 3 * 32 * 32;

    /// <summary>Reads and concatenates CIFAR-10 batch files (e.g. <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>).</summary>
    public static Dataset ReadCifar10(IEnumerable<string> paths, float pixelScale = 1f / 255f) =>
        ReadBatches(paths, labelBytes: 1, labelIndex: 0, classCount: 10, pixelScale, Cifar10ClassNames);

    /// <summary>Reads and concatenates CIFAR-100 files (<c>train.bin</c>, <c>test.bin</c>) with the fine or coarse labels.</summary>
    public static Dataset ReadCifar100(IEnumerable<string> paths, CifarLabel label = CifarLabel.Fine, float pixelScale = 1f / 255f) =>
        ReadBatches(paths, labelBytes: 2, labelIndex: label == CifarLabel.Coarse ? 0 : 1, classCount: label == CifarLabel.Coarse ? 20 : 100, pixelScale, null);

    /// <summary>Loads the extracted <c>cifar-10-batches-bin</c> directory: 50,000 training images from
    /// <c>data_batch_1..5.bin</c> and 10,000 test images from <c>test_batch.bin</c>.</summary>
    public static (Dataset Train, Dataset Test) LoadCifar10(string directory)
    {
        string[] train = new string[5];
        for (int i = 0; i < 5; i++)
        {
            train[i] = Path.Combine(directory, $"data_batch_{i + 1}.bin");
        }
        return (ReadCifar10(train), ReadCifar10([Path.Combine(directory, "test_batch.bin")]));
    }

    /// <summary>Loads the extracted <c>cifar-100-binary</c> directory (<c>train.bin</c>, <c>test.bin</c>).</summary>
    public static (Dataset Train, Dataset Test) LoadCifar100(string directory, CifarLabel label = CifarLabel.Fine) =>
        (ReadCifar100([Path.Combine(directory, "train.bin")], label), ReadCifar100([Path.Combine(directory, "test.bin")], label));

    /// <summary>Writes <paramref name="data"/> (3×32×32 images, labels below 10) as one CIFAR-10 batch file.</summary>
    public static void WriteCifar10(string path, Dataset data, float pixelScale = 1f / 255f) =>
        WriteBatch(path, data, null, pixelScale, 10);

    /// <summary>Writes <paramref name="data"/> (fine labels below 100) with <paramref name="coarseLabels"/> (below 20) as a
    /// CIFAR-100 file.</summary>
    public static void WriteCifar100(string path, Dataset data, ReadOnlySpan<int> coarseLabels, float pixelScale = 1f / 255f)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (coarseLabels.Length != data.Count)
        {
            throw new ArgumentException($"{coarseLabels.Length} coarse labels for {data.Count} images.", nameof(coarseLabels));
        }
        WriteBatch(path, data, coarseLabels.ToArray(), pixelScale, 100);
    }

    private static void WriteBatch(string path, Dataset data, int[]? coarse, float pixelScale, int maxClasses)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != PixelBytes || data.ClassCount > maxClasses)
        {
            throw new ArgumentException($"CIFAR files hold 3×32×32 images and at most {maxClasses} classes; the data set has {data.FeatureCount} features and {data.ClassCount} classes.", nameof(data));
        }
        int labelBytes = coarse is null ? 1 : 2;
        int recordSize = labelBytes + PixelBytes;
        byte[] record = new byte[recordSize];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        for (int i = 0; i < data.Count; i++)
        {
            if (coarse is not null)
            {
                if ((uint)coarse[i] >= 20u)
                {
                    throw new ArgumentException($"Coarse label {coarse[i]} of image {i} is outside [0, 20).", nameof(data));
                }
                record[0] = (byte)coarse[i];
            }
            record[labelBytes - 1] = (byte)data.Labels[i];
            PixelConversion.ToByte(data.Sample(i), record.AsSpan(labelBytes), 1f / pixelScale);
            stream.Write(record);
        }
    }

    private static Dataset ReadBatches(IEnumerable<string> paths, int labelBytes, int labelIndex, int classCount, float pixelScale, string[]? classNames)
    {
        ArgumentNullException.ThrowIfNull(paths);
        int recordSize = labelBytes + PixelBytes;
        var parts = new List<(byte[] Bytes, string Path)>();
        long total = 0;
        foreach (string path in paths)
        {
            using DataFile file = DataFile.Open(path);
            byte[] bytes = ReadAll(file);
            if (bytes.Length == 0 || bytes.Length % recordSize != 0)
            {
                long whole = bytes.Length / recordSize;
                throw DataFormatException.AtOffset(path, whole * recordSize, $"a CIFAR file is a sequence of {recordSize:N0}-byte records; this one is {bytes.Length:N0} bytes long, so the record starting here is {(bytes.Length == 0 ? "missing" : "incomplete")}.");
            }
            parts.Add((bytes, path));
            total += bytes.Length / recordSize;
        }
        if (parts.Count == 0)
        {
            throw new ArgumentException("No CIFAR files given.", nameof(paths));
        }
        if (total * PixelBytes > Array.MaxLength)
        {
            throw new ArgumentException($"{total:N0} CIFAR images do not fit one array.", nameof(paths));
        }
        float[] features = GC.AllocateUninitializedArray<float>((int)(total * PixelBytes));
        int[] labels = new int[total];
        int sample = 0;
        foreach ((byte[] bytes, string path) in parts)
        {
            for (int offset = 0; offset < bytes.Length; offset += recordSize, sample++)
            {
                for (int l = 0; l < labelBytes; l++)
                {
                    int limit = labelBytes == 1 ? classCount : l == 0 ? 20 : 100;
                    if (bytes[offset + l] >= limit)
                    {
                        throw DataFormatException.AtOffset(path, offset + l, $"{(labelBytes == 1 ? "label" : l == 0 ? "coarse label" : "fine label")} {bytes[offset + l]} of record {offset / recordSize} is outside [0, {limit}).");
                    }
                }
                labels[sample] = bytes[offset + labelIndex];
                PixelConversion.ToSingle(bytes.AsSpan(offset + labelBytes, PixelBytes), features.AsSpan(sample * PixelBytes, PixelBytes), pixelScale);
            }
        }
        return new Dataset(features, labels, PixelBytes, classCount) { Shape = Shape, ClassNames = classNames };
    }

    private static byte[] ReadAll(DataFile file) => file.ReadToEnd();
}
