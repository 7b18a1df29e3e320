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
/// Any generated network as its users see it: sizes, one flat parameter buffer, one gradient buffer of the same length,
/// batched forward and backward passes and single-sample prediction. It never shows layer types. (What the trainer and the
/// optimizers need beyond this is the hidden <see cref="CompilerServices.INetworkEngine"/>.)
/// </summary>
/// <remarks>Instances are not thread-safe: each owns the workspace its passes write into. <see cref="IDisposable.Dispose"/>
/// ends the worker threads of a network with <see cref="Threads"/> above 1 (as setting it to 1 does); the network stays
/// usable on the calling thread.</remarks>
public interface INetwork : IDisposable
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

    /// <summary>How <see cref="Forward"/> treats dropout, noise and batch normalization; <see cref="NetworkMode.Training"/>
    /// after construction.</summary>
    NetworkMode Mode { get; set; }

    /// <summary>Threads a batch's <see cref="Forward"/> and <see cref="Backward"/> use (1 after construction; the calling
    /// thread is one of them). Results are bit-identical for any count: every output, gradient and statistic is computed
    /// by the same code whichever thread gets it. Setting it starts or stops background worker threads; set it back to 1,
    /// or dispose of the network, to release them. At most <see cref="Concurrency.WorkerPool.MaxThreads"/>.
    /// <see cref="Predict"/> always runs on the calling thread alone.</summary>
    int Threads { get; set; }

    /// <summary>Re-draws every parameter from <paramref name="seed"/>, resets the state (running averages) and reseeds the
    /// generator of dropout masks and noise; the same seed gives bit-identical parameters and masks.</summary>
    void Initialize(int seed);

    /// <summary>Runs <paramref name="batchSize"/> samples (row-major, <see cref="InputSize"/> floats each) and writes
    /// <see cref="OutputSize"/> floats per sample. Keeps what <see cref="Backward"/> needs (a copy of the inputs among
    /// it).</summary>
    void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize);

    /// <summary>Back-propagates the loss of the last <see cref="Forward"/> against <paramref name="targets"/>
    /// (<see cref="OutputSize"/> floats per sample), adds the gradients of the mean loss to <see cref="Gradients"/>,
    /// and returns the mean loss.</summary>
    float Backward(ReadOnlySpan<float> targets, int batchSize);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Runs one sample in inference mode, whatever <see cref="Mode"/> is, without touching the training workspace;
    /// allocates nothing.</summary>
    void Predict(ReadOnlySpan<float> input, Span<float> output);
}
