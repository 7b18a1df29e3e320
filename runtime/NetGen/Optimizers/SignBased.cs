using System;
using System.IO;
using System.Runtime.Intrinsics;

namespace NetGen.Optimizers;

/// <summary>
/// Resilient propagation, iRprop− (Igel and Hüsken 2000). Every parameter has its own step Δᵢ, started at the learning rate
/// (default 0.01). With s = gᵢ·gᵢ(previous): s &gt; 0 → Δᵢ ← min(η⁺Δᵢ, Δmax); s &lt; 0 → Δᵢ ← max(η⁻Δᵢ, Δmin) and gᵢ is
/// taken as 0 (no move, and the next step counts as fresh); then θᵢ ← θᵢ − sign(gᵢ)·Δᵢ and the previous gradient becomes gᵢ.
/// Defaults η⁺ = 1.2, η⁻ = 0.5, Δmin = 1e−6, Δmax = 50. Rprop uses only gradient signs: it is meant for full batches. Schedules
/// only change the initial step. State: previous gradient, Δ.
/// </summary>
public sealed class Rprop(float initialStep = 0.01f, float increase = 1.2f, float decrease = 0.5f, float minStep = 1e-6f, float maxStep = 50f) : Optimizer(initialStep)
{
    /// <summary>η⁺.</summary>
    public float Increase { get; } = increase;

    /// <summary>η⁻.</summary>
    public float Decrease { get; } = decrease;

    /// <summary>Δmin.</summary>
    public float MinStep { get; } = minStep;

    /// <summary>Δmax.</summary>
    public float MaxStep { get; } = maxStep;

    /// <inheritdoc/>
    public override string Name => "Rprop";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void InitializeState() => State(1).Fill(LearningRate);

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(Increase, Decrease, MinStep, MaxStep), parameters, gradients, state[0], state[1], state.StreamParameters);

    private readonly struct Rule(float up, float down, float min, float max) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float previous, ref float step)
        {
            float s = g * previous;
            if (s > 0f)
            {
                step = MathF.Min(step * up, max);
            }
            else if (s < 0f)
            {
                step = MathF.Max(step * down, min);
                g = 0f;
            }
            p -= StepKernel.Sign(g) * step;
            previous = g;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> previous, ref Vector256<float> step)
        {
            Vector256<float> s = g * previous;
            Vector256<float> positive = Vector256.GreaterThan(s, Vector256<float>.Zero);
            Vector256<float> negative = Vector256.LessThan(s, Vector256<float>.Zero);
            step = Vector256.ConditionalSelect(positive, Vector256.Min(step * Vector256.Create(up), Vector256.Create(max)),
                Vector256.ConditionalSelect(negative, Vector256.Max(step * Vector256.Create(down), Vector256.Create(min)), step));
            g = Vector256.ConditionalSelect(negative, Vector256<float>.Zero, g);
            p -= StepKernel.Sign(g) * step;
            previous = g;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> previous, ref Vector512<float> step)
        {
            Vector512<float> s = g * previous;
            Vector512<float> positive = Vector512.GreaterThan(s, Vector512<float>.Zero);
            Vector512<float> negative = Vector512.LessThan(s, Vector512<float>.Zero);
            step = Vector512.ConditionalSelect(positive, Vector512.Min(step * Vector512.Create(up), Vector512.Create(max)),
                Vector512.ConditionalSelect(negative, Vector512.Max(step * Vector512.Create(down), Vector512.Create(min)), step));
            g = Vector512.ConditionalSelect(negative, Vector512<float>.Zero, g);
            p -= StepKernel.Sign(g) * step;
            previous = g;
        }
    }
}

