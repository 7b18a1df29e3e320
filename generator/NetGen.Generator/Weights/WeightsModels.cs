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

/// <summary>A .safetensors AdditionalFiles item: its path, the manifest resource NetGen's build targets embed it as (null
/// without the targets), its length, and its first bytes — the 8-byte header length and the header, never the data —
/// or why they could not be read. Equal files give equal values, so an unchanged header caches every later step.</summary>
internal sealed record WeightsFile(string Path, string? Resource, long Length, EquatableArray<byte> Start, string? ReadError);

/// <summary>What the emitter needs: where the class is and the checked file's resource. No locations, so it caches by
/// value.</summary>
internal sealed record EmbeddedWeights(string? Namespace, string TypeName, string FileName, string Resource, long Length);

/// <summary>The outcome for one network: the weights to load when the file fits, and the diagnostics otherwise.</summary>
internal sealed record WeightsResult(EmbeddedWeights? Embedded, EquatableArray<DiagnosticInfo> Diagnostics);
