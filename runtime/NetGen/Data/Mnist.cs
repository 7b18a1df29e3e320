using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace NetGen.Data;

/// <summary>
/// A data set in the MNIST file layout: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or with a <c>.gz</c> suffix (MNIST,
/// Fashion-MNIST, KMNIST share it).
/// </summary>
public static class Mnist
{
    /// <summary>Loads the 60,000 training and 10,000 test images of an MNIST-layout directory as 1×28×28 images with
    /// pixels scaled to [0, 1]. The two halves are read in parallel.</summary>
    public static (Dataset Train, Dataset Test) Load(string directory, int classCount = 10)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"MNIST-layout directory '{directory}' does not exist.");
        }
        string trainImages = Find(directory, "train-images-idx3-ubyte"), trainLabels = Find(directory, "train-labels-idx1-ubyte");
        string testImages = Find(directory, "t10k-images-idx3-ubyte"), testLabels = Find(directory, "t10k-labels-idx1-ubyte");
        Dataset? train = null, test = null;
        try
        {
            Parallel.Invoke(
                () => train = Idx.ReadDataset(trainImages, trainLabels, classCount),
                () => test = Idx.ReadDataset(testImages, testLabels, classCount));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the reader's own exception (DataFormatException, FileNotFoundException...), not the wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return (train!, test!);
    }

    /// <summary>Whether <paramref name="directory"/> holds the four files of the MNIST layout.</summary>
    public static bool IsPresent(string? directory) =>
        directory is not null && Directory.Exists(directory) &&
        Array.TrueForAll(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], f => TryFind(directory, f) is not null);

    private static string Find(string directory, string name) =>
        TryFind(directory, name) ?? throw new FileNotFoundException($"Neither '{name}' nor '{name}.gz' is in '{directory}'.", Path.Combine(directory, name));

    private static string? TryFind(string directory, string name)
    {
        string raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : File.Exists(raw + ".gz") ? raw + ".gz" : null;
    }
}

/// <summary>
/// Zalando's Fashion-MNIST: 28×28 grey images of 10 kinds of clothing, 60,000 for training and 10,000 for testing,
/// in the MNIST file layout. Debian and Ubuntu ship it as the package <c>dataset-fashion-mnist</c>
/// (<c>apt-get install dataset-fashion-mnist</c>), which this loader finds by default.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The environment variable that overrides <see cref="DebianDirectory"/>.</summary>
    public const string DirectoryVariable = "NETGEN_FASHION_MNIST";

    /// <summary>The class names, indexed by label.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The directory <see cref="Load"/> reads without an argument: <c>$NETGEN_FASHION_MNIST</c> if set,
    /// else <see cref="DebianDirectory"/>.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } custom ? custom : DebianDirectory;

    /// <summary>Whether the four files are in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    public static bool IsAvailable(string? directory = null) => Mnist.IsPresent(directory ?? DefaultDirectory);

    /// <summary>Loads the training and test sets from <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>):
    /// 1×28×28 images, pixels in [0, 1], with <see cref="ClassNames"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory is missing; the message says how to install it.</exception>
    public static (Dataset Train, Dataset Test) Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Fashion-MNIST is not in '{directory}'. Install it with 'apt-get install dataset-fashion-mnist', or pass the directory holding train-images-idx3-ubyte.gz and its three companions (or set {DirectoryVariable}).");
        }
        (Dataset train, Dataset test) = Mnist.Load(directory);
        return (Named(train), Named(test));
    }

    private static Dataset Named(Dataset data) =>
        new(data.Features, data.Labels, data.FeatureCount, data.ClassCount) { Shape = data.Shape, ClassNames = ClassNames };
}
