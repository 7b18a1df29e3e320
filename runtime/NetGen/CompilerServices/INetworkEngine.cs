using System;
using System.Collections.Generic;
using System.ComponentModel;
using NetGen.Concurrency;

namespace NetGen.CompilerServices;

/// <summary>
/// The contract between a generated network and the runtime that drives it: the trainer, the optimizers, checkpoints and
/// weight files. Every generated network implements it, explicitly, so that none of it shows on the network's class; user
/// code calls <see cref="INetwork"/>. Like <c>System.Runtime.CompilerServices</c>, this namespace is for generated code
/// and the runtime, and may change between versions.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface INetworkEngine : INetwork
{
    /// <summary>Values that are not trained by gradients but belong to the model (batch normalization's running mean and
    /// variance); saved and loaded with the weights and in checkpoints. Empty for most networks.</summary>
    Span<float> State { get; }

    /// <summary>The named tensors that make up <see cref="State"/>, in buffer order.</summary>
    IReadOnlyList<ParameterTensor> StateTensors { get; }

    /// <summary>The generator that draws dropout masks and noise, seeded by the constructor and by
    /// <see cref="INetwork.Initialize"/>; checkpoints save its state, and setting its <see cref="SeededRandom.State"/>
    /// replays the same masks.</summary>
    SeededRandom Random { get; }

    /// <summary>Whether a training-mode pass normalizes with batch statistics, so that a batch needs more than one value per
    /// feature (the trainer then skips a last batch of a single sample).</summary>
    bool UsesBatchStatistics { get; }

    /// <summary>
    /// Runs items <c>[0, <paramref name="count"/>)</c> of <paramref name="work"/> on this network's
    /// <see cref="INetwork.Threads"/> (on the calling thread alone when there is one), split exactly as a pass splits a step
    /// over <paramref name="count"/> samples, and returns when all are done. Optimizers update their parameters this way,
    /// and a network whose passes cannot run as one split runs <see cref="ForwardBackward"/>'s preparation this way, so
    /// that each thread copies the samples it then runs. <paramref name="work"/> sees step 0.
    /// </summary>
    void RunOnThreads(IPartitionedWork work, int count, int grain = 1);

    /// <summary>Estimated FLOPs a thread's part of a pass's step must reach before the step is split over the network's
    /// threads (default <see cref="WorkerPool.DefaultMinimumWorkPerPart"/>; 0 splits every step, as tests of small
    /// networks do). It changes speed only: a step computes the same bits however it is split.</summary>
    long MinimumWorkPerPart { get; set; }

    /// <summary>
    /// The network's own input rows (<see cref="INetwork.Capacity"/> × <see cref="INetwork.InputSize"/> floats, 64-byte
    /// aligned), which <see cref="INetwork.Forward"/> reads and <see cref="INetwork.Backward"/> reads again. A caller that
    /// writes a batch here and passes these rows to <see cref="INetwork.Forward"/> saves the copy; the trainer does,
    /// writing each sample on the thread that then runs it (<see cref="ForwardBackward"/>), so that its rows are in that
    /// core's cache. Leave them unchanged between a <see cref="INetwork.Forward"/> and its <see cref="INetwork.Backward"/>.
    /// </summary>
    Span<float> BatchInputs { get; }

    /// <summary>The network's own target rows (<see cref="INetwork.Capacity"/> × <see cref="INetwork.OutputSize"/>
    /// floats), which <see cref="INetwork.Backward"/> copies its targets into and <see cref="ForwardBackward"/> reads: the
    /// targets of a batch written here by <see cref="ForwardBackward"/>'s preparation need no copy.</summary>
    Span<float> BatchTargets { get; }

    /// <summary>
    /// One training pass over <paramref name="batchSize"/> samples, as <see cref="RunOnThreads"/> of
    /// <paramref name="prepare"/>, then <see cref="INetwork.Forward"/> from <see cref="BatchInputs"/> into
    /// <paramref name="outputs"/>, then <see cref="INetwork.Backward"/> against <see cref="BatchTargets"/>, with the same
    /// results bit for bit; returns the mean loss and adds its gradients to <see cref="INetwork.Gradients"/>.
    /// <paramref name="prepare"/> must write sample <c>b</c>'s input row into <see cref="BatchInputs"/> and its target row
    /// into <see cref="BatchTargets"/> for every item <c>b</c> of its range (the trainer copies its shuffled samples this
    /// way). Where the layers allow it (a network whose forward pass is one step per sample and whose backward pass runs
    /// by shard of the batch, such as LeNet), each thread prepares its samples, runs them forward and then back through
    /// every per-sample step without waiting for the other threads in between: one split of the batch over the threads
    /// instead of three. <paramref name="progress"/>, when given, hears after each step of the backward pass which
    /// gradients are final (<see cref="IBackwardProgress.StepDone"/>).
    /// </summary>
    float ForwardBackward(IPartitionedWork prepare, Span<float> outputs, int batchSize, IBackwardProgress? progress = null);

    /// <summary>Every offset into <see cref="INetwork.Gradients"/> from which on a training pass may report the gradients
    /// final (<see cref="IBackwardProgress.StepDone"/>), decreasing, the last 0; each is the start of a parameter tensor. A
    /// pass reports them in this order, or some of them (a pass by shard reports its dense layers as it goes only when one
    /// thread runs every shard). The list is fixed when the network is compiled, so that the processes of a data-parallel
    /// run can cut their gradient sums along it before training starts. Empty for an inference-only network.</summary>
    IReadOnlyList<int> FinalGradientOffsets { get; }

    /// <summary>The layers as the generator planned them, the input first: names, kinds, output shapes and parameter
    /// counts, which <see cref="NetworkSummary"/> formats.</summary>
    IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>The output (after its activation) of the layer named <paramref name="layer"/> in the last
    /// <see cref="INetwork.Forward"/>: batch × the layer's size values, valid until the next pass. Generated classes also
    /// have it as a public method.</summary>
    /// <exception cref="ArgumentException">No layer has that name (the message lists the names), or no batch was run.</exception>
    ReadOnlySpan<float> LayerOutput(string layer);

    /// <summary>
    /// The class weights the loss applies in the passes that follow, for a loss that takes them itself: a network trained
    /// with <see cref="Loss.BinaryCrossEntropy"/> takes (class 0, class 1), which the trainer sets for each batch to
    /// <see cref="NetGen.Training.TrainerOptions.ClassWeights"/> times the batch's n/W (see <see cref="NetGen.Training.ClassWeights"/>); empty
    /// restores the unweighted loss. Cross-entropy losses are weighted through their target rows instead and take none.
    /// </summary>
    /// <exception cref="NotSupportedException">Weights for a network whose loss does not take them.</exception>
    /// <exception cref="ArgumentException">Not two weights, or one that is negative or not finite.</exception>
    void SetLossWeights(ReadOnlySpan<float> weights)
    {
        if (!weights.IsEmpty)
        {
            throw new NotSupportedException($"{Name} trains with Loss.{Loss}, whose generated loss takes no class weights.");
        }
    }
}

/// <summary>Reaches the <see cref="INetworkEngine"/> of a network the runtime was given as an <see cref="INetwork"/>.</summary>
internal static class NetworkEngine
{
    /// <summary>The network as the engine contract; every generated network is one.</summary>
    /// <exception cref="ArgumentException">The network was not generated by NetGen.</exception>
    public static INetworkEngine Of(INetwork network, string parameterName = "network")
    {
        ArgumentNullException.ThrowIfNull(network, parameterName);
        return network as INetworkEngine
            ?? throw new ArgumentException($"{network.GetType().Name} is not a network generated by NetGen ([Network] on a partial class); the runtime drives only those.", parameterName);
    }
}
