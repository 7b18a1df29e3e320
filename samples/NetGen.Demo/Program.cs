using System;
using System.IO;
using NetGen.Data;
using NetGen.IO;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Demo;

/// <summary>
/// The main job: train <see cref="DigitsMlp"/> on the UCI handwritten digits embedded in NetGen, report accuracy on a
/// held-out 20 %, and classify a few test images.
/// </summary>
internal static class Program
{
    private const int Epochs = 30;
    private const int BatchSize = 32;
    private const float LearningRate = 0.02f;
    private const float MomentumCoefficient = 0.9f;
    private const int Seed = 1;

    /// <param name="args">Optional: the directory for everything the demo writes — the CSV history, the SVG learning curve
    /// and the weights (default artifacts/demo).</param>
    private static int Main(string[] args)
    {
        string outputDirectory = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("artifacts", "demo"));
        Dataset digits = EmbeddedDatasets.Digits();
        // 72 % training, 8 % validation (for the learning curve), 20 % held out for the test; each class in proportion.
        (Dataset train, Dataset validation, Dataset test) = Splits.TrainValidationTest(digits, validationFraction: 0.08, testFraction: 0.2, seed: Seed);
        // Pixel ranges from the training images only, so nothing of the test images leaks into the model.
        MinMaxScaler scaler = MinMaxScaler.Fit(train);
        scaler.TransformInPlace(train);
        scaler.TransformInPlace(validation);
        scaler.TransformInPlace(test);
        Console.WriteLine($"NetGen demo: {DigitsMlp.InputSize} → 64 ReLU → {DigitsMlp.OutputSize} MLP ({DigitsMlp.ParameterCount:N0} parameters) on the UCI digits");
        Console.WriteLine($"{train.Count} training, {validation.Count} validation and {test.Count} test images, {Epochs} epochs of mini-batch SGD with momentum (batch {BatchSize}, η = {LearningRate}, ρ = {MomentumCoefficient})");

        var net = new DigitsMlp(seed: Seed, capacity: BatchSize);
        var trainer = new Trainer(net, new Momentum(LearningRate, MomentumCoefficient), new TrainerOptions
        {
            Epochs = Epochs,
            BatchSize = BatchSize,
            Seed = Seed,
            TopK = 3,
            Progress = ProgressDisplay.ForConsole(),
            HistoryCsvPath = Path.Combine(outputDirectory, "digits-history.csv"),
            LearningCurvePath = Path.Combine(outputDirectory, "digits-learning-curve.svg"),
        });
        trainer.Fit(train, validation);

        Evaluation result = trainer.Evaluate(test);
        double accuracy = result.Accuracy;
        Console.WriteLine($"Test accuracy: {accuracy:P2} ({test.Count} held-out images; top-{result.K} {result.TopKAccuracy:P1})");
        Console.WriteLine("Confusion matrix of the test images:");
        Console.Write(result.FormatConfusionMatrix());
        Console.WriteLine($"History and learning curve: {Path.Combine(outputDirectory, "digits-history.csv")}, {Path.Combine(outputDirectory, "digits-learning-curve.svg")}");
        ShowPredictions(net, test, count: 3);
        if (!SaveAndReload(net, test, outputDirectory))
        {
            return 1;
        }
        if (accuracy < 0.95)
        {
            Console.Error.WriteLine("Accuracy is below the 95 % this demo promises.");
            return 1;
        }
        return 0;
    }

    /// <summary>Saves the trained weights as safetensors (PyTorch state_dict names), reloads them into a fresh network, and
    /// checks that it predicts exactly the same scores.</summary>
    private static bool SaveAndReload(DigitsMlp net, Dataset test, string outputDirectory)
    {
        string path = Path.Combine(outputDirectory, "digits-mlp.safetensors");
        net.Save(path);
        var reloaded = new DigitsMlp(seed: Seed + 1, capacity: 1);
        reloaded.Load(path);
        DigitsMlp.Output expected = default, actual = default;
        for (int i = 0; i < test.Count; i++)
        {
            net.Predict(test.Sample(i), expected);
            reloaded.Predict(test.Sample(i), actual);
            if (!((ReadOnlySpan<float>)expected).SequenceEqual(actual))
            {
                Console.Error.WriteLine($"{path}: the reloaded network predicts differently on test image {i}.");
                return false;
            }
        }
        Console.WriteLine($"Saved the weights to {path} and reloaded them: identical predictions on all {test.Count} test images");
        return true;
    }

    private static void ShowPredictions(DigitsMlp net, Dataset test, int count)
    {
        const string shades = " .:-=+*#%@";
        Console.WriteLine("A few test images and what the network says:");
        Span<float> probabilities = stackalloc float[DigitsMlp.OutputSize];
        for (int i = 0; i < count; i++)
        {
            DigitsMlp.Input image = default;
            test.Sample(i).CopyTo(image);
            DigitsMlp.Output logits = net.Predict(in image);
            ActivationKernels.Softmax(logits, probabilities, 1, DigitsMlp.OutputSize);
            int predicted = VectorOps.ArgMax(probabilities);
            for (int row = 0; row < 8; row++)
            {
                var line = new char[16];
                for (int column = 0; column < 8; column++)
                {
                    // Test pixels may lie a little outside the training range the scaler mapped to [0, 1].
                    char c = shades[(int)(Math.Clamp(image[row * 8 + column], 0f, 1f) * (shades.Length - 1))];
                    line[2 * column] = c;
                    line[2 * column + 1] = c;
                }
                string note = row switch
                {
                    2 => $"   predicted {predicted} ({probabilities[predicted]:P1})",
                    4 => $"   label     {test.Labels[i]}",
                    _ => "",
                };
                Console.WriteLine("    " + new string(line) + note);
            }
        }
    }
}
