using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Training;

namespace NetGen.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> on Open MPI's <c>MPI_COMM_WORLD</c>. Sums run Open MPI's ring algorithms, pinned before
/// <c>MPI_Init</c> unless the environment already chose one: in a ring every element is added up by one rank, in rank
/// order, and then copied to the others, so every rank holds the same bits (a tree or recursive doubling may add in
/// different orders on different ranks).
/// </summary>
internal sealed unsafe class OpenMpiCommunicator : ICommunicator
{
    /// <summary>MCA parameters that make sums deterministic (Open MPI reads <c>OMPI_MCA_*</c> variables at <c>MPI_Init</c>):
    /// the blocking allreduce of the tuned component and the non-blocking one of libnbc, both as rings.</summary>
    internal static readonly (string Name, string Value)[] DeterministicReductions =
    [
        ("OMPI_MCA_coll_tuned_use_dynamic_rules", "1"),
        ("OMPI_MCA_coll_tuned_allreduce_algorithm", "4"),
        ("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1"),
    ];

    /// <summary>MPI takes a count as an int: larger sums go in pieces of this many elements.</summary>
    private const int MaxCount = 1 << 30;

    private readonly List<nint> _requests = new();

    private OpenMpiCommunicator(int rank, int size)
    {
        Rank = rank;
        Size = size;
    }

    public int Rank { get; }

    public int Size { get; }

    /// <summary>Loads Open MPI, pins the reduction algorithms, initializes MPI and arranges for <c>MPI_Finalize</c> at exit
    /// and <c>MPI_Abort</c> on an unhandled exception.</summary>
    public static OpenMpiCommunicator Initialize(string launcherVariable)
    {
        OpenMpi.Load(launcherVariable);
        int initialized;
        OpenMpi.Check(OpenMpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            foreach ((string name, string value) in DeterministicReductions)
            {
                // The native environment, which MPI_Init reads (Environment.SetEnvironmentVariable changes only .NET's copy);
                // a value the user exported is kept.
                OpenMpi.SetEnvironment(name, value, overwrite: 0);
            }
            OpenMpi.Check(OpenMpi.Init(null, null), "MPI_Init");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => FinalizeMpi();
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                Console.Error.WriteLine($"NetGen.Distributed: rank failed: {e.ExceptionObject}");
                OpenMpi.Abort(OpenMpi.CommWorld, 1);
            };
        }
        int rank, size;
        OpenMpi.Check(OpenMpi.CommRank(OpenMpi.CommWorld, &rank), "MPI_Comm_rank");
        OpenMpi.Check(OpenMpi.CommSize(OpenMpi.CommWorld, &size), "MPI_Comm_size");
        return new OpenMpiCommunicator(rank, size);
    }

    private static void FinalizeMpi()
    {
        int finalized;
        if (OpenMpi.Finalized(&finalized) == OpenMpi.Success && finalized == 0)
        {
            OpenMpi.Finalize();
        }
    }

    public void Broadcast(Span<float> buffer, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        fixed (float* start = buffer)
        {
            for (int offset = 0; offset < buffer.Length; offset += MaxCount)
            {
                OpenMpi.Check(OpenMpi.Bcast(start + offset, Math.Min(MaxCount, buffer.Length - offset), OpenMpi.Float, root, OpenMpi.CommWorld), "MPI_Bcast");
            }
        }
    }

    public void StartSum(Span<float> buffer)
    {
        // The caller guarantees the memory does not move until WaitAll (a network's gradients are pinned).
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
        for (int offset = 0; offset < buffer.Length; offset += MaxCount)
        {
            nint request;
            OpenMpi.Check(OpenMpi.Iallreduce(OpenMpi.InPlace, start + offset, Math.Min(MaxCount, buffer.Length - offset), OpenMpi.Float, OpenMpi.OpSum,
                OpenMpi.CommWorld, &request), "MPI_Iallreduce");
            _requests.Add(request);
        }
    }

    public void WaitAll()
    {
        if (_requests.Count == 0)
        {
            return;
        }
        Span<nint> requests = CollectionsMarshal.AsSpan(_requests);
        fixed (nint* pending = requests)
        {
            OpenMpi.Check(OpenMpi.Waitall(requests.Length, pending, 0), "MPI_Waitall");
        }
        _requests.Clear();
    }

    public void Progress()
    {
        // MPI_Testall moves the pending sums along (Open MPI's non-blocking collectives advance only inside MPI calls) and,
        // once all are done, frees them; until then it leaves them to WaitAll.
        if (_requests.Count == 0)
        {
            return;
        }
        Span<nint> requests = CollectionsMarshal.AsSpan(_requests);
        int done;
        fixed (nint* pending = requests)
        {
            OpenMpi.Check(OpenMpi.Testall(requests.Length, pending, &done, 0), "MPI_Testall");
        }
        if (done != 0)
        {
            _requests.Clear();
        }
    }

    public void Sum(Span<double> values)
    {
        fixed (double* start = values)
        {
            OpenMpi.Check(OpenMpi.Allreduce(OpenMpi.InPlace, start, values.Length, OpenMpi.Double, OpenMpi.OpSum, OpenMpi.CommWorld), "MPI_Allreduce");
        }
    }

    public bool AllEqual(ulong value)
    {
        // Equal everywhere exactly when the largest value and the largest complement are this rank's own.
        ulong* both = stackalloc ulong[] { value, ~value };
        OpenMpi.Check(OpenMpi.Allreduce(OpenMpi.InPlace, both, 2, OpenMpi.UInt64, OpenMpi.OpMax, OpenMpi.CommWorld), "MPI_Allreduce");
        return both[0] == value && both[1] == ~value;
    }

    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        OpenMpi.Abort(OpenMpi.CommWorld, exitCode);
        // MPI_Abort does not return; if an implementation did, end this process anyway.
        Environment.Exit(exitCode);
    }
}
