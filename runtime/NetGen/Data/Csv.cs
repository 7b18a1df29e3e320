using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Data;

/// <summary>How <see cref="Csv"/> reads a table.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first line names the columns (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The label column by header name (needs <see cref="HasHeader"/>); takes precedence over <see cref="LabelColumn"/>.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>The 0-based label column; negative counts from the end (default −1: the last column).</summary>
    public int LabelColumn { get; init; } = -1;

    /// <summary>The cell separator (default comma).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The number of classes; by default one more than the largest integer label, or the number of distinct names.</summary>
    public int? ClassCount { get; init; }

    /// <summary>Class names, indexed by label: label cells may then be these names (or integers). Without it, a label
    /// column of names is mapped to 0, 1, … in order of first appearance.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The layout of each row's features when they are an image.</summary>
    public ImageShape? Shape { get; init; }

    /// <summary>Lines skipped at the start of the file, before the header or the first row (default 0): e.g. the line of
    /// counts and class names that opens scikit-learn's bundled CSV files.</summary>
    public int SkipLines { get; init; }

    /// <summary>Names for the columns of a file without a header (<see cref="HasHeader"/> false), one per column; they then
    /// serve <see cref="LabelColumnName"/>, <see cref="IgnoredColumns"/> and <see cref="CategoricalColumns"/> as a header's
    /// names would.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>Columns, by name, that are neither features nor the label: identifiers, leaks, anything the model must not
    /// see. A name the table does not have is an error.</summary>
    public IReadOnlyList<string>? IgnoredColumns { get; init; }

    /// <summary>What the label column holds: class labels or a numeric target. Without it, <see cref="Csv.Read(string, CsvOptions?)"/>
    /// reads classes, and refuses a label column that looks like a numeric target (every cell a number, and one not an integer
    /// or more than <see cref="Csv.MaxInferredClasses"/> distinct values) unless <see cref="ClassCount"/> or
    /// <see cref="ClassNames"/> says it holds classes.</summary>
    public TabularTask? Task { get; init; }

    /// <summary>What <see cref="Csv.ReadTable(string, CsvOptions?)"/> does with a missing feature cell (one of
    /// <see cref="MissingValueMarkers"/>): <see cref="MissingValuePolicy.Error"/> (the default) stops with the file, line
    /// and column; the others keep the cell missing, to be imputed by <see cref="TabularPreprocessing"/> with statistics of
    /// the training rows only. <see cref="Csv.Read(string, CsvOptions?)"/> accepts no missing cells.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Error;

    /// <summary>The cells that mean "missing" (compared after trimming spaces): by default the empty cell, <c>NA</c>,
    /// <c>N/A</c>, <c>NaN</c> and <c>?</c>.</summary>
    public IReadOnlyList<string> MissingValueMarkers { get; init; } = DefaultMissingValueMarkers;

    /// <summary>The default <see cref="MissingValueMarkers"/>: also those of a table built from arrays, and of a preprocessing
    /// saved without markers of its own.</summary>
    internal static readonly string[] DefaultMissingValueMarkers = ["", "NA", "N/A", "NaN", "?"];

    /// <summary>Feature columns, by name, that <see cref="Csv.ReadTable(string, CsvOptions?)"/> treats as categories even
    /// though their cells are numbers (codes such as 1 and 2 for a sex, or a region number). A column with a cell that is
    /// not a number is categorical anyway.</summary>
    public IReadOnlyList<string>? CategoricalColumns { get; init; }
}

