using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Network;

/// <summary>One named tensor of a network as the runtime's <c>ParameterTensor</c> describes it: PyTorch name, kind
/// (<c>Weight</c>, <c>Bias</c>, <c>Scale</c> or <c>State</c>), offset in its buffer, PyTorch shape, and the width of the
/// output panels the buffer keeps a dense weight in (0: logical order; see <c>DenseLayout</c>).</summary>
internal sealed record TensorPlan(string Name, string Layer, string Kind, int Offset, EquatableArray<int> Shape, int PanelWidth);

/// <summary>The tensors of a plan in buffer order: the one list the emitter (<c>s_tensors</c>, <c>s_stateTensors</c>)
/// and the weights-file check both use.</summary>
internal static class TensorPlans
{
    public static List<TensorPlan> Parameters(NetworkPlan plan)
    {
        var tensors = new List<TensorPlan>();
        foreach (LayerPlan layer in plan.Layers)
        {
            AddLayer(tensors, layer);
            if (layer.Projection is { } projection)
            {
                AddLayer(tensors, projection);
            }
        }
        return tensors;
    }

    public static List<TensorPlan> State(NetworkPlan plan)
    {
        var tensors = new List<TensorPlan>();
        foreach (LayerPlan layer in plan.Layers)
        {
            if (layer.Kind == LayerKind.BatchNorm)
            {
                int channels = layer.In.Channels;
                tensors.Add(new TensorPlan(layer.Name + ".running_mean", layer.Name, "State", layer.StateOffset, Vector(channels), 0));
                tensors.Add(new TensorPlan(layer.Name + ".running_var", layer.Name, "State", layer.StateOffset + channels, Vector(channels), 0));
            }
        }
        return tensors;
    }

    private static void AddLayer(List<TensorPlan> tensors, LayerPlan layer)
    {
        if (layer.IsLinear)
        {
            // Weight normalization keeps PyTorch's weight_norm names: g of shape [out, 1, ...], v of the weight's shape.
            if (layer.WeightNorm)
            {
                int[] gShape = new int[layer.WeightShape.Length];
                gShape[0] = layer.Out.Channels;
                for (int d = 1; d < gShape.Length; d++)
                {
                    gShape[d] = 1;
                }
                tensors.Add(new TensorPlan(layer.Name + ".weight_g", layer.Name, "Scale", layer.ScaleOffset, gShape.ToEquatableArray(), 0));
            }
            string weight = layer.WeightNorm ? ".weight_v" : ".weight";
            tensors.Add(new TensorPlan(layer.Name + weight, layer.Name, "Weight", layer.WeightOffset, layer.WeightShape.ToEquatableArray(), layer.Kind == LayerKind.Dense ? DenseLayout.PanelWidth : 0));
            if (layer.HasBias)
            {
                tensors.Add(new TensorPlan(layer.Name + ".bias", layer.Name, "Bias", layer.BiasOffset, Vector(layer.Out.Channels), 0));
            }
            return;
        }
        if (layer.ScaleCount > 0)
        {
            // Normalization: γ is PyTorch's "weight", β its "bias"; LayerNorm's have the sample's shape.
            EquatableArray<int> shape = layer.Kind == LayerKind.LayerNorm && layer.In.IsImage
                ? new[] { layer.In.Channels, layer.In.Height, layer.In.Width }.ToEquatableArray()
                : Vector(layer.ScaleCount);
            tensors.Add(new TensorPlan(layer.Name + ".weight", layer.Name, "Scale", layer.ScaleOffset, shape, 0));
            tensors.Add(new TensorPlan(layer.Name + ".bias", layer.Name, "Bias", layer.BiasOffset, shape, 0));
        }
    }

    private static EquatableArray<int> Vector(int length) => new[] { length }.ToEquatableArray();
}
