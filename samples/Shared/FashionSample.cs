using System;
using System.Globalization;
using System.IO;
using NetGen.Data;

namespace NetGen.Samples;

/// <summary>What the Fashion-MNIST samples share: their command line (<c>--data DIR</c>, <c>--epochs N</c>) and the
/// loading of the data set with a clear message when it is missing or damaged.</summary>
internal static class FashionSample
{
    /// <summary>Parses the arguments and loads the training and test sets; on a usage error or an unreadable data set it
    /// prints why and returns false with the exit code to use (2).</summary>
    public static bool TryLoad(string sample, string[] args, int defaultEpochs, out Dataset train, out Dataset test, out int epochs, out int exitCode)
    {
        train = test = null!;
        epochs = defaultEpochs;
        exitCode = 2;
        string? directory = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    directory = args[++i];
                    break;
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int n) && n > 0:
                    epochs = n;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"usage: {sample} [--data DIRECTORY] [--epochs N]");
                    return false;
            }
        }
        try
        {
            (train, test) = NetGen.Data.FashionMnist.Load(directory);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return false;
        }
        exitCode = 0;
        return true;
    }
}
