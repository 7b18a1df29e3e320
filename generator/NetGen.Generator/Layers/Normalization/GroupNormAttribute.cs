using System;

namespace NetGen;

/// <summary>
/// Group normalization (Wu and He): the channels are split into <c>groups</c> equal groups and each sample is normalized
/// per group over the group's channels × height × width, then scaled and shifted per channel (PyTorch's
/// <c>GroupNorm(groups, channels)</c>). One group is layer normalization with per-channel γ; as many groups as channels is
/// instance normalization. The same in training and inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormAttribute : Attribute
{
    /// <summary>Declares group normalization with <paramref name="groups"/> groups followed by <paramref name="activation"/>.</summary>
    public GroupNormAttribute(int groups, Activation activation = Activation.Identity)
    {
        Groups = groups;
        Activation = activation;
    }

    /// <summary>Number of channel groups; must divide the channel count.</summary>
    public int Groups { get; }

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β per channel (default <see langword="true"/>).</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>gnN</c>).</summary>
    public string? Name { get; set; }
}
