using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Passes;

/// <summary>
/// The name of each step's method in the generated class, from what it runs and the layers it runs over:
/// <c>ForwardC1ToF3</c>, <c>BackwardF3ToF1</c>, <c>F1WeightGradients</c>, <c>LossAndOutputGradient</c>. A name taken
/// already gets a number.
/// </summary>
internal sealed class StepNames
{
    private readonly Dictionary<int, string> _names = [];
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>The method of step <paramref name="number"/>.</summary>
    public string this[int number] => _names[number];

    /// <summary>Names the steps of both passes and the steps that combine them (a sharded backward pass's shard and lane
    /// steps, the fused preparation and forward, the pairs).</summary>
    public static StepNames For(PassSteps forward, PassSteps backward, ShardedBackward? sharded, int? fusedStep)
    {
        var names = new StepNames();
        foreach (PassSteps.Step step in forward.All)
        {
            names.Add(step.Number, Of(step, "Forward"));
        }
        foreach (PassSteps.Step step in backward.All)
        {
            names.Add(step.Number, Of(step, "Backward"));
        }
        if (sharded is not null)
        {
            names.Add(sharded.ShardStep, "BackwardShards");
            names.Add(sharded.LaneStep, "WeightGradientLanes");
        }
        if (fusedStep is int fused)
        {
            names.Add(fused, "PrepareForwardAndBackwardShards");
        }
        foreach (PassSteps.Pair pair in sharded is null ? backward.Pairs : [])
        {
            names.Add(pair.Number, $"{names[pair.Items.Number]}With{names[pair.Samples.Number]}");
        }
        return names;
    }

    private void Add(int number, string name)
    {
        string unique = name;
        for (int suffix = 2; !_taken.Add(unique); suffix++)
        {
            unique = name + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        _names[number] = unique;
    }

    /// <summary>A step's name from its kind and the layers its parts name (each part's summary starts "layer: …").</summary>
    private static string Of(PassSteps.Step step, string pass)
    {
        var layers = step.Parts
            .Select(part => part.Summary.IndexOf(':') is int colon and > 0 ? Identifier(part.Summary.Substring(0, colon)) : "")
            .Where(layer => layer.Length > 0)
            .Distinct()
            .ToList();
        string span = layers.Count switch
        {
            0 => "",
            1 => layers[0],
            _ => $"{layers[0]}To{layers[layers.Count - 1]}",
        };
        if (span.Length > 0 && char.IsDigit(span[0]))
        {
            span = "Layer" + span;
        }
        return step.Kind switch
        {
            StepKind.Loss => "LossAndOutputGradient",
            StepKind.WeightPanels => $"{span}WeightGradients",
            StepKind.WeightShards => $"{span}ShardWeightGradients",
            StepKind.ShardSum => $"{span}SumShards",
            _ => pass + span,
        };
    }

    /// <summary>A layer name as part of a C# identifier: its letters and digits, each run starting upper-case
    /// (<c>block2.projection</c> → <c>Block2Projection</c>).</summary>
    private static string Identifier(string layer)
    {
        var name = new StringBuilder();
        bool upper = true;
        foreach (char c in layer.Trim())
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return name.ToString();
    }
}
