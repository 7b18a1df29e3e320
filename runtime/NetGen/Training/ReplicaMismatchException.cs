using System;

namespace NetGen.Training;

/// <summary>Raised on every process of a data-parallel run when their parameters or state are no longer bit-identical
/// (a rank loaded other weights, or the sums are not deterministic); see <see cref="TrainerOptions.ReplicaCheckEverySteps"/>.</summary>
public sealed class ReplicaMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReplicaMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReplicaMismatchException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReplicaMismatchException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The step after which the difference was found.</summary>
    public long Step { get; init; }
}
