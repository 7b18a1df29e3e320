using System;
using System.Collections.Generic;
using System.IO;
using NetGen.IO;

namespace NetGen.Data;

/// <summary>
/// A network trained on a table with the <see cref="TabularPreprocessing"/> that turns the table's cells into its inputs:
/// saved together in one safetensors file (the tensors as PyTorch reads them, the preprocessing in the metadata), and
/// predicting from raw cells — a class name or a value in the target's own units.
/// </summary>
public sealed class TabularModel
{
    /// <summary>Pairs <paramref name="network"/> with <paramref name="preprocessing"/>; the network must take
    /// <see cref="TabularPreprocessing.FeatureCount"/> inputs and give one output per class (or one for two classes), or one
    /// output for regression.</summary>
    public TabularModel(INetwork network, TabularPreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (network.InputSize != preprocessing.FeatureCount)
        {
            throw new ArgumentException($"{network.Name} takes {network.InputSize} inputs; the preprocessing encodes {preprocessing.FeatureCount} features ({string.Join(", ", preprocessing.FeatureNames)}).", nameof(network));
        }
        bool fits = preprocessing.Task == TabularTask.Regression
            ? network.OutputSize == 1
            : network.OutputSize == preprocessing.ClassCount || network.OutputSize == 1 && preprocessing.ClassCount == 2;
        if (!fits)
        {
            throw new ArgumentException(preprocessing.Task == TabularTask.Regression
                ? $"{network.Name} has {network.OutputSize} outputs; a regression needs 1."
                : $"{network.Name} has {network.OutputSize} outputs for {preprocessing.ClassCount} classes (expected one per class, or one for two classes).", nameof(network));
        }
        Network = network;
        Preprocessing = preprocessing;
    }

    /// <summary>The network.</summary>
    public INetwork Network { get; }

    /// <summary>The preprocessing of its inputs.</summary>
    public TabularPreprocessing Preprocessing { get; }

    /// <summary>Writes the network's tensors and the preprocessing (metadata <see cref="TabularPreprocessing.MetadataKey"/>)
    /// to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => Network.Save(path, Preprocessing.ToMetadata(Network));

    /// <summary>Loads the weights file at <paramref name="path"/> into <paramref name="network"/> and reads its preprocessing.</summary>
    /// <exception cref="InvalidDataException">The file does not fit the network, or holds no valid preprocessing.</exception>
    public static TabularModel Load(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(network, File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a whole weights file in memory (e.g. embedded in a program) into <paramref name="network"/>;
    /// <paramref name="source"/> names it in messages.</summary>
    public static TabularModel Load(INetwork network, ReadOnlySpan<byte> file, string source)
    {
        ArgumentNullException.ThrowIfNull(network);
        SafetensorsHeader header = SafetensorsHeader.Parse(file, source);
        TabularPreprocessing preprocessing = TabularPreprocessing.FromMetadata(header.Metadata, source);
        network.Load(file, source);
        return new TabularModel(network, preprocessing);
    }

    /// <summary>The network inputs of one row of cells (see <see cref="TabularPreprocessing.TransformRow"/>).</summary>
    public float[] Encode(IReadOnlyList<string> cells, string source = "row", int lineNumber = 1)
    {
        float[] features = new float[Preprocessing.FeatureCount];
        Preprocessing.TransformRow(cells, features, source, lineNumber);
        return features;
    }

    /// <summary>The predicted class of one row of cells.</summary>
    public int PredictClass(IReadOnlyList<string> cells, string source = "row", int lineNumber = 1)
    {
        RequireTask(TabularTask.Classification);
        return Network.PredictClass(Encode(cells, source, lineNumber));
    }

    /// <summary>The name of the predicted class of one row of cells (its label when the classes have no names).</summary>
    public string PredictClassName(IReadOnlyList<string> cells, string source = "row", int lineNumber = 1) =>
        Preprocessing.ClassName(PredictClass(cells, source, lineNumber));

    /// <summary>The class probabilities of one row of cells, indexed by label (see <see cref="Prediction.PredictProbabilities(INetwork, ReadOnlySpan{float})"/>).</summary>
    public float[] PredictProbabilities(IReadOnlyList<string> cells, string source = "row", int lineNumber = 1)
    {
        RequireTask(TabularTask.Classification);
        return Network.PredictProbabilities(Encode(cells, source, lineNumber));
    }

    /// <summary>The predicted target of one row of cells, in the target's own units.</summary>
    public float PredictValue(IReadOnlyList<string> cells, string source = "row", int lineNumber = 1)
    {
        RequireTask(TabularTask.Regression);
        Span<float> output = stackalloc float[1];
        Network.Predict(Encode(cells, source, lineNumber), output);
        return Preprocessing.TargetFromOutput(output[0]);
    }

    /// <summary>The predicted class of every row of <paramref name="table"/>.</summary>
    public int[] PredictClasses(TabularTable table)
    {
        RequireTask(TabularTask.Classification);
        return Network.PredictAllClasses(Preprocessing.Transform(table));
    }

    /// <summary>The predicted target of every row of <paramref name="table"/>, in the target's own units.</summary>
    public float[] PredictValues(TabularTable table)
    {
        RequireTask(TabularTask.Regression);
        float[] values = Network.PredictAll(Preprocessing.Transform(table));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Preprocessing.TargetFromOutput(values[i]);
        }
        return values;
    }

    private void RequireTask(TabularTask task)
    {
        if (Preprocessing.Task != task)
        {
            throw new InvalidOperationException($"The model does {Preprocessing.Task}; this call is for {task}.");
        }
    }
}
