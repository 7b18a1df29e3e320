using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>How a <see cref="Trainer"/> runs. Every default is stated on its property.</summary>
public sealed class TrainerOptions
{
    /// <summary>Passes over the training data (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per mini-batch (default 32); at most the network's <see cref="INetwork.Capacity"/>. The last batch of an
    /// epoch holds the remainder, so an epoch is ⌈N / BatchSize⌉ steps.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of the shuffling generator (default 0). Same seed, same machine: bit-identical training.</summary>
    public long Seed { get; init; }

    /// <summary>Whether each epoch visits the samples in a fresh random order (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The learning-rate schedule (default null: constant). Its base rate is the optimizer's rate when training starts.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Stop after this many epochs without improvement of the monitored loss (validation loss, or training loss without
    /// validation data). Default 0: no early stopping.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>The smallest decrease of the monitored loss that counts as improvement (default 0).</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>With early stopping, put back the parameters of the best epoch when training ends (default true).</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>The k of top-k accuracy (default 5). Computed only when k is below the number of outputs; otherwise every
    /// label is among the k highest and <see cref="Evaluation.TopKAccuracy"/> is NaN.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Checkpoint file written after every epoch (default null: none). Written atomically: a temporary file, then a rename.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Also write the checkpoint every this many steps inside an epoch (default 0: only at epoch ends).</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>CSV history rewritten after every epoch (default null: none).</summary>
    public string? HistoryCsvPath { get; init; }

    /// <summary>SVG learning curve rewritten after every epoch (default null: none).</summary>
    public string? LearningCurvePath { get; init; }

    /// <summary>Draws the learning curve's loss axis logarithmically, by decades (default linear from 0): a loss that falls by
    /// orders of magnitude, as a regression's does, stays readable after the first epochs.</summary>
    public bool LearningCurveLogScale { get; init; }

    /// <summary>Progress output (default null: silent). <see cref="ProgressDisplay.ForConsole"/> draws a bar with ETA and
    /// samples/s on a terminal and plain lines when output is redirected.</summary>
    public ProgressDisplay? Progress { get; init; }

    /// <summary>One weight per class for a <see cref="Loss.CrossEntropy"/> or <see cref="Loss.SoftmaxCrossEntropy"/> network, or
    /// two (class 0, class 1) for a <see cref="Loss.BinaryCrossEntropy"/> network with one sigmoid output (default null: every
    /// class weighs 1): the training and validation losses become the weighted mean Σᵢ w[yᵢ]·lᵢ / Σᵢ w[yᵢ] over each batch
    /// (and over the whole set in <see cref="Trainer.Evaluate(TrainingData)"/>) — PyTorch's <c>CrossEntropyLoss(weight=…)</c>,
    /// and for binary cross-entropy its per-sample <c>weight</c> summed and divided by the total weight.
    /// A multi-label network (several sigmoid outputs) takes none.
    /// <see cref="Training.ClassWeights.Balanced(Data.Dataset)"/> computes weights that balance the classes. The trainer copies
    /// them when it is constructed; each must be finite and ≥ 0, and one at least positive.</summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }

    /// <summary>Check loss, gradients and parameters for NaN/∞ after every backward pass, and the validation loss after
    /// every epoch (default true).</summary>
    public bool StopOnNonFinite { get; init; } = true;

    /// <summary>The processes that train together, data-parallel (default null: this process alone). Each takes its share
    /// of every batch of <see cref="BatchSize"/> samples (the global batch), gradients are averaged over all, and every
    /// process keeps the same parameters; rank 0 alone writes the checkpoint, history, learning curve and progress.
    /// NetGen.Distributed's <c>Communicators.World()</c> gives the processes <c>mpirun</c> started. See docs/distributed.md.</summary>
    public ICommunicator? Communicator { get; init; }

    /// <summary>With a <see cref="Communicator"/> of several processes, check every this many steps, and when training ends,
    /// that every process holds the same parameters and state, by comparing a hash of them (default 100; 0: only at the end).
    /// A difference stops training on every process with a <see cref="ReplicaMismatchException"/>.</summary>
    public int ReplicaCheckEverySteps { get; init; } = 100;

    /// <summary>With a <see cref="Communicator"/> of several processes, start the sum over the processes of each part of the
    /// gradients as soon as the backward pass has finished it, last layers first, while the pass goes on with the layers
    /// before (default true); false starts every sum after the pass. The parameters come out the same bits either way;
    /// see docs/distributed.md for what overlaps.</summary>
    public bool OverlapGradientSums { get; init; } = true;
}
