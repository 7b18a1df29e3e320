using System;
using System.Linq;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>Activation and loss kernels against the values in SEEDS.md and against their scalar definitions.</summary>
public sealed class ActivationAndLossTests
{
    private const float Lambda = 1.0507009873554805f, SeluAlpha = 1.6732632423543772f;

    [Fact]
    public void Softmax_of_3_1_minus3_matches_the_notes()
    {
        float[] a = new float[3];
        ActivationKernels.Softmax([3f, 1f, -3f], a, 1, 3);
        Assert.Equal(0.878878, a[0], 6);
        Assert.Equal(0.118943, a[1], 6);
        Assert.Equal(0.002179, a[2], 6);
    }

    [Fact]
    public void Softmax_and_cross_entropy_are_stable_for_huge_logits()
    {
        float[] a = new float[2];
        ActivationKernels.Softmax([1000f, 0f], a, 1, 2);
        Assert.Equal([1f, 0f], a);
        float[] gradient = new float[2];
        float loss = LossKernels.SoftmaxCrossEntropy([1000f, -1000f], [0f, 1f], gradient, 1, 2);
        Assert.Equal(2000f, loss, 3);
        Assert.Equal([1f, -1f], gradient);
        float bce = LossKernels.BinaryCrossEntropyWithLogits([100f, -100f], [0f, 1f], gradient, 1, 2);
        Assert.Equal(200f, bce, 3);
        Assert.Equal([1f, -1f], gradient);
    }

    [Theory]
    [InlineData(Activation.Sigmoid, 0.25)]
    [InlineData(Activation.Tanh, 1.0)]
    [InlineData(Activation.ReLU, 1.0)]
    [InlineData(Activation.LeakyReLU, 1.0)]
    [InlineData(Activation.ELU, 1.0)] // exponential branch at 0: a + α = 0 + 1
    [InlineData(Activation.SELU, (double)(Lambda * SeluAlpha))] // exponential branch at 0: λα
    [InlineData(Activation.Softplus, 0.5)]
    public void Derivative_at_zero_follows_the_documented_convention(Activation activation, double expected)
    {
        float[] z = [0f];
        float[] a = new float[1];
        float[] delta = [1f];
        Apply(activation, z, a);
        ApplyBackward(activation, z, a, delta);
        // The vector e^x is within an ulp or two of 1 at 0, so ELU/SELU(0) can be ~1e-7 instead of 0.
        Assert.True(Math.Abs(delta[0] - expected) <= 1e-6, $"{activation}'(0) = {delta[0]:R}, expected {expected:R}");
    }

    public static TheoryData<Activation> Elementwise => new(Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU,
        Activation.ELU, Activation.SELU, Activation.Softplus, Activation.Sign, Activation.Step);

