using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.IO;

namespace NetGen.Samples.Tabular;

/// <summary>
/// Serves a model the Tabular sample saved: loads the weights file (tensors and preprocessing), reads CSV rows on standard
/// input — the training file's columns, with or without the label — and prints one prediction per row: the class name and
/// its probability, or the value in the target's units. A bad row is reported on standard error with its line and column;
/// the others are still answered, and the exit code is then 1.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: TabularServer <model.safetensors> [--separator <c>]
          reads CSV rows on stdin and prints a prediction per row; a header line (the column names) is skipped
        """;

    private static int Main(string[] args)
    {
        if (args.Length is not (1 or 3) || args.Length == 3 && (args[1] != "--separator" || args[2].Length != 1))
        {
            Console.Error.Write(Usage);
            return 2;
        }
        char separator = args.Length == 3 ? args[2][0] : ',';
        TabularModel model;
        try
        {
            model = Load(args[0]);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + exception.Message);
            return 1;
        }
        TabularPreprocessing preprocessing = model.Preprocessing;
        int lineNumber = 0, failed = 0;
        while (Console.In.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                string[] cells = Csv.ParseLine(line, separator, "stdin", lineNumber);
                if (IsHeader(cells, preprocessing))
                {
                    continue;
                }
                if (preprocessing.Task == TabularTask.Classification)
                {
                    float[] probabilities = model.PredictProbabilities(cells, "stdin", lineNumber);
                    int predicted = model.PredictClass(cells, "stdin", lineNumber);
                    Console.WriteLine($"{preprocessing.ClassName(predicted)}\t{probabilities[predicted]:F3}");
                }
                else
                {
                    Console.WriteLine(model.PredictValue(cells, "stdin", lineNumber).ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (DataFormatException exception)
            {
                Console.Error.WriteLine("error: " + exception.Message);
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The network the file was saved from (its metadata names it), loaded with the file's preprocessing.</summary>
    private static TabularModel Load(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        SafetensorsHeader header = SafetensorsHeader.Parse(file, path);
        string name = header.Metadata.TryGetValue("netgen.network", out string? saved) ? saved : "(none)";
        INetwork network = name switch
        {
            nameof(WineMlp) => new WineMlp(capacity: 64),
            nameof(DiabetesMlp) => new DiabetesMlp(capacity: 64),
            _ => throw new InvalidDataException($"{path}: network '{name}' is not one this server knows ({nameof(WineMlp)}, {nameof(DiabetesMlp)})."),
        };
        return TabularModel.Load(network, file, path);
    }

    private static bool IsHeader(string[] cells, TabularPreprocessing preprocessing) =>
        cells.Select(c => c.Trim()).SequenceEqual(preprocessing.ColumnNames)
        || cells.Select(c => c.Trim()).SequenceEqual(preprocessing.ColumnNames.Where(c => c != preprocessing.LabelColumn));
}
