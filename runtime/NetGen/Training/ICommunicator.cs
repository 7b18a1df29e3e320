using System;
using System.Diagnostics.CodeAnalysis;

namespace NetGen.Training;

/// <summary>
/// The processes of a data-parallel run and the collective operations a <see cref="Trainer"/> needs from them. Every
/// process runs the same program; each calls these operations in the same order. The NetGen.Distributed package
/// implements it on Open MPI (<c>Communicators.World()</c>); another transport implements these members.
/// </summary>
/// <remarks>Sums must be deterministic: the same inputs give every process the same bits, so that replicas that start
/// equal stay equal (the trainer checks it with <see cref="AllEqual"/>).</remarks>
public interface ICommunicator
{
    /// <summary>This process's index, 0 … <see cref="Size"/> − 1; rank 0 writes checkpoints, history and progress.</summary>
    int Rank { get; }

    /// <summary>Number of processes.</summary>
    int Size { get; }

    /// <summary>Copies <paramref name="buffer"/> of rank <paramref name="root"/> into every other rank's buffer (same length
    /// on every rank).</summary>
    void Broadcast(Span<float> buffer, int root);

    /// <summary>Starts replacing <paramref name="buffer"/> by its element-wise sum over all ranks and returns without waiting.
    /// The buffer must not move (native memory or a pinned array, as a network's gradients are) and must not be read or
    /// written until <see cref="WaitAll"/> returns.</summary>
    void StartSum(Span<float> buffer);

    /// <summary>Waits for every sum <see cref="StartSum"/> started.</summary>
    void WaitAll();

    /// <summary>Lets the sums started so far advance without waiting for them: the trainer calls it between steps of the
    /// backward pass, for transports that move a sum along only inside their own calls (Open MPI's do). The default does
    /// nothing.</summary>
    void Progress()
    {
    }

    /// <summary>Replaces <paramref name="values"/> by their element-wise sum over all ranks.</summary>
    void Sum(Span<double> values);

    /// <summary>Whether every rank passed the same <paramref name="value"/> (every rank gets the same answer).</summary>
    bool AllEqual(ulong value);

    /// <summary>Ends every process of the run with <paramref name="exitCode"/>, so that no rank waits forever for one that
    /// failed.</summary>
    [DoesNotReturn]
    void Abort(int exitCode);
}