/// <summary>
/// Quickprop (Fahlman 1988): fits a parabola through the last two gradients of each parameter and jumps to its minimum,
/// <c>Δwᵢ = gᵢ/(gᵢ(prev) − gᵢ)·Δwᵢ(prev)</c>. Guards: while Δwᵢ(prev) = 0 (the first step, or after a zero gradient) the step
/// is plain gradient descent <c>Δwᵢ = −η·gᵢ</c>; the division is done only when |gᵢ(prev) − gᵢ|·μ &gt; |gᵢ|, i.e. when the
/// factor stays within the growth limit μ; otherwise the step is the largest allowed one, <c>−μ·|Δwᵢ(prev)|·sign(gᵢ)</c>
/// (downhill). Defaults: η = 0.01, μ = 1.75. State: previous gradient, previous step.
/// </summary>
public sealed class Quickprop(float learningRate = 0.01f, float maxGrowth = 1.75f) : Optimizer(learningRate)
{
    /// <summary>μ, the largest ratio between consecutive steps.</summary>
    public float MaxGrowth { get; } = maxGrowth;

    /// <inheritdoc/>
    public override string Name => "Quickprop";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(LearningRate, MaxGrowth), parameters, gradients, state[0], state[1], state.StreamParameters);

    private readonly struct Rule(float eta, float mu) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float previousGradient, ref float previousStep)
        {
            float step;
            if (previousStep == 0f)
            {
                step = -eta * g;
            }
            else
            {
                float d = previousGradient - g;
                step = MathF.Abs(d) * mu > MathF.Abs(g)
                    ? g / d * previousStep
                    : -mu * MathF.Abs(previousStep) * StepKernel.Sign(g);
            }
            p += step;
            previousGradient = g;
            previousStep = step;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> previousGradient, ref Vector256<float> previousStep)
        {
            Vector256<float> d = previousGradient - g;
            Vector256<float> muV = Vector256.Create(mu);
            Vector256<float> quadratic = Vector256.ConditionalSelect(
                Vector256.GreaterThan(Vector256.Abs(d) * muV, Vector256.Abs(g)),
                g / d * previousStep, // lanes where the guard fails may divide by zero; the select discards them
                -muV * Vector256.Abs(previousStep) * StepKernel.Sign(g));
            Vector256<float> step = Vector256.ConditionalSelect(Vector256.Equals(previousStep, Vector256<float>.Zero), -Vector256.Create(eta) * g, quadratic);
            p += step;
            previousGradient = g;
            previousStep = step;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> previousGradient, ref Vector512<float> previousStep)
        {
            Vector512<float> d = previousGradient - g;
            Vector512<float> muV = Vector512.Create(mu);
            Vector512<float> quadratic = Vector512.ConditionalSelect(
                Vector512.GreaterThan(Vector512.Abs(d) * muV, Vector512.Abs(g)),
                g / d * previousStep,
                -muV * Vector512.Abs(previousStep) * StepKernel.Sign(g));
            Vector512<float> step = Vector512.ConditionalSelect(Vector512.Equals(previousStep, Vector512<float>.Zero), -Vector512.Create(eta) * g, quadratic);
            p += step;
            previousGradient = g;
            previousStep = step;
        }
    }
}

/// <summary>
/// The delta-delta rule (Klambauer 7.43; Barto and Sutton 1981, Jacobs 1988): per-parameter learning rates
/// <c>ηᵢ ← ηᵢ + γ·gᵢ·gᵢ(prev)</c>, then <c>θᵢ ← θᵢ − ηᵢ·gᵢ</c> (7.42). NetGen keeps ηᵢ ≥ 0 (the notes warn it can turn
/// negative, which would climb the loss). ηᵢ start at the learning rate. Defaults: η₀ = 0.01, γ = 0.01. Schedules only
/// change η₀. State: previous gradient, ηᵢ.
/// </summary>
public sealed class DeltaDelta(float learningRate = 0.01f, float gamma = 0.01f) : Optimizer(learningRate)
{
    /// <summary>γ, the step size in learning-rate space.</summary>
    public float Gamma { get; } = gamma;

