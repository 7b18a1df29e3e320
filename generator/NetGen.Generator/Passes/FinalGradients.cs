using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Network;

namespace NetGen.Generator.Passes;

/// <summary>
/// Where in a backward pass each layer's parameter gradients become final: after the last call that runs one of the
/// layer's steps. The pass reports it after every call as one offset into the gradient buffer, from which on every
/// tensor's gradients are final (the buffer holds the layers in order and the pass finishes them last layer first, so
/// the final part grows from the end); a data-parallel trainer starts summing that part there.
/// </summary>
internal static class FinalGradients
{
    /// <summary>For each call of the pass, in order (the steps it runs), the offset from which on the gradients are final
    /// after it: <paramref name="plan"/>'s parameter count while nothing is, 0 after the last call.</summary>
    public static int[] After(NetworkPlan plan, IReadOnlyList<IReadOnlyList<PassSteps.Step>> calls)
    {
        var lastCall = new Dictionary<int, int>();
        for (int call = 0; call < calls.Count; call++)
        {
            foreach (int layer in calls[call].SelectMany(step => step.Layers))
            {
                lastCall[layer] = call;
            }
        }
        // Tensors from the last to the first, with the call after which each is final (−1: no step writes it).
        var tensors = TensorPlans.ParametersByLayer(plan)
            .Select(owned => (owned.Tensor.Offset, Call: lastCall.TryGetValue(owned.Layer.Index, out int call) ? call : -1))
            .OrderByDescending(tensor => tensor.Offset)
            .ToList();
        var finalFrom = new int[calls.Count];
        for (int call = 0; call < calls.Count; call++)
        {
            int offset = plan.ParameterCount;
            foreach ((int start, int finalAfter) in tensors)
            {
                if (finalAfter > call)
                {
                    break;
                }
                offset = start;
            }
            finalFrom[call] = call == calls.Count - 1 ? 0 : offset;
        }
        return finalFrom;
    }

    /// <summary>The distinct offsets below the parameter count, in pass order: the points
    /// <c>INetworkEngine.FinalGradientOffsets</c> lists.</summary>
    public static IEnumerable<int> Points(IEnumerable<int> finalFrom, int parameterCount)
        => finalFrom.Where(offset => offset < parameterCount || offset == 0).Distinct();
}
