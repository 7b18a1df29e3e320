using System;
using System.Collections.Generic;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// Every optimizer against (1) a three-step sequence worked out by hand for θ₀ = 1 and the gradients 0.5, 0.2, −0.1, on a
/// vector long enough to run the Vector512, Vector256 and scalar paths, and (2) a plain scalar loop of the textbook formula
/// on random parameters and gradients.
/// </summary>
public sealed class OptimizerTests
{
    private static readonly float[] Gradients = [0.5f, 0.2f, -0.1f];
    private const int Length = 16 * 5 + 8 + 3; // every SIMD width plus a scalar tail

    /// <summary>Name → (optimizer, θ after steps 1, 2, 3).</summary>
    public static TheoryData<string> Names => new(HandCases.Keys);

    private static readonly Dictionary<string, (Func<Optimizer> Create, double[] Expected)> HandCases = new()
    {
        // θ ← θ − 0.1·g: 1 − 0.05 = 0.95; − 0.02 = 0.93; + 0.01 = 0.94.
        ["SGD"] = (() => new Sgd(0.1f), [0.95, 0.93, 0.94]),
        // v = 0.5 → θ = 0.95; v = 0.45 + 0.2 = 0.65 → 0.885; v = 0.585 − 0.1 = 0.485 → 0.8365.
        ["Momentum"] = (() => new Momentum(0.1f, 0.9f), [0.95, 0.885, 0.8365]),
        // m = 0.05 → 0.995; m = 0.045 + 0.02 = 0.065 → 0.9885; m = 0.0585 − 0.01 = 0.0485 → 0.98365.
        ["MomentumAverage"] = (() => new Momentum(0.1f, 0.9f, MomentumForm.Average), [0.995, 0.9885, 0.98365]),
        // v = 0.5, θ −= 0.1(0.5 + 0.45) → 0.905; v = 0.65, θ −= 0.1(0.2 + 0.585) → 0.8265; v = 0.485, θ −= 0.1(−0.1 + 0.4365) → 0.79285.
        ["Nesterov"] = (() => new Nesterov(0.1f, 0.9f), [0.905, 0.8265, 0.79285]),
        // r = 0.25 → θ = 1 − 0.1·0.5/0.5 = 0.9; r = 0.29 → − 0.02/√0.29; r = 0.30 → + 0.01/√0.30.
        ["AdaGrad"] = (() => new AdaGrad(0.1f), [0.9, 0.862860932, 0.881118351]),
        // Defaults η = 0.001 would move too little to see; η = 0.01: r = 0.025 → θ = 1 − 0.01·0.5/√0.025 = 0.968377...
        ["RMSprop"] = (() => new RmsProp(0.01f), [0.968377225, 0.956091324, 0.962434938]),
        // Defaults (ρ 0.95, ε 1e−6): r = 0.0125, Δ = √1e−6/√0.012501·0.5 = 0.004471957 → 0.995528...
        ["Adadelta"] = (() => new Adadelta(), [0.995528043, 0.993126977, 0.994405971]),
        // Step 1 with bias correction: m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/(0.5 + 1e−8) ≈ 0.9.
        ["Adam"] = (() => new Adam(0.1f), [0.900000002, 0.810142484, 0.753525558]),
        // θ −= 0.1·0.01·θ before each Adam step: 0.999 − 0.1 → 0.899.
        ["AdamW"] = (() => new AdamW(0.1f, 0.01f), [0.899000002, 0.808243484, 0.750818314]),
        // Δ = 0.01 → 0.99; same sign: Δ = 0.012 → 0.978; sign change: Δ = 0.006, no move.
        ["Rprop"] = (() => new Rprop(), [0.99, 0.978, 0.978]),
        // Gradient step −0.1·0.5 → 0.95; 0.2/(0.5 − 0.2)·(−0.05) = −1/30 → 0.91667; −0.1/(0.2 + 0.1)·(−1/30) = +1/90 → 0.92778.
        ["Quickprop"] = (() => new Quickprop(0.1f), [0.95, 0.916666667, 0.927777778]),
        // η = 0.1 → 0.95; η = 0.1 + 0.5·0.2·0.5 = 0.15 → 0.92; η = 0.15 − 0.5·0.02 = 0.14 → 0.934.
        ["DeltaDelta"] = (() => new DeltaDelta(0.1f, 0.5f), [0.95, 0.92, 0.934]),
        // ḡ = 0: η = 0.1 → 0.95, ḡ = 0.15; agree: η = 0.15 → 0.92, ḡ = 0.165; disagree: η = 0.135 → 0.9335.
        ["DeltaBarDelta"] = (() => new DeltaBarDelta(0.1f, 0.05f, 0.1f, 0.7f), [0.95, 0.92, 0.9335]),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Three_steps_match_the_hand_computed_sequence(string name)
    {
        (Func<Optimizer> create, double[] expected) = HandCases[name];
        Optimizer optimizer = create();
        float[] theta = new float[Length];
        float[] gradient = new float[Length];
        theta.AsSpan().Fill(1f);
        for (int step = 0; step < 3; step++)
        {
            gradient.AsSpan().Fill(Gradients[step]);
            optimizer.Step(theta, gradient);
            for (int i = 0; i < Length; i++)
            {
                Assert.True(Math.Abs(theta[i] - expected[step]) < 2e-6, $"{name} step {step + 1} element {i}: {theta[i]:R}, expected {expected[step]}");
            }
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    /// <summary>Textbook formulas in plain scalar code, one element at a time, in double precision.</summary>
    private static readonly Dictionary<string, Func<Optimizer, Action<double[], double[], double[][], int>>> References = new()
    {
        ["SGD"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { p[i] -= o.LearningRate * g[i]; } },
        ["Momentum"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { s[0][i] = 0.9 * s[0][i] + g[i]; p[i] -= o.LearningRate * s[0][i]; } },
        ["MomentumAverage"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { s[0][i] = 0.9 * s[0][i] + 0.1 * g[i]; p[i] -= o.LearningRate * s[0][i]; } },
        ["Nesterov"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { s[0][i] = 0.9 * s[0][i] + g[i]; p[i] -= o.LearningRate * (g[i] + 0.9 * s[0][i]); } },
        ["AdaGrad"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { s[0][i] += g[i] * g[i]; p[i] -= o.LearningRate * g[i] / (Math.Sqrt(s[0][i]) + 1e-10); } },
        ["RMSprop"] = o => (p, g, s, t) => { for (int i = 0; i < p.Length; i++) { s[0][i] = 0.9 * s[0][i] + 0.1 * g[i] * g[i]; p[i] -= o.LearningRate * g[i] / (Math.Sqrt(s[0][i]) + 1e-8); } },
        ["Adadelta"] = o => (p, g, s, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                s[0][i] = 0.95 * s[0][i] + 0.05 * g[i] * g[i];
                double delta = Math.Sqrt(s[1][i] + 1e-6) / Math.Sqrt(s[0][i] + 1e-6) * g[i];
                s[1][i] = 0.95 * s[1][i] + 0.05 * delta * delta;
                p[i] -= o.LearningRate * delta;
            }
        },
        ["Adam"] = o => (p, g, s, t) => AdamReference(p, g, s, t, o.LearningRate, 0),
        ["AdamW"] = o => (p, g, s, t) => AdamReference(p, g, s, t, o.LearningRate, 0.01),
        ["Rprop"] = o => (p, g, s, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                if (t == 1)
                {
                    s[1][i] = 0.01;
                }
                double gi = g[i], product = gi * s[0][i];
                if (product > 0) { s[1][i] = Math.Min(s[1][i] * 1.2, 50); }
                else if (product < 0) { s[1][i] = Math.Max(s[1][i] * 0.5, 1e-6); gi = 0; }
                p[i] -= Math.Sign(gi) * s[1][i];
                s[0][i] = gi;
            }
        },
        ["Quickprop"] = o => (p, g, s, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double step;
                if (s[1][i] == 0) { step = -o.LearningRate * g[i]; }
                else
                {
                    double d = s[0][i] - g[i];
                    step = Math.Abs(d) * 1.75 > Math.Abs(g[i]) ? g[i] / d * s[1][i] : -1.75 * Math.Abs(s[1][i]) * Math.Sign(g[i]);
                }
                p[i] += step;
                s[0][i] = g[i];
                s[1][i] = step;
            }
        },
        ["DeltaDelta"] = o => (p, g, s, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double eta = t == 1 ? 0.5 : s[1][i];
                s[1][i] = Math.Max(eta + 0.5 * g[i] * s[0][i], 0);
                p[i] -= s[1][i] * g[i];
                s[0][i] = g[i];
            }
        },
        ["DeltaBarDelta"] = o => (p, g, s, t) =>
        {
            for (int i = 0; i < p.Length; i++)
            {
                double eta = t == 1 ? 0.5 : s[1][i], agreement = s[0][i] * g[i];
                s[1][i] = agreement > 0 ? eta + 0.05 : agreement < 0 ? eta * 0.9 : eta;
                p[i] -= s[1][i] * g[i];
                s[0][i] = 0.7 * s[0][i] + 0.3 * g[i];
            }
        },
    };

    private static void AdamReference(double[] p, double[] g, double[][] s, int t, double eta, double decay)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= eta * decay * p[i];
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i];
            s[1][i] = 0.999 * s[1][i] + 0.001 * g[i] * g[i];
            double mHat = s[0][i] / (1 - Math.Pow(0.9, t)), vHat = s[1][i] / (1 - Math.Pow(0.999, t));
            p[i] -= eta * mHat / (Math.Sqrt(vHat) + 1e-8);
        }
    }

    private static Optimizer CreateForReference(string name) => name switch
    {
        "DeltaDelta" => new DeltaDelta(0.5f, 0.5f),
        "DeltaBarDelta" => new DeltaBarDelta(0.5f, 0.05f, 0.1f, 0.7f),
        "SGD" => new Sgd(0.1f),
        "Momentum" => new Momentum(0.05f),
        "MomentumAverage" => new Momentum(0.05f, 0.9f, MomentumForm.Average),
        "Nesterov" => new Nesterov(0.05f),
        "AdaGrad" => new AdaGrad(0.05f),
        "RMSprop" => new RmsProp(0.01f),
        "Adadelta" => new Adadelta(),
        "Adam" => new Adam(0.01f),
        "AdamW" => new AdamW(0.01f),
        "Rprop" => new Rprop(),
        "Quickprop" => new Quickprop(0.1f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Vectorized_step_matches_a_scalar_reference_on_random_vectors(string name)
    {
        const int n = 1000 + 13, steps = 6;
        var random = new SeededRandom(name.Length * 7919 + name[0]);
        Optimizer optimizer = CreateForReference(name);
        Action<double[], double[], double[][], int> reference = References[name](optimizer);
        float[] theta = new float[n];
        double[] expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            theta[i] = (float)random.NextGaussian();
            expected[i] = theta[i];
        }
        double[][] state = [new double[n], new double[n]];
        float[] gradient = new float[n];
        double[] gradientD = new double[n];
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                // Smooth drift plus noise, so sign agreements and reversals both occur.
                gradient[i] = (float)(0.3 * expected[i] + random.NextGaussian());
                gradientD[i] = gradient[i];
            }
            optimizer.Step(theta, gradient);
            reference(expected, gradientD, state, t);
            for (int i = 0; i < n; i++)
            {
                double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected[i]));
                Assert.True(Math.Abs(theta[i] - expected[i]) <= tolerance, $"{name} step {t} element {i}: {theta[i]:R} vs reference {expected[i]:R}");
            }
            // Keep both on the same trajectory so float rounding does not compound into branch flips.
            for (int i = 0; i < n; i++)
            {
                expected[i] = theta[i];
            }
        }
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var adam = new Adam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-8f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Equal(0.01f, new AdamW().WeightDecay);
        var rms = new RmsProp();
        Assert.Equal((0.001f, 0.9f, 1e-8f), (rms.LearningRate, rms.Gamma, rms.Epsilon));
        var rprop = new Rprop();
        Assert.Equal((0.01f, 1.2f, 0.5f, 1e-6f, 50f), (rprop.LearningRate, rprop.Increase, rprop.Decrease, rprop.MinStep, rprop.MaxStep));
        Assert.Equal(0.9f, new Momentum().Coefficient);
        Assert.Equal(0.9f, new Nesterov().Coefficient);
        Assert.Equal(1.75f, new Quickprop().MaxGrowth);
        var adadelta = new Adadelta();
        Assert.Equal((1f, 0.95f, 1e-6f), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon));
    }

    [Fact]
    public void Quickprop_never_divides_by_a_vanishing_gradient_change()
    {
        var optimizer = new Quickprop(0.1f);
        float[] theta = new float[Length];
        float[] gradient = new float[Length];
        gradient.AsSpan().Fill(0.5f);
        optimizer.Step(theta, gradient); // gradient step: −0.05
        optimizer.Step(theta, gradient); // same gradient: d = 0, the guard takes the largest allowed step −1.75·0.05
        foreach (float value in theta)
        {
            Assert.Equal(-0.05f - 1.75f * 0.05f, value, 1e-6f);
        }
    }
}
