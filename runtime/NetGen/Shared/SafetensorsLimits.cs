namespace NetGen;

/// <summary>
/// Limits of a safetensors header that the runtime's reader and the generator's reader (build-time weights) both apply,
/// so a file the build accepts is one the program can load. Shared verbatim by both (linked source).
/// </summary>
internal static class SafetensorsLimits
{
    /// <summary>Containers nested at most this deep: the header object, a tensor's object and its shape need 3. A deeper
    /// header is refused before it can exhaust the stack of a recursive reader (the compiler's, in the generator).</summary>
    public const int MaxDepth = 8;

    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderLength = 100_000_000;
}
