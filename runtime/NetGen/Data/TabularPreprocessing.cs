using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Training;

namespace NetGen.Data;

/// <summary>How <see cref="TabularPreprocessing"/> scales the numeric features.</summary>
public enum FeatureScaling
{
    /// <summary>Numbers as they are.</summary>
    None = 0,
    /// <summary><see cref="StandardScaler"/>: (x − μ) / σ.</summary>
    Standard = 1,
    /// <summary><see cref="MinMaxScaler"/> to [0, 1].</summary>
    MinMax = 2,
}

/// <summary>One feature column as <see cref="TabularPreprocessing"/> encodes it.</summary>
/// <param name="Name">The column's name in the file.</param>
/// <param name="Categories">The training categories of a categorical column, in ordinal order (one input each, one-hot);
/// null for a numeric column (one input).</param>
/// <param name="ImputedNumber">What a missing number becomes (null when missing values are an error).</param>
/// <param name="ImputedCategory">What a missing category becomes (null when missing values are an error).</param>
public sealed record TabularFeature(string Name, IReadOnlyList<string>? Categories, float? ImputedNumber, string? ImputedCategory)
{
    /// <summary>The number of network inputs the column becomes.</summary>
    public int Width => Categories?.Count ?? 1;

    /// <summary>The one-hot encoder of a categorical column; null for a numeric one.</summary>
    public CategoryEncoder? Encoder { get; } = Categories is null ? null : CategoryEncoder.FromCategories(Categories, ImputedCategory);
}

/// <summary>
/// Everything between a table's cells and a network's inputs, fitted on the training rows only: which columns are features,
/// the value that replaces a missing cell (mean, median or most frequent, by <see cref="TabularTable.MissingValues"/>), the
/// categories of each categorical column (one-hot encoded; a category the training rows did not have becomes all zeros),
/// the scaler of the numeric features, and the class names or the target's scaling. It travels with the weights:
/// <see cref="ToMetadata"/> writes it into a safetensors file's <c>__metadata__</c> (one string entry, so PyTorch still
/// loads the tensors) and <see cref="FromMetadata"/> reads it back; <see cref="TabularModel"/> pairs it with the network.
/// </summary>
public sealed class TabularPreprocessing
{
    /// <summary>The metadata key of a saved preprocessing.</summary>
    public const string MetadataKey = "netgen.tabular";

    /// <summary>The JSON format written: 2 added <c>missing_value_markers</c>. A preprocessing with the default markers is
    /// still written as version 1, which every NetGen reads the same; one with markers of its own as version 2, which a
    /// NetGen that knows only version 1 refuses instead of reading those cells as values.</summary>
    private const int FormatVersion = 2;

    private readonly Dictionary<string, int> _columnIndex;

    private readonly HashSet<string> _missingValueMarkers;

