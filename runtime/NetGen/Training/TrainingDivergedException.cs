using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>Training met a NaN or infinity in the loss, a gradient or a parameter. The parameters are those before the step
/// that failed (no update was applied) and no checkpoint was written after the last good one.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a plain message.</summary>
    public TrainingDivergedException()
    {
        Layers = [];
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TrainingDivergedException(string message) : base(message)
    {
        Layers = [];
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException)
    {
        Layers = [];
    }

    internal TrainingDivergedException(string message, long step, int epoch, int batch, float loss, IReadOnlyList<string> layers) : base(message)
    {
        Step = step;
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        Layers = layers;
    }

    /// <summary>The 1-based global step that failed.</summary>
    public long Step { get; }

    /// <summary>The 1-based epoch of that step.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch within the epoch (0 when the epoch's validation loss was not finite).</summary>
    public int Batch { get; }

    /// <summary>The batch loss (possibly finite when only a gradient was not).</summary>
    public float Loss { get; }

    /// <summary>The layers with a non-finite gradient or parameter, in parameter-buffer order.</summary>
    public IReadOnlyList<string> Layers { get; }
}