/// <summary>
/// Reads and writes comma-separated tables of numeric features and one class label per row. Numbers are parsed with
/// the invariant culture (a dot is the decimal separator whatever the machine's locale); cells may be quoted; empty
/// lines are skipped; files may be gzip-compressed. A ragged row, a cell that is not a finite number, an unknown
/// label or a missing label column is a <see cref="DataFormatException"/> naming the file, line and column.
/// </summary>
public static partial class Csv
{
    /// <summary>Reads the table in <paramref name="path"/>.</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        using DataFile file = DataFile.Open(path);
        using StreamReader reader = OpenText(file);
        return Read(reader, path, options);
    }

    /// <summary>The text of <paramref name="file"/> (UTF-8 unless it starts with another byte-order mark).</summary>
    private static StreamReader OpenText(DataFile file)
        => new(file.AsStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: file.BufferSize, leaveOpen: false);

    /// <summary>Reads a table from <paramref name="reader"/>; <paramref name="sourceName"/> names it in messages.</summary>
    public static Dataset Read(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        if (options.Task == TabularTask.Regression)
        {
            throw new ArgumentException("Csv.Read reads class labels into a Dataset; read a regression table with Csv.ReadTable and TabularPreprocessing.", nameof(options));
        }
        if (options.MissingValues != MissingValuePolicy.Error)
        {
            throw new ArgumentException($"Csv.Read accepts no missing cells; read the table with Csv.ReadTable to impute them ({options.MissingValues}).", nameof(options));
        }
        var cells = new List<string>();
        int lineNumber = 0;
        int columnCount = -1, labelColumn = -1;
        string[]? header = null;
        bool[]? ignored = null;
        var distinctNumbers = new HashSet<double>();
        bool allNumbers = true, allIntegers = true;
        var features = new List<float>();
        var labels = new List<int>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        bool? namedLabels = null;
        if (options.ClassNames is { } given)
        {
            for (int i = 0; i < given.Count; i++)
            {
                names.Add(given[i], i);
            }
        }
        lineNumber = SkipLines(reader, options);
        while (NextRow(reader, options.Separator, cells, sourceName, ref lineNumber))
        {
            if (columnCount < 0)
            {
                columnCount = cells.Count;
                header = Header(options, cells, sourceName, lineNumber);
                labelColumn = FindLabelColumn(options, header ?? [.. cells], sourceName, lineNumber);
                ignored = IgnoredColumns(options, header, columnCount, labelColumn, sourceName, lineNumber);
                int kept = 0;
                foreach (bool skip in ignored)
                {
                    kept += skip ? 0 : 1;
                }
                if (kept < 2)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"a table needs at least one feature column and a label column; this line has {columnCount} cell(s){(kept < columnCount ? $", {columnCount - kept} of them ignored" : "")}. Is the separator '{options.Separator}'?");
                }
                if (options.HasHeader)
                {
                    continue;
                }
            }
            if (cells.Count != columnCount)
            {
                throw DataFormatException.AtLine(sourceName, lineNumber, $"expected {columnCount} cells, found {cells.Count}.");
            }
            for (int c = 0; c < columnCount; c++)
            {
                if (c == labelColumn || ignored![c])
                {
                    continue;
                }
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"column {c + 1}{ColumnName(header, c)}: '{cells[c]}' is not a finite number.");
                }
                features.Add(value);
            }
            string cell = cells[labelColumn].Trim();
            bool isInteger = int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label);
            if (allNumbers && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            {
                allIntegers &= isInteger;
                if (distinctNumbers.Count <= MaxInferredClasses)
                {
                    distinctNumbers.Add(number);
                }
            }
            else
            {
                allNumbers = false;
            }
            if (options.ClassNames is not null)
            {
                // Given names: a cell is one of them, or an integer label.
                if (names.TryGetValue(cell, out int named))
                {
                    label = named;
                }
                else if (!isInteger)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"column {labelColumn + 1}{ColumnName(header, labelColumn)}: label '{cell}' is not one of the class names.");
                }
            }
            else
            {
                // Without names, the first row decides: integer labels throughout, or names numbered as they appear.
                namedLabels ??= !isInteger;
                if (namedLabels.Value)
                {
                    if (!names.TryGetValue(cell, out label))
                    {
                        label = names.Count;
                        names.Add(cell, label);
                    }
                    isInteger = false;
                }
                else if (!isInteger)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"column {labelColumn + 1}{ColumnName(header, labelColumn)}: label '{cell}' is not an integer like the labels before it.");
                }
            }
            int? limit = options.ClassCount ?? options.ClassNames?.Count;
            if (isInteger && (label < 0 || label >= limit))
            {
                throw DataFormatException.AtLine(sourceName, lineNumber, $"column {labelColumn + 1}{ColumnName(header, labelColumn)}: label {label} is outside [0, {limit?.ToString(CultureInfo.InvariantCulture) ?? "∞"}).");
            }
            if (isInteger && limit is null && label == int.MaxValue)
            {
                // The class count is inferred as the largest label + 1.
                throw DataFormatException.AtLine(sourceName, lineNumber, $"column {labelColumn + 1}{ColumnName(header, labelColumn)}: label {label} leaves no room for a class count (labels + 1 must fit an int).");
            }
            labels.Add(label);
        }
        if (labels.Count == 0)
        {
            throw DataFormatException.AtLine(sourceName, Math.Max(lineNumber, 1), "the table has no data rows.");
        }
        if (options.Task is null && options.ClassCount is null && options.ClassNames is null && allNumbers && (!allIntegers || distinctNumbers.Count > MaxInferredClasses))
        {
            string what = allIntegers ? $"more than {MaxInferredClasses} distinct integers" : "numbers that are not all integers";
            throw DataFormatException.AtLine(sourceName, lineNumber, $"column {labelColumn + 1}{ColumnName(header, labelColumn)}: the label cells are {what}, " +
                "which looks like a numeric target, not classes. For regression read the table with Csv.ReadTable and " +
                "CsvOptions.Task = TabularTask.Regression; to read these values as class labels set CsvOptions.Task = TabularTask.Classification.");
        }
        int featureCount = features.Count / labels.Count;
        int classCount = options.ClassCount ?? options.ClassNames?.Count ?? (namedLabels == true ? names.Count : Max(labels) + 1);
        if (names.Count > classCount)
        {
            throw DataFormatException.AtLine(sourceName, lineNumber, $"{names.Count} distinct class names exceed the {classCount} classes expected.");
        }
        IReadOnlyList<string>? classNames = options.ClassNames;
        if (classNames is null && namedLabels == true)
        {
            string[] ordered = new string[names.Count];
            foreach (KeyValuePair<string, int> pair in names)
            {
                ordered[pair.Value] = pair.Key;
            }
            classNames = ordered.Length == classCount ? ordered : null;
        }
        return new Dataset(features.ToArray(), labels.ToArray(), featureCount, classCount) { Shape = options.Shape, ClassNames = classNames?.Count == classCount ? classNames : null };
    }

    /// <summary>Writes <paramref name="data"/> as a table: an optional header (<paramref name="featureNames"/> and
    /// <paramref name="labelName"/>), then one row per sample with the features in round-trip form and the label last
    /// (its class name when <paramref name="writeClassNames"/> and the data set has names).</summary>
    public static void Write(string path, Dataset data, IReadOnlyList<string>? featureNames = null, string labelName = "label", bool writeHeader = true, bool writeClassNames = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
        Write(writer, data, featureNames, labelName, writeHeader, writeClassNames);
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="writer"/>; see <see cref="Write(string, Dataset, IReadOnlyList{string}?, string, bool, bool)"/>.</summary>
    public static void Write(TextWriter writer, Dataset data, IReadOnlyList<string>? featureNames = null, string labelName = "label", bool writeHeader = true, bool writeClassNames = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        if (featureNames is not null && featureNames.Count != data.FeatureCount)
        {
            throw new ArgumentException($"{featureNames.Count} feature names for {data.FeatureCount} features.", nameof(featureNames));
        }
        writer.NewLine = "\n";
        if (writeHeader)
        {
            for (int c = 0; c < data.FeatureCount; c++)
            {
                writer.Write(Quote(featureNames?[c] ?? "x" + c.ToString(CultureInfo.InvariantCulture)));
                writer.Write(',');
            }
            writer.WriteLine(Quote(labelName));
        }
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<float> row = data.Sample(i);
            for (int c = 0; c < row.Length; c++)
            {
                writer.Write(row[c].ToString("R", CultureInfo.InvariantCulture));
                writer.Write(',');
            }
            writer.WriteLine(writeClassNames && data.ClassNames is { } classNames
                ? Quote(classNames[data.Labels[i]])
                : data.Labels[i].ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The most distinct values an integer label column may hold before <see cref="Read(TextReader, string, CsvOptions?)"/>,
    /// given no <see cref="CsvOptions.Task"/>, class count or class names, takes it for a numeric target (100: CIFAR-100 still
    /// reads as classes).</summary>
    public const int MaxInferredClasses = 100;

    /// <summary>Reads the next line that is not blank into <paramref name="cells"/>, counting lines in
    /// <paramref name="lineNumber"/>; false at the end of the file.</summary>
    internal static bool NextRow(TextReader reader, char separator, List<string> cells, string sourceName, ref int lineNumber)
    {
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!line.AsSpan().Trim().IsEmpty)
            {
                SplitLine(line, separator, cells, sourceName, lineNumber);
                return true;
            }
        }
        return false;
    }

    /// <summary>Skips <see cref="CsvOptions.SkipLines"/> lines; returns the number of lines consumed.</summary>
    internal static int SkipLines(TextReader reader, CsvOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.SkipLines, nameof(options.SkipLines));
        int skipped = 0;
        while (skipped < options.SkipLines && reader.ReadLine() is not null)
        {
            skipped++;
        }
        return skipped;
    }

    /// <summary>The column names: the header line's cells (trimmed), <see cref="CsvOptions.ColumnNames"/>, or null.</summary>
    internal static string[]? Header(CsvOptions options, List<string> firstLine, string sourceName, int lineNumber)
    {
        if (options.ColumnNames is { } names)
        {
            if (options.HasHeader)
            {
                throw new ArgumentException("ColumnNames names the columns of a file without a header; this one has a header (HasHeader = true).", nameof(options));
            }
            if (names.Count != firstLine.Count)
            {
                throw DataFormatException.AtLine(sourceName, lineNumber, $"{names.Count} column names were given (ColumnNames) for a line of {firstLine.Count} cells.");
            }
            return [.. names];
        }
        return options.HasHeader ? [.. firstLine.Select(c => c.Trim())] : null;
    }

    /// <summary>Which columns <see cref="CsvOptions.IgnoredColumns"/> names; never the label column.</summary>
    internal static bool[] IgnoredColumns(CsvOptions options, string[]? header, int columnCount, int labelColumn, string sourceName, int lineNumber)
    {
        var ignored = new bool[columnCount];
        if (options.IgnoredColumns is not { Count: > 0 } names)
        {
            return ignored;
        }
        foreach (string name in names)
        {
            int index = ColumnIndex(header, name, "an ignored column", sourceName, lineNumber);
            if (index == labelColumn)
            {
                throw new ArgumentException($"Column '{name}' is the label column; it cannot be ignored.", nameof(options));
            }
            ignored[index] = true;
        }
        return ignored;
    }

    /// <summary>The index of the column named <paramref name="name"/>; an error that lists the names when there is none.</summary>
    internal static int ColumnIndex(string[]? header, string name, string role, string sourceName, int lineNumber)
    {
        if (header is null)
        {
            throw new ArgumentException($"{role} given by name ('{name}') needs column names: a header line (HasHeader = true) or ColumnNames.", "options");
        }
        int index = Array.IndexOf(header, name);
        return index >= 0 ? index : throw DataFormatException.AtLine(sourceName, lineNumber, $"no column is named '{name}' ({role}); the columns are {string.Join(", ", header)}.");
    }

    private static int FindLabelColumn(CsvOptions options, string[] firstLine, string sourceName, int lineNumber)
    {
        if (options.LabelColumnName is { } name)
        {
            if (!options.HasHeader && options.ColumnNames is null)
            {
                throw new ArgumentException("A label column given by name needs a header line (HasHeader = true) or ColumnNames.", nameof(options));
            }
            return ColumnIndex(firstLine, name, "the label column", sourceName, lineNumber);
        }
        int column = options.LabelColumn < 0 ? firstLine.Length + options.LabelColumn : options.LabelColumn;
        return column >= 0 && column < firstLine.Length
            ? column
            : throw DataFormatException.AtLine(sourceName, lineNumber, $"label column {options.LabelColumn} does not exist in a line of {firstLine.Length} cells.");
    }

    /// <summary>The cells of one line of a table, unquoted as <see cref="Read(TextReader, string, CsvOptions?)"/> reads them
    /// (e.g. a row a program receives on its standard input); <paramref name="sourceName"/> and <paramref name="lineNumber"/>
    /// name the line in messages.</summary>
    /// <exception cref="DataFormatException">An unclosed quote, or text after a closing quote.</exception>
    public static string[] ParseLine(string line, char separator = ',', string sourceName = "line", int lineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(line);
        var cells = new List<string>();
        SplitLine(line, separator, cells, sourceName, lineNumber);
        return [.. cells];
    }

    private static void SplitLine(string line, char separator, List<string> cells, string sourceName, int lineNumber)
    {
        cells.Clear();
        int i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var cell = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw DataFormatException.AtLine(sourceName, lineNumber, $"a quoted cell (column {cells.Count + 1}) is not closed.");
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.Append(line[i++]);
                }
                cells.Add(cell.ToString());
                if (i < line.Length && line[i] != separator)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"text follows the closing quote of column {cells.Count}.");
                }
            }
            else
            {
                int end = line.IndexOf(separator, i);
                if (end < 0)
                {
                    end = line.Length;
                }
                cells.Add(line[i..end]);
                i = end;
            }
            if (i >= line.Length)
            {
                return;
            }
            i++; // the separator
            if (i == line.Length)
            {
                cells.Add("");
                return;
            }
        }
    }

    private static string ColumnName(string[]? header, int column) => header is null ? "" : $" ('{header[column]}')";

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private static int Max(List<int> values)
    {
        int max = 0;
        foreach (int v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }
}