    private TabularPreprocessing(TabularTask task, IReadOnlyList<string> columnNames, string labelColumn, IReadOnlyList<string> ignoredColumns,
        IReadOnlyList<TabularFeature> features, IFeatureTransform? scaler, IReadOnlyList<string>? classNames, int classCount, float targetMean,
        float targetStandardDeviation, IReadOnlyList<string> missingValueMarkers)
    {
        Task = task;
        ColumnNames = columnNames;
        LabelColumn = labelColumn;
        IgnoredColumns = ignoredColumns;
        Features = features;
        Scaler = scaler;
        ClassNames = classNames;
        ClassCount = classCount;
        TargetMean = targetMean;
        TargetStandardDeviation = targetStandardDeviation;
        MissingValueMarkers = missingValueMarkers;
        _missingValueMarkers = new HashSet<string>(missingValueMarkers, StringComparer.Ordinal);
        FeatureCount = features.Sum(f => f.Width);
        FeatureNames = [.. features.SelectMany(f => f.Categories is null ? [f.Name] : f.Categories.Select(c => f.Name + "=" + c))];
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < columnNames.Count; c++)
        {
            _columnIndex.TryAdd(columnNames[c], c);
        }
        if (!_columnIndex.ContainsKey(labelColumn))
        {
            throw new ArgumentException($"The label column '{labelColumn}' is not one of the columns {string.Join(", ", columnNames)}.", nameof(labelColumn));
        }
        foreach (TabularFeature feature in features)
        {
            if (!_columnIndex.ContainsKey(feature.Name))
            {
                throw new ArgumentException($"Feature '{feature.Name}' is not one of the columns {string.Join(", ", columnNames)}.", nameof(features));
            }
        }
        if (scaler is not null && scaler.FeatureCount != FeatureCount)
        {
            throw new ArgumentException($"The scaler takes {scaler.FeatureCount} features; the columns encode to {FeatureCount}.", nameof(scaler));
        }
    }

    /// <summary>Classification or regression.</summary>
    public TabularTask Task { get; }

    /// <summary>Every column of the training file, in order: a row given to <see cref="TransformRow"/> has these cells (or all
    /// but the label).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The label column's name.</summary>
    public string LabelColumn { get; }

    /// <summary>The columns that are not used.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>The feature columns, in order, with their categories and imputed values.</summary>
    public IReadOnlyList<TabularFeature> Features { get; }

    /// <summary>The scaler of the encoded features (one-hot inputs pass through it unchanged), or null.</summary>
    public IFeatureTransform? Scaler { get; }

    /// <summary>The network inputs the features encode to.</summary>
    public int FeatureCount { get; }

    /// <summary>The name of each network input: the column's name, or <c>column=category</c> for a one-hot input.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names, indexed by label, when the table had them (classification).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>The text cells <see cref="TransformRow"/> reads as missing (trimmed): those of the training table
    /// (<see cref="TabularTable.MissingValueMarkers"/>), saved with the preprocessing. A file saved before they were saved
    /// has the default ones: the empty cell, <c>NA</c>, <c>N/A</c>, <c>NaN</c> and <c>?</c>.</summary>
    public IReadOnlyList<string> MissingValueMarkers { get; }

    /// <summary>The training mean subtracted from a regression target (0 when the target is not standardized).</summary>
    public float TargetMean { get; }

    /// <summary>The training standard deviation a regression target is divided by (1 when it is not standardized).</summary>
    public float TargetStandardDeviation { get; }

    /// <summary>Fits the preprocessing on <paramref name="train"/>: imputation values by the table's
    /// <see cref="TabularTable.MissingValues"/>, the categories of each categorical column, the scaler of the numeric
    /// features, and for regression, when <paramref name="standardizeTarget"/>, the target's mean and deviation (a network
    /// then learns (y − μ) / σ, and <see cref="TargetFromOutput"/> maps its output back).</summary>
    public static TabularPreprocessing Fit(TabularTable train, FeatureScaling scaling = FeatureScaling.Standard, bool standardizeTarget = true)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
        {
            throw new ArgumentException("The preprocessing is fitted on training rows; the table has none.", nameof(train));
        }
        var features = new TabularFeature[train.Features.Count];
        for (int f = 0; f < features.Length; f++)
        {
            features[f] = FitFeature(train.Features[f], train.MissingValues, train.Source);
        }
        float targetMean = 0f, targetDeviation = 1f;
        if (train.Targets is { } targets && standardizeTarget)
        {
            StandardScaler target = StandardScaler.Fit(targets, 1);
            targetMean = target.Mean[0];
            targetDeviation = target.StandardDeviation[0] > 0 ? target.StandardDeviation[0] : 1f;
        }
        var unscaled = new TabularPreprocessing(train.Task, train.ColumnNames, train.LabelColumn, train.IgnoredColumns, features, null, train.ClassNames,
            train.ClassCount, targetMean, targetDeviation, train.MissingValueMarkers);
        IFeatureTransform? scaler = scaling switch
        {
            FeatureScaling.None => null,
            FeatureScaling.Standard => FitStandard(unscaled, unscaled.Transform(train)),
            FeatureScaling.MinMax => FitMinMax(unscaled, unscaled.Transform(train)),
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "Scaling is None, Standard or MinMax."),
        };
        return new TabularPreprocessing(train.Task, train.ColumnNames, train.LabelColumn, train.IgnoredColumns, features, scaler, train.ClassNames,
            train.ClassCount, targetMean, targetDeviation, train.MissingValueMarkers);
    }

    /// <summary>The network inputs of every row of <paramref name="table"/>: <see cref="FeatureCount"/> values per row.</summary>
    public float[] Transform(TabularTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] columns = new int[Features.Count];
        for (int f = 0; f < Features.Count; f++)
        {
            int index = -1;
            for (int c = 0; c < table.Features.Count; c++)
            {
                index = table.Features[c].Name == Features[f].Name ? c : index;
            }
            columns[f] = index >= 0 ? index
                : throw new ArgumentException($"{table.Source} has no feature column '{Features[f].Name}'; its features are {string.Join(", ", table.Features.Select(c => c.Name))}.", nameof(table));
        }
        float[] rows = new float[table.Count * FeatureCount];
        for (int i = 0; i < table.Count; i++)
        {
            Span<float> row = rows.AsSpan(i * FeatureCount, FeatureCount);
            int offset = 0;
            for (int f = 0; f < Features.Count; f++)
            {
                TabularColumn column = table.Features[columns[f]];
                TabularFeature feature = Features[f];
                if (column.Numbers is { } numbers && feature.Categories is null)
                {
                    row[offset] = Impute(feature, numbers[i], table.Source, i);
                }
                else
                {
                    string? category = column.Categories is { } categories ? categories[i]
                        : float.IsNaN(column.Numbers![i]) ? null : column.Numbers[i].ToString("R", CultureInfo.InvariantCulture);
                    if (feature.Categories is null)
                    {
                        throw new ArgumentException($"{table.Source}: column '{feature.Name}' holds categories ('{category}'); the preprocessing was fitted on numbers.", nameof(table));
                    }
                    EncodeCategory(feature, category, row.Slice(offset, feature.Width), table.Source, i);
                }
                offset += feature.Width;
            }
        }
        Scaler?.Transform(rows);
        return rows;
    }

    /// <summary>Encodes one row of cells — every column of <see cref="ColumnNames"/>, or all but the label — into
    /// <paramref name="features"/> (<see cref="FeatureCount"/> values); a cell that is one of <see cref="MissingValueMarkers"/>
    /// is missing and takes the imputed value. <paramref name="source"/> and
    /// <paramref name="lineNumber"/> name the row in messages.</summary>
    /// <exception cref="DataFormatException">A cell count that fits neither, a numeric cell that is not a number, or a
    /// missing cell when missing values are an error.</exception>
    public void TransformRow(IReadOnlyList<string> cells, Span<float> features, string source = "row", int lineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"The row encodes to {FeatureCount} features; the span has {features.Length}.", nameof(features));
        }
        int label = _columnIndex[LabelColumn];
        bool withLabel = cells.Count == ColumnNames.Count;
        if (!withLabel && cells.Count != ColumnNames.Count - 1)
        {
            throw DataFormatException.AtLine(source, lineNumber, $"expected {ColumnNames.Count} cells ({string.Join(", ", ColumnNames)}) or {ColumnNames.Count - 1} without '{LabelColumn}'; found {cells.Count}.");
        }
        int offset = 0;
        foreach (TabularFeature feature in Features)
        {
            int column = _columnIndex[feature.Name];
            int position = withLabel || column < label ? column : column - 1;
            string cell = cells[position].Trim();
            bool missing = _missingValueMarkers.Contains(cell);
            string where = $"column {position + 1} ('{feature.Name}')";
            if (feature.Categories is null)
            {
                float value = float.NaN;
                if (!missing && (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !float.IsFinite(value)))
                {
                    throw DataFormatException.AtLine(source, lineNumber, $"{where}: '{cell}' is not a finite number.");
                }
                features[offset] = feature.ImputedNumber is { } imputed && missing ? imputed
                    : missing ? throw DataFormatException.AtLine(source, lineNumber, $"{where}: the value is missing, and the model was trained without imputation.")
                    : value;
            }
            else
            {
                if (missing && feature.ImputedCategory is null)
                {
                    throw DataFormatException.AtLine(source, lineNumber, $"{where}: the value is missing, and the model was trained without imputation.");
                }
                SetOneHot(feature, missing ? feature.ImputedCategory! : cell, features.Slice(offset, feature.Width));
            }
            offset += feature.Width;
        }
        Scaler?.Transform(features);
    }

    /// <summary>The classification data set of <paramref name="table"/>: its rows transformed, its labels and class names.</summary>
    public Dataset ToDataset(TabularTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Labels is not { } labels)
        {
            throw new ArgumentException($"{table.Source} holds a regression target; use ToTrainingData.", nameof(table));
        }
        if (table.ClassCount != ClassCount)
        {
            throw new ArgumentException($"{table.Source} has {table.ClassCount} classes; the preprocessing was fitted on {ClassCount}.", nameof(table));
        }
        return new Dataset(Transform(table), (int[])labels.Clone(), FeatureCount, ClassCount) { ClassNames = ClassNames };
    }

    /// <summary>The regression data of <paramref name="table"/> for the <see cref="Trainer"/>: its rows transformed and one
    /// target per row, standardized as fitted (see <see cref="TargetFromOutput"/>). For classification use
    /// <see cref="ToDataset"/>.</summary>
    public TrainingData ToTrainingData(TabularTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Targets is not { } targets)
        {
            throw new ArgumentException($"{table.Source} holds class labels; use ToDataset.", nameof(table));
        }
        float[] scaled = new float[targets.Length];
        for (int i = 0; i < scaled.Length; i++)
        {
            scaled[i] = (targets[i] - TargetMean) / TargetStandardDeviation;
        }
        return new TrainingData(Transform(table), scaled, FeatureCount, 1);
    }

    /// <summary>A regression output in the target's own units: output × σ + μ.</summary>
    public float TargetFromOutput(float output) => output * TargetStandardDeviation + TargetMean;

    /// <summary>The class name of <paramref name="label"/>, or the label itself when the classes have no names.</summary>
    public string ClassName(int label)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, Math.Max(ClassCount, 1));
        return ClassNames?[label] ?? label.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A weights file's metadata with this preprocessing (under <see cref="MetadataKey"/>, as JSON) beside what
    /// <see cref="IO.NetworkWeights.Save"/> writes by default for <paramref name="network"/>.</summary>
    public Dictionary<string, string> ToMetadata(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Dictionary<string, string> metadata = IO.NetworkWeights.DefaultMetadata(network);
        metadata[MetadataKey] = ToJson();
        return metadata;
    }

    /// <summary>The preprocessing saved in a weights file's <paramref name="metadata"/>; <paramref name="source"/> names the
    /// file in messages.</summary>
    /// <exception cref="InvalidDataException">The metadata has no <see cref="MetadataKey"/> entry, or it is not a valid one.</exception>
    public static TabularPreprocessing FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out string? json))
        {
            throw new InvalidDataException($"{source}: the metadata has no '{MetadataKey}' entry: the weights were saved without their preprocessing (TabularModel.Save writes it).");
        }
        try
        {
            return FromJson(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            throw new InvalidDataException($"{source}: the '{MetadataKey}' metadata is not a valid preprocessing: {e.Message}", e);
        }
    }

    private static TabularFeature FitFeature(TabularColumn column, MissingValuePolicy policy, string source)
    {
        bool impute = policy != MissingValuePolicy.Error;
        if (column.Categories is { } cells)
        {
            if (cells.All(c => c is null))
            {
                throw new ArgumentException($"{source}: column '{column.Name}' has no value in the training rows.", nameof(column));
            }
            CategoryEncoder encoder = CategoryEncoder.Fit(cells);
            return new TabularFeature(column.Name, encoder.Categories, null, impute ? encoder.MostFrequent : null);
        }
        float[] present = [.. column.Numbers!.Where(v => !float.IsNaN(v))];
        if (present.Length == 0)
        {
            throw new ArgumentException($"{source}: column '{column.Name}' has no value in the training rows.", nameof(column));
        }
        float? imputed = policy switch
        {
            MissingValuePolicy.Error => null,
            MissingValuePolicy.Mean => (float)present.Average(v => (double)v),
            MissingValuePolicy.Median => Median(present),
            MissingValuePolicy.MostFrequent => present.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key,
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown missing-value policy."),
        };
        return new TabularFeature(column.Name, null, imputed, null);
    }

    private static float Median(float[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (float)(((double)values[middle - 1] + values[middle]) / 2);
    }

    private static float Impute(TabularFeature feature, float value, string source, int row) =>
        !float.IsNaN(value) ? value
        : feature.ImputedNumber ?? throw new ArgumentException($"{source}: row {row}, column '{feature.Name}' is missing and the preprocessing imputes nothing (MissingValues = Error).");

    private static void EncodeCategory(TabularFeature feature, string? category, Span<float> destination, string source, int row)
    {
        category ??= feature.ImputedCategory
            ?? throw new ArgumentException($"{source}: row {row}, column '{feature.Name}' is missing and the preprocessing imputes nothing (MissingValues = Error).");
        SetOneHot(feature, category, destination);
    }

    private static void SetOneHot(TabularFeature feature, string category, Span<float> destination) =>
        feature.Encoder!.Encode(category, destination); // a category the training rows did not have stays all zeros

    /// <summary>The standard scaler of the encoded rows, with the one-hot inputs left as they are (mean 0, deviation 1).</summary>
    private static StandardScaler FitStandard(TabularPreprocessing encoding, float[] rows)
    {
        StandardScaler fitted = StandardScaler.Fit(rows, encoding.FeatureCount);
        float[] mean = fitted.Mean, deviation = fitted.StandardDeviation;
        foreach (int j in encoding.OneHotInputs())
        {
            (mean[j], deviation[j]) = (0f, 1f);
        }
        return StandardScaler.FromStatistics(mean, deviation);
    }

    /// <summary>The min-max scaler of the encoded rows, with the one-hot inputs left as they are (range [0, 1]).</summary>
    private static MinMaxScaler FitMinMax(TabularPreprocessing encoding, float[] rows)
    {
        MinMaxScaler fitted = MinMaxScaler.Fit(rows, encoding.FeatureCount);
        float[] minimum = fitted.Minimum, maximum = fitted.Maximum;
        foreach (int j in encoding.OneHotInputs())
        {
            (minimum[j], maximum[j]) = (0f, 1f);
        }
        return MinMaxScaler.FromRanges(minimum, maximum);
    }

    private IEnumerable<int> OneHotInputs()
    {
        int offset = 0;
        foreach (TabularFeature feature in Features)
        {
            for (int k = 0; feature.Categories is not null && k < feature.Width; k++)
            {
                yield return offset + k;
            }
            offset += feature.Width;
        }
    }

    private string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            bool defaultMarkers = _missingValueMarkers.SetEquals(CsvOptions.DefaultMissingValueMarkers);
            json.WriteNumber("version", defaultMarkers ? 1 : FormatVersion);
            json.WriteString("task", Task == TabularTask.Regression ? "regression" : "classification");
            WriteStrings(json, "columns", ColumnNames);
            json.WriteString("label", LabelColumn);
            WriteStrings(json, "ignored", IgnoredColumns);
            if (!defaultMarkers)
            {
                WriteStrings(json, "missing_value_markers", MissingValueMarkers);
            }
            json.WriteStartArray("features");
            foreach (TabularFeature feature in Features)
            {
                json.WriteStartObject();
                json.WriteString("name", feature.Name);
                if (feature.Categories is { } categories)
                {
                    WriteStrings(json, "categories", categories);
                }
                if (feature.ImputedNumber is { } number)
                {
                    json.WriteNumber("imputed_number", number);
                }
                if (feature.ImputedCategory is { } category)
                {
                    json.WriteString("imputed_category", category);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            switch (Scaler)
            {
                case StandardScaler standard:
                    json.WriteString("scaling", "standard");
                    WriteFloats(json, "mean", standard.Mean);
                    WriteFloats(json, "standard_deviation", standard.StandardDeviation);
                    break;
                case MinMaxScaler minMax:
                    json.WriteString("scaling", "min_max");
                    WriteFloats(json, "minimum", minMax.Minimum);
                    WriteFloats(json, "maximum", minMax.Maximum);
                    json.WriteNumber("low", minMax.Low);
                    json.WriteNumber("high", minMax.High);
                    break;
                default:
                    json.WriteString("scaling", "none");
                    break;
            }
            if (Task == TabularTask.Classification)
            {
                json.WriteNumber("class_count", ClassCount);
                if (ClassNames is not null)
                {
                    WriteStrings(json, "class_names", ClassNames);
                }
            }
            else
            {
                json.WriteNumber("target_mean", TargetMean);
                json.WriteNumber("target_standard_deviation", TargetStandardDeviation);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TabularPreprocessing FromJson(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement root = document.RootElement;
        int version = root.GetProperty("version").GetInt32();
        if (version is < 1 or > FormatVersion)
        {
            throw new FormatException($"version {version} is not one this NetGen reads (1 to {FormatVersion}).");
        }
        TabularTask task = root.GetProperty("task").GetString() switch
        {
            "classification" => TabularTask.Classification,
            "regression" => TabularTask.Regression,
            var other => throw new FormatException($"task '{other}' is neither 'classification' nor 'regression'."),
        };
        var features = new List<TabularFeature>();
        foreach (JsonElement feature in root.GetProperty("features").EnumerateArray())
        {
            features.Add(new TabularFeature(
                feature.GetProperty("name").GetString()!,
                feature.TryGetProperty("categories", out JsonElement categories) ? Strings(categories) : null,
                feature.TryGetProperty("imputed_number", out JsonElement number) ? number.GetSingle() : null,
                feature.TryGetProperty("imputed_category", out JsonElement category) ? category.GetString() : null));
        }
        IFeatureTransform? scaler = root.GetProperty("scaling").GetString() switch
        {
            "none" => null,
            "standard" => StandardScaler.FromStatistics(Floats(root.GetProperty("mean")), Floats(root.GetProperty("standard_deviation"))),
            "min_max" => MinMaxScaler.FromRanges(Floats(root.GetProperty("minimum")), Floats(root.GetProperty("maximum")),
                root.GetProperty("low").GetSingle(), root.GetProperty("high").GetSingle()),
            var other => throw new FormatException($"scaling '{other}' is not 'none', 'standard' or 'min_max'."),
        };
        bool classification = task == TabularTask.Classification;
        IReadOnlyList<string>? classNames = classification && root.TryGetProperty("class_names", out JsonElement names) ? Strings(names) : null;
        int classCount = classification ? root.GetProperty("class_count").GetInt32() : 0;
        if (classification && (classCount < 1 || classNames is not null && classNames.Count != classCount))
        {
            throw new FormatException($"{classNames?.Count ?? 0} class names for {classCount} classes.");
        }
        return new TabularPreprocessing(task, Strings(root.GetProperty("columns")), root.GetProperty("label").GetString()!, Strings(root.GetProperty("ignored")),
            features, scaler, classNames, classCount,
            classification ? 0f : root.GetProperty("target_mean").GetSingle(),
            classification ? 1f : root.GetProperty("target_standard_deviation").GetSingle(),
            version >= 2 ? Strings(root.GetProperty("missing_value_markers")) : CsvOptions.DefaultMissingValueMarkers);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteFloats(Utf8JsonWriter json, string name, float[] values)
    {
        json.WriteStartArray(name);
        foreach (float value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("a name is null."))];

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];
}
