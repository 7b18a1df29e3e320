using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading.Tasks;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>
/// Seeded mutations (<see cref="Mutation"/>) of every file kind the data readers take — IDX images and labels, CIFAR-10,
/// CSV (read by <see cref="Csv.Read(string, CsvOptions?)"/> and as a table by <see cref="Csv.ReadTable(string, CsvOptions?)"/>),
/// each raw and gzip-compressed. Each mutated file must load, or be refused with a <see cref="DataFormatException"/>
/// that names it and says where; allocate at most 64 × the size of the files read (counting at least 1 KiB, never more than
/// 100 MB); and finish within a few seconds. For a gzip kind, half the cases damage the content before it is compressed
/// (the reader's own checks then see it through the decompressor) and half damage the compressed file (its deflate data,
/// checksum and size trailer). <c>NETGEN_MUTATIONS</c> sets the number of mutations per kind (default
/// <see cref="DefaultMutations"/>).
/// </summary>
public sealed class DataMutationTests
{
    private const int DefaultMutations = 3_000;

    private static readonly string[] KindNames = ["idx", "idx.gz", "cifar", "cifar.gz", "csv", "csv.gz", "table", "table.gz"];

    public static TheoryData<string> Kinds => new(KindNames);

    private static readonly string[] CsvNumbers =
        ["-1", "2147483647", "2147483648", "-2147483649", "1e39", "-1e39", "NaN", "Infinity", "", "\"", "\"\"", "0x10", "1,5", "99999999999999999999"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_mutated_file_loads_or_is_refused_with_a_DataFormatException_naming_it(string kind)
    {
        using var directory = new TempDirectory();
        bool gzip = kind.EndsWith(".gz", StringComparison.Ordinal);
        string format = gzip ? kind[..^3] : kind;
        (byte[] main, byte[]? labels) = Content(format, directory);
        string mainPath = directory.File("main." + kind), labelsPath = directory.File("labels." + kind);
        Func<bool, string> read = format switch
        {
            "idx" => _ => Loaded(Idx.ReadDataset(mainPath, labelsPath)),
            "cifar" => _ => Loaded(Cifar.ReadCifar10([mainPath])),
            // Csv.ReadTable: with the task and classes inferred and missing cells imputed, or with 10 classes and missing cells an error.
            "table" => inferClasses => Loaded(Csv.ReadTable(mainPath, inferClasses
                ? new CsvOptions { MissingValues = MissingValuePolicy.Mean }
                : new CsvOptions { ClassCount = 10 })),
            _ => inferClasses => Loaded(Csv.Read(mainPath, inferClasses ? null : new CsvOptions { ClassCount = 10 })),
        };
        long seedBase = 1_000_000L * (Array.IndexOf(KindNames, kind) + 1);
        byte[] mainFile = Compress(main, gzip), labelsFile = labels is null ? [] : Compress(labels, gzip);

        MutationCase Prepare(int i)
        {
            var random = new SeededRandom(seedBase + i);
            bool damageLabels = labels is not null && random.NextInt(3) == 0;
            var mutation = (Mutation)random.NextInt(6);
            bool inContent = !gzip || random.NextInt(2) == 0;
            bool inferClasses = format is "csv" or "table" && random.NextInt(2) == 0;
            byte[] damaged;
            if (inContent)
            {
                damaged = Compress(MutateContent(format, damageLabels ? labels! : main, mutation, random), gzip);
            }
            else
            {
                byte[] compressed = damageLabels ? labelsFile : mainFile;
                damaged = MutationTesting.Mutate(compressed, mutation, random, r => GzipSizeTrailer(compressed, r));
            }
            byte[] other = damageLabels ? mainFile : labelsFile;
            File.WriteAllBytes(damageLabels ? labelsPath : mainPath, damaged);
            if (labels is not null)
            {
                File.WriteAllBytes(damageLabels ? mainPath : labelsPath, other);
            }
            string what = $"seed {seedBase + i}: {mutation} of the {(damageLabels ? "labels" : "main")} file's {(inContent ? "content" : "compressed bytes")}"
                + (inferClasses ? ", classes inferred" : "");
            return new MutationCase(what, damaged.Length + other.Length, () => read(inferClasses)) { Path = damageLabels ? labelsPath : mainPath };
        }

        MutationReport report = await MutationTesting.RunAsync(MutationTesting.Count(DefaultMutations),
            warmUp: () =>
            {
                File.WriteAllBytes(mainPath, mainFile);
                File.WriteAllBytes(labelsPath, labelsFile);
                read(false);
                read(true);
            },
            Prepare, Judge, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary($"{kind} ({mainFile.Length + labelsFile.Length} bytes)"));
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        int refused = report.Outcomes.GetValueOrDefault("refused");
        Assert.True(refused > report.Cases / 10, $"only {refused} of {report.Cases} mutated files were refused");
    }

    /// <summary>Null when <paramref name="exception"/> is the documented refusal of the damaged file; else why not.</summary>
    private static string? Judge(MutationCase @case, Exception exception) => exception switch
    {
        DataFormatException e when !e.Message.Contains(@case.Path!, StringComparison.Ordinal) => $"the message does not name the file: {e.Message}",
        DataFormatException e when e.ByteOffset is null && e.LineNumber is null => $"the exception says neither offset nor line: {e.Message}",
        DataFormatException => null,
        _ => $"{exception.GetType().Name} escaped: {exception}",
    };

    private static string Loaded(Dataset data) => data.Count > 0 ? "loaded" : "loaded (empty)";

    private static string Loaded(TabularTable table) => table.Count > 0 ? "loaded" : "loaded (empty)";

    /// <summary>The raw bytes of a valid file of <paramref name="format"/> (and of its labels file for IDX).</summary>
    private static (byte[] Main, byte[]? Labels) Content(string format, TempDirectory directory)
    {
        string main = directory.File("pristine-main"), labels = directory.File("pristine-labels");
        switch (format)
        {
            case "idx":
                Idx.WriteDataset(main, labels, TestData.Images(12, new ImageShape(1, 6, 6), 10, seed: 11));
                return (File.ReadAllBytes(main), File.ReadAllBytes(labels));
            case "cifar":
                Cifar.WriteCifar10(main, TestData.Images(3, Cifar.Shape, 10, seed: 11));
                return (File.ReadAllBytes(main), null);
            default:
                Csv.Write(main, TestData.Images(12, new ImageShape(1, 6, 6), 10, seed: 11));
                return (File.ReadAllBytes(main), null);
        }
    }

    /// <summary>A mutation of a file's content; a <see cref="Mutation.LengthField"/> goes where the format keeps its
    /// lengths: an IDX header's dimension sizes (big-endian), or, in CSV text, a cell replaced with a number or a text
    /// that is out of range or not a number.</summary>
    private static byte[] MutateContent(string format, byte[] content, Mutation mutation, SeededRandom random)
    {
        if (format is "csv" or "table" && mutation == Mutation.LengthField)
        {
            return ReplaceCell(content, random);
        }
        return MutationTesting.Mutate(content, mutation, random, format == "idx" ? r => IdxDimension(content, r) : null);
    }

    /// <summary>One of the dimension sizes (half the time) or any four bytes, big-endian as IDX stores them.</summary>
    private static LengthField IdxDimension(byte[] content, SeededRandom random) =>
        random.NextInt(2) == 0
            ? new LengthField(4 + 4 * random.NextInt(content[3]), BigEndian: true)
            : new LengthField(random.NextInt(content.Length - 3), BigEndian: true);

    /// <summary>The size trailer of a gzip file (its last four bytes, little-endian; the readers take it as a hint) half the
    /// time, any four bytes otherwise.</summary>
    private static LengthField GzipSizeTrailer(byte[] compressed, SeededRandom random) =>
        random.NextInt(2) == 0
            ? new LengthField(compressed.Length - 4, BigEndian: false)
            : new LengthField(random.NextInt(compressed.Length - 3), BigEndian: false);

    /// <summary>A cell — half the time a label, the last cell of its line — replaced with one of <see cref="CsvNumbers"/>.</summary>
    private static byte[] ReplaceCell(byte[] content, SeededRandom random)
    {
        var cells = new List<(int Start, int End)>();
        var labels = new List<(int Start, int End)>();
        for (int start = 0; start < content.Length;)
        {
            int end = start;
            while (end < content.Length && content[end] is not ((byte)',' or (byte)'\n'))
            {
                end++;
            }
            cells.Add((start, end));
            if (end == content.Length || content[end] == (byte)'\n')
            {
                labels.Add((start, end));
            }
            start = end + 1;
        }
        (int from, int to) = random.NextInt(2) == 0 ? labels[random.NextInt(labels.Count)] : cells[random.NextInt(cells.Count)];
        byte[] number = Encoding.ASCII.GetBytes(CsvNumbers[random.NextInt(CsvNumbers.Length)]);
        return [.. content[..from], .. number, .. content[to..]];
    }

    private static byte[] Compress(byte[] content, bool gzip)
    {
        if (!gzip)
        {
            return content;
        }
        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            zip.Write(content);
        }
        return compressed.ToArray();
    }
}