    /// <inheritdoc/>
    public override string Name => "DeltaDelta";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void InitializeState() => State(1).Fill(LearningRate);

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(Gamma), parameters, gradients, state[0], state[1], state.StreamParameters);

    private readonly struct Rule(float gamma) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float previous, ref float eta)
        {
            eta = MathF.Max(eta + gamma * (g * previous), 0f);
            p -= eta * g;
            previous = g;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> previous, ref Vector256<float> eta)
        {
            eta = Vector256.Max(eta + Vector256.Create(gamma) * (g * previous), Vector256<float>.Zero);
            p -= eta * g;
            previous = g;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> previous, ref Vector512<float> eta)
        {
            eta = Vector512.Max(eta + Vector512.Create(gamma) * (g * previous), Vector512<float>.Zero);
            p -= eta * g;
            previous = g;
        }
    }
}

/// <summary>
/// The delta-bar-delta rule (Jacobs 1988; Klambauer 7.44): with the running average <c>ḡᵢ ← θ·ḡᵢ + (1 − θ)·gᵢ</c>, the
/// per-parameter rate grows by κ when ḡᵢ (of the steps before) and gᵢ agree in sign and shrinks by the factor (1 − φ) when
/// they disagree; then <c>θᵢ ← θᵢ − ηᵢ·gᵢ</c> and ḡᵢ is updated. The sign test uses the average before this step's gradient
/// enters it, as Jacobs does (7.44 prints ḡ⁽ᵗ⁾, which already contains gᵢ and so leans toward agreement). ηᵢ start at the
/// learning rate. Defaults: η₀ = 0.01, κ = 1e−4, φ = 0.1, θ = 0.7. State: ḡ, ηᵢ.
/// </summary>
public sealed class DeltaBarDelta(float learningRate = 0.01f, float kappa = 1e-4f, float phi = 0.1f, float theta = 0.7f) : Optimizer(learningRate)
{
    /// <summary>κ, the additive increase.</summary>
    public float Kappa { get; } = kappa;

    /// <summary>φ, the multiplicative decrease.</summary>
    public float Phi { get; } = phi;

    /// <summary>θ, the base of the gradient average.</summary>
    public float Theta { get; } = theta;

    /// <inheritdoc/>
    public override string Name => "DeltaBarDelta";

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void InitializeState() => State(1).Fill(LearningRate);

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state) =>
        StepKernel.Run(new Rule(Kappa, Phi, Theta), parameters, gradients, state[0], state[1], state.StreamParameters);

    private readonly struct Rule(float kappa, float phi, float theta) : IStepRule
    {
        public static int States => 2;

        public void Apply(ref float p, float g, ref float average, ref float eta)
        {
            float s = average * g;
            eta = s > 0f ? eta + kappa : s < 0f ? eta * (1f - phi) : eta;
            p -= eta * g;
            average = theta * average + (1f - theta) * g;
        }

        public void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> average, ref Vector256<float> eta)
        {
            Vector256<float> s = average * g;
            eta = Vector256.ConditionalSelect(Vector256.GreaterThan(s, Vector256<float>.Zero), eta + Vector256.Create(kappa),
                Vector256.ConditionalSelect(Vector256.LessThan(s, Vector256<float>.Zero), eta * Vector256.Create(1f - phi), eta));
            p -= eta * g;
            average = Vector256.Create(theta) * average + Vector256.Create(1f - theta) * g;
        }

        public void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> average, ref Vector512<float> eta)
        {
            Vector512<float> s = average * g;
            eta = Vector512.ConditionalSelect(Vector512.GreaterThan(s, Vector512<float>.Zero), eta + Vector512.Create(kappa),
                Vector512.ConditionalSelect(Vector512.LessThan(s, Vector512<float>.Zero), eta * Vector512.Create(1f - phi), eta));
            p -= eta * g;
            average = Vector512.Create(theta) * average + Vector512.Create(1f - theta) * g;
        }
    }
}
