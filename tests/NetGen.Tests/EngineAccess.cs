using NetGen.CompilerServices;

namespace NetGen.Tests;

/// <summary>The engine contract of a generated network, which its class implements explicitly: tests of the trainer's
/// and the optimizers' plumbing reach it here.</summary>
internal static class EngineAccess
{
    public static INetworkEngine Engine(this INetwork network) => (INetworkEngine)network;
}
