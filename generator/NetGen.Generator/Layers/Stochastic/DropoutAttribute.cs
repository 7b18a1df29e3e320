using System;

namespace NetGen;

/// <summary>
/// Inverted dropout: in training mode each value is zeroed with probability <c>rate</c> (the DROP probability, as in
/// PyTorch and Keras) and the survivors are scaled by 1/(1 − rate), so inference is the identity. The mask of the last
/// training forward pass is reused by backward. Masks come from the network's seeded <see cref="CompilerServices.INetworkEngine.Random"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout that drops each value with probability <paramref name="rate"/> (0 ≤ rate &lt; 1).</summary>
    public DropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>The layer's name (default <c>dropoutN</c>).</summary>
    public string? Name { get; set; }
}
