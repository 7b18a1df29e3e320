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
    public void Missing_directory_says_how_to_install()
    {
        var e = Assert.Throws<System.IO.DirectoryNotFoundException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
    }
}
