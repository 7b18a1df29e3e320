using System;
using System.Linq;
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
        // Exact: σ(0) = 1/2, tanh 0 = 0 and e^0 − 1 = 0 come out exactly, so each derivative is a product of exact terms.
        Assert.Equal((float)expected, delta[0]);
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
                Activation.ELU => x > 0 ? x : VectorMathTests.ExpM1(x),
                Activation.SELU => x > 0 ? Lambda * x : Lambda * SeluAlpha * VectorMathTests.ExpM1(x),
                Activation.Softplus => VectorMathTests.Softplus(x),
                Activation.Sign => x >= 0 ? 1 : -1,
                _ => x >= 0 ? 1 : 0,
            };
            // VectorMath's bounds are ≤ 2.5 ulp, i.e. a relative error below 2.5·2⁻²³ = 3e-7.
            Assert.True(Math.Abs(a[i] - expected) <= 1e-30 + 3e-7 * Math.Abs(expected), $"{activation}({x}) = {a[i]:R}, expected {expected:R}");
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

    /// <summary>The span kernels compute VectorMath's function on every element, whatever the element's position: a value
    /// alone, at the start of a span, in a full vector or in the padded tail gives the same bits.</summary>
    [Theory]
    [MemberData(nameof(Elementwise))]
    public void An_element_gives_the_same_bits_at_every_position_of_a_span(Activation activation)
    {
        var random = new SeededRandom(23);
        float[] values = Enumerable.Range(0, 40).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        float[] alone = new float[1];
        foreach (int length in new[] { 1, 7, 8, 15, 16, 17, 33, 40 })
        {
            float[] a = new float[length];
            float[] z = values[..length];
            Apply(activation, z, a);
            for (int i = 0; i < length; i++)
            {
                Apply(activation, [z[i]], alone);
                Assert.True(BitConverter.SingleToInt32Bits(alone[0]) == BitConverter.SingleToInt32Bits(a[i]),
                    $"{activation}({z[i]:R}) at {i} of {length}: {a[i]:R}, alone {alone[0]:R}");
            }
        }
    }

    public static TheoryData<int> RowWidths => new(1, 2, 3, 7, 8, 10, 16, 17, 33);

    [Theory]
    [MemberData(nameof(RowWidths))]
    public void Softmax_matches_double_precision_and_a_row_gives_the_same_bits_anywhere_in_the_batch(int columns)
    {
        const int rows = 9;
        float[] z = RandomValues(rows * columns, 29, 5);
        float[] a = new float[z.Length];
        ActivationKernels.Softmax(z, a, rows, columns);
        float[] alone = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            double[] expected = SoftmaxInDouble(z.AsSpan(r * columns, columns));
            for (int c = 0; c < columns; c++)
            {
                double bound = SoftmaxRelativeBound(z.AsSpan(r * columns, columns), c) * expected[c];
                Assert.True(Math.Abs(a[r * columns + c] - expected[c]) <= 1e-30 + bound, $"softmax row {r} column {c}: {a[r * columns + c]:R} vs {expected[c]:R}");
            }
            ActivationKernels.Softmax(z.AsSpan(r * columns, columns), alone, 1, columns);
            AssertSameBits(alone, a.AsSpan(r * columns, columns), $"softmax row {r} of {columns} columns");
        }
        float[] inPlace = (float[])z.Clone();
        ActivationKernels.Softmax(inPlace, inPlace, rows, columns);
        AssertSameBits(a, inPlace, "in-place softmax");
    }

    [Theory]
    [MemberData(nameof(RowWidths))]
    public void Softmax_backward_matches_double_precision_row_by_row(int columns)
    {
        const int rows = 5;
        float[] s = new float[rows * columns];
        ActivationKernels.Softmax(RandomValues(s.Length, 31, 3), s, rows, columns);
        float[] delta = RandomValues(s.Length, 37, 1);
        float[] result = (float[])delta.Clone();
        ActivationKernels.SoftmaxBackward(s, result, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            double dot = 0, magnitudes = 0;
            for (int c = 0; c < columns; c++)
            {
                dot += (double)delta[r * columns + c] * s[r * columns + c];
                magnitudes += Math.Abs((double)delta[r * columns + c] * s[r * columns + c]);
            }
            for (int c = 0; c < columns; c++)
            {
                int i = r * columns + c;
                double expected = s[i] * (delta[i] - dot);
                // A float dot product of n terms is within n·2⁻²⁴·Σ|terms| of the exact one.
                double bound = s[i] * ((columns + 2) * 6e-8 * (magnitudes + Math.Abs(delta[i])));
                Assert.True(Math.Abs(result[i] - expected) <= bound + 1e-30, $"row {r} column {c}: {result[i]:R} vs {expected:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowWidths))]
    public void Softmax_cross_entropy_matches_double_precision_and_a_row_gradient_does_not_depend_on_the_batch(int columns)
    {
        const int rows = 9;
        float[] z = RandomValues(rows * columns, 41, 6);
        float[] y = new float[z.Length];
        var random = new SeededRandom(43);
        for (int r = 0; r < rows; r++)
        {
            // One-hot rows, and two rows whose targets do not sum to 1 (the kernel scales the softmax by Σy).
            y[r * columns + random.NextInt(columns)] += r == 3 ? 0.5f : 1f;
            y[r * columns + random.NextInt(columns)] += r == 5 ? 0.25f : 0f;
        }
        float[] gradient = new float[z.Length];
        float loss = LossKernels.SoftmaxCrossEntropy(z, y, gradient, rows, columns);

        double expectedLoss = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> zr = z.AsSpan(r * columns, columns), yr = y.AsSpan(r * columns, columns);
            double[] softmax = SoftmaxInDouble(zr);
            double targetSum = 0;
            foreach (float t in yr)
            {
                targetSum += t;
            }
            for (int c = 0; c < columns; c++)
            {
                expectedLoss -= yr[c] * Math.Log(softmax[c]);
                double expected = (targetSum * softmax[c] - yr[c]) / rows;
                float actual = gradient[r * columns + c];
                double bound = (SoftmaxRelativeBound(zr, c) * targetSum * softmax[c] + 1.2e-7 * Math.Abs(yr[c])) / rows; // 1/rows rounds too
                Assert.True(Math.Abs(actual - expected) <= bound + 1e-30, $"row {r} column {c}: {actual:R} vs {expected:R}");
            }
            // Alone, the row is scaled by 1 instead of 1/rows; the kernel scales last, so scaling the lone row's
            // gradient by 1/rows must give the batch's bits.
            float[] alone = new float[columns];
            LossKernels.SoftmaxCrossEntropy(zr, yr, alone, 1, columns);
            for (int c = 0; c < columns; c++)
            {
                alone[c] *= 1f / rows;
            }
            AssertSameBits(gradient.AsSpan(r * columns, columns), alone, $"cross-entropy row {r}");
        }
        expectedLoss /= rows;
        Assert.True(Math.Abs(loss - expectedLoss) <= 2e-6 * expectedLoss, $"loss {loss:R} vs {expectedLoss:R}");
    }

    [Fact]
    public void A_gradient_row_is_bit_identical_alone_and_in_a_batch_of_the_same_size()
    {
        // Same rows count, so the 1/rows factor is the same: the row's bits must not depend on its neighbours.
        const int rows = 4, columns = 10;
        float[] z = RandomValues(rows * columns, 47, 4);
        float[] y = new float[z.Length];
        for (int r = 0; r < rows; r++)
        {
            y[r * columns + r] = 1f;
        }
        float[] gradient = new float[z.Length];
        LossKernels.SoftmaxCrossEntropy(z, y, gradient, rows, columns);
        float[] bce = new float[z.Length];
        LossKernels.BinaryCrossEntropyWithLogits(z, y, bce, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            float[] zr = new float[z.Length], yr = new float[z.Length];
            // The row at position 0 of another batch whose other rows differ.
            z.AsSpan(r * columns, columns).CopyTo(zr);
            y.AsSpan(r * columns, columns).CopyTo(yr);
            RandomValues(z.Length - columns, 53 + r, 8).CopyTo(zr.AsSpan(columns));
            float[] other = new float[z.Length];
            LossKernels.SoftmaxCrossEntropy(zr, yr, other, rows, columns);
            AssertSameBits(gradient.AsSpan(r * columns, columns), other.AsSpan(0, columns), $"cross-entropy row {r}");
            LossKernels.BinaryCrossEntropyWithLogits(zr, yr, other, rows, columns);
            AssertSameBits(bce.AsSpan(r * columns, columns), other.AsSpan(0, columns), $"BCE row {r}");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 10)]
    [InlineData(4, 16)]
    [InlineData(7, 33)]
    public void Element_wise_losses_match_double_precision(int rows, int columns)
    {
        int count = rows * columns;
        float[] outputs = RandomValues(count, 59, 6);
        float[] probabilities = RandomValues(count, 61, 1).Select(v => Math.Abs(v)).ToArray();
        float[] signs = RandomValues(count, 67, 1).Select(v => v >= 0 ? 1f : -1f).ToArray();
        float[] gradient = new float[count];

        float bce = LossKernels.BinaryCrossEntropyWithLogits(outputs, probabilities, gradient, rows, columns);
        double expectedBce = 0;
        for (int i = 0; i < count; i++)
        {
            double z = outputs[i], y = probabilities[i];
            expectedBce += VectorMathTests.Softplus(z) - z * y;
            double expected = (VectorMathTests.Sigmoid(z) - y) / rows;
            Assert.True(Math.Abs(gradient[i] - expected) <= 3e-7 * (VectorMathTests.Sigmoid(z) + y) / rows, $"BCE gradient {i}: {gradient[i]:R} vs {expected:R}");
        }
        Assert.True(Math.Abs(bce - expectedBce / rows) <= 1e-6 * expectedBce / rows, $"BCE {bce:R} vs {expectedBce / rows:R}");

        float squared = LossKernels.SquaredError(outputs, probabilities, gradient, rows, columns);
        double expectedSquared = 0;
        for (int i = 0; i < count; i++)
        {
            double difference = outputs[i] - (double)probabilities[i];
            expectedSquared += 0.5 * difference * difference;
            Assert.Equal((outputs[i] - probabilities[i]) * (1f / rows), gradient[i]);
        }
        Assert.True(Math.Abs(squared - expectedSquared / rows) <= 1e-6 * expectedSquared / rows, $"squared error {squared:R} vs {expectedSquared / rows:R}");

        float hinge = LossKernels.Hinge(outputs, signs, gradient, rows, columns);
        double expectedHinge = 0;
        for (int i = 0; i < count; i++)
        {
            float margin = signs[i] * outputs[i];
            expectedHinge += Math.Max(0, 1.0 - margin);
            Assert.Equal(margin < 1f ? -signs[i] * (1f / rows) : 0f, gradient[i]);
        }
        Assert.True(Math.Abs(hinge - expectedHinge / rows) <= 1e-6 * Math.Max(expectedHinge / rows, 1e-3), $"hinge {hinge:R} vs {expectedHinge / rows:R}");
    }

    [Fact]
    public void Cross_entropy_is_finite_when_a_target_class_has_a_negligible_probability()
    {
        float[] gradient = new float[10];
        float[] logits = [80f, -80f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f];
        float[] targets = [0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        Assert.Equal(160f, LossKernels.SoftmaxCrossEntropy(logits, targets, gradient, 1, 10), 3);
        Assert.Equal(1f, gradient[0]);
        Assert.Equal(-1f, gradient[1]);
    }

    /// <summary>A generated backward pass that gives each thread whole shards of the batch takes each shard's loss sum and
    /// gradient: the gradient must be the very bits of the whole batch's, the sums must add up to its mean.</summary>
    [Theory]
    [InlineData(Loss.SoftmaxCrossEntropy, 10)]
    [InlineData(Loss.SoftmaxCrossEntropy, 37)]
    [InlineData(Loss.BinaryCrossEntropy, 3)]
    [InlineData(Loss.SquaredError, 5)]
    [InlineData(Loss.Hinge, 4)]
    public void Loss_sums_over_shards_add_up_to_the_batch_mean_with_the_same_gradient_bits(Loss loss, int columns)
    {
        const int rows = 11;
        var random = new SeededRandom(21);
        float[] outputs = Enumerable.Range(0, rows * columns).Select(_ => 3f * (float)random.NextGaussian()).ToArray();
        float[] targets = loss switch
        {
            Loss.Hinge => outputs.Select((_, i) => i % 3 == 0 ? 1f : -1f).ToArray(),
            Loss.SoftmaxCrossEntropy => outputs.Select((_, i) => i % columns == (i / columns) % columns ? 1f : 0f).ToArray(),
            _ => outputs.Select(_ => (float)random.NextDouble()).ToArray(),
        };
        float[] whole = new float[outputs.Length], sharded = new float[outputs.Length];
        float mean = Mean(loss, outputs, targets, whole, rows, columns);
        double sum = 0;
        foreach ((int first, int last) in new[] { (0, 3), (3, 4), (4, 11) })
        {
            Range part = (first * columns)..(last * columns);
            sum += Sum(loss, outputs[part], targets[part], sharded.AsSpan(part), last - first, columns, rows);
        }
        Assert.Equal(whole, sharded);
        Assert.True(Math.Abs(sum / rows - mean) <= 1e-6 * Math.Max(1, Math.Abs(mean)), $"{loss}: shards {sum / rows:R} vs batch {mean:R}");
        Assert.Throws<ArgumentOutOfRangeException>(() => Sum(loss, outputs, targets, sharded, rows, columns, rows - 1));

        static float Mean(Loss loss, float[] o, float[] t, float[] g, int rows, int columns) => loss switch
        {
            Loss.SoftmaxCrossEntropy => LossKernels.SoftmaxCrossEntropy(o, t, g, rows, columns),
            Loss.BinaryCrossEntropy => LossKernels.BinaryCrossEntropyWithLogits(o, t, g, rows, columns),
            Loss.SquaredError => LossKernels.SquaredError(o, t, g, rows, columns),
            _ => LossKernels.Hinge(o, t, g, rows, columns),
        };

        static double Sum(Loss loss, float[] o, float[] t, Span<float> g, int rows, int columns, int batch) => loss switch
        {
            Loss.SoftmaxCrossEntropy => LossKernels.SoftmaxCrossEntropySum(o, t, g, rows, columns, batch),
            Loss.BinaryCrossEntropy => LossKernels.BinaryCrossEntropyWithLogitsSum(o, t, g, rows, columns, batch),
            Loss.SquaredError => LossKernels.SquaredErrorSum(o, t, g, rows, columns, batch),
            _ => LossKernels.HingeSum(o, t, g, rows, columns, batch),
        };
    }

    private static float[] RandomValues(int count, int seed, double spread)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(spread * random.NextGaussian())).ToArray();
    }

    private static double[] SoftmaxInDouble(ReadOnlySpan<float> z)
    {
        double max = double.NegativeInfinity;
        foreach (float v in z)
        {
            max = Math.Max(max, v);
        }
        double[] e = new double[z.Length];
        double sum = 0;
        for (int c = 0; c < z.Length; c++)
        {
            e[c] = Math.Exp(z[c] - max);
            sum += e[c];
        }
        for (int c = 0; c < z.Length; c++)
        {
            e[c] /= sum;
        }
        return e;
    }

    /// <summary>The relative error float softmax can have at column <paramref name="c"/>: z − max rounds to half an ulp of
    /// itself, which e^(z − max) turns into a relative error of |z − max|·2⁻²⁴, plus a few ulp for e^x, the sum and the
    /// division.</summary>
    private static double SoftmaxRelativeBound(ReadOnlySpan<float> z, int c)
    {
        float max = float.NegativeInfinity;
        foreach (float v in z)
        {
            max = MathF.Max(max, v);
        }
        return (Math.Abs(z[c] - max) + 4 + 0.5 * z.Length) * 6e-8;
    }

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{what}, element {i}: {actual[i]:R} instead of {expected[i]:R}");
        }
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
