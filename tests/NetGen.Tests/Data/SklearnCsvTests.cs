using System.IO;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>scikit-learn's bundled CSV files (Debian's python3-sklearn): a first line of counts and class names, no header.</summary>
public class SklearnCsvTests
{
    private const string Directory = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    private static string Require(string file)
    {
        string path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            Assert.Skip($"{path} is missing: install scikit-learn's data sets with 'apt-get install python3-sklearn'.");
        }
        return path;
    }

    [Theory]
    [InlineData("iris.csv")]
    [InlineData("wine_data.csv")]
    [InlineData("breast_cancer.csv")]
    public void A_file_reads_with_its_count_line_skipped_and_its_class_names(string file)
    {
        string path = Require(file);
        // e.g. "178,13,class_0,class_1,class_2": samples, features, class names.
        string[] counts = Csv.ParseLine(File.ReadLines(path).First());
        int samples = int.Parse(counts[0], System.Globalization.CultureInfo.InvariantCulture);
        int features = int.Parse(counts[1], System.Globalization.CultureInfo.InvariantCulture);
        var options = new CsvOptions { SkipLines = 1, HasHeader = false, ClassNames = counts[2..] };

        Dataset data = Csv.Read(path, options);
        Assert.Equal((samples, features, counts.Length - 2), (data.Count, data.FeatureCount, data.ClassCount));
        Assert.Equal(counts[2..], data.ClassNames);

        TabularTable table = Csv.ReadTable(path, options);
        Assert.Equal(TabularTask.Classification, table.Task);
        Assert.Equal(samples, table.Count);
        Assert.Equal(features, table.Features.Count);
        Assert.All(table.Features, column => Assert.False(column.IsCategorical));
        Assert.Equal(data.Labels, table.Labels!);
        Assert.Equal(data.Features, TabularPreprocessing.Fit(table, FeatureScaling.None).Transform(table));

        var e = Assert.Throws<DataFormatException>(() => Csv.Read(path, new CsvOptions { HasHeader = false, ClassNames = counts[2..] }));
        Assert.Equal(1, e.LineNumber); // without SkipLines the count line is a row of the wrong length or with a class name as a number
    }
}
