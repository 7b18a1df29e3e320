using System;
using System.Globalization;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class CsvTests
{
    [Fact]
    public void Table_round_trips_exactly_with_header()
    {
        using var dir = new TempDirectory();
        var random = new SeededRandom(8);
        float[] features = new float[20 * 3];
        int[] labels = new int[20];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)(random.NextGaussian() * 1e3);
        }
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.NextInt(4);
        }
        labels[0] = 3;
        var data = new Dataset(features, labels, 3, 4);
        Csv.Write(dir.File("t.csv"), data, ["a", "b,c", "d"], "class");
        Assert.StartsWith("a,\"b,c\",d,class\n", File.ReadAllText(dir.File("t.csv")), StringComparison.Ordinal);
        Dataset back = Csv.Read(dir.File("t.csv"), new CsvOptions { LabelColumnName = "class" });
        Assert.Equal(features, back.Features);
        Assert.Equal(labels, back.Labels);
        Assert.Equal(4, back.ClassCount);
    }

    [Fact]
    public void Label_column_by_name_or_index()
    {
        const string text = "label,x,y\n1,0.5,2\n0,1.5,-3e2\n";
        Dataset byName = Csv.Read(new StringReader(text), "t", new CsvOptions { LabelColumnName = "label" });
        Dataset byIndex = Csv.Read(new StringReader(text), "t", new CsvOptions { LabelColumn = 0 });
        foreach (Dataset d in new[] { byName, byIndex })
        {
            Assert.Equal([0.5f, 2f, 1.5f, -300f], d.Features);
            Assert.Equal([1, 0], d.Labels);
        }
    }

    [Fact]
    public void Numbers_parse_with_the_invariant_culture_whatever_the_locale()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Dataset d = Csv.Read(new StringReader("x,label\n1.25,0\n"), "t");
            Assert.Equal(1.25f, d.Features[0]);
            var e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\n\"1,25\",0\n"), "t"));
            Assert.Equal(2, e.LineNumber);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Non_numeric_cell_names_file_line_and_column()
    {
        var e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,y,label\n1,2,0\n\n3,abc,1\n"), "table.csv"));
        Assert.Equal(4, e.LineNumber);
        Assert.Equal("table.csv, line 4: column 2 ('y'): 'abc' is not a finite number.", e.Message);
        Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\nNaN,0\n"), "t"));
    }

    [Fact]
    public void Ragged_rows_and_missing_label_columns_are_rejected()
    {
        Assert.Equal(3, Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,y,label\n1,2,0\n1,2\n"), "t")).LineNumber);
        Assert.Equal(1, Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,y\n1,2\n"), "t", new CsvOptions { LabelColumnName = "label" })).LineNumber);
        Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\n1,-1\n"), "t"));
        Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\n"), "t"));
    }

    /// <summary>A label of int.MaxValue made the inferred class count (largest label + 1) overflow to a negative number, and
    /// the table was refused by accident: "0 distinct class names exceed the -2147483648 classes expected". The reader now
    /// says what is wrong, at the label's line.</summary>
    [Fact]
    public void An_inferred_class_count_beyond_the_int_range_is_a_data_format_exception()
    {
        var e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\n1,0\n2,2147483647\n"), "t.csv"));
        Assert.Equal("t.csv, line 3: column 2 ('label'): label 2147483647 leaves no room for a class count (labels + 1 must fit an int).", e.Message);
        Assert.Equal(int.MaxValue, Csv.Read(new StringReader("x,label\n2,2147483646\n"), "t.csv").ClassCount);
    }

    /// <summary>Reading a short file cost a 64 KiB file buffer and a 64 Ki-character text buffer, some hundred times the
    /// file; a reader's buffers are now no larger than the file.</summary>
    [Fact]
    public void Reading_a_short_file_allocates_in_proportion_to_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("t.csv"), "x,y,label\n1,2,0\n3,4,1\n");
        Csv.Read(dir.File("t.csv")); // first calls
        long before = GC.GetAllocatedBytesForCurrentThread();
        Csv.Read(dir.File("t.csv"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 16_384, $"reading a 24-byte table allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Named_labels_map_in_order_of_first_appearance_or_to_given_names()
    {
        const string text = "x,species\n1,setosa\n2,virginica\n3,setosa\n";
        Dataset auto = Csv.Read(new StringReader(text), "t");
        Assert.Equal([0, 1, 0], auto.Labels);
        Assert.Equal(["setosa", "virginica"], auto.ClassNames);
        Dataset given = Csv.Read(new StringReader(text), "t", new CsvOptions { ClassNames = ["versicolor", "setosa", "virginica"] });
        Assert.Equal([1, 2, 1], given.Labels);
        Assert.Equal(3, given.ClassCount);
        Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(text + "4,rose\n"), "t", new CsvOptions { ClassNames = ["setosa", "virginica"] }));
        Assert.Equal([1, 2, 1, 0], Csv.Read(new StringReader(text + "4,0\n"), "t", new CsvOptions { ClassNames = ["versicolor", "setosa", "virginica"] }).Labels);
        Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(text + "4,3\n"), "t", new CsvOptions { ClassNames = ["versicolor", "setosa", "virginica"] }));
        var mixed = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader("x,label\n1,0\n2,cat\n"), "t"));
        Assert.Contains("not an integer like the labels before it", mixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_digits_are_read_through_the_csv_reader()
    {
        Dataset digits = EmbeddedDatasets.Digits();
        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal(new ImageShape(1, 8, 8), digits.Shape);
        Assert.Equal(10, digits.ClassCount);
        Assert.Equal(16f, digits.Features.AsSpan().ToArray() is { } f ? MaxOf(f) : 0);
        Assert.Equal(0, digits.Labels[0]);
    }

    private static float MaxOf(float[] values)
    {
        float max = float.MinValue;
        foreach (float v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }

    [Fact]
    public void Skipped_lines_column_names_and_ignored_columns()
    {
        // scikit-learn's bundled files open with a line of counts and class names, and have no header.
        const string text = "3,2,setosa,versicolor\n5.1,9,0.2,0\n4.9,8,0.3,1\n6.0,7,0.1,1\n";
        var options = new CsvOptions { SkipLines = 1, HasHeader = false, ColumnNames = ["length", "id", "width", "species"], LabelColumnName = "species", IgnoredColumns = ["id"] };
        Dataset d = Csv.Read(new StringReader(text), "iris.csv", options);
        Assert.Equal(2, d.FeatureCount);
        Assert.Equal([5.1f, 0.2f, 4.9f, 0.3f, 6.0f, 0.1f], d.Features);
        Assert.Equal([0, 1, 1], d.Labels);
        var e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(text), "iris.csv", options with { IgnoredColumns = ["idx"] }));
        Assert.Equal("iris.csv, line 2: no column is named 'idx' (an ignored column); the columns are length, id, width, species.", e.Message);
        Assert.Throws<ArgumentException>(() => Csv.Read(new StringReader(text), "iris.csv", options with { IgnoredColumns = ["species"] }));
        Assert.Throws<ArgumentException>(() => Csv.Read(new StringReader(text), "iris.csv", options with { HasHeader = true }));
        e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(text), "iris.csv", options with { ColumnNames = ["a", "b"], LabelColumnName = "b", IgnoredColumns = null }));
        Assert.Equal("iris.csv, line 2: 2 column names were given (ColumnNames) for a line of 4 cells.", e.Message);
    }

    [Fact]
    public void A_numeric_target_is_not_read_as_classes_unless_the_task_says_so()
    {
        const string text = "rooms,price\n3,227.67\n4,310.5\n2,227.67\n";
        var e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(text), "housing.csv", new CsvOptions { LabelColumnName = "price" }));
        Assert.Equal(4, e.LineNumber);
        Assert.Contains("column 2 ('price'): the label cells are numbers that are not all integers", e.Message, StringComparison.Ordinal);
        Assert.Contains("Task = TabularTask.Regression", e.Message, StringComparison.Ordinal);
        Dataset asClasses = Csv.Read(new StringReader(text), "housing.csv", new CsvOptions { LabelColumnName = "price", Task = TabularTask.Classification });
        Assert.Equal(["227.67", "310.5"], asClasses.ClassNames);
        Assert.Throws<ArgumentException>(() => Csv.Read(new StringReader(text), "housing.csv", new CsvOptions { Task = TabularTask.Regression }));

        // Integers: up to MaxInferredClasses distinct values are classes, more are a target.
        var rows = new System.Text.StringBuilder("x,y\n");
        for (int i = 0; i <= Csv.MaxInferredClasses; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"{i},{i}\n");
        }
        e = Assert.Throws<DataFormatException>(() => Csv.Read(new StringReader(rows.ToString()), "t", null));
        Assert.Contains("more than 100 distinct integers", e.Message, StringComparison.Ordinal);
        Assert.Equal(Csv.MaxInferredClasses + 1, Csv.Read(new StringReader(rows.ToString()), "t", new CsvOptions { ClassCount = 101 }).ClassCount);
        Assert.Equal(Csv.MaxInferredClasses, Csv.Read(new StringReader(rows.ToString()[..rows.ToString().LastIndexOf("100,", StringComparison.Ordinal)]), "t").ClassCount);
    }

    [Fact]
    public void One_line_parses_into_its_cells()
    {
        Assert.Equal(["1.5", "a,b", "", "say \"hi\""], Csv.ParseLine("1.5,\"a,b\",,\"say \"\"hi\"\"\""));
        Assert.Equal(["1", "2"], Csv.ParseLine("1;2", ';'));
        var e = Assert.Throws<DataFormatException>(() => Csv.ParseLine("1,\"open", ',', "stdin", 4));
        Assert.Equal("stdin, line 4: a quoted cell (column 2) is not closed.", e.Message);
    }
}
