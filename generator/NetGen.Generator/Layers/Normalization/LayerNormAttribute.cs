using System;

namespace NetGen;

/// <summary>
/// Layer normalization (Ba et al.): each sample is normalized over all of its features (C·H·W for an image) with its own
/// mean and biased variance, <c>y = γ ⊙ (x − μ)/√(σ² + ε) + β</c> with γ and β of the sample's shape (PyTorch's
/// <c>LayerNorm(normalized_shape)</c>). The same in training and inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Declares layer normalization followed by <paramref name="activation"/>.</summary>
    public LayerNormAttribute(Activation activation = Activation.Identity) => Activation = activation;

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β (default <see langword="true"/>).</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>lnN</c>).</summary>
    public string? Name { get; set; }
}
