using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NetGen.Distributed;

/// <summary>
/// The few functions of Open MPI's C API the communicator calls. Open MPI's handles (<c>MPI_COMM_WORLD</c>,
/// <c>MPI_FLOAT</c>, <c>MPI_SUM</c>…) are the addresses of exported globals, read with <see cref="NativeLibrary.GetExport"/>;
/// <c>MPI_IN_PLACE</c> is the address 1 and <c>MPI_STATUSES_IGNORE</c> the address 0.
/// </summary>
internal static unsafe partial class OpenMpi
{
    private const string Library = "mpi";

    /// <summary>The variable that names another library file than <see cref="DefaultLibrary"/>.</summary>
    public const string LibraryVariable = "NETGEN_MPI_LIBRARY";

    /// <summary>Open MPI 4 and 5's ABI (Debian's openmpi-bin 4.1).</summary>
    public const string DefaultLibrary = "libmpi.so.40";

    public const int Success = 0;

    public static readonly nint InPlace = 1;

    private static nint s_handle;

    public static nint CommWorld { get; private set; }

    public static nint Float { get; private set; }

    public static nint Double { get; private set; }

    public static nint UInt64 { get; private set; }

    public static nint OpSum { get; private set; }

    public static nint OpMax { get; private set; }

    /// <summary>Loads the library (once) and reads its handles.</summary>
    /// <exception cref="DllNotFoundException">The library cannot be loaded; the message says which and how to fix it.</exception>
    public static void Load(string launcherVariable)
    {
        if (s_handle != 0)
        {
            return;
        }
        string? configured = Environment.GetEnvironmentVariable(LibraryVariable);
        string name = string.IsNullOrEmpty(configured) ? DefaultLibrary : configured;
        if (!NativeLibrary.TryLoad(name, out nint handle))
        {
            throw new DllNotFoundException($"NetGen.Distributed: this process was started by an MPI launcher ({launcherVariable} is set) but Open MPI's library '{name}' cannot be loaded. Install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev) or set {LibraryVariable} to the path of libmpi.so.40.");
        }
        CommWorld = Export(handle, name, "ompi_mpi_comm_world");
        Float = Export(handle, name, "ompi_mpi_float");
        Double = Export(handle, name, "ompi_mpi_double");
        UInt64 = Export(handle, name, "ompi_mpi_uint64_t");
        OpSum = Export(handle, name, "ompi_mpi_op_sum");
        OpMax = Export(handle, name, "ompi_mpi_op_max");
        s_handle = handle;
        NativeLibrary.SetDllImportResolver(typeof(OpenMpi).Assembly, Resolve);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName == Library ? s_handle : 0;

    private static nint Export(nint handle, string library, string symbol) => NativeLibrary.TryGetExport(handle, symbol, out nint address)
        ? address
        : throw new DllNotFoundException($"NetGen.Distributed: '{library}' has no symbol '{symbol}'; it is not Open MPI (MPICH and others name their handles differently). Set {LibraryVariable} to Open MPI's libmpi.so.40.");

    /// <summary>Throws naming the call when MPI returns an error (Open MPI's default handler aborts first; this is for a
    /// communicator set to return errors).</summary>
    public static void Check(int result, string call)
    {
        if (result != Success)
        {
            throw new InvalidOperationException($"{call} failed with MPI error {result}.");
        }
    }

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(int* flag);

    [LibraryImport(Library, EntryPoint = "MPI_Init")]
    public static partial int Init(int* argc, nint* argv);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(int* flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(nint communicator, int* rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(nint communicator, int* size);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    public static partial int Bcast(void* buffer, int count, nint datatype, int root, nint communicator);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    public static partial int Allreduce(nint sendBuffer, void* receiveBuffer, int count, nint datatype, nint op, nint communicator);

    [LibraryImport(Library, EntryPoint = "MPI_Iallreduce")]
    public static partial int Iallreduce(nint sendBuffer, void* receiveBuffer, int count, nint datatype, nint op, nint communicator, nint* request);

    [LibraryImport(Library, EntryPoint = "MPI_Waitall")]
    public static partial int Waitall(int count, nint* requests, nint statuses);

    [LibraryImport(Library, EntryPoint = "MPI_Testall")]
    public static partial int Testall(int count, nint* requests, int* flag, nint statuses);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    public static partial int Abort(nint communicator, int errorCode);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnvironment(string name, string value, int overwrite);
}
