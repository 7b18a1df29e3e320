using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using NetGen.Data;

namespace NetGen.Samples.Tabular;

/// <summary>
/// The small data sets scikit-learn ships as CSV files (Debian: <c>apt-get install python3-sklearn</c>). Their first line
/// holds counts and class names (<c>178,13,class_0,class_1,class_2</c>) and there is no header: <see cref="CsvOptions.SkipLines"/>
/// skips it and <see cref="CsvOptions.ColumnNames"/> names the columns.
/// </summary>
internal static class SklearnData
{
    public const string DefaultDirectory = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>Overrides <see cref="DefaultDirectory"/>.</summary>
    public const string DirectoryVariable = "NETGEN_SKLEARN_DATA";

    public const string InstallHint = "install them with 'apt-get install python3-sklearn' (or set " + DirectoryVariable + ")";

    private static readonly string[] WineColumns =
    [
        "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols",
        "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline", "cultivar",
    ];

    private static readonly string[] DiabetesColumns = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"];

    public static string Directory => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory ? directory : DefaultDirectory;

    public static string WinePath => Path.Combine(Directory, "wine_data.csv");

    public static string DiabetesFeaturesPath => Path.Combine(Directory, "diabetes_data_raw.csv.gz");

    public static string DiabetesTargetPath => Path.Combine(Directory, "diabetes_target.csv.gz");

    public static bool IsAvailable() => File.Exists(WinePath) && File.Exists(DiabetesFeaturesPath) && File.Exists(DiabetesTargetPath);

    /// <summary>178 wines from three cultivars; the class names come from the file's first line.</summary>
    public static TabularTable ReadWine()
    {
        string[] counts = Csv.ParseLine(File.ReadLines(WinePath).First(), ',', WinePath, 1);
        return Csv.ReadTable(WinePath, new CsvOptions
        {
            SkipLines = 1,
            HasHeader = false,
            ColumnNames = WineColumns,
            LabelColumnName = "cultivar",
            Task = TabularTask.Classification,
            ClassNames = counts[2..],
        });
    }

    /// <summary>442 patients. scikit-learn ships the raw (unscaled) features and the target as two space-separated gzip
    /// files with one row per line; they are joined line by line into one table. Sex is coded 1 and 2: a category.</summary>
    public static TabularTable ReadDiabetes()
    {
        string[] features = ReadLines(DiabetesFeaturesPath), targets = ReadLines(DiabetesTargetPath);
        if (features.Length != targets.Length)
        {
            throw new InvalidDataException($"{DiabetesFeaturesPath} has {features.Length} rows, {DiabetesTargetPath} {targets.Length}.");
        }
        var table = new StringBuilder();
        for (int i = 0; i < features.Length; i++)
        {
            table.Append(features[i].Trim()).Append(' ').Append(targets[i].Trim()).Append('\n');
        }
        return Csv.ReadTable(new StringReader(table.ToString()), DiabetesFeaturesPath + " + " + Path.GetFileName(DiabetesTargetPath), new CsvOptions
        {
            HasHeader = false,
            Separator = ' ',
            ColumnNames = DiabetesColumns,
            LabelColumnName = "progression",
            Task = TabularTask.Regression,
            CategoricalColumns = ["sex"],
        });
    }

    private static string[] ReadLines(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
