using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.IO;
using System.Reflection;

namespace NetGen.CompilerServices;

/// <summary>
/// The bytes of a weights file that NetGen's build targets embedded as a manifest resource ([Network(Weights = …)];
/// the generated <c>EmbeddedWeights</c> property calls this). A resource of an assembly loaded from its file, or of a
/// NativeAOT binary, is read in place from the loaded image; any other stream is copied once and kept.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EmbeddedWeightsResource
{
    private static readonly ConcurrentDictionary<(Assembly Assembly, string Name), byte[]> s_copies = new();

    /// <summary>The resource <paramref name="name"/> of <paramref name="assembly"/>, which the build checked to be a
    /// weights file of <paramref name="length"/> bytes.</summary>
    /// <exception cref="InvalidOperationException">The assembly has no such resource.</exception>
    /// <exception cref="InvalidDataException">The resource has another length than the file checked at build time.</exception>
    public static unsafe ReadOnlySpan<byte> Bytes(Assembly assembly, string name, long length)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(name);
        using Stream stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException(
            $"Assembly '{assembly.GetName().Name}' has no resource '{name}': its weights file was checked at build time but not embedded. "
            + "NetGen's build targets (build/NetGen.targets, brought by the NetGen package) embed every .safetensors AdditionalFiles item.");
        if (stream.Length != length)
        {
            throw new InvalidDataException(
                $"The resource '{name}' of assembly '{assembly.GetName().Name}' has {stream.Length:N0} bytes, but the weights file checked at build time had {length:N0}.");
        }
        if (stream is UnmanagedMemoryStream image)
        {
            // The loaded image owns this memory for as long as the assembly is loaded; disposing the stream does not free it.
            return new ReadOnlySpan<byte>(image.PositionPointer, checked((int)length));
        }
        return s_copies.GetOrAdd((assembly, name), static (key, source) =>
        {
            var bytes = new byte[source.Length];
            source.ReadExactly(bytes);
            return bytes;
        }, stream);
    }
}
