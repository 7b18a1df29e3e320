using NetGen.CompilerServices;

namespace NetGen.Tests;

/// <summary>The engine contract of a generated network, which its class implements explicitly: tests of the trainer's
/// and the optimizers' plumbing reach it here.</summary>
internal static class EngineAccess
{
    public static INetworkEngine Engine(this INetwork network) => (INetworkEngine)network;

    /// <summary>Runs <paramref name="network"/> on <paramref name="threads"/> threads and splits every step over them, however
    /// little work it has, so that a test of a small network exercises the split.</summary>
    public static T SplitOver<T>(this T network, int threads)
        where T : INetwork
    {
        network.Engine().MinimumWorkPerPart = 0;
        network.Threads = threads;
        return network;
    }
}
