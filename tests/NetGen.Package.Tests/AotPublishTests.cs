using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>samples/AotInference publishes with NativeAOT without a single warning, and the binary alone — copied into an
/// empty directory and started with an empty environment — classifies PGM and IDX images with its embedded weights.</summary>
public sealed class AotPublishTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-aot-" + Guid.NewGuid().ToString("N"));

    public AotPublishTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_native_binary_runs_alone_with_its_embedded_weights()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Skip("The AOT sample is published for linux-x64 here.");
        }
        string publish = Path.Combine(_directory, "publish");
        string log = RepositoryProcess.Dotnet(RepositoryProcess.Root, "publish", "samples/AotInference/AotInference.csproj", "-c", "Release", "-o", publish);
        Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);

        // Nothing beside it: a directory holding the binary only, and no environment at all (no DOTNET_ROOT, no PATH).
        string alone = Path.Combine(_directory, "alone");
        Directory.CreateDirectory(alone);
        string binary = Path.Combine(alone, "AotInference");
        File.Copy(Path.Combine(publish, "AotInference"), binary);
        string examples = Path.Combine(RepositoryProcess.Root, "samples", "AotInference", "examples");
        string[] pgms = ["ankle-boot.pgm", "pullover.pgm", "trouser.pgm"];
        foreach (string pgm in pgms)
        {
            File.Copy(Path.Combine(examples, pgm), Path.Combine(_directory, pgm));
        }

        string info = RepositoryProcess.Run(binary, ["--info"], alone, cleanEnvironment: true);
        Assert.Contains("NativeAOT", info, StringComparison.Ordinal);
        Assert.Contains("kernel path: Vector", info, StringComparison.Ordinal);

        string answers = RepositoryProcess.Run(binary, pgms.Select(p => Path.Combine(_directory, p)), alone, cleanEnvironment: true);
        string[] lines = answers.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\tAnkle boot ", lines[0], StringComparison.Ordinal);
        Assert.Contains("\tPullover ", lines[1], StringComparison.Ordinal);
        Assert.Contains("\tTrouser ", lines[2], StringComparison.Ordinal);

        // The same three images as an IDX image file with an IDX label file.
        string images = Path.Combine(_directory, "images-idx3-ubyte");
        string labels = Path.Combine(_directory, "labels-idx1-ubyte");
        WriteIdx(images, labels, pgms.Select(p => Path.Combine(_directory, p)).ToArray(), [9, 2, 1]);
        string idx = RepositoryProcess.Run(binary, ["--labels", labels, "--time", images], alone, cleanEnvironment: true);
        Assert.Contains("accuracy 100.00 % (3 of 3 labeled images)", idx, StringComparison.Ordinal);
        Assert.Contains("predict mean", idx, StringComparison.Ordinal);
    }

    /// <summary>Writes PGM images (P5, 28×28, maxval 255) as an IDX image file and their labels as an IDX label file.</summary>
    private static void WriteIdx(string imagesPath, string labelsPath, string[] pgms, byte[] labels)
    {
        var images = new List<byte>();
        byte[] header = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0x0803);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)pgms.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 28);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), 28);
        images.AddRange(header);
        foreach (string pgm in pgms)
        {
            byte[] bytes = File.ReadAllBytes(pgm);
            images.AddRange(bytes[^(28 * 28)..]);
        }
        File.WriteAllBytes(imagesPath, [.. images]);
        byte[] labelHeader = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(labelHeader, 0x0801);
        BinaryPrimitives.WriteUInt32BigEndian(labelHeader.AsSpan(4), (uint)labels.Length);
        File.WriteAllBytes(labelsPath, [.. labelHeader, .. labels]);
    }
}
