namespace NetGen;

/// <summary>The nonlinearity a layer applies to its pre-activation <c>z</c>.</summary>
/// <remarks>
/// Shared verbatim by the runtime and the generator (linked source), so both agree on the numbering.
/// Conventions at the kinks: ReLU'(0) = LeakyReLU'(0) = 1 (the linear branch includes 0);
/// ELU and SELU use the exponential branch for z ≤ 0, so SELU'(0) = λα; Sign(0) = +1 and Step(0) = 1.
/// </remarks>
public enum Activation
{
    /// <summary><c>a = z</c>.</summary>
    Identity = 0,
    /// <summary><c>σ(z) = 1 / (1 + e^−z)</c>, derivative <c>σ(1 − σ)</c>.</summary>
    Sigmoid = 1,
    /// <summary><c>tanh z</c>, derivative <c>1 − tanh² z</c>.</summary>
    Tanh = 2,
    /// <summary><c>max(0, z)</c>; derivative 1 for z ≥ 0, else 0.</summary>
    ReLU = 3,
    /// <summary><c>z</c> for z ≥ 0, else <c>α·z</c> (α defaults to 0.01).</summary>
    LeakyReLU = 4,
    /// <summary><c>z</c> for z &gt; 0, else <c>α(e^z − 1)</c> (α defaults to 1).</summary>
    ELU = 5,
    /// <summary><c>λ·z</c> for z &gt; 0, else <c>λα(e^z − 1)</c> with λ = 1.0507009873554805, α = 1.6732632423543772.</summary>
    SELU = 6,
    /// <summary><c>ln(1 + e^z)</c>, derivative <c>σ(z)</c>.</summary>
    Softplus = 7,
    /// <summary><c>e^zᵢ / Σₖ e^zₖ</c> over the layer's outputs; allowed on the output layer only.</summary>
    Softmax = 8,
    /// <summary><c>+1</c> for z ≥ 0, else <c>−1</c>. Inference only (perceptrons): its derivative is 0 almost everywhere.</summary>
    Sign = 9,
    /// <summary><c>1</c> for z ≥ 0, else <c>0</c> (Heaviside). Inference only.</summary>
    Step = 10,
}
