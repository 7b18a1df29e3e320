using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.Tabular;

/// <summary>
/// Tabular classification and regression on scikit-learn's wine and diabetes sets: read the CSV files, split them, fit the
/// preprocessing on the training rows only, train, report the test metrics, and save each network with its preprocessing
/// for <c>samples/Tabular.Server</c>.
/// </summary>
internal static class Program
{
    private const double PromisedAccuracy = 0.90;
    private const double PromisedRSquared = 0.40;
    private const int Seed = 1;

    /// <param name="args">Optional: the directory the weights files go to (default artifacts/tabular).</param>
    private static int Main(string[] args)
    {
        string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("artifacts", "tabular"));
        if (!SklearnData.IsAvailable())
        {
            Console.Error.WriteLine($"scikit-learn's data sets are not in {SklearnData.Directory}: {SklearnData.InstallHint}.");
            return 1;
        }
        double accuracy = Wine(outputDirectory);
        double rSquared = Diabetes(outputDirectory);
        Console.WriteLine();
        Console.WriteLine("Serve a model (CSV rows on stdin, with or without the label column):");
        Console.WriteLine("  dotnet publish samples/Tabular.Server -c Release -o out");
        Console.WriteLine($"  tail -n 3 {SklearnData.WinePath} | out/TabularServer {Path.Combine(outputDirectory, "wine.safetensors")}");
        bool kept = true;
        if (accuracy < PromisedAccuracy)
        {
            Console.Error.WriteLine($"The wine test accuracy {accuracy:P1} is below the {PromisedAccuracy:P0} this sample promises.");
            kept = false;
        }
        if (!(rSquared >= PromisedRSquared))
        {
            Console.Error.WriteLine($"The diabetes test R² {rSquared:F3} is below the {PromisedRSquared:F2} this sample promises.");
            kept = false;
        }
        return kept ? 0 : 1;
    }

    /// <summary>Classification: which of three cultivars a wine comes from.</summary>
    private static double Wine(string outputDirectory)
    {
        TabularTable table = SklearnData.ReadWine();
        // A stratified 25 % test split; every statistic of the preprocessing comes from the other 75 %.
        (int[] trainRows, _, int[] testRows) = Splits.TrainValidationTest(table.Labels, validationFraction: 0, testFraction: 0.25, seed: Seed);
        TabularTable train = table.Subset(trainRows), test = table.Subset(testRows);
        var preprocessing = TabularPreprocessing.Fit(train, FeatureScaling.Standard);
        Console.WriteLine($"Wine ({SklearnData.WinePath}): {table.Count} wines, {preprocessing.FeatureCount} features, classes {string.Join(", ", preprocessing.ClassNames!)}; {train.Count} to train, {test.Count} to test");

        var network = new WineMlp(seed: Seed, capacity: 16);
        var trainer = new Trainer(network, new Adam(0.01f), new TrainerOptions { Epochs = 60, BatchSize = 16, Seed = Seed });
        trainer.Fit(preprocessing.ToDataset(train));
        Evaluation evaluation = trainer.Evaluate(preprocessing.ToDataset(test));
        Console.WriteLine($"Test accuracy {evaluation.Accuracy:P1}");
        Console.Write(evaluation.FormatClassificationReport(preprocessing.ClassNames));
        Console.Write(evaluation.FormatConfusionMatrix(preprocessing.ClassNames));

        var model = new TabularModel(network, preprocessing);
        string path = Path.Combine(outputDirectory, "wine.safetensors");
        model.Save(path);
        TabularModel reloaded = TabularModel.Load(new WineMlp(capacity: 16), path);
        bool same = reloaded.PredictClasses(test).SequenceEqual(model.PredictClasses(test));
        Console.WriteLine($"Saved {path} with its preprocessing; reloaded, it predicts {(same ? "the same classes" : "DIFFERENT classes")} on the test rows");
        string[] cells = ["13.2", "1.78", "2.14", "11.2", "100", "2.65", "2.76", "0.26", "1.28", "4.38", "1.05", "3.4", "1050"];
        float[] probabilities = reloaded.PredictProbabilities(cells);
        Console.WriteLine($"A wine given as text, {string.Join(",", cells)}: {reloaded.PredictClassName(cells)} " +
            $"({string.Join(", ", probabilities.Select((p, k) => $"{preprocessing.ClassName(k)} {p:P1}"))})");
        return same ? evaluation.Accuracy : 0;
    }

    /// <summary>Regression: disease progression one year after the measurements.</summary>
    private static double Diabetes(string outputDirectory)
    {
        TabularTable table = SklearnData.ReadDiabetes();
        (int[] trainRows, _, int[] testRows) = Splits.TrainValidationTest(table.Count, validationFraction: 0, testFraction: 0.25, seed: Seed);
        TabularTable train = table.Subset(trainRows), test = table.Subset(testRows);
        var preprocessing = TabularPreprocessing.Fit(train, FeatureScaling.Standard);
        Console.WriteLine();
        Console.WriteLine($"Diabetes ({SklearnData.DiabetesFeaturesPath}): {table.Count} patients, inputs {string.Join(", ", preprocessing.FeatureNames)}; {train.Count} to train, {test.Count} to test");

        var network = new DiabetesMlp(seed: Seed, capacity: 32);
        var trainer = new Trainer(network, new AdamW(0.003f, weightDecay: 0.1f), new TrainerOptions { Epochs = 40, BatchSize = 32, Seed = Seed });
        trainer.Fit(preprocessing.ToTrainingData(train));
        var model = new TabularModel(network, preprocessing);
        // The errors in the target's own units: the network learned the standardized target, the model maps it back.
        Evaluation evaluation = Evaluation.OfRegression(model.PredictValues(test), test.Targets);
        Console.WriteLine($"Test RMSE {evaluation.RootMeanSquaredError:F1}, MAE {evaluation.MeanAbsoluteError:F1}, R² {evaluation.RSquared:F3} (the target ranges over 25–346)");

        string path = Path.Combine(outputDirectory, "diabetes.safetensors");
        model.Save(path);
        TabularModel reloaded = TabularModel.Load(new DiabetesMlp(capacity: 32), path);
        bool same = reloaded.PredictValues(test).SequenceEqual(model.PredictValues(test));
        Console.WriteLine($"Saved {path} with its preprocessing; reloaded, it predicts {(same ? "the same values" : "DIFFERENT values")} on the test rows");
        return same ? evaluation.RSquared : double.NaN;
    }
}
