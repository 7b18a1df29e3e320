using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Network;

/// <summary>The tensors of a plan in buffer order, each layer's from its family: the one list the emitter
/// (<c>s_tensors</c>, <c>s_stateTensors</c>) and the weights-file check both use.</summary>
internal static class TensorPlans
{
    public static List<TensorPlan> Parameters(NetworkPlan plan)
    {
        var tensors = new List<TensorPlan>();
        foreach (LayerPlan layer in plan.Layers)
        {
            LayerRegistry.Of(layer).AddTensors(tensors, layer);
        }
        return tensors;
    }

    /// <summary>The parameter tensors, each with the layer that owns it (a residual layer owns its projection's).</summary>
    public static List<(LayerPlan Layer, TensorPlan Tensor)> ParametersByLayer(NetworkPlan plan)
    {
        var owned = new List<(LayerPlan, TensorPlan)>();
        var tensors = new List<TensorPlan>();
        foreach (LayerPlan layer in plan.Layers)
        {
            tensors.Clear();
            LayerRegistry.Of(layer).AddTensors(tensors, layer);
            owned.AddRange(tensors.Select(tensor => (layer, tensor)));
        }
        return owned;
    }

    public static List<TensorPlan> State(NetworkPlan plan)
    {
        var tensors = new List<TensorPlan>();
        foreach (LayerPlan layer in plan.Layers)
        {
            LayerRegistry.Of(layer).AddStateTensors(tensors, layer);
        }
        return tensors;
    }
}
