using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>AdaGrad: <c>r ← r + g², θ ← θ − η·g / (√r + ε)</c>. No decay of r (adding one, as one review does, turns it into
/// RMSprop). Defaults: η = 0.01, ε = 1e−10 (outside the root, as PyTorch). State: r.</summary>
public sealed class AdaGrad(float learningRate = 0.01f, float epsilon = 1e-10f) : Optimizer(learningRate)
{
    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override string Name => "AdaGrad";

    /// <inheritdoc/>
    protected override int StateSlots => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new RootMeanSquareRule(LearningRate, 1f, 1f, Epsilon), parameters, gradients, state[0], default, state.StreamParameters);
}

/// <summary>RMSprop: <c>r ← γ·r + (1 − γ)·g², θ ← θ − η·g / (√r + ε)</c>. Defaults: η = 0.001, γ = 0.9, ε = 1e−8 (outside the
/// root). State: r.</summary>
public sealed class RmsProp(float learningRate = 0.001f, float gamma = 0.9f, float epsilon = 1e-8f) : Optimizer(learningRate)
{
    /// <summary>γ, the decay of the squared-gradient average.</summary>
    public float Gamma { get; } = gamma;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override string Name => "RMSprop";

    /// <inheritdoc/>
    protected override int StateSlots => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new RootMeanSquareRule(LearningRate, Gamma, 1f - Gamma, Epsilon), parameters, gradients, state[0], default, state.StreamParameters);
}

/// <summary><c>r ← decay·r + weight·g², θ ← θ − η·g/(√r + ε)</c>: AdaGrad (1, 1) and RMSprop (γ, 1 − γ).</summary>
internal readonly struct RootMeanSquareRule(float eta, float decay, float weight, float epsilon) : IStepRule
{
    public static int States => 1;

    public void Apply(ref float p, float g, ref float r, ref float unused)
    {
        r = decay * r + weight * (g * g);
        p -= eta * g / (MathF.Sqrt(r) + epsilon);
    }

    public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> r, ref Vector256<float> unused)
    {
        r = Vector256.Create(decay) * r + Vector256.Create(weight) * (g * g);
        p -= Vector256.Create(eta) * g / (Vector256.Sqrt(r) + Vector256.Create(epsilon));
    }

    public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> r, ref Vector512<float> unused)
    {
        r = Vector512.Create(decay) * r + Vector512.Create(weight) * (g * g);
        p -= Vector512.Create(eta) * g / (Vector512.Sqrt(r) + Vector512.Create(epsilon));
    }
}

/// <summary>
/// Adadelta (Zeiler 2012): <c>r ← ρr + (1 − ρ)g²; Δ = √(u + ε)/√(r + ε)·g; u ← ρu + (1 − ρ)Δ²; θ ← θ − η·Δ</c>. The update
/// subtracts Δ (the notes print it without the minus). Defaults: η = 1 (the original rule has no learning rate), ρ = 0.95,
/// ε = 1e−6 (inside the roots, as in the paper). State: r, u.
/// </summary>
public sealed class Adadelta(float learningRate = 1f, float rho = 0.95f, float epsilon = 1e-6f) : Optimizer(learningRate)
{
    /// <summary>ρ.</summary>
    public float Rho { get; } = rho;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override string Name => "Adadelta";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(LearningRate, Rho, Epsilon), parameters, gradients, state[0], state[1], state.StreamParameters);

    private readonly struct Rule(float eta, float rho, float epsilon) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float r, ref float u)
        {
            r = rho * r + (1f - rho) * (g * g);
            float delta = MathF.Sqrt(u + epsilon) / MathF.Sqrt(r + epsilon) * g;
            u = rho * u + (1f - rho) * (delta * delta);
            p -= eta * delta;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> r, ref Vector256<float> u)
        {
            Vector256<float> rh = Vector256.Create(rho), rest = Vector256.Create(1f - rho), eps = Vector256.Create(epsilon);
            r = rh * r + rest * (g * g);
            Vector256<float> delta = Vector256.Sqrt(u + eps) / Vector256.Sqrt(r + eps) * g;
            u = rh * u + rest * (delta * delta);
            p -= Vector256.Create(eta) * delta;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> r, ref Vector512<float> u)
        {
            Vector512<float> rh = Vector512.Create(rho), rest = Vector512.Create(1f - rho), eps = Vector512.Create(epsilon);
            r = rh * r + rest * (g * g);
            Vector512<float> delta = Vector512.Sqrt(u + eps) / Vector512.Sqrt(r + eps) * g;
            u = rh * u + rest * (delta * delta);
            p -= Vector512.Create(eta) * delta;
        }
    }
}

/// <summary>
/// Adam with bias correction: <c>m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ);
/// θ ← θ − η·m̂/(√v̂ + ε)</c>, ε outside the root. Defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e−8. State: m, v.
/// </summary>
public class Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) : Optimizer(learningRate)
{
    /// <summary>β₁.</summary>
    public float Beta1 { get; } = beta1;

    /// <summary>β₂.</summary>
    public float Beta2 { get; } = beta2;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    public override string Name => "Adam";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state)
    {
        double t = StepCount;
        float correction1 = (float)(1.0 / (1.0 - Math.Pow(Beta1, t)));
        float correction2 = (float)(1.0 / (1.0 - Math.Pow(Beta2, t)));
        StepKernel.Run(new Rule(LearningRate, Beta1, Beta2, Epsilon, correction1, correction2), parameters, gradients, state[0], state[1], state.StreamParameters);
    }

    private readonly struct Rule(float eta, float beta1, float beta2, float epsilon, float c1, float c2) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float m, ref float v)
        {
            m = beta1 * m + (1f - beta1) * g;
            v = beta2 * v + (1f - beta2) * (g * g);
            p -= eta * (m * c1) / (MathF.Sqrt(v * c2) + epsilon);
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> m, ref Vector256<float> v)
        {
            m = Vector256.Create(beta1) * m + Vector256.Create(1f - beta1) * g;
            v = Vector256.Create(beta2) * v + Vector256.Create(1f - beta2) * (g * g);
            p -= Vector256.Create(eta) * (m * Vector256.Create(c1)) / (Vector256.Sqrt(v * Vector256.Create(c2)) + Vector256.Create(epsilon));
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> m, ref Vector512<float> v)
        {
            m = Vector512.Create(beta1) * m + Vector512.Create(1f - beta1) * g;
            v = Vector512.Create(beta2) * v + Vector512.Create(1f - beta2) * (g * g);
            p -= Vector512.Create(eta) * (m * Vector512.Create(c1)) / (Vector512.Sqrt(v * Vector512.Create(c2)) + Vector512.Create(epsilon));
        }
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter): decoupled weight decay <c>θ ← θ − η·λ·θ</c> on the tensors the decay mask selects (weights
/// only unless <see cref="Optimizer.DecayBiases"/>), then the <see cref="Adam"/> step. Defaults as Adam plus λ = 0.01
/// (PyTorch's). Use this λ instead of <see cref="Optimizer.L2"/>, which would pass through the adaptive scaling.
/// </summary>
public sealed class AdamW(float learningRate = 0.001f, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    : Adam(learningRate, beta1, beta2, epsilon)
{
    /// <summary>λ, the decoupled decay per unit of learning rate.</summary>
    public float WeightDecay { get; } = weightDecay;

    /// <inheritdoc/>
    public override string Name => "AdamW";

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state)
    {
        if (WeightDecay != 0f)
        {
            VectorOps.AddScaledMasked(parameters, parameters, state.DecayMask, -LearningRate * WeightDecay);
        }
        base.Update(parameters, gradients, state);
    }
}
