using System;

namespace NetGen;

/// <summary>
/// A residual (skip) connection <c>H(x) = F(x) + x</c> (He et al.): adds the output of the earlier layer named
/// <c>from</c> (or <c>"input"</c>, the network input) to the output of the previous layer, then applies
/// <c>activation</c>. The shapes must match (error NG0104) unless <see cref="Projection"/> is set: then the skipped output
/// goes through a learned linear projection first — a dense layer for vectors, a 1×1 convolution with the stride that
/// matches the sizes for images (ResNet's option B) — with tensors <c>name.projection.weight</c> and <c>.bias</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>Declares a skip connection from the layer named <paramref name="from"/>, followed by <paramref name="activation"/>.</summary>
    public ResidualAttribute(string from, Activation activation = Activation.Identity)
    {
        From = from;
        Activation = activation;
    }

    /// <summary>The name of the layer whose output is added (<c>"input"</c> for the network input).</summary>
    public string From { get; }

    /// <summary>The nonlinearity applied to the sum.</summary>
    public Activation Activation { get; }

    /// <summary>Project the skipped output to the shape of the sum with a learned linear map (default
    /// <see langword="false"/>: identity, shapes must match).</summary>
    public bool Projection { get; set; }

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>resN</c>).</summary>
    public string? Name { get; set; }
}
