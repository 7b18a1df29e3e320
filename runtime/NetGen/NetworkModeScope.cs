using System;

namespace NetGen;

/// <summary>Sets a network's <see cref="INetwork.Mode"/> for the length of a <c>using</c> block and restores the caller's
/// mode at its end, also when the block throws.</summary>
internal readonly struct NetworkModeScope : IDisposable
{
    private readonly INetwork _network;
    private readonly NetworkMode _saved;

    public NetworkModeScope(INetwork network, NetworkMode mode)
    {
        _network = network;
        _saved = network.Mode;
        network.Mode = mode;
    }

    public void Dispose() => _network.Mode = _saved;
}
