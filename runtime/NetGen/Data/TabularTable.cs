using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>What a table's label column holds.</summary>
public enum TabularTask
{
    /// <summary>Class labels: integers or names.</summary>
    Classification = 0,
    /// <summary>A numeric target.</summary>
    Regression = 1,
}

/// <summary>What becomes of a missing feature cell.</summary>
public enum MissingValuePolicy
{
    /// <summary>A <see cref="DataFormatException"/> naming the file, line and column.</summary>
    Error = 0,
    /// <summary>The training mean of the column (for a categorical column, its most frequent category).</summary>
    Mean = 1,
    /// <summary>The training median of the column (for a categorical column, its most frequent category).</summary>
    Median = 2,
    /// <summary>The column's most frequent training value (the smallest among ties) or category (the first in ordinal order
    /// among ties).</summary>
    MostFrequent = 3,
}

/// <summary>One feature column of a <see cref="TabularTable"/>: numbers, or categories (text) for a column with a cell that
/// is not a number or one <see cref="CsvOptions.CategoricalColumns"/> names.</summary>
public sealed class TabularColumn
{
    internal TabularColumn(string name, float[]? numbers, string?[]? categories)
    {
        Name = name;
        Numbers = numbers;
        Categories = categories;
        int count = numbers?.Length ?? categories!.Length;
        for (int i = 0; i < count; i++)
        {
            MissingCount += IsMissing(i) ? 1 : 0;
        }
    }

    /// <summary>The column's name (from the header or <see cref="CsvOptions.ColumnNames"/>; else <c>column</c> and its 1-based number).</summary>
    public string Name { get; }

    /// <summary>Whether the cells are categories (to be one-hot encoded) rather than numbers.</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>The cells of a numeric column, NaN where missing; null for a categorical column.</summary>
    public float[]? Numbers { get; }

    /// <summary>The cells of a categorical column (trimmed), null where missing; null for a numeric column.</summary>
    public string?[]? Categories { get; }

    /// <summary>How many cells are missing.</summary>
    public int MissingCount { get; }

    /// <summary>Whether row <paramref name="row"/>'s cell is missing.</summary>
    public bool IsMissing(int row) => Numbers is { } numbers ? float.IsNaN(numbers[row]) : Categories![row] is null;

    internal TabularColumn Subset(ReadOnlySpan<int> indices)
    {
        if (Numbers is { } numbers)
        {
            float[] values = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                values[i] = numbers[indices[i]];
            }
            return new TabularColumn(Name, values, null);
        }
        string?[] cells = new string?[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            cells[i] = Categories![indices[i]];
        }
        return new TabularColumn(Name, null, cells);
    }
}

/// <summary>
/// A table as read by <see cref="Csv.ReadTable(string, CsvOptions?)"/>, before any statistics are taken: feature columns of
/// numbers or categories (missing cells kept as missing), and the label column as class labels or a numeric target.
/// Split it (<see cref="Subset"/> with <see cref="Splits"/>), fit a <see cref="TabularPreprocessing"/> on the training
/// part, and let it turn every part into network inputs.
/// </summary>
public sealed class TabularTable
{
    internal TabularTable(string source, TabularTask task, IReadOnlyList<string> columnNames, string labelColumn, IReadOnlyList<string> ignoredColumns,
        IReadOnlyList<TabularColumn> features, int[]? labels, IReadOnlyList<string>? classNames, int classCount, float[]? targets,
        MissingValuePolicy missingValues, IReadOnlyList<string> missingValueMarkers, int count)
    {
        Source = source;
        Task = task;
        ColumnNames = columnNames;
        LabelColumn = labelColumn;
        IgnoredColumns = ignoredColumns;
        Features = features;
        Labels = labels;
        ClassNames = classNames;
        ClassCount = classCount;
        Targets = targets;
        MissingValues = missingValues;
        MissingValueMarkers = missingValueMarkers;
        Count = count;
    }

    /// <summary>The file (or source name) the table came from, for messages.</summary>
    public string Source { get; }

    /// <summary>Classification or regression.</summary>
    public TabularTask Task { get; }

    /// <summary>Every column of the file, in order: features, the label and the ignored columns.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The label column's name.</summary>
    public string LabelColumn { get; }

    /// <summary>The columns left out (<see cref="CsvOptions.IgnoredColumns"/>).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>The feature columns, in file order.</summary>
    public IReadOnlyList<TabularColumn> Features { get; }

    /// <summary>The class label of each row (classification), else null.</summary>
    public int[]? Labels { get; }

    /// <summary>The class names, indexed by label, when the labels are names or <see cref="CsvOptions.ClassNames"/> gave them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>The target of each row (regression), else null.</summary>
    public float[]? Targets { get; }

    /// <summary>The policy the table was read with; <see cref="TabularPreprocessing.Fit"/> imputes by it.</summary>
    public MissingValuePolicy MissingValues { get; }

    /// <summary>The text cells that meant "missing" when the table was read (<see cref="CsvOptions.MissingValueMarkers"/>,
    /// trimmed). <see cref="TabularPreprocessing.Fit"/> keeps them, so a model reads the cells of a row as the file was read.</summary>
    public IReadOnlyList<string> MissingValueMarkers { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>A new table holding the rows at <paramref name="indices"/>, in that order (e.g. a part of
    /// <see cref="Splits.TrainValidationTest(int, double, double, long)"/>).</summary>
    public TabularTable Subset(ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(indices));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count, nameof(indices));
        }
        var features = new TabularColumn[Features.Count];
        for (int c = 0; c < features.Length; c++)
        {
            features[c] = Features[c].Subset(indices);
        }
        int[]? labels = null;
        float[]? targets = null;
        if (Labels is not null)
        {
            labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                labels[i] = Labels[indices[i]];
            }
        }
        if (Targets is not null)
        {
            targets = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                targets[i] = Targets[indices[i]];
            }
        }
        return new TabularTable(Source, Task, ColumnNames, LabelColumn, IgnoredColumns, features, labels, ClassNames, ClassCount, targets, MissingValues, MissingValueMarkers,
            indices.Length);
    }
}
