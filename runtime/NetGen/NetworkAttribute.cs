using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network compiled by NetGen. The layers are the layer attributes on the same
/// declaration, in the order written; the first must be <see cref="InputAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The training objective. <see cref="NetGen.Loss.None"/> (the default) makes an inference-only network.</summary>
    public Loss Loss { get; set; }

    /// <summary>A safetensors file (an <c>AdditionalFiles</c> item, matched by file name or trailing path) whose weights
    /// are embedded in the assembly at build time. The build fails if its tensor names, dtypes or shapes do not match the
    /// network; the generated <c>WithEmbeddedWeights()</c> and <c>LoadEmbeddedWeights()</c> load it.</summary>
    public string? Weights { get; set; }
}
