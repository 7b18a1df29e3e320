using System.Collections.Generic;
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
