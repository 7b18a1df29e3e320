using System;

namespace NetGen;

/// <summary>
/// Batch normalization (Ioffe and Szegedy) of the previous layer's output, then <c>activation</c>. In training mode each
/// feature (each channel of an image, over batch × height × width) is normalized with the batch mean and biased variance,
/// <c>y = γ(x − μ)/√(σ² + ε) + β</c>, and the running averages are updated as PyTorch does:
/// <c>running = (1 − momentum)·running + momentum·batch</c>, the variance with the unbiased m/(m − 1) correction. In
/// inference mode the running averages replace the batch statistics. Tensors: <c>weight</c> (γ, starts at 1),
/// <c>bias</c> (β, 0), and the state <c>running_mean</c> (0) and <c>running_var</c> (1).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>Declares batch normalization followed by <paramref name="activation"/>.</summary>
    public BatchNormAttribute(Activation activation = Activation.Identity) => Activation = activation;

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Weight of the newest batch in the running averages (default 0.1, PyTorch's).</summary>
    public float Momentum { get; set; } = 0.1f;

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β (default <see langword="true"/>); without, y = x̂.</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>bnN</c>).</summary>
    public string? Name { get; set; }
}
