using System.Collections.Generic;
using NetGen.Generator.Layers.Convolution;
using NetGen.Generator.Layers.Dense;
using NetGen.Generator.Layers.Flatten;
using NetGen.Generator.Layers.Input;
using NetGen.Generator.Layers.Normalization;
using NetGen.Generator.Layers.Pooling;
using NetGen.Generator.Layers.Residual;
using NetGen.Generator.Layers.Stochastic;
using NetGen.Generator.Layers.TransposedConvolution;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Every layer family the generator knows, one line each, and their lookup by attribute and by kind.</summary>
internal static class LayerRegistry
{
    private static readonly LayerFamily[] s_families =
    [
        new InputFamily(),
        new DenseFamily(),
        new ConvolutionFamily(),
        new TransposedConvolutionFamily(),
        new PoolingFamily(),
        new NormalizationFamily(),
        new LocalResponseNormFamily(),
        new StochasticFamily(),
        new ResidualFamily(),
        new FlattenFamily(),
    ];

    private static readonly Dictionary<string, LayerFamily> s_byKind = ByKind();

    /// <summary>The family and kind declared by the attribute class <paramref name="attributeName"/>, if it is a layer's.</summary>
    public static bool TryFindAttribute(string? attributeName, out LayerFamily family, out string kind)
    {
        const string Prefix = "NetGen.", Suffix = "Attribute";
        family = null!;
        kind = "";
        if (attributeName is null || !attributeName.StartsWith(Prefix, System.StringComparison.Ordinal) || !attributeName.EndsWith(Suffix, System.StringComparison.Ordinal))
        {
            return false;
        }
        kind = attributeName.Substring(Prefix.Length, attributeName.Length - Prefix.Length - Suffix.Length);
        return s_byKind.TryGetValue(kind, out family!);
    }

    public static LayerFamily Of(string kind) => s_byKind[kind];

    public static LayerFamily Of(LayerSpec layer) => s_byKind[layer.Kind];

    public static LayerFamily Of(LayerPlan layer) => s_byKind[layer.Kind];

    private static Dictionary<string, LayerFamily> ByKind()
    {
        var byKind = new Dictionary<string, LayerFamily>(System.StringComparer.Ordinal);
        foreach (LayerFamily family in s_families)
        {
            foreach (string kind in family.Kinds)
            {
                byKind.Add(kind, family);
            }
        }
        return byKind;
    }
}
