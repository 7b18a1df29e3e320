using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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
}

/// <summary>
/// Reads and writes comma-separated tables of numeric features and one class label per row. Numbers are parsed with
/// the invariant culture (a dot is the decimal separator whatever the machine's locale); cells may be quoted; empty
/// lines are skipped; files may be gzip-compressed. A ragged row, a cell that is not a finite number, an unknown
/// label or a missing label column is a <see cref="DataFormatException"/> naming the file, line and column.
/// </summary>
public static class Csv
{
    /// <summary>Reads the table in <paramref name="path"/>.</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        using DataFile file = DataFile.Open(path);
        using var reader = new StreamReader(file.AsStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: file.BufferSize, leaveOpen: false);
        return Read(reader, path, options);
    }

    /// <summary>Reads a table from <paramref name="reader"/>; <paramref name="sourceName"/> names it in messages.</summary>
    public static Dataset Read(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        var cells = new List<string>();
        int lineNumber = 0;
        int columnCount = -1, labelColumn = -1;
        string[]? header = null;
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
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.AsSpan().Trim().IsEmpty)
            {
                continue;
            }
            SplitLine(line, options.Separator, cells, sourceName, lineNumber);
            if (columnCount < 0)
            {
                columnCount = cells.Count;
                if (columnCount < 2)
                {
                    throw DataFormatException.AtLine(sourceName, lineNumber, $"a table needs at least one feature column and a label column; this line has {columnCount} cell(s). Is the separator '{options.Separator}'?");
                }
                labelColumn = FindLabelColumn(options, cells, sourceName, lineNumber);
                if (options.HasHeader)
                {
                    header = cells.ToArray();
                    continue;
                }
            }
            if (cells.Count != columnCount)
            {
                throw DataFormatException.AtLine(sourceName, lineNumber, $"expected {columnCount} cells, found {cells.Count}.");
            }
            for (int c = 0; c < columnCount; c++)
            {
                if (c == labelColumn)
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
        int featureCount = columnCount - 1;
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

    private static int FindLabelColumn(CsvOptions options, List<string> firstLine, string sourceName, int lineNumber)
    {
        if (options.LabelColumnName is { } name)
        {
            if (!options.HasHeader)
            {
                throw new ArgumentException("A label column given by name needs a header line (HasHeader = true).", nameof(options));
            }
            int index = firstLine.FindIndex(c => string.Equals(c.Trim(), name, StringComparison.Ordinal));
            return index >= 0 ? index : throw DataFormatException.AtLine(sourceName, lineNumber, $"no column is named '{name}'; the header has {string.Join(", ", firstLine)}.");
        }
        int column = options.LabelColumn < 0 ? firstLine.Count + options.LabelColumn : options.LabelColumn;
        return column >= 0 && column < firstLine.Count
            ? column
            : throw DataFormatException.AtLine(sourceName, lineNumber, $"label column {options.LabelColumn} does not exist in a line of {firstLine.Count} cells.");
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
