using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>Seeded random damage — flipped bytes, overwritten runs, truncation — to every file kind: a reader either
/// returns a data set or throws <see cref="DataFormatException"/> naming the file, never anything else.</summary>
public class CorruptionTests
{
    private const int TrialsPerFile = 150;

    public static TheoryData<string> Kinds => new() { "idx", "idx.gz", "cifar", "cifar.gz", "csv", "csv.gz" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Damaged_files_fail_only_with_the_documented_exception(string kind)
    {
        using var dir = new TempDirectory();
        Dataset data = TestData.Images(12, kind.StartsWith("cifar", StringComparison.Ordinal) ? Cifar.Shape : new ImageShape(1, 6, 6), 10, seed: 11);
        string main = dir.File("main." + kind), labels = dir.File("labels." + kind);
        Action<string, string> write = kind switch
        {
            "idx" or "idx.gz" => (m, l) => Idx.WriteDataset(m, l, data),
            "cifar" => (m, _) => Cifar.WriteCifar10(m, data),
            "cifar.gz" => (m, _) => Cifar.WriteCifar10(m, data),
            _ => (m, _) => WriteCsv(m, data, kind.EndsWith(".gz", StringComparison.Ordinal)),
        };
        Func<string, string, Dataset> read = kind switch
        {
            "idx" or "idx.gz" => (m, l) => Idx.ReadDataset(m, l),
            "cifar" or "cifar.gz" => (m, _) => Cifar.ReadCifar10([m]),
            _ => (m, _) => Csv.Read(m, new CsvOptions { ClassCount = 10 }),
        };
        write(main, labels);
        Assert.Equal(data.Labels, read(main, labels).Labels);
        byte[] pristineMain = File.ReadAllBytes(main);
        byte[]? pristineLabels = File.Exists(labels) ? File.ReadAllBytes(labels) : null;

        var random = new SeededRandom(kind.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        int rejected = 0;
        for (int trial = 0; trial < TrialsPerFile; trial++)
        {
            bool damageLabels = pristineLabels is not null && random.NextInt(3) == 0;
            string target = damageLabels ? labels : main;
            byte[] bytes = Damage(damageLabels ? pristineLabels! : pristineMain, random);
            File.WriteAllBytes(main, damageLabels ? pristineMain : bytes);
            if (pristineLabels is not null)
            {
                File.WriteAllBytes(labels, damageLabels ? bytes : pristineLabels);
            }
            try
            {
                read(main, labels);
            }
            catch (DataFormatException e)
            {
                rejected++;
                Assert.Contains(target, e.Message, StringComparison.Ordinal);
                Assert.True(e.ByteOffset is not null || e.LineNumber is not null, e.Message);
            }
            catch (Exception e)
            {
                Assert.Fail($"Trial {trial} on {target}: {e.GetType().Name} escaped: {e}");
            }
        }
        Assert.True(rejected > TrialsPerFile / 10, $"only {rejected} of {TrialsPerFile} damaged files were rejected");
    }

    private static byte[] Damage(byte[] pristine, SeededRandom random)
    {
        var bytes = new List<byte>(pristine);
        switch (random.NextInt(4))
        {
            case 0: // truncate
                int cut = random.NextInt(bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            case 1: // flip one byte
                bytes[random.NextInt(bytes.Count)] ^= (byte)(1 + random.NextInt(255));
                break;
            case 2: // overwrite a run, often in the header
                int start = random.NextInt(Math.Min(bytes.Count, random.NextInt(2) == 0 ? 16 : bytes.Count));
                for (int i = start; i < Math.Min(bytes.Count, start + 1 + random.NextInt(8)); i++)
                {
                    bytes[i] = (byte)random.NextInt(256);
                }
                break;
            default: // append or insert garbage
                int at = random.NextInt(bytes.Count + 1);
                for (int i = 0; i < 1 + random.NextInt(6); i++)
                {
                    bytes.Insert(at, (byte)random.NextInt(256));
                }
                break;
        }
        return bytes.ToArray();
    }

    private static void WriteCsv(string path, Dataset data, bool gzip)
    {
        if (!gzip)
        {
            Csv.Write(path, data);
            return;
        }
        using var file = File.Create(path);
        using var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        using var writer = new StreamWriter(zip);
        Csv.Write(writer, data);
    }
}
