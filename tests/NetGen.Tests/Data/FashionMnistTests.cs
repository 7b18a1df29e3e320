using System;
using System.Diagnostics;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class FashionMnistTests
{
    private static void RequireFashionMnist()
    {
        if (!FashionMnist.IsAvailable())
        {
            Assert.Skip($"Fashion-MNIST is not in {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (or set {FashionMnist.DirectoryVariable}).");
        }
    }

    [Fact]
    public void Loads_all_70000_images_with_labels_and_shape()
    {
        RequireFashionMnist();
        var clock = Stopwatch.StartNew();
        (Dataset train, Dataset test) = FashionMnist.Load();
        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"Fashion-MNIST: 70,000 images in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(new ImageShape(1, 28, 28), train.Shape);
        Assert.Equal("Ankle boot", train.ClassNames![9]);
        // The set is balanced: 6,000 training and 1,000 test images per class.
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, train.Labels.Count(l => l == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
        Assert.Equal(0f, train.Features.Min());
        Assert.Equal(1f, train.Features.Max());
        Assert.Equal(9, train.Labels[0]); // the first training image is an ankle boot
    }

    [Fact]
    public void Loads_an_mnist_layout_directory_with_raw_and_gzip_files()
    {
        using var dir = new TempDirectory();
        Dataset train = TestData.Images(30, new ImageShape(1, 28, 28), 10, seed: 1), test = TestData.Images(12, new ImageShape(1, 28, 28), 10, seed: 2);
        Idx.WriteDataset(dir.File("train-images-idx3-ubyte.gz"), dir.File("train-labels-idx1-ubyte"), train);
        Idx.WriteDataset(dir.File("t10k-images-idx3-ubyte"), dir.File("t10k-labels-idx1-ubyte.gz"), test);
        Assert.True(FashionMnist.IsAvailable(dir.Path));
        (Dataset trainBack, Dataset testBack) = FashionMnist.Load(dir.Path);
        Assert.Equal(train.Features, trainBack.Features);
        Assert.Equal(test.Labels, testBack.Labels);
        Assert.Equal("T-shirt/top", testBack.ClassNames![0]);
        byte[] images = System.IO.File.ReadAllBytes(dir.File("t10k-images-idx3-ubyte"));
        System.IO.File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), images[..^5]);
        var e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(dir.Path)); // not an AggregateException
        Assert.Equal(dir.File("t10k-images-idx3-ubyte"), e.FilePath);
        System.IO.File.Delete(dir.File("t10k-labels-idx1-ubyte.gz"));
        Assert.False(FashionMnist.IsAvailable(dir.Path));
        Assert.Throws<System.IO.FileNotFoundException>(() => FashionMnist.Load(dir.Path));
    }

    [Fact]
    public void Missing_directory_says_how_to_install()
    {
        var e = Assert.Throws<System.IO.DirectoryNotFoundException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
    }
}
