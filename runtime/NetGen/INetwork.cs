using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>How <see cref="INetwork.Forward"/> treats the layers that behave differently while training.</summary>
public enum NetworkMode
{
    /// <summary>Dropout and noise are active (fresh masks every pass) and batch normalization uses the batch's statistics
    /// and updates its running averages. The default, as in PyTorch.</summary>
    Training = 0,
    /// <summary>Dropout and noise are the identity and batch normalization uses its running averages: deterministic.
    /// <see cref="INetwork.Predict"/> always runs this way.</summary>
    Inference = 1,
    /// <summary>Inference, except that dropout and noise stay active: for Monte-Carlo dropout (see
    /// <see cref="Training.MonteCarloDropout"/>).</summary>
    MonteCarlo = 2,
}

/// <summary>
/// What the runtime (optimizers, trainer, weight files) sees of any generated network: sizes, one flat parameter buffer,
/// one gradient buffer of the same length, and batched forward and backward passes. It never sees layer types.
/// </summary>
/// <remarks>Instances are not thread-safe: each owns the workspace its passes write into.</remarks>
public interface INetwork
{
    /// <summary>The network's type name.</summary>
    string Name { get; }

    /// <summary>Features per input sample.</summary>
    int InputSize { get; }

    /// <summary>Values per output sample.</summary>
    int OutputSize { get; }

    /// <summary>Number of trainable parameters (the length of <see cref="Parameters"/> and <see cref="Gradients"/>).</summary>
    int ParameterCount { get; }

    /// <summary>The largest batch <see cref="Forward"/> accepts (the workspace capacity chosen at construction).</summary>
    int Capacity { get; }

    /// <summary>The training objective.</summary>
    Loss Loss { get; }

    /// <summary>All trainable parameters, 64-byte aligned.</summary>
    Span<float> Parameters { get; }

    /// <summary>Gradients of the mean batch loss, accumulated by <see cref="Backward"/>; same layout as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>The named tensors that make up <see cref="Parameters"/>, in buffer order.</summary>
    IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>Values that are not trained by gradients but belong to the model (batch normalization's running mean and
    /// variance); saved and loaded with the weights and in checkpoints. Empty for most networks.</summary>
    Span<float> State { get; }

    /// <summary>The named tensors that make up <see cref="State"/>, in buffer order.</summary>
    IReadOnlyList<ParameterTensor> StateTensors { get; }

    /// <summary>How <see cref="Forward"/> treats dropout, noise and batch normalization; <see cref="NetworkMode.Training"/>
    /// after construction.</summary>
    NetworkMode Mode { get; set; }

    /// <summary>Whether a training-mode pass normalizes with batch statistics, so that a batch needs more than one value per
    /// feature (the trainer then skips a last batch of a single sample).</summary>
    bool UsesBatchStatistics { get; }

    /// <summary>Threads a batch's <see cref="Forward"/> and <see cref="Backward"/> use (1 after construction; the calling
    /// thread is one of them). Results are bit-identical for any count: every output, gradient and statistic is computed
    /// by the same code whichever thread gets it. Setting it starts or stops background worker threads; set it back to 1
    /// to release them. <see cref="Predict"/> always runs on the calling thread alone.</summary>
    int Threads { get; set; }

    /// <summary>
    /// Runs items <c>[0, <paramref name="count"/>)</c> of <paramref name="work"/> on this network's <see cref="Threads"/>
    /// (on the calling thread alone when there is one), split exactly as a pass splits a step over <paramref name="count"/>
    /// samples, and returns when all are done. Optimizers update their parameters this way, and a network whose passes
    /// cannot run as one split runs <see cref="ForwardBackward"/>'s preparation this way, so that each thread copies the
    /// samples it then runs. <paramref name="work"/> sees step 0.
    /// </summary>
    void RunOnThreads(NetGen.Concurrency.IPartitionedWork work, int count, int grain = 1);

    /// <summary>The generator that draws dropout masks and noise, seeded by the constructor and by <see cref="Initialize"/>;
    /// checkpoints save its state, and setting its <see cref="SeededRandom.State"/> replays the same masks.</summary>
    SeededRandom Random { get; }

    /// <summary>Re-draws every parameter from <paramref name="seed"/>, resets the state (running averages) and reseeds
    /// <see cref="Random"/>; the same seed gives bit-identical parameters and masks.</summary>
    void Initialize(int seed);

    /// <summary>Runs <paramref name="batchSize"/> samples (row-major, <see cref="InputSize"/> floats each) and writes
    /// <see cref="OutputSize"/> floats per sample. Keeps what <see cref="Backward"/> needs. The inputs are first copied
    /// into <see cref="BatchInputs"/>, unless they already start there.</summary>
    void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize);

