using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Data;

public static partial class Csv
{
    /// <summary>Reads the table in <paramref name="path"/> for <see cref="TabularPreprocessing"/>: numeric and categorical
    /// feature columns, missing cells by <see cref="CsvOptions.MissingValues"/>, and a label column of classes or a numeric
    /// target (<see cref="CsvOptions.Task"/>).</summary>
    public static TabularTable ReadTable(string path, CsvOptions? options = null)
    {
        using DataFile file = DataFile.Open(path);
        using StreamReader reader = OpenText(file);
        return ReadTable(reader, path, options);
    }

    /// <summary>Reads a table from <paramref name="reader"/>; <paramref name="sourceName"/> names it in messages. See
    /// <see cref="ReadTable(string, CsvOptions?)"/>.</summary>
    public static TabularTable ReadTable(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        string[] markers = MissingValueMarkers(options.MissingValueMarkers, "options.MissingValueMarkers");
        var missing = new HashSet<string>(markers, StringComparer.Ordinal);
        var cells = new List<string>();
        int lineNumber = SkipLines(reader, options);
        int columnCount = -1, labelColumn = -1;
        string[] names = [];
        bool[] ignored = [];
        int[] featureColumns = [];
        List<string?>[] columns = [];
        var labelCells = new List<string>();
        var lines = new List<int>();
        while (NextRow(reader, options.Separator, cells, sourceName, ref lineNumber))
        {
            if (columnCount < 0)
            {
                columnCount = cells.Count;
                string[]? header = Header(options, cells, sourceName, lineNumber);
                names = header ?? [.. Enumerable.Range(1, columnCount).Select(c => "column " + c.ToString(CultureInfo.InvariantCulture))];
                labelColumn = FindLabelColumn(options, header ?? [.. cells], sourceName, lineNumber);
                ignored = IgnoredColumns(options, header, columnCount, labelColumn, sourceName, lineNumber);
                featureColumns = [.. Enumerable.Range(0, columnCount).Where(c => c != labelColumn && !ignored[c])];
                if (featureColumns.Length == 0)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"a table needs at least one feature column and a label column; this line has {columnCount} cell(s). Is the separator '{options.Separator}'?");
                }
                columns = [.. featureColumns.Select(_ => new List<string?>())];
                if (options.HasHeader)
                {
                    continue;
                }
            }
            if (cells.Count != columnCount)
            {
                throw DataFormatException.AtLine(sourceName, lineNumber, $"expected {columnCount} cells, found {cells.Count}.");
            }
            for (int f = 0; f < featureColumns.Length; f++)
            {
                int c = featureColumns[f];
                string cell = cells[c].Trim();
                if (missing.Contains(cell))
                {
                    if (options.MissingValues == MissingValuePolicy.Error)
                    {
                        throw DataFormatException.AtLine(sourceName, lineNumber, $"column {c + 1} ('{names[c]}'): the value is missing ('{cell}'). " +
                            "Set CsvOptions.MissingValues to Mean, Median or MostFrequent to impute it from the training rows.");
                    }
                    columns[f].Add(null);
                }
                else
                {
                    columns[f].Add(cell);
                }
            }
            labelCells.Add(cells[labelColumn].Trim());
            lines.Add(lineNumber);
        }
        if (labelCells.Count == 0)
        {
            throw DataFormatException.AtLine(sourceName, Math.Max(lineNumber, 1), "the table has no data rows.");
        }
        var categorical = new bool[columnCount];
        foreach (string name in options.CategoricalColumns ?? [])
        {
            int index = ColumnIndex(names, name, "a categorical column", sourceName, lineNumber);
            if (index == labelColumn || ignored[index])
            {
                throw new ArgumentException($"Column '{name}' is {(index == labelColumn ? "the label column" : "ignored")}; only a feature column can be categorical.", nameof(options));
            }
            categorical[index] = true;
        }
        var features = new TabularColumn[featureColumns.Length];
        for (int f = 0; f < features.Length; f++)
        {
            features[f] = ToColumn(names[featureColumns[f]], columns[f], categorical[featureColumns[f]]);
        }
        string labelDescription = $"column {labelColumn + 1} ('{names[labelColumn]}')";
        TabularTask task = options.Task ?? InferTask(options, labelCells, sourceName, lines[^1], labelDescription);
        string[] ignoredNames = [.. Enumerable.Range(0, columnCount).Where(c => ignored[c]).Select(c => names[c])];
        if (task == TabularTask.Regression)
        {
            float[] targets = new float[labelCells.Count];
            for (int i = 0; i < targets.Length; i++)
            {
                if (!float.TryParse(labelCells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out targets[i]) || !float.IsFinite(targets[i]))
                {
                    throw DataFormatException.AtLine(sourceName, lines[i], $"{labelDescription}: the target '{labelCells[i]}' is not a finite number (a missing target cannot be imputed).");
                }
            }
            return new TabularTable(sourceName, task, names, names[labelColumn], ignoredNames, features, null, null, 0, targets, options.MissingValues, markers, targets.Length);
        }
        (int[] labels, IReadOnlyList<string>? classNames, int classCount) = ClassLabels(options, labelCells, lines, sourceName, labelDescription);
        return new TabularTable(sourceName, task, names, names[labelColumn], ignoredNames, features, labels, classNames, classCount, null, options.MissingValues, markers, labels.Length);
    }

    /// <summary>The distinct missing-value markers, trimmed, in the order given; a null list or marker is an error naming
    /// <paramref name="argument"/>.</summary>
    internal static string[] MissingValueMarkers(IReadOnlyList<string> markers, string argument)
    {
        ArgumentNullException.ThrowIfNull(markers, argument);
        for (int i = 0; i < markers.Count; i++)
        {
            if (markers[i] is null)
            {
                throw new ArgumentException($"{argument}[{i}] is null; a marker is a text cell (\"\" for an empty one).", argument);
            }
        }
        return [.. markers.Select(m => m.Trim()).Distinct(StringComparer.Ordinal)];
    }

    private static TabularColumn ToColumn(string name, List<string?> cells, bool categorical)
    {
        float[] numbers = new float[cells.Count];
        for (int i = 0; !categorical && i < cells.Count; i++)
        {
            if (cells[i] is not { } cell)
            {
                numbers[i] = float.NaN;
            }
            else if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !float.IsFinite(numbers[i]))
            {
                categorical = true;
            }
        }
        return categorical ? new TabularColumn(name, null, [.. cells]) : new TabularColumn(name, numbers, null);
    }

    private static TabularTask InferTask(CsvOptions options, List<string> labelCells, string sourceName, int lineNumber, string labelDescription)
    {
        if (options.ClassCount is not null || options.ClassNames is not null)
        {
            return TabularTask.Classification;
        }
        var distinct = new HashSet<double>();
        bool allIntegers = true;
        foreach (string cell in labelCells)
        {
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                return TabularTask.Classification;
            }
            allIntegers &= int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            distinct.Add(value);
        }
        if (allIntegers && distinct.Count <= MaxInferredClasses)
        {
            return TabularTask.Classification;
        }
        string what = allIntegers ? $"{distinct.Count} distinct integers" : "numbers that are not all integers";
        throw DataFormatException.AtLine(sourceName, lineNumber, $"{labelDescription}: the label cells are {what}: a numeric target or class labels? " +
            "Set CsvOptions.Task = TabularTask.Regression or TabularTask.Classification.");
    }

    /// <summary>Class labels from the label cells: integers, or names — <see cref="CsvOptions.ClassNames"/> when given, else
    /// the distinct names in ordinal order (so a label does not depend on the order of the rows).</summary>
    private static (int[] Labels, IReadOnlyList<string>? ClassNames, int ClassCount) ClassLabels(CsvOptions options, List<string> labelCells, List<int> lines,
        string sourceName, string labelDescription)
    {
        IReadOnlyList<string>? classNames = options.ClassNames;
        if (classNames is not null && options.ClassCount is { } count && count != classNames.Count)
        {
            throw new ArgumentException($"{classNames.Count} class names for {count} classes (ClassCount).", nameof(options));
        }
        // A class count without names means integer labels; otherwise names unless every label is an integer.
        bool integers = classNames is null && (options.ClassCount is not null || labelCells.All(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)));
        if (classNames is null && !integers)
        {
            classNames = [.. labelCells.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < (classNames?.Count ?? 0); k++)
        {
            index.TryAdd(classNames![k], k);
        }
        int[] labels = new int[labelCells.Count];
        int? limit = options.ClassCount ?? classNames?.Count;
        for (int i = 0; i < labels.Length; i++)
        {
            if (index.TryGetValue(labelCells[i], out int named))
            {
                labels[i] = named;
            }
            else if (!int.TryParse(labelCells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out labels[i]))
            {
                throw DataFormatException.AtLine(sourceName, lines[i], classNames is null
                    ? $"{labelDescription}: label '{labelCells[i]}' is not an integer (ClassCount is given without ClassNames, so labels are integers)."
                    : $"{labelDescription}: label '{labelCells[i]}' is not one of the class names.");
            }
            if (labels[i] < 0 || labels[i] >= (limit ?? int.MaxValue))
            {
                throw DataFormatException.AtLine(sourceName, lines[i], $"{labelDescription}: label {labels[i]} is outside [0, {limit?.ToString(CultureInfo.InvariantCulture) ?? "2147483647"}).");
            }
        }
        int classCount = limit ?? labels.Max() + 1;
        return (labels, classNames, classCount);
    }
}
