using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Passes;

/// <summary>
/// Which layer outputs backward needs a gradient for, and where each gradient comes from. A layer's output gradient
/// (buffer <c>G{i}</c>) is needed when the layer or any layer upstream of it has parameters, and for the output layer,
/// which receives the loss gradient; the first contribution
/// written in execution order stores it, later ones (from skips) are added through a scratch buffer.
/// </summary>
internal sealed class GradientFlow
{
    private readonly bool[] _needed;
    private readonly HashSet<int> _written = [];

    public GradientFlow(NetworkPlan plan)
    {
        int count = plan.Layers.Count;
        _needed = new bool[count + 1];
        bool[] upstream = new bool[count + 1];
        foreach (LayerPlan layer in plan.Layers)
        {
            if (!LayerRegistry.Of(layer).OwnsOutput)
            {
                continue;
            }
            bool fromSource = layer.Source > 0 && (HasParameters(plan.Layers[layer.Source - 1]) || upstream[layer.Source]);
            bool fromSkip = layer.Skip > 0 && (HasParameters(plan.Layers[layer.Skip - 1]) || upstream[layer.Skip]);
            upstream[layer.Index] = fromSource || fromSkip;
            _needed[layer.Index] = plan.IsTrainable && (HasParameters(layer) || upstream[layer.Index]);
        }
        // The loss writes its gradient into the output layer's buffer even when nothing upstream learns.
        LayerPlan last = plan.Layers[count - 1];
        _needed[LayerRegistry.Of(last).OwnsOutput ? last.Index : last.Source] = plan.IsTrainable;
        NeedsScratch = plan.IsTrainable && plan.Layers.Any(l => l.Skip >= 0);
    }

    private static bool HasParameters(LayerPlan layer) => LayerRegistry.Of(layer).ParameterCount(layer) > 0;

    /// <summary>Whether backward computes ∂L/∂(output of layer <paramref name="index"/>); never for the network input.</summary>
    public bool Needs(int index) => index > 0 && _needed[index];

    /// <summary>Whether some layer's gradient has two contributions, so a scratch buffer is needed.</summary>
    public bool NeedsScratch { get; }

    /// <summary>Call in execution order for each contribution to <c>G{index}</c>: true for the first (store), false for
    /// the later ones (accumulate).</summary>
    public bool TakeFirstWrite(int index) => _written.Add(index);
}