    /// <summary>61 values: the vector loops and the scalar tail all run; each must agree with the definition.</summary>
    [Theory]
    [MemberData(nameof(Elementwise))]
    public void Vector_paths_agree_with_the_scalar_definition(Activation activation)
    {
        float[] z = Enumerable.Range(0, 61).Select(i => (i - 30) * 0.37f).ToArray();
        float[] a = new float[z.Length];
        Apply(activation, z, a);
        for (int i = 0; i < z.Length; i++)
        {
            double x = z[i];
            double expected = activation switch
            {
                Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
                Activation.Tanh => Math.Tanh(x),
                Activation.ReLU => Math.Max(0, x),
                Activation.LeakyReLU => x >= 0 ? x : 0.01 * x,
                Activation.ELU => x > 0 ? x : Math.Exp(x) - 1,
                Activation.SELU => x > 0 ? Lambda * x : Lambda * SeluAlpha * (Math.Exp(x) - 1),
                Activation.Softplus => Math.Log(1 + Math.Exp(x)),
                Activation.Sign => x >= 0 ? 1 : -1,
                _ => x >= 0 ? 1 : 0,
            };
            // e^x − 1 near 0 carries the absolute error of e^x (≈ 1 ulp of 1 = 1.2e-7), times λα ≈ 1.76 for SELU.
            Assert.True(Math.Abs(a[i] - expected) <= 2.5e-7 + 2e-6 * Math.Abs(expected), $"{activation}({x}) = {a[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Losses_match_their_definitions()
    {
        float[] gradient = new float[4];
        // ½Σ(a − y)² per sample, mean over 2 samples.
        Assert.Equal((0.5 * (1 + 4) + 0.5 * (0.25 + 0)) / 2, LossKernels.SquaredError([1f, 2f, 0.5f, 3f], [0f, 0f, 0f, 3f], gradient, 2, 2), 6);
        Assert.Equal([0.5f, 1f, 0.25f, 0f], gradient);
        // Hinge: margins 2 (no loss), 0.5, −1, 1 (on the hinge: no loss, zero subgradient).
        Assert.Equal((0 + 0.5 + 2 + 0) / 2, LossKernels.Hinge([2f, 0.5f, 1f, -1f], [1f, 1f, -1f, -1f], gradient, 2, 2), 6);
        Assert.Equal([0f, -0.5f, 0.5f, 0f], gradient);
        // BCE at z = 0 is ln 2 whatever the target.
        Assert.Equal(2 * Math.Log(2), LossKernels.BinaryCrossEntropyWithLogits([0f, 0f], [1f, 0f], gradient, 1, 2), 6);
        // Cross-entropy with uniform logits over 4 classes is ln 4.
        Assert.Equal(Math.Log(4), LossKernels.SoftmaxCrossEntropy([0f, 0f, 0f, 0f], [0f, 0f, 1f, 0f], gradient, 1, 4), 6);
        Assert.Equal([0.25f, 0.25f, -0.75f, 0.25f], gradient);
    }

    /// <summary>CI runs the suite three times and says which SIMD width each run must have; this proves the switch took.</summary>
    [Fact]
    public void Simd_width_is_the_one_this_run_was_started_for()
    {
        string? expected = Environment.GetEnvironmentVariable("NETGEN_EXPECT_SIMD");
        string actual = Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : "scalar";
        if (expected is null)
        {
            Assert.Skip($"NETGEN_EXPECT_SIMD is not set; this process runs the {actual} path.");
        }
        Assert.Equal(expected, actual);
    }

    private static void Apply(Activation activation, float[] z, float[] a)
    {
        switch (activation)
        {
            case Activation.Sigmoid: ActivationKernels.Sigmoid(z, a); break;
            case Activation.Tanh: ActivationKernels.Tanh(z, a); break;
            case Activation.ReLU: ActivationKernels.ReLU(z, a); break;
            case Activation.LeakyReLU: ActivationKernels.LeakyReLU(z, a, 0.01f); break;
            case Activation.ELU: ActivationKernels.ELU(z, a, 1f); break;
            case Activation.SELU: ActivationKernels.SELU(z, a); break;
            case Activation.Softplus: ActivationKernels.Softplus(z, a); break;
            case Activation.Sign: ActivationKernels.Sign(z, a); break;
            case Activation.Step: ActivationKernels.Step(z, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    private static void ApplyBackward(Activation activation, float[] z, float[] a, float[] delta)
    {
        switch (activation)
        {
            case Activation.Sigmoid: ActivationKernels.SigmoidBackward(z, a, delta); break;
            case Activation.Tanh: ActivationKernels.TanhBackward(z, a, delta); break;
            case Activation.ReLU: ActivationKernels.ReLUBackward(z, a, delta); break;
            case Activation.LeakyReLU: ActivationKernels.LeakyReLUBackward(z, a, delta, 0.01f); break;
            case Activation.ELU: ActivationKernels.ELUBackward(z, a, delta, 1f); break;
            case Activation.SELU: ActivationKernels.SELUBackward(z, a, delta); break;
            case Activation.Softplus: ActivationKernels.SoftplusBackward(z, a, delta); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }
}
