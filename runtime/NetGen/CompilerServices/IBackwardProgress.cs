using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>
/// Told by a training pass (<see cref="INetworkEngine.ForwardBackward"/>) where its backward pass stands, so that work on
/// the gradients that are already final can start before the pass ends: the trainer of a data-parallel run starts the
/// sums of those gradients over its processes there, and lets them progress at every later step.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBackwardProgress
{
    /// <summary>
    /// Called on the thread that called <see cref="INetworkEngine.ForwardBackward"/>, after each step of the backward pass:
    /// no later step of this pass reads or writes <see cref="INetwork.Gradients"/> from <paramref name="finalFrom"/> to
    /// the end. <paramref name="finalFrom"/> never grows within a pass, takes only values of
    /// <see cref="INetworkEngine.FinalGradientOffsets"/> (and <see cref="INetwork.ParameterCount"/> while nothing is final),
    /// and is 0 after the last step. Which steps report depends on the pass and, for a pass by shard, on the thread count.
    /// </summary>
    void StepDone(int finalFrom);
}
