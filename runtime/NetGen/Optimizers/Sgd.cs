using System;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.Optimizers;

/// <summary>Plain (mini-batch) gradient descent <c>θ ← θ − η·g</c>. Default η = 0.01.</summary>
public sealed class Sgd(float learningRate = 0.01f) : Optimizer(learningRate)
{
    /// <inheritdoc/>
    public override string Name => "SGD";

    /// <inheritdoc/>
    protected override int StateSlots => 0;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) => VectorOps.AddScaled(parameters, gradients, -LearningRate);
}

/// <summary>Which of the two equivalent-looking momentum updates <see cref="Momentum"/> runs.</summary>
public enum MomentumForm
{
    /// <summary>Heavy ball: <c>v ← ρ·v + g, θ ← θ − η·v</c> (the lecture slides, PyTorch's <c>SGD(momentum=ρ)</c>).</summary>
    HeavyBall,
    /// <summary>Exponential moving average (Klambauer 7.15/7.22): <c>m ← μ·m + (1 − μ)·g, θ ← θ − η·m</c>. Equal to the heavy
    /// ball with η scaled by (1 − μ). The notes' velocity form (7.22) <c>m ← μm − η′g, Δw = m</c> needs η′ = +η(1 − μ); the
    /// printed η′ = −η(1 − μ) would climb the loss.</summary>
    Average,
}

/// <summary>Gradient descent with momentum. Defaults: η = 0.01, ρ (μ) = 0.9, <see cref="MomentumForm.HeavyBall"/>.
/// State: the velocity v.</summary>
public sealed class Momentum(float learningRate = 0.01f, float momentum = 0.9f, MomentumForm form = MomentumForm.HeavyBall) : Optimizer(learningRate)
{
    /// <summary>ρ (heavy ball) or μ (average form).</summary>
    public float Coefficient { get; } = momentum;

    /// <summary>The update form.</summary>
    public MomentumForm Form { get; } = form;

    /// <inheritdoc/>
    public override string Name => Form == MomentumForm.HeavyBall ? "Momentum" : "MomentumAverage";

    /// <inheritdoc/>
    protected override int StateSlots => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state)
    {
        float gradientWeight = Form == MomentumForm.HeavyBall ? 1f : 1f - Coefficient;
        var rule = new Rule(LearningRate, Coefficient, gradientWeight);
        StepKernel.Run(rule, parameters, gradients, state[0], default, state.StreamParameters);
    }

    private readonly struct Rule(float eta, float rho, float c) : IStepRule
    {
        public static int States => 1;

        public void Apply(ref float p, float g, ref float v, ref float unused)
        {
            v = rho * v + c * g;
            p -= eta * v;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> v, ref Vector256<float> unused)
        {
            v = Vector256.Create(rho) * v + Vector256.Create(c) * g;
            p -= Vector256.Create(eta) * v;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> v, ref Vector512<float> unused)
        {
            v = Vector512.Create(rho) * v + Vector512.Create(c) * g;
            p -= Vector512.Create(eta) * v;
        }
    }
}

/// <summary>
/// Nesterov accelerated gradient. The defining form evaluates the gradient at the look-ahead point θ − ηρv
/// (<c>v ← ρv + ∇L(θ − ηρv), θ ← θ − ηv</c>; the slides' "x + ρv" has the wrong sign for this sign convention). A network
/// hands the optimizer the gradient at θ only, so NetGen runs the standard reformulation (Sutskever et al. 2013; PyTorch's
/// <c>nesterov=True</c>) in the shifted variable θ′ = θ − ηρv, where the gradient at θ′ is the one the network computed:
/// <c>v ← ρ·v + g, θ′ ← θ′ − η·(g + ρ·v)</c>. Defaults: η = 0.01, ρ = 0.9. State: v.
/// </summary>
public sealed class Nesterov(float learningRate = 0.01f, float momentum = 0.9f) : Optimizer(learningRate)
{
    /// <summary>ρ.</summary>
    public float Coefficient { get; } = momentum;

    /// <inheritdoc/>
    public override string Name => "Nesterov";

    /// <inheritdoc/>
    protected override int StateSlots => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(LearningRate, Coefficient), parameters, gradients, state[0], default, state.StreamParameters);

    private readonly struct Rule(float eta, float rho) : IStepRule
    {
        public static int States => 1;

        public void Apply(ref float p, float g, ref float v, ref float unused)
        {
            v = rho * v + g;
            p -= eta * (g + rho * v);
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> v, ref Vector256<float> unused)
        {
            v = Vector256.Create(rho) * v + g;
            p -= Vector256.Create(eta) * (g + Vector256.Create(rho) * v);
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> v, ref Vector512<float> unused)
        {
            v = Vector512.Create(rho) * v + g;
            p -= Vector512.Create(eta) * (g + Vector512.Create(rho) * v);
        }
    }
}
