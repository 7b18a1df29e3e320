using System;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class CifarTests
{
    [Theory]
    [InlineData("batch.bin")]
    [InlineData("batch.bin.gz")]
    public void Cifar10_batches_round_trip_and_concatenate(string name)
    {
        using var dir = new TempDirectory();
        Dataset a = TestData.Images(7, Cifar.Shape, 10, seed: 1), b = TestData.Images(5, Cifar.Shape, 10, seed: 2);
        Cifar.WriteCifar10(dir.File("a-" + name), a);
        Cifar.WriteCifar10(dir.File("b-" + name), b);
        if (!name.EndsWith(".gz", StringComparison.Ordinal))
        {
            Assert.Equal(7 * 3073, new FileInfo(dir.File("a-" + name)).Length);
        }
        Dataset back = Cifar.ReadCifar10([dir.File("a-" + name), dir.File("b-" + name)]);
        Assert.Equal(12, back.Count);
        Assert.Equal(a.Features, back.Features.AsSpan(0, a.Features.Length).ToArray());
        Assert.Equal(b.Features, back.Features.AsSpan(a.Features.Length).ToArray());
        Assert.Equal([.. a.Labels, .. b.Labels], back.Labels);
        Assert.Equal(Cifar.Shape, back.Shape);
        Assert.Equal("airplane", back.ClassNames![0]);
    }

    [Fact]
    public void Cifar100_keeps_fine_and_coarse_labels()
    {
        using var dir = new TempDirectory();
        Dataset fine = TestData.Images(6, Cifar.Shape, 100, seed: 4);
        int[] coarse = [0, 19, 3, 4, 5, 6];
        Cifar.WriteCifar100(dir.File("train.bin"), fine, coarse);
        Assert.Equal(6 * 3074, new FileInfo(dir.File("train.bin")).Length);
        Dataset backFine = Cifar.ReadCifar100([dir.File("train.bin")]);
        Dataset backCoarse = Cifar.ReadCifar100([dir.File("train.bin")], CifarLabel.Coarse);
        Assert.Equal(fine.Labels, backFine.Labels);
        Assert.Equal(100, backFine.ClassCount);
        Assert.Equal(coarse, backCoarse.Labels);
        Assert.Equal(20, backCoarse.ClassCount);
        Assert.Equal(fine.Features, backFine.Features);
    }

    [Fact]
    public void Cifar10_directory_loader_reads_five_training_batches_and_the_test_batch()
    {
        using var dir = new TempDirectory();
        for (int i = 1; i <= 5; i++)
        {
            Cifar.WriteCifar10(dir.File($"data_batch_{i}.bin"), TestData.Images(2, Cifar.Shape, 10, seed: i));
        }
        Cifar.WriteCifar10(dir.File("test_batch.bin"), TestData.Images(3, Cifar.Shape, 10, seed: 9));
        (Dataset train, Dataset test) = Cifar.LoadCifar10(dir.Path);
        Assert.Equal(10, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal(TestData.Images(2, Cifar.Shape, 10, seed: 5).Labels, train.Labels[8..]);
    }

    [Fact]
    public void Incomplete_record_names_its_start()
    {
        using var dir = new TempDirectory();
        Cifar.WriteCifar10(dir.File("b.bin"), TestData.Images(3, Cifar.Shape, 10, seed: 1));
        using (var file = new FileStream(dir.File("b.bin"), FileMode.Open))
        {
            file.SetLength(3 * 3073 - 100);
        }
        var e = Assert.Throws<DataFormatException>(() => Cifar.ReadCifar10([dir.File("b.bin")]));
        Assert.Equal(2 * 3073, e.ByteOffset);
        Assert.Contains("incomplete", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_out_of_range_names_its_byte()
    {
        using var dir = new TempDirectory();
        Cifar.WriteCifar10(dir.File("b.bin"), TestData.Images(3, Cifar.Shape, 10, seed: 1));
        byte[] bytes = File.ReadAllBytes(dir.File("b.bin"));
        bytes[3073] = 10;
        File.WriteAllBytes(dir.File("b.bin"), bytes);
        var e = Assert.Throws<DataFormatException>(() => Cifar.ReadCifar10([dir.File("b.bin")]));
        Assert.Equal(3073, e.ByteOffset);
        Assert.Contains("record 1", e.Message, StringComparison.Ordinal);
    }
}
