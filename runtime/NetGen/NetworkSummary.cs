using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.CompilerServices;

namespace NetGen;

/// <summary>One layer of a <see cref="NetworkSummary"/>: what the generator knew of it at build time.</summary>
public sealed class LayerSummary
{
    private readonly int[] _outputShape;

    /// <summary>Describes a layer; generated networks list theirs, the input first.</summary>
    /// <param name="name">The layer's name (<c>input</c> for the network's input).</param>
    /// <param name="kind">The layer kind, as its attribute is named (<c>Dense</c>, <c>Conv2D</c>…).</param>
    /// <param name="outputShape">Per sample: [features], or [channels, height, width] for an image.</param>
    /// <param name="parameters">Trainable parameters (weights, biases, scales).</param>
    /// <param name="stateValues">Values not trained by gradients that belong to the model (batch normalization's running
    /// statistics).</param>
    public LayerSummary(string name, string kind, int[] outputShape, int parameters, int stateValues = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(outputShape);
        ArgumentOutOfRangeException.ThrowIfNegative(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(stateValues);
        Name = name;
        Kind = kind;
        _outputShape = (int[])outputShape.Clone();
        Parameters = parameters;
        StateValues = stateValues;
    }

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>The layer kind.</summary>
    public string Kind { get; }

    /// <summary>The output shape per sample (the batch dimension is left out).</summary>
    public IReadOnlyList<int> OutputShape => _outputShape;

    /// <summary>Trainable parameters.</summary>
    public int Parameters { get; }

    /// <summary>Values that are not trained (running statistics); Keras counts them as non-trainable parameters.</summary>
    public int StateValues { get; }

    /// <summary>The output shape as the generated file's remarks write it: <c>120</c>, or <c>6×28×28</c>.</summary>
    public string FormatShape() => string.Join("×", Array.ConvertAll(_outputShape, d => d.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Kind}) {FormatShape()}, {Parameters.ToString(CultureInfo.InvariantCulture)} parameters";
}

/// <summary>
/// A network's layers, output shapes and parameter counts, as Keras' <c>model.summary()</c> or torchinfo print them:
/// <c>network.Summary()</c> gives it, and <see cref="ToString"/> is the table.
/// </summary>
public sealed class NetworkSummary
{
    /// <summary>Summarizes <paramref name="network"/> from the layer list its generated class carries.</summary>
    public NetworkSummary(INetwork network)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        Network = engine.Name;
        Loss = engine.Loss;
        Layers = engine.Layers;
        foreach (LayerSummary layer in Layers)
        {
            TrainableParameters += layer.Parameters;
            NonTrainableParameters += layer.StateValues;
        }
    }

    /// <summary>The network's type name.</summary>
    public string Network { get; }

    /// <summary>The training objective.</summary>
    public Loss Loss { get; }

    /// <summary>The layers in order, the input first.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Parameters trained by gradients: <see cref="INetwork.ParameterCount"/>.</summary>
    public long TrainableParameters { get; }

    /// <summary>Values saved with the model but not trained (running statistics).</summary>
    public long NonTrainableParameters { get; }

    /// <summary>Trainable and non-trainable together.</summary>
    public long TotalParameters => TrainableParameters + NonTrainableParameters;

    /// <summary>The bytes of all of them as 32-bit floats (a weights file's tensor data).</summary>
    public long Bytes => TotalParameters * sizeof(float);

    /// <summary>The table: one line per layer with its name, kind, output shape and parameters, then the totals, e.g.
    /// <c>Total parameters: 61,706 (241.04 KiB)</c>. Numbers are grouped by thousands in the invariant culture.</summary>
    public override string ToString()
    {
        const string LayerHeader = "Layer (kind)", ShapeHeader = "Output shape", ParametersHeader = "Parameters";
        var rows = new List<(string Layer, string Shape, string Parameters)>(Layers.Count);
        int layerWidth = LayerHeader.Length, shapeWidth = ShapeHeader.Length, parametersWidth = ParametersHeader.Length;
        foreach (LayerSummary layer in Layers)
        {
            string parameters = Grouped(layer.Parameters) + (layer.StateValues > 0 ? $" + {Grouped(layer.StateValues)} state" : "");
            (string Layer, string Shape, string Parameters) row = ($"{layer.Name} ({layer.Kind})", layer.FormatShape(), parameters);
            rows.Add(row);
            layerWidth = Math.Max(layerWidth, row.Layer.Length);
            shapeWidth = Math.Max(shapeWidth, row.Shape.Length);
            parametersWidth = Math.Max(parametersWidth, row.Parameters.Length);
        }
        string rule = new('─', layerWidth + shapeWidth + parametersWidth + 4);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Network} (loss {Loss})").AppendLine();
        text.AppendLine(rule);
        text.AppendLine(Row(LayerHeader, ShapeHeader, ParametersHeader));
        text.AppendLine(rule);
        foreach ((string layer, string shape, string parameters) in rows)
        {
            text.AppendLine(Row(layer, shape, parameters));
        }
        text.AppendLine(rule);
        text.Append(CultureInfo.InvariantCulture, $"Total parameters: {Grouped(TotalParameters)} ({FormatBytes(Bytes)})").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Trainable parameters: {Grouped(TrainableParameters)}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Non-trainable parameters: {Grouped(NonTrainableParameters)}").AppendLine();
        return text.ToString();

        string Row(string layer, string shape, string parameters)
            => $"{layer.PadRight(layerWidth)}  {shape.PadRight(shapeWidth)}  {parameters.PadLeft(parametersWidth)}".TrimEnd();
    }

    private static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in binary units, as Keras prints them: <c>241.04 KiB</c>.</summary>
    private static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B" : $"{value.ToString("0.00", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}

/// <summary>The summary of any generated network.</summary>
public static class NetworkSummaryExtensions
{
    /// <summary>The network's layers, output shapes and parameter counts; print it to see the table.</summary>
    /// <exception cref="ArgumentException">The network was not generated by NetGen.</exception>
    public static NetworkSummary Summary(this INetwork network) => new(network);
}
