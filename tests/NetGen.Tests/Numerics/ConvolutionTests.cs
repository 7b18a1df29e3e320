using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

// Shapes chosen so every window tiles its input (no NG0202 warning, which the build treats as an error).

/// <summary>Convolution with padding, max pooling, a rectangular kernel, explicit flatten, dense logits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(2, 8, 6)]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[MaxPool2D(2)]
[Conv2D(4, 2, Activation.Sigmoid, KernelWidth = 3)]
[Flatten]
[Dense(5)]
public partial class SmallCnn;

/// <summary>Stride with dilation and padding, average pooling with padding, Same padding, global average pooling.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(3, 9, 9)]
[Conv2D(4, 3, Activation.ELU, Stride = 2, Dilation = 2, Padding = 2)]
[AvgPool2D(3, Stride = 1, Padding = 1)]
[Conv2D(2, 3, Activation.SELU, PaddingMode = Padding.Same)]
[GlobalAvgPool2D]
[Dense(3, Activation.Tanh)]
public partial class DilatedCnn;

/// <summary>Transposed convolutions with stride, padding, output padding and dilation, then an implicitly flattened dense layer.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(3, 4, 5)]
[ConvTranspose2D(2, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1)]
[ConvTranspose2D(2, 2, Activation.Softplus, Dilation = 2, Bias = false)]
[MaxPool2D(2)]
[Dense(2, Activation.Sigmoid)]
public partial class DeconvNet;

/// <summary>The convolution example of "Foundation of Deep Learning" §3.2.3 (image corrected as SEEDS.md says).</summary>
[Network]
[Input(1, 5, 5)]
[Conv2D(1, 3, Bias = false, Name = "c")]
public partial class ConvExample;

[Network]
[Input(1, 5, 5)]
[Conv2D(1, 3, Stride = 2, Bias = false, Name = "c")]
public partial class ConvExampleStride2;

/// <summary>5×5×3 input, padding 1, two 3×3×3 filters, stride 2 → 3×3×2 and 56 parameters.</summary>
[Network]
[Input(3, 5, 5)]
[Conv2D(2, 3, Stride = 2, Padding = 1)]
public partial class TwoFilters;

/// <summary>LeNet-5 on a 32×32 input as Klambauer §6.9 counts it.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 32, 32)]
[Conv2D(6, 5, Activation.Tanh, Name = "c1")]
[AvgPool2D(2, Name = "s2")]
[Conv2D(16, 5, Activation.Tanh, Name = "c3")]
[AvgPool2D(2, Name = "s4")]
[Conv2D(120, 5, Activation.Tanh, Name = "c5")]
[Dense(84, Activation.Tanh, Name = "f6")]
[Dense(10, Name = "output")]
public partial class LeNet32;

/// <summary>28×28 input, a 5×5 receptive field, and a 784×30 dense layer elsewhere in the notes.</summary>
[Network]
[Input(1, 28, 28)]
[Conv2D(1, 5)]
public partial class Field5;

[Network]
[Input(784)]
[Dense(30)]
public partial class Dense784x30;

[Network(Loss = Loss.SquaredError)]
[Input(1, 4, 4)]
[MaxPool2D(2, Name = "pool")]
public partial class TiedMaxPool;

[Network(Loss = Loss.SquaredError)]
[Input(1, 4, 4)]
[AvgPool2D(2, Name = "pool")]
[Dense(1, Name = "fc")]
public partial class AveragePoolThenDense;

public sealed class ConvolutionTests
{
    private const int Batch = 5;

    public static TheoryData<string> Networks => new(nameof(SmallCnn), nameof(DilatedCnn), nameof(DeconvNet), nameof(LeNet32));

    /// <summary>LeNet's 61,706 parameters are too many for a finite-difference sweep; its layers are covered by the others.</summary>
    public static TheoryData<string> SmallNetworks => new(nameof(SmallCnn), nameof(DilatedCnn), nameof(DeconvNet));

    private static INetwork Create(string name, int seed) => name switch
    {
        nameof(SmallCnn) => new SmallCnn(seed, capacity: 8),
        nameof(DilatedCnn) => new DilatedCnn(seed, capacity: 8),
        nameof(DeconvNet) => new DeconvNet(seed, capacity: 8),
        _ => new LeNet32(seed, capacity: 8),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_matches_the_direct_double_precision_definition(string name)
    {
        INetwork network = Create(name, seed: 2);
        var reference = new ReferenceNetwork(network);
        (float[] inputs, _) = GradientCheckTests.RandomBatch(network, seed: 4);
        float[] outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        double[] expected = reference.Forward(inputs, Batch);
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.True(Math.Abs(outputs[i] - expected[i]) <= 2e-5 + 2e-5 * Math.Abs(expected[i]), $"{name} output {i}: {outputs[i]:R} vs {expected[i]:R}");
        }
    }

    /// <summary>Backpropagation through every convolution, pooling and flatten product against central differences of the
    /// double-precision reference (h = 1e-6); bound 2e-4 of the gradient's largest magnitude for the float kernels.</summary>
    [Theory]
    [MemberData(nameof(SmallNetworks))]
    public void Gradient_matches_central_differences_in_double(string name)
    {
        INetwork network = Create(name, seed: 6);
        var reference = new ReferenceNetwork(network);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(network, seed: 8);
        float[] outputs = new float[Batch * network.OutputSize];
        network.Forward(inputs, outputs, Batch);
        network.ZeroGradients();
        float loss = network.Backward(targets, Batch);
        Assert.Equal(reference.LossAndGradient(inputs, targets, Batch, null), loss, 4);

        double[] expected = reference.NumericGradient(inputs, targets, Batch);
        double[] actual = reference.GradientOf(network);
        double scale = Math.Max(expected.Max(Math.Abs), 1e-3);
        for (int p = 0; p < actual.Length; p++)
        {
            Assert.True(Math.Abs(actual[p] - expected[p]) <= 2e-4 * scale, $"{name} gradient {p}: {actual[p]:R} vs {expected[p]:R} (scale {scale:R})");
        }
    }

