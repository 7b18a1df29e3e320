using System;
using System.Linq;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using Xunit;

namespace NetGen.Tests.Optimizers;

/// <summary>Regularization inside <see cref="Optimizer.Step(INetwork)"/>, checked with zero (or known) gradients so that the
/// regularizer alone moves the parameters.</summary>
public sealed class RegularizationTests
{
    private static TinyClassifier Network()
    {
        var net = new TinyClassifier(seed: 11, capacity: 4);
        Span<float> bias = TinyClassifier.ParameterTensors.Single(t => t.Name == "fc1.bias").Slice(net.Parameters);
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = 0.5f + i;
        }
        net.ZeroGradients();
        return net;
    }

    private static ParameterTensor Tensor(string name) => TinyClassifier.ParameterTensors.Single(t => t.Name == name);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void L2_shrinks_weights_and_leaves_biases_unless_asked(bool decayBiases)
    {
        TinyClassifier net = Network();
        float[] before = net.Parameters.ToArray();
        new Sgd(0.1f) { L2 = 0.5f, DecayBiases = decayBiases }.Step(net);
        foreach (ParameterTensor tensor in TinyClassifier.ParameterTensors)
        {
            bool decays = tensor.Kind == ParameterKind.Weight || decayBiases;
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                float expected = decays ? before[i] - 0.1f * 0.5f * before[i] : before[i];
                Assert.Equal(expected, net.Parameters[i], 6);
            }
        }
    }

    [Fact]
    public void L1_moves_weights_toward_zero_by_a_constant()
    {
        TinyClassifier net = Network();
        Tensor("fc2.weight").Slice(net.Parameters)[3] = 0f;
        float[] before = net.Parameters.ToArray();
        new Sgd(0.1f) { L1 = 0.2f }.Step(net);
        foreach (ParameterTensor tensor in TinyClassifier.ParameterTensors)
        {
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                float expected = tensor.Kind == ParameterKind.Weight ? before[i] - 0.02f * Math.Sign(before[i]) : before[i];
                Assert.Equal(expected, net.Parameters[i], 6);
            }
        }
        Assert.Equal(0f, Tensor("fc2.weight").Slice(net.Parameters)[3]);
    }

    [Fact]
    public void Max_norm_rescales_each_output_units_incoming_weights_in_PyTorch_layout()
    {
        TinyClassifier net = Network();
        ParameterTensor fc1 = Tensor("fc1.weight");
        Assert.True(fc1.PanelWidth > 0); // the strided case is the one worth testing
        float[] logical = new float[8 * 4];
        for (int row = 0; row < 8; row++)
        {
            // Row r = (r + 1)·(0.5, −0.5, 0.5, −0.5): norm r + 1.
            for (int c = 0; c < 4; c++)
            {
                logical[row * 4 + c] = (row + 1) * (c % 2 == 0 ? 0.5f : -0.5f);
            }
        }
        fc1.CopyFrom(logical, net.Parameters);
        float[] biasBefore = Tensor("fc1.bias").Slice(net.Parameters).ToArray();

        new Sgd(0.1f) { MaxNorm = 3.5f }.Step(net);

        float[] after = new float[8 * 4];
        fc1.CopyTo(net.Parameters, after);
        for (int row = 0; row < 8; row++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 4).Sum(c => (double)after[row * 4 + c] * after[row * 4 + c]));
            Assert.Equal(Math.Min(row + 1, 3.5), norm, 5);
            for (int c = 0; c < 4; c++)
            {
                // Direction is kept.
                Assert.Equal(logical[row * 4 + c] * Math.Min(1.0, 3.5 / (row + 1)), after[row * 4 + c], 5);
            }
        }
        Assert.Equal(biasBefore, Tensor("fc1.bias").Slice(net.Parameters).ToArray());
        float[] fc2 = new float[3 * 8];
        Tensor("fc2.weight").CopyTo(net.Parameters, fc2);
        for (int row = 0; row < 3; row++)
        {
            Assert.True(Math.Sqrt(Enumerable.Range(0, 8).Sum(c => (double)fc2[row * 8 + c] * fc2[row * 8 + c])) <= 3.5 + 1e-5);
        }
    }

    /// <summary>100 output units: three full panels of 32 and a last panel of 4 in the stored layout.</summary>
    [Fact]
    public void Max_norm_finds_each_output_unit_across_the_weight_panels()
    {
        var net = new NetGen.Tests.Numerics.OddWidths(seed: 2, capacity: 1);
        net.ZeroGradients();
        ParameterTensor dense1 = net.Tensors.Single(t => t.Name == "dense1.weight");
        const int rows = 100, cols = 29;
        float[] logical = new float[rows * cols];
        for (int row = 0; row < rows; row++)
        {
            for (int c = 0; c < cols; c++)
            {
                logical[row * cols + c] = (row % 7 + 1) * (c % 3 - 1) * 0.25f;
            }
        }
        dense1.CopyFrom(logical, net.Parameters);

        new Sgd(0.1f) { MaxNorm = 2f }.Step(net);

        float[] after = new float[rows * cols];
        dense1.CopyTo(net.Parameters, after);
        for (int row = 0; row < rows; row++)
        {
            double before = Math.Sqrt(Enumerable.Range(0, cols).Sum(c => (double)logical[row * cols + c] * logical[row * cols + c]));
            double scale = Math.Min(1.0, 2.0 / before);
            for (int c = 0; c < cols; c++)
            {
                Assert.Equal(logical[row * cols + c] * scale, after[row * cols + c], 5);
            }
        }
    }

    [Fact]
    public void Clipping_by_value_clamps_each_gradient()
    {
        TinyClassifier net = Network();
        net.Parameters.Clear();
        for (int i = 0; i < net.Gradients.Length; i++)
        {
            net.Gradients[i] = (i % 7) - 3f; // −3..3
        }
        new Sgd(1f) { ClipValue = 1f }.Step(net);
        for (int i = 0; i < net.Parameters.Length; i++)
        {
            Assert.Equal(-Math.Clamp((i % 7) - 3f, -1f, 1f), net.Parameters[i]);
        }
    }

    [Fact]
    public void Clipping_by_norm_scales_the_whole_gradient_to_the_limit()
    {
        TinyClassifier net = Network();
        net.Parameters.Clear();
        net.Gradients.Fill(1f);
        double norm = Math.Sqrt(net.Gradients.Length);
        new Sgd(1f) { ClipNorm = 2f }.Step(net);
        foreach (float p in net.Parameters)
        {
            Assert.Equal(-2.0 / (norm + 1e-6), p, 6);
        }
        double clippedNorm = Math.Sqrt(net.Gradients.ToArray().Sum(g => (double)g * g));
        Assert.Equal(2.0, clippedNorm, 4);

        // Below the limit nothing changes.
        net.Gradients.Fill(0.01f);
        net.Parameters.Clear();
        new Sgd(1f) { ClipNorm = 100f }.Step(net);
        Assert.All(net.Parameters.ToArray(), p => Assert.Equal(-0.01f, p));
    }

    [Fact]
    public void AdamW_decay_is_decoupled_and_skips_biases()
    {
        TinyClassifier net = Network();
        float[] before = net.Parameters.ToArray();
        new AdamW(0.1f, weightDecay: 0.5f).Step(net); // zero gradient: the Adam part moves nothing
        foreach (ParameterTensor tensor in TinyClassifier.ParameterTensors)
        {
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                float expected = tensor.Kind == ParameterKind.Weight ? before[i] * (1 - 0.05f) : before[i];
                Assert.Equal(expected, net.Parameters[i], 6);
            }
        }
    }

    [Fact]
    public void Gradient_descent_on_half_theta_squared_follows_one_minus_eta_to_the_k()
    {
        foreach (float eta in new[] { 0.5f, 1.5f, 2.5f })
        {
            float[] theta = [2f];
            float[] gradient = new float[1];
            var sgd = new Sgd(eta);
            for (int k = 1; k <= 10; k++)
            {
                gradient[0] = theta[0]; // ∇½θ² = θ
                sgd.Step(theta, gradient);
                Assert.Equal(Math.Pow(1 - eta, k) * 2, theta[0], 4);
            }
            Assert.Equal(eta < 2, Math.Abs(theta[0]) < 2);
        }
    }
}
