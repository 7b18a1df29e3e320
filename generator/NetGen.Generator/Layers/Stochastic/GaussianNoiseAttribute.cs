using System;

namespace NetGen;

/// <summary>Additive Gaussian noise N(0, σ²) on every value in training mode (a regularizer); identity in inference mode
/// and in backward.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GaussianNoiseAttribute : Attribute
{
    /// <summary>Declares noise of standard deviation <paramref name="standardDeviation"/> (≥ 0).</summary>
    public GaussianNoiseAttribute(float standardDeviation) => StandardDeviation = standardDeviation;

    /// <summary>σ.</summary>
    public float StandardDeviation { get; }

    /// <summary>The layer's name (default <c>noiseN</c>).</summary>
    public string? Name { get; set; }
}