    private static readonly float[] s_image = [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0];
    private static readonly float[] s_kernel = [1, 0, 1, 0, 1, 0, 1, 0, 1];

    [Fact]
    public void Convolution_example_from_the_notes_stride_1_and_2()
    {
        var net = new ConvExample();
        OracleTests.SetTensor(net, "c.weight", s_kernel);
        float[] output = new float[9];
        net.Forward(s_image, output, 1);
        Assert.Equal([4f, 3f, 4f, 2f, 4f, 3f, 2f, 3f, 4f], output);

        var strided = new ConvExampleStride2();
        OracleTests.SetTensor(strided, "c.weight", s_kernel);
        float[] small = new float[4];
        strided.Forward(s_image, small, 1);
        Assert.Equal([4f, 4f, 2f, 4f], small);
    }

    [Fact]
    public void Parameter_counts_match_the_notes()
    {
        Assert.Equal(3 * 3 * 2, TwoFilters.OutputSize);
        Assert.Equal(56, TwoFilters.ParameterCount);
        Assert.Equal(61_706, LeNet32.ParameterCount);
        int[] perLayer = LeNet32.ParameterTensors.GroupBy(t => t.Layer).Select(g => g.Sum(t => t.Length)).ToArray();
        Assert.Equal([156, 2416, 48120, 10164, 850], perLayer);
        Assert.Equal([6, 1, 5, 5], LeNet32.ParameterTensors[0].Shape);
        Assert.Equal(24 * 24, Field5.OutputSize);
        Assert.Equal(23_550, Dense784x30.ParameterCount);
    }

    [Fact]
    public void Max_pooling_forward_picks_each_window_maximum()
    {
        var net = new TiedMaxPool(capacity: 1);
        float[] output = new float[4];
        net.Forward([1, 1, 0, 2, 1, 1, 2, 0, 5, 3, 4, 4, 5, 5, 4, 4], output, 1);
        Assert.Equal([1f, 2f, 5f, 4f], output);
    }

    /// <summary>A 1×1 convolution with weight 0 makes all four pooled values tie at 0; its weight gradient Σ δ·x over the
    /// positions the gradient reaches shows where it went: only the first (top-left) input, x = 3.</summary>
    [Fact]
    public void Max_pooling_routes_the_gradient_to_the_first_maximum_of_a_tie()
    {
        var net = new ScaleThenMaxPool(capacity: 1);
        float[] output = new float[1];
        OracleTests.SetTensor(net, "scale.weight", [0f]);
        net.Forward([3, 5, 7, 11], output, 1);
        net.ZeroGradients();
        Assert.Equal(0.5f, net.Backward([-1f], 1)); // ½(0 − (−1))², δ = 1
        Assert.Equal(3f, net.Gradients[0]);

        OracleTests.SetTensor(net, "scale.weight", [1f]);
        net.Forward([3, 5, 7, 11], output, 1);
        net.ZeroGradients();
        net.Backward([-1f], 1);
        Assert.Equal(12f * 11f, net.Gradients[0]); // δ = 11 + 1 reaches only the maximum, x = 11
    }

    [Fact]
    public void Average_pooling_spreads_the_gradient_evenly()
    {
        var net = new AveragePoolThenDense(capacity: 1);
        OracleTests.SetTensor(net, "fc.weight", [1, 2, 3, 4]);
        OracleTests.SetTensor(net, "fc.bias", [0]);
        float[] image = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        float[] output = new float[1];
        net.Forward(image, output, 1);
        // Window means 2.5, 4.5, 10.5, 12.5 weighted by 1..4.
        Assert.Equal(2.5f + 2 * 4.5f + 3 * 10.5f + 4 * 12.5f, output[0], 3);
    }

    [Fact]
    public void Batch_rows_equal_single_predictions_and_steady_state_allocates_nothing()
    {
        var net = new SmallCnn(seed: 1, capacity: 8);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(net, seed: 3);
        float[] outputs = new float[Batch * SmallCnn.OutputSize];
        net.Forward(inputs, outputs, Batch);
        float[] single = new float[SmallCnn.OutputSize];
        for (int s = 0; s < Batch; s++)
        {
            net.Predict(inputs.AsSpan(s * SmallCnn.InputSize, SmallCnn.InputSize), single);
            Assert.Equal(outputs.AsSpan(s * SmallCnn.OutputSize, SmallCnn.OutputSize).ToArray(), single);
        }
        void Step()
        {
            net.Forward(inputs, outputs, Batch);
            net.ZeroGradients();
            net.Backward(targets, Batch);
            VectorOps.AddScaled(net.Parameters, net.Gradients, -0.01f);
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Step();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

[Network(Loss = Loss.SquaredError)]
[Input(1, 2, 2)]
[Conv2D(1, 1, Bias = false, Name = "scale")]
[MaxPool2D(2)]
public partial class ScaleThenMaxPool;
