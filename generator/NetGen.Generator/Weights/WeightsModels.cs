using System;
using NetGen.Generator.Model;

namespace NetGen.Generator.Weights;

/// <summary>A tensor the network has: PyTorch name and shape.</summary>
internal sealed record ExpectedTensor(string Name, EquatableArray<int> Shape)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A network that names a weights file: where it says so, and the tensors the file must hold (empty when the
/// network itself has errors, which are reported by the main pipeline).</summary>
internal sealed record WeightsRequest(
    string? Namespace,
    string TypeName,
    string FileName,
    bool NetworkIsValid,
    EquatableArray<ExpectedTensor> Tensors,
    LocationInfo Location);

/// <summary>A .safetensors AdditionalFiles item: its path and bytes, or why the bytes could not be recovered.</summary>
internal sealed record WeightsFile(string Path, EquatableArray<byte> Bytes, string? ReadError);

/// <summary>What the emitter needs: where the class is and the checked bytes. No locations, so it caches by value.</summary>
internal sealed record EmbeddedWeights(string? Namespace, string TypeName, string FileName, EquatableArray<byte> Bytes);

/// <summary>The outcome for one network: bytes to embed when the file fits, and the diagnostics otherwise.</summary>
internal sealed record WeightsResult(EmbeddedWeights? Embedded, EquatableArray<DiagnosticInfo> Diagnostics);
