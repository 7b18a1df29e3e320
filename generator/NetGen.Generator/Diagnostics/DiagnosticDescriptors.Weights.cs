using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>Diagnostics of weights baked in at build time ([Network(Weights = "file.safetensors")]).</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
        "NG0050", Declaration, "Weights file is not an AdditionalFiles item",
        "Network '{0}' names weights file '{1}', but no AdditionalFiles item has that name; add <AdditionalFiles Include=\"{1}\" /> to the project");

    public static readonly DiagnosticDescriptor WeightsFileInvalid = Error(
        "NG0051", Declaration, "Weights file is not a valid safetensors file",
        "Weights file '{0}' of network '{1}' is not a valid safetensors file: {2}");

    public static readonly DiagnosticDescriptor WeightsFileNotEmbedded = Error(
        "NG0052", Declaration, "Weights file is not embedded by NetGen's build targets",
        "Weights file '{0}' of network '{1}' is an AdditionalFiles item but is not embedded: NetGen's build targets embed every .safetensors item as a resource; reference NetGen as a package, or import its build/NetGen.targets");

    public static readonly DiagnosticDescriptor WeightsFileTooLarge = Error(
        "NG0053", Declaration, "Weights file is too large to embed",
        "Weights file '{0}' of network '{1}' has {2} bytes, more than the {3} that can be embedded; load it at run time with network.Load(path) instead");

    public static readonly DiagnosticDescriptor WeightsShapeMismatch = Error(
        "NG0150", Shape, "Weights file tensor has another shape than the network's",
        "Weights file '{0}': tensor '{1}' has shape {2}, but network '{3}' expects {4}");

    public static readonly DiagnosticDescriptor WeightsTensorMissing = Error(
        "NG0151", Shape, "Weights file lacks a tensor of the network",
        "Weights file '{0}' has no tensor '{1}'; network '{2}' expects F32 {3}");

    public static readonly DiagnosticDescriptor WeightsTensorUnexpected = Error(
        "NG0152", Shape, "Weights file has a tensor the network does not have",
        "Weights file '{0}' has tensor '{1}' {2}, which network '{3}' does not have (its tensors: {4})");

    public static readonly DiagnosticDescriptor WeightsDTypeMismatch = Error(
        "NG0153", Shape, "Weights file tensor is not F32",
        "Weights file '{0}': tensor '{1}' has dtype {2}, but network '{3}' loads F32; save it with tensor.float()");
}
