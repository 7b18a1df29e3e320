using System;
using System.Diagnostics.CodeAnalysis;
using NetGen.Training;

namespace NetGen.Distributed;

/// <summary>The processes this program runs as: all the ranks <c>mpirun</c> started, or this process alone.</summary>
public static class Communicators
{
    private static readonly object s_lock = new();
    private static ICommunicator? s_world;

    /// <summary>
    /// Every process of this run. Under <c>mpirun</c> (Open MPI sets <c>OMPI_COMM_WORLD_SIZE</c>; PMI launchers such as
    /// Slurm's set <c>PMI_SIZE</c> or <c>PMIX_RANK</c>) this initializes MPI once and returns its world; started any other
    /// way it returns a world of one process, which needs no MPI library. Call it once at start-up, on every rank.
    /// </summary>
    /// <exception cref="DllNotFoundException">The process was started by an MPI launcher but Open MPI's library cannot be
    /// loaded (the message names the library and the variable that overrides it).</exception>
    public static ICommunicator World()
    {
        lock (s_lock)
        {
            return s_world ??= LaunchedByMpi(out string variable) ? OpenMpiCommunicator.Initialize(variable) : new SingleProcess();
        }
    }

    /// <summary>Whether an MPI launcher started this process, with the variable that says so.</summary>
    internal static bool LaunchedByMpi(out string variable)
    {
        foreach (string name in (ReadOnlySpan<string>)["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"])
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                variable = name;
                return true;
            }
        }
        variable = "";
        return false;
    }

    /// <summary>A world of one: every collective is the identity.</summary>
    private sealed class SingleProcess : ICommunicator
    {
        public int Rank => 0;

        public int Size => 1;

        public void Broadcast(Span<float> buffer, int root) => ArgumentOutOfRangeException.ThrowIfNotEqual(root, 0);

        public void StartSum(Span<float> buffer)
        {
        }

        public void WaitAll()
        {
        }

        public void Sum(Span<double> values)
        {
        }

        public bool AllEqual(ulong value) => true;

        [DoesNotReturn]
        public void Abort(int exitCode) => Environment.Exit(exitCode);
    }
}
