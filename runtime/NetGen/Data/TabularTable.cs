using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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

    /// <summary>A numeric feature column of in-memory values (copied), NaN where a cell is missing.</summary>
    /// <exception cref="ArgumentException">The name is empty, or a value is infinite (the message names the column and the
    /// row).</exception>
    public static TabularColumn Numeric(string name, ReadOnlySpan<float> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsInfinity(values[i]))
            {
                throw new ArgumentException($"Column '{name}', row {i}: {values[i].ToString(CultureInfo.InvariantCulture)} is not a number a column can hold (finite, or NaN where missing).", nameof(values));
            }
        }
        return new TabularColumn(name, values.ToArray(), null);
    }

    /// <summary>A categorical feature column of in-memory categories (copied and trimmed, as a file's cells are), null where
    /// a cell is missing; <see cref="TabularPreprocessing"/> one-hot encodes it.</summary>
    /// <exception cref="ArgumentException">The name is empty, or a category is empty or blank (a missing one is null).</exception>
    public static TabularColumn Categorical(string name, IReadOnlyList<string?> categories)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(categories);
        string?[] cells = new string?[categories.Count];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = categories[i]?.Trim();
            if (cells[i] is { Length: 0 })
            {
                throw new ArgumentException($"Column '{name}', row {i}: the category is empty; a missing category is null.", nameof(categories));
            }
        }
        return new TabularColumn(name, null, cells);
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

    /// <summary>Number of cells.</summary>
    internal int Length => Numbers?.Length ?? Categories!.Length;

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
/// A table as read by <see cref="Csv.ReadTable(string, CsvOptions?)"/> (or built from arrays by
/// <see cref="ForClassification(IReadOnlyList{TabularColumn}, string, ReadOnlySpan{int}, IReadOnlyList{string}?, MissingValuePolicy)"/>
/// and <see cref="ForRegression"/>), before any statistics are taken: feature columns of numbers or categories (missing
/// cells kept as missing), and the label column as class labels or a numeric target.
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

    /// <summary>The <see cref="Source"/> of a table built from arrays.</summary>
    public const string InMemorySource = "in-memory table";

    /// <summary>A classification table of in-memory columns: <paramref name="features"/> (see
    /// <see cref="TabularColumn.Numeric"/> and <see cref="TabularColumn.Categorical"/>), one label per row in
    /// [0, class count), and the class names indexed by label when given (else the class count is the largest label + 1).
    /// The columns are the features, in order, then <paramref name="labelColumn"/>: a row of text cells given to the model
    /// later has them in that order (the label optional), and reads the default missing-value markers as missing.</summary>
    /// <exception cref="ArgumentException">No feature column, a column whose length is not the number of labels, two columns
    /// of one name, a missing cell when <paramref name="missingValues"/> is <see cref="MissingValuePolicy.Error"/>, or a
    /// label outside the classes; the message names the column or the row.</exception>
    public static TabularTable ForClassification(IReadOnlyList<TabularColumn> features, string labelColumn, ReadOnlySpan<int> labels,
        IReadOnlyList<string>? classNames = null, MissingValuePolicy missingValues = MissingValuePolicy.Error)
    {
        if (labels.IsEmpty)
        {
            throw new ArgumentException("The table has no rows: there are no labels.", nameof(labels));
        }
        if (classNames is not null)
        {
            CheckClassNames(classNames);
        }
        int classCount = classNames?.Count ?? 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || classNames is not null && labels[i] >= classCount)
            {
                throw new ArgumentException(classNames is null
                    ? $"labels[{i}] is {labels[i]}; a label is ≥ 0."
                    : $"labels[{i}] is {labels[i]}, outside [0, {classCount}) ({classCount} class names).", nameof(labels));
            }
            classCount = classNames is null ? Math.Max(classCount, labels[i] + 1) : classCount;
        }
        return FromColumns(TabularTask.Classification, features, labelColumn, labels.Length, nameof(labels), missingValues, labels.ToArray(),
            classNames is null ? null : [.. classNames], classCount, null);
    }

    /// <summary>A classification table of in-memory columns with class labels by name: the classes are the distinct names in
    /// ordinal order, as <see cref="Csv.ReadTable(string, CsvOptions?)"/> numbers them. See
    /// <see cref="ForClassification(IReadOnlyList{TabularColumn}, string, ReadOnlySpan{int}, IReadOnlyList{string}?, MissingValuePolicy)"/>.</summary>
    public static TabularTable ForClassification(IReadOnlyList<TabularColumn> features, string labelColumn, IReadOnlyList<string> labels,
        MissingValuePolicy missingValues = MissingValuePolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(labels);
        string[] names = new string[labels.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = labels[i]?.Trim() is { Length: > 0 } name ? name
                : throw new ArgumentException($"labels[{i}] is {(labels[i] is null ? "null" : "empty")}; a class label cannot be missing.", nameof(labels));
        }
        string[] classNames = [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        int[] indices = [.. names.Select(name => Array.BinarySearch(classNames, name, StringComparer.Ordinal))];
        return ForClassification(features, labelColumn, indices, classNames, missingValues);
    }

    /// <summary>A regression table of in-memory columns: <paramref name="features"/> (see <see cref="TabularColumn.Numeric"/>
    /// and <see cref="TabularColumn.Categorical"/>) and one finite target per row. The columns are the features, in order,
    /// then <paramref name="targetColumn"/>, as for
    /// <see cref="ForClassification(IReadOnlyList{TabularColumn}, string, ReadOnlySpan{int}, IReadOnlyList{string}?, MissingValuePolicy)"/>.</summary>
    /// <exception cref="ArgumentException">No feature column, a column whose length is not the number of targets, two columns
    /// of one name, a missing cell when <paramref name="missingValues"/> is <see cref="MissingValuePolicy.Error"/>, or a
    /// target that is not finite (a target cannot be imputed); the message names the column or the row.</exception>
    public static TabularTable ForRegression(IReadOnlyList<TabularColumn> features, string targetColumn, ReadOnlySpan<float> targets,
        MissingValuePolicy missingValues = MissingValuePolicy.Error)
    {
        if (targets.IsEmpty)
        {
            throw new ArgumentException("The table has no rows: there are no targets.", nameof(targets));
        }
        for (int i = 0; i < targets.Length; i++)
        {
            if (!float.IsFinite(targets[i]))
            {
                throw new ArgumentException($"targets[{i}] is {targets[i].ToString(CultureInfo.InvariantCulture)}; a target is a finite number (a missing one cannot be imputed).", nameof(targets));
            }
        }
        return FromColumns(TabularTask.Regression, features, targetColumn, targets.Length, nameof(targets), missingValues, null, null, 0, targets.ToArray());
    }

    private static TabularTable FromColumns(TabularTask task, IReadOnlyList<TabularColumn> features, string labelColumn, int rows, string rowsArgument,
        MissingValuePolicy missingValues, int[]? labels, IReadOnlyList<string>? classNames, int classCount, float[]? targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        if (!Enum.IsDefined(missingValues))
        {
            throw new ArgumentOutOfRangeException(nameof(missingValues), missingValues, "Error, Mean, Median or MostFrequent.");
        }
        if (features.Count == 0)
        {
            throw new ArgumentException("A table needs at least one feature column.", nameof(features));
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { [labelColumn] = "the label column" };
        for (int c = 0; c < features.Count; c++)
        {
            TabularColumn column = features[c] ?? throw new ArgumentException($"features[{c}] is null.", nameof(features));
            if (!names.TryAdd(column.Name, $"features[{c}]"))
            {
                throw new ArgumentException($"features[{c}] is named '{column.Name}', as {names[column.Name]} is; column names are distinct.", nameof(features));
            }
            if (column.Length != rows)
            {
                throw new ArgumentException($"Column '{column.Name}' has {column.Length} cells; the table has {rows} rows (the length of {rowsArgument}).", nameof(features));
            }
            if (missingValues == MissingValuePolicy.Error && column.MissingCount > 0)
            {
                int row = Enumerable.Range(0, rows).First(column.IsMissing);
                throw new ArgumentException($"Column '{column.Name}', row {row}: the value is missing. Pass missingValues Mean, Median or MostFrequent to impute it from the training rows.", nameof(features));
            }
        }
        string[] columnNames = [.. features.Select(f => f.Name), labelColumn];
        return new TabularTable(InMemorySource, task, columnNames, labelColumn, [], [.. features], labels, classNames, classCount, targets, missingValues,
            CsvOptions.DefaultMissingValueMarkers, rows);
    }

    private static void CheckClassNames(IReadOnlyList<string> classNames)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < classNames.Count; k++)
        {
            if (string.IsNullOrEmpty(classNames[k]) || !seen.Add(classNames[k]))
            {
                throw new ArgumentException($"classNames[{k}] is {(classNames[k] is null ? "null" : $"'{classNames[k]}'")}; class names are distinct and not empty.", nameof(classNames));
            }
        }
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
