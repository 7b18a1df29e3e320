using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.IO;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Data;

public class TabularTests
{
    // 4 inputs once encoded (size, then colour one-hot blue/green/red) and 3 classes: TinyClassifier's shape.
    private const string Fruit = "id,size,colour,kind\n1,1.0,red,apple\n2,3.0,green,pear\n3,,red,apple\n4,5.0,blue,plum\n5,2.0,,pear\n";

    private static readonly CsvOptions FruitOptions = new()
    {
        LabelColumnName = "kind",
        IgnoredColumns = ["id"],
        MissingValues = MissingValuePolicy.Mean,
    };

    private static TabularTable ReadFruit(CsvOptions? options = null) => Csv.ReadTable(new StringReader(Fruit), "fruit.csv", options ?? FruitOptions);

    [Fact]
    public void A_table_has_numeric_and_categorical_columns_and_named_classes()
    {
        TabularTable table = ReadFruit();
        Assert.Equal(TabularTask.Classification, table.Task);
        Assert.Equal(["id", "size", "colour", "kind"], table.ColumnNames);
        Assert.Equal(["id"], table.IgnoredColumns);
        Assert.Equal(2, table.Features.Count);
        Assert.False(table.Features[0].IsCategorical);
        Assert.True(float.IsNaN(table.Features[0].Numbers![2]));
        Assert.True(table.Features[1].IsCategorical);
        Assert.Equal(new string?[] { "red", "green", "red", "blue", null }, table.Features[1].Categories!);
        Assert.Equal((1, 1), (table.Features[0].MissingCount, table.Features[1].MissingCount));
        Assert.Equal(["apple", "pear", "plum"], table.ClassNames); // ordinal order, whatever the order of the rows
        Assert.Equal([0, 1, 0, 2, 1], table.Labels!);
        TabularTable part = table.Subset([3, 0]);
        Assert.Equal([2, 0], part.Labels!);
        Assert.Equal([5f, 1f], part.Features[0].Numbers!);
    }

