using System;

namespace NetGen;

/// <summary>
/// Alpha dropout for self-normalizing (SELU) networks (Klambauer et al.): a dropped value is set to SELU's saturation
/// <c>α' = −λα</c> instead of 0, then <c>y = a·x̃ + b</c> with <c>a = (q + α'²q(1 − q))^(−1/2)</c>, <c>b = −a(1 − q)α'</c>
/// and keep probability <c>q = 1 − rate</c>, so zero mean and unit variance survive. Identity in inference mode.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AlphaDropoutAttribute : Attribute
{
    /// <summary>Declares alpha dropout that drops each value with probability <paramref name="rate"/> (0 ≤ rate &lt; 1).</summary>
    public AlphaDropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>The layer's name (default <c>dropoutN</c>).</summary>
    public string? Name { get; set; }
}