    /// <summary>
    /// The network's own input rows (<see cref="Capacity"/> × <see cref="InputSize"/> floats, 64-byte aligned), which
    /// <see cref="Forward"/> reads and <see cref="Backward"/> reads again. A caller that writes a batch here and passes
    /// these rows to <see cref="Forward"/> saves the copy; the trainer does, writing each sample on the thread that then
    /// runs it (<see cref="ForwardBackward"/>), so that its rows are in that core's cache. Leave them unchanged between a
    /// <see cref="Forward"/> and its <see cref="Backward"/>.
    /// </summary>
    Span<float> BatchInputs { get; }

    /// <summary>The network's own target rows (<see cref="Capacity"/> × <see cref="OutputSize"/> floats), which
    /// <see cref="Backward"/> copies its targets into and <see cref="ForwardBackward"/> reads: the targets of a batch written
    /// here by <see cref="ForwardBackward"/>'s preparation need no copy.</summary>
    Span<float> BatchTargets { get; }

    /// <summary>
    /// One training pass over <paramref name="batchSize"/> samples, as <see cref="RunOnThreads"/> of
    /// <paramref name="prepare"/>, then <see cref="Forward"/> from <see cref="BatchInputs"/> into
    /// <paramref name="outputs"/>, then <see cref="Backward"/> against <see cref="BatchTargets"/>, with the same results
    /// bit for bit; returns the mean loss and adds its gradients to <see cref="Gradients"/>. <paramref name="prepare"/>
    /// must write sample <c>b</c>'s input row into <see cref="BatchInputs"/> and its target row into
    /// <see cref="BatchTargets"/> for every item <c>b</c> of its range (the trainer copies its shuffled samples this
    /// way). Where the layers allow it (a network whose forward pass is one step per sample and whose backward pass runs
    /// by shard of the batch, such as LeNet), each thread prepares its samples, runs them forward and then back through
    /// every per-sample step without waiting for the other threads in between: one split of the batch over the threads
    /// instead of three.
    /// </summary>
    float ForwardBackward(NetGen.Concurrency.IPartitionedWork prepare, Span<float> outputs, int batchSize);

    /// <summary>Back-propagates the loss of the last <see cref="Forward"/> against <paramref name="targets"/>
    /// (<see cref="OutputSize"/> floats per sample), adds the gradients of the mean loss to <see cref="Gradients"/>,
    /// and returns the mean loss.</summary>
    float Backward(ReadOnlySpan<float> targets, int batchSize);

    /// <summary>The output (after its activation) of the layer named <paramref name="layer"/> in the last
    /// <see cref="Forward"/>: batch × the layer's size values, valid until the next pass. For inspecting hidden
    /// activations and extracting features.</summary>
    /// <exception cref="ArgumentException">No layer has that name (the message lists the names), or no batch was run.</exception>
    ReadOnlySpan<float> LayerOutput(string layer);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Runs one sample in inference mode, whatever <see cref="Mode"/> is, without touching the training workspace;
    /// allocates nothing.</summary>
    void Predict(ReadOnlySpan<float> input, Span<float> output);
}