    [Fact]
    public void A_missing_value_is_an_error_naming_file_line_and_column_by_default()
    {
        var e = Assert.Throws<DataFormatException>(() => ReadFruit(FruitOptions with { MissingValues = MissingValuePolicy.Error }));
        Assert.Equal(4, e.LineNumber);
        Assert.StartsWith("fruit.csv, line 4: column 2 ('size'): the value is missing ('').", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<DataFormatException>(() => Csv.ReadTable(new StringReader("x,y\n1,2\n?,3\n"), "t.csv", new CsvOptions { Task = TabularTask.Regression }));
        Assert.StartsWith("t.csv, line 3: column 1 ('x'): the value is missing ('?').", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<DataFormatException>(() => Csv.ReadTable(new StringReader("x,y\n1,2\n2,\n"), "t.csv", new CsvOptions { Task = TabularTask.Regression, MissingValues = MissingValuePolicy.Mean }));
        Assert.Equal("t.csv, line 3: column 2 ('y'): the target '' is not a finite number (a missing target cannot be imputed).", e.Message);
    }

    [Theory]
    [InlineData(MissingValuePolicy.Mean, 3f)]
    [InlineData(MissingValuePolicy.Median, 2f)]
    [InlineData(MissingValuePolicy.MostFrequent, 1f)]
    public void Imputation_uses_the_training_rows_only(MissingValuePolicy policy, float expected)
    {
        TabularTable table = Csv.ReadTable(new StringReader("x,c,y\n1,a,0.5\n2,b,1\n6,b,2\n,,3\n100,a,4\n"), "t.csv",
            new CsvOptions { Task = TabularTask.Regression, MissingValues = policy });
        TabularPreprocessing fitted = TabularPreprocessing.Fit(table.Subset([0, 1, 2, 3]), FeatureScaling.None);
        Assert.Equal(expected, fitted.Features[0].ImputedNumber);
        Assert.Equal("b", fitted.Features[1].ImputedCategory); // categories impute the most frequent whatever the policy
        float[] rows = fitted.Transform(table);
        Assert.Equal([expected, 0f, 1f], rows.AsSpan(9, 3).ToArray());
        Assert.Equal([100f, 1f, 0f], rows.AsSpan(12, 3).ToArray());
    }

    [Fact]
    public void Categorical_columns_are_one_hot_encoded_and_numeric_ones_scaled()
    {
        TabularTable table = ReadFruit();
        TabularPreprocessing preprocessing = TabularPreprocessing.Fit(table, FeatureScaling.MinMax);
        Assert.Equal(4, preprocessing.FeatureCount);
        Assert.Equal(["size", "colour=blue", "colour=green", "colour=red"], preprocessing.FeatureNames);
        Assert.Equal(["blue", "green", "red"], preprocessing.Features[1].Categories);
        Dataset data = preprocessing.ToDataset(table);
        Assert.Equal(["apple", "pear", "plum"], data.ClassNames);
        // size: min 1, max 5 (the mean 2.75 fills row 3); colour: red is the most frequent.
        Assert.Equal([0f, 0f, 0f, 1f, 0.5f, 0f, 1f, 0f, 0.4375f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0.25f, 0f, 0f, 1f], data.Features);

        float[] row = new float[4];
        preprocessing.TransformRow(["9", "3", "purple", "apple"], row);
        Assert.Equal([0.5f, 0f, 0f, 0f], row); // an unseen category is all zeros
        preprocessing.TransformRow(["9", "5", "blue"], row); // without the label
        Assert.Equal([1f, 1f, 0f, 0f], row);
        var e = Assert.Throws<DataFormatException>(() => preprocessing.TransformRow(["9", "big", "blue"], row, "stdin", 7));
        Assert.Equal("stdin, line 7: column 2 ('size'): 'big' is not a finite number.", e.Message);
        e = Assert.Throws<DataFormatException>(() => preprocessing.TransformRow(["9", "5"], row, "stdin", 8));
        Assert.Equal("stdin, line 8: expected 4 cells (id, size, colour, kind) or 3 without 'kind'; found 2.", e.Message);
    }

    [Fact]
    public void Numeric_codes_become_categories_when_named()
    {
        TabularTable table = Csv.ReadTable(new StringReader("age,sex,y\n50,1,3.5\n40,2,2.25\n"), "t.csv",
            new CsvOptions { Task = TabularTask.Regression, CategoricalColumns = ["sex"] });
        Assert.True(table.Features[1].IsCategorical);
        TabularPreprocessing preprocessing = TabularPreprocessing.Fit(table, FeatureScaling.None, standardizeTarget: false);
        Assert.Equal(["age", "sex=1", "sex=2"], preprocessing.FeatureNames);
        Assert.Equal([50f, 1f, 0f, 40f, 0f, 1f], preprocessing.Transform(table));
        TrainingData data = preprocessing.ToTrainingData(table);
        Assert.Equal([3.5f, 2.25f], data.Targets);
        Assert.Throws<ArgumentException>(() => Csv.ReadTable(new StringReader("age,sex,y\n50,1,3.5\n"), "t.csv",
            new CsvOptions { Task = TabularTask.Regression, CategoricalColumns = ["y"] }));
    }

    [Fact]
    public void The_task_is_inferred_only_when_the_label_is_unambiguous()
    {
        Assert.Equal(TabularTask.Classification, Csv.ReadTable(new StringReader("x,y\n1,0\n2,1\n"), "t").Task);
        var e = Assert.Throws<DataFormatException>(() => Csv.ReadTable(new StringReader("x,price\n1,227.67\n2,310.5\n"), "housing.csv"));
        Assert.Equal("housing.csv, line 3: column 2 ('price'): the label cells are numbers that are not all integers: a numeric target or class labels? " +
            "Set CsvOptions.Task = TabularTask.Regression or TabularTask.Classification.", e.Message);
        TabularTable regression = Csv.ReadTable(new StringReader("x,price\n1,227.67\n2,310.5\n"), "housing.csv", new CsvOptions { Task = TabularTask.Regression });
        Assert.Equal([227.67f, 310.5f], regression.Targets!);
        Assert.Null(regression.Labels);
    }

    [Fact]
    public void Regression_targets_are_standardized_and_mapped_back()
    {
        TabularTable table = Csv.ReadTable(new StringReader("x,y\n1,10\n2,20\n3,30\n"), "t", new CsvOptions { Task = TabularTask.Regression });
        TabularPreprocessing preprocessing = TabularPreprocessing.Fit(table);
        Assert.Equal(20f, preprocessing.TargetMean);
        Assert.Equal(MathF.Sqrt(200f / 3f), preprocessing.TargetStandardDeviation, 5);
        TrainingData data = preprocessing.ToTrainingData(table);
        Assert.Equal(0f, data.Targets[1]);
        Assert.Equal(30f, preprocessing.TargetFromOutput(data.Targets[2]), 4);
        Assert.Throws<ArgumentException>(() => preprocessing.ToDataset(table));
    }

    [Fact]
    public void The_preprocessing_round_trips_through_weights_metadata()
    {
        foreach (FeatureScaling scaling in new[] { FeatureScaling.None, FeatureScaling.Standard, FeatureScaling.MinMax })
        {
            TabularPreprocessing original = TabularPreprocessing.Fit(ReadFruit(), scaling);
            using var network = new TinyClassifier(seed: 3);
            Dictionary<string, string> metadata = original.ToMetadata(network);
            Assert.Equal("pt", metadata["format"]);
            TabularPreprocessing back = TabularPreprocessing.FromMetadata(metadata, "w.safetensors");
            Assert.Equal(original.FeatureNames, back.FeatureNames);
            Assert.Equal(original.ClassNames, back.ClassNames);
            Assert.Equal(original.ColumnNames, back.ColumnNames);
            Assert.Equal(original.IgnoredColumns, back.IgnoredColumns);
            Assert.Equal(original.Features[0].ImputedNumber, back.Features[0].ImputedNumber);
            Assert.Equal(original.Features[1].ImputedCategory, back.Features[1].ImputedCategory);
            Assert.Equal(original.Transform(ReadFruit()), back.Transform(ReadFruit()));
        }
        var e = Assert.Throws<InvalidDataException>(() => TabularPreprocessing.FromMetadata(new Dictionary<string, string>(), "w.safetensors"));
        Assert.StartsWith("w.safetensors: the metadata has no 'netgen.tabular' entry", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => TabularPreprocessing.FromMetadata(new Dictionary<string, string> { ["netgen.tabular"] = "{\"version\":1}" }, "w.safetensors"));
        Assert.StartsWith("w.safetensors: the 'netgen.tabular' metadata is not a valid preprocessing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_saves_and_loads_with_its_preprocessing_and_predicts_class_names()
    {
        TabularTable table = ReadFruit();
        using var network = new TinyClassifier(seed: 3);
        var model = new TabularModel(network, TabularPreprocessing.Fit(table));
        new Trainer(network, new Adam(0.05f), new TrainerOptions { Epochs = 200, BatchSize = 5 }).Fit(model.Preprocessing.ToDataset(table));
        string path = SyntheticData.TempPath("fruit.safetensors");
        model.Save(path);
        SafetensorsHeader header = SafetensorsHeader.Parse(File.ReadAllBytes(path), path);
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.True(header.Metadata.ContainsKey(TabularPreprocessing.MetadataKey));

        using var fresh = new TinyClassifier(seed: 99);
        TabularModel loaded = TabularModel.Load(fresh, path);
        Assert.Equal(network.Parameters.ToArray(), fresh.Parameters.ToArray());
        Assert.Equal(["apple", "pear", "plum"], loaded.Preprocessing.ClassNames);
        Assert.Equal("plum", loaded.PredictClassName(["4", "5.0", "blue"]));
        Assert.Equal(table.Labels, loaded.PredictClasses(table));
        float[] probabilities = loaded.PredictProbabilities(["1", "1.0", "red"]);
        Assert.Equal(1f, probabilities[0] + probabilities[1] + probabilities[2], 5);
        Assert.Throws<InvalidOperationException>(() => loaded.PredictValue(["1", "1.0", "red"]));

        using var plain = new TinyClassifier(seed: 1);
        plain.Save(path);
        Assert.Throws<InvalidDataException>(() => TabularModel.Load(fresh, path));
    }

    [Fact]
    public void A_regression_model_predicts_in_the_targets_units()
    {
        // y = 100 + 5·x − 30·[c = q]: LinearModel's 3 inputs are x and the one-hot c (p, q); a linear model fits it exactly.
        var text = new System.Text.StringBuilder("x0,c,y\n");
        var random = new SeededRandom(4);
        for (int i = 0; i < 60; i++)
        {
            double x = random.NextGaussian();
            bool q = random.NextInt(2) == 1;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{x:R},{(q ? "q" : "p")},{100 + 5 * x - (q ? 30 : 0):R}\n");
        }
        TabularTable table = Csv.ReadTable(new StringReader(text.ToString()), "lin.csv", new CsvOptions { Task = TabularTask.Regression });
        using var network = new LinearModel(seed: 1);
        var model = new TabularModel(network, TabularPreprocessing.Fit(table));
        new Trainer(network, new Adam(0.05f), new TrainerOptions { Epochs = 300, BatchSize = 20 }).Fit(model.Preprocessing.ToTrainingData(table));
        Evaluation evaluation = Evaluation.OfRegression(model.PredictValues(table), table.Targets!);
        Assert.True(evaluation.RootMeanSquaredError < 0.5, $"RMSE {evaluation.RootMeanSquaredError}");
        Assert.True(evaluation.RSquared > 0.999, $"R² {evaluation.RSquared}");
        Assert.Equal(70f, model.PredictValue(["0", "q"]), 0.5f);
        using var classifier = new TinyClassifier();
        Assert.Throws<ArgumentException>(() => new TabularModel(classifier, model.Preprocessing));
    }

    [Fact]
    public void Class_labels_are_integers_when_a_class_count_is_given_without_names()
    {
        TabularTable table = Csv.ReadTable(new StringReader("x,y\n1,0\n2,3\n"), "t.csv", new CsvOptions { ClassCount = 5 });
        Assert.Equal((5, null), (table.ClassCount, table.ClassNames));
        var e = Assert.Throws<DataFormatException>(() => Csv.ReadTable(new StringReader("x,y\n1,0\n2,cat\n"), "t.csv", new CsvOptions { ClassCount = 5 }));
        Assert.Equal("t.csv, line 3: column 2 ('y'): label 'cat' is not an integer (ClassCount is given without ClassNames, so labels are integers).", e.Message);
        e = Assert.Throws<DataFormatException>(() => Csv.ReadTable(new StringReader("x,y\n1,0\n2,5\n"), "t.csv", new CsvOptions { ClassCount = 5 }));
        Assert.Equal("t.csv, line 3: column 2 ('y'): label 5 is outside [0, 5).", e.Message);
        Assert.Throws<ArgumentException>(() => Csv.ReadTable(new StringReader("x,y\n1,a\n"), "t.csv", new CsvOptions { ClassCount = 3, ClassNames = ["a", "b"] }));
        Assert.Equal([1, 0], Csv.ReadTable(new StringReader("x,y\n1,b\n2,0\n"), "t.csv", new CsvOptions { ClassNames = ["a", "b"] }).Labels!);
    }

    /// <summary>A table read with markers of its own ("-" and the empty cell, not NA) gives a model that reads the cells of a
    /// row the same way after saving and loading: "-" is missing, as the empty cell is, and NA is a value.</summary>
    [Fact]
    public void The_missing_value_markers_travel_with_the_model()
    {
        const string text = "id,size,colour,kind\n1,1.0,red,apple\n2,3.0,green,pear\n3,-,red,apple\n4,5.0,blue,plum\n5,2.0,-,pear\n6,,red,plum\n";
        TabularTable table = Csv.ReadTable(new StringReader(text), "fruit.csv", FruitOptions with { MissingValueMarkers = [" - ", "", "-"] });
        Assert.Equal(["-", ""], table.MissingValueMarkers);
        Assert.Equal(2, table.Features[0].MissingCount);
        Assert.Equal(new string?[] { "red", "green", "red", "blue", null, "red" }, table.Features[1].Categories!);
        using var network = new TinyClassifier(seed: 3);
        var model = new TabularModel(network, TabularPreprocessing.Fit(table));
        Assert.Equal(["-", ""], model.Preprocessing.MissingValueMarkers);
        string path = SyntheticData.TempPath("markers.safetensors");
        model.Save(path);
        Assert.Contains("\"missing_value_markers\":[\"-\",\"\"]", SafetensorsHeader.Read(path).Metadata[TabularPreprocessing.MetadataKey], StringComparison.Ordinal);

        using var fresh = new TinyClassifier();
        TabularModel loaded = TabularModel.Load(fresh, path);
        Assert.Equal(["-", ""], loaded.Preprocessing.MissingValueMarkers);
        Assert.Equal(loaded.Encode(["7", "", "red"]), loaded.Encode(["7", " - ", "red"]));
        Assert.Equal(loaded.PredictProbabilities(["7", "", "red"]), loaded.PredictProbabilities(["7", "-", "red"]));
        Assert.Equal(loaded.Encode(["7", "2.0", ""]), loaded.Encode(["7", "2.0", "-"]));
        Assert.NotEqual(loaded.Encode(["7", "2.0", "-"]), loaded.Encode(["7", "2.0", "NA"])); // an unknown colour, not a missing one
        var e = Assert.Throws<DataFormatException>(() => loaded.Encode(["7", "NA", "red"]));
        Assert.Equal("row, line 1: column 2 ('size'): 'NA' is not a finite number.", e.Message);

        // Default markers are saved as before (version 1, no markers entry), and such a file loads with the default markers.
        TabularPreprocessing defaults = TabularPreprocessing.Fit(ReadFruit());
        string json = defaults.ToMetadata(network)[TabularPreprocessing.MetadataKey];
        Assert.StartsWith("{\"version\":1,", json, StringComparison.Ordinal);
        Assert.DoesNotContain("missing_value_markers", json, StringComparison.Ordinal);
        TabularPreprocessing back = TabularPreprocessing.FromMetadata(new Dictionary<string, string> { [TabularPreprocessing.MetadataKey] = json }, "old.safetensors");
        Assert.Equal(["", "NA", "N/A", "NaN", "?"], back.MissingValueMarkers);
        float[] features = new float[back.FeatureCount], imputed = new float[back.FeatureCount];
        back.TransformRow(["7", "?", "red"], features);
        back.TransformRow(["7", "", "red"], imputed);
        Assert.Equal(imputed, features);

        string future = json.Replace("{\"version\":1,", "{\"version\":3,", StringComparison.Ordinal);
        var invalid = Assert.Throws<InvalidDataException>(() => TabularPreprocessing.FromMetadata(new Dictionary<string, string> { [TabularPreprocessing.MetadataKey] = future }, "new.safetensors"));
        Assert.Contains("version 3 is not one this NetGen reads (1 to 2)", invalid.Message, StringComparison.Ordinal);
        var nullMarker = Assert.Throws<ArgumentException>(() => ReadFruit(FruitOptions with { MissingValueMarkers = ["", null!] }));
        Assert.Equal("options.MissingValueMarkers", nullMarker.ParamName);
    }

    /// <summary>The fruit table built from arrays is the table read from its CSV text, but for the ignored id column: same
    /// columns, classes and network inputs; a model fitted on it takes rows of text cells in the columns' order.</summary>
    [Fact]
    public void A_table_from_arrays_encodes_as_the_same_table_read_from_a_file()
    {
        TabularColumn[] features = [TabularColumn.Numeric("size", [1f, 3f, float.NaN, 5f, 2f]), TabularColumn.Categorical("colour", ["red", " green", "red", "blue", null])];
        TabularTable table = TabularTable.ForClassification(features, "kind", ["apple", "pear", "apple", "plum", "pear"], MissingValuePolicy.Mean);
        TabularTable read = ReadFruit();
        Assert.Equal(TabularTable.InMemorySource, table.Source);
        Assert.Equal(["size", "colour", "kind"], table.ColumnNames);
        Assert.Equal(read.Labels!, table.Labels!);
        Assert.Equal(read.ClassNames!, table.ClassNames!);
        Assert.Equal(3, table.ClassCount);
        Assert.Equal("green", table.Features[1].Categories![1]);
        Assert.Equal((1, 1), (table.Features[0].MissingCount, table.Features[1].MissingCount));
        TabularPreprocessing preprocessing = TabularPreprocessing.Fit(table);
        Assert.Equal(TabularPreprocessing.Fit(read).Transform(read), preprocessing.Transform(table));
        Assert.Equal(preprocessing.Transform(table.Subset([3])), new TabularModel(new TinyClassifier(), preprocessing).Encode(["5", "blue"]));

        TabularTable byIndex = TabularTable.ForClassification(features, "kind", [0, 1, 0, 2, 1], ["apple", "pear", "plum"], MissingValuePolicy.Mean);
        Assert.Equal(preprocessing.ToDataset(table).Features, TabularPreprocessing.Fit(byIndex).ToDataset(byIndex).Features);
        Assert.Equal(3, TabularTable.ForClassification(features, "kind", [0, 1, 0, 2, 1], missingValues: MissingValuePolicy.Mean).ClassCount);

        TabularTable prices = TabularTable.ForRegression([TabularColumn.Numeric("x", [1f, 2f, 3f])], "y", [10f, 20f, 30f]);
        Assert.Equal((TabularTask.Regression, 0), (prices.Task, prices.ClassCount));
        Assert.Equal([-1.2247f, 0f, 1.2247f], TabularPreprocessing.Fit(prices, standardizeTarget: false).Transform(prices).Select(v => MathF.Round(v, 4))); // σ = √(2/3)
    }

    [Fact]
    public void A_table_from_arrays_names_the_column_or_row_it_cannot_take()
    {
        TabularColumn size = TabularColumn.Numeric("size", [1f, 3f, float.NaN]);
        TabularColumn colour = TabularColumn.Categorical("colour", ["red", "green"]);
        AssertRefused("features", "Column 'colour' has 2 cells; the table has 3 rows (the length of labels).",
            () => TabularTable.ForClassification([size, colour], "kind", [0, 1, 0], missingValues: MissingValuePolicy.Mean));
        AssertRefused("features", "Column 'colour' has 2 cells; the table has 3 rows (the length of targets).",
            () => TabularTable.ForRegression([size, colour], "price", [1f, 2f, 3f], MissingValuePolicy.Mean));
        AssertRefused("features", "Column 'size', row 2: the value is missing. Pass missingValues Mean, Median or MostFrequent to impute it from the training rows.",
            () => TabularTable.ForRegression([size], "price", [1f, 2f, 3f]));
        AssertRefused("features", "features[1] is named 'size', as features[0] is; column names are distinct.",
            () => TabularTable.ForRegression([size, size], "price", [1f, 2f, 3f], MissingValuePolicy.Mean));
        AssertRefused("features", "features[0] is named 'size', as the label column is; column names are distinct.",
            () => TabularTable.ForRegression([size], "size", [1f, 2f, 3f], MissingValuePolicy.Mean));
        AssertRefused("features", "A table needs at least one feature column.", () => TabularTable.ForRegression([], "price", [1f]));
        AssertRefused("features", "features[0] is null.", () => TabularTable.ForRegression([null!], "price", [1f]));
        AssertRefused("labels", "labels[2] is 3, outside [0, 3) (3 class names).",
            () => TabularTable.ForClassification([size], "kind", [0, 1, 3], ["a", "b", "c"], MissingValuePolicy.Mean));
        AssertRefused("labels", "labels[1] is -1; a label is ≥ 0.", () => TabularTable.ForClassification([size], "kind", [0, -1, 0], missingValues: MissingValuePolicy.Mean));
        AssertRefused("labels", "labels[1] is null; a class label cannot be missing.",
            () => TabularTable.ForClassification([size], "kind", ["a", null!, "b"], MissingValuePolicy.Mean));
        AssertRefused("labels", "The table has no rows: there are no labels.", () => TabularTable.ForClassification([TabularColumn.Numeric("x", [])], "kind", Array.Empty<int>()));
        AssertRefused("classNames", "classNames[1] is 'a'; class names are distinct and not empty.",
            () => TabularTable.ForClassification([size], "kind", [0, 1, 0], ["a", "a"], MissingValuePolicy.Mean));
        AssertRefused("targets", "targets[1] is NaN; a target is a finite number (a missing one cannot be imputed).",
            () => TabularTable.ForRegression([size], "price", [1f, float.NaN, 3f], MissingValuePolicy.Mean));
        AssertRefused("values", "Column 'size', row 1: Infinity is not a number a column can hold (finite, or NaN where missing).",
            () => TabularColumn.Numeric("size", [1f, float.PositiveInfinity]));
        AssertRefused("categories", "Column 'colour', row 1: the category is empty; a missing category is null.",
            () => TabularColumn.Categorical("colour", ["red", "  "]));
    }

    private static void AssertRefused(string argument, string message, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(argument, e.ParamName);
        Assert.Equal($"{message} (Parameter '{argument}')", e.Message);
    }
}
