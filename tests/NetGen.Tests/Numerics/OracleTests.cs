using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>The 2-2-2 sigmoid network of "Foundation of Deep Learning" §3.2.5 (SEEDS.md).</summary>
[Network(Loss = Loss.SquaredError)]
[Input(2)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
[Dense(2, Activation.Sigmoid, Name = "output")]
public partial class TwoTwoTwo;

/// <summary>The hidden layer of <see cref="TwoTwoTwo"/> on its own.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(2)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
public partial class TwoTwoTwoHidden;

/// <summary>The XOR network of Klambauer §4.5: ReLU hidden layer, linear output without bias.</summary>
[Network]
[Input(2)]
[Dense(2, Activation.ReLU, Name = "hidden")]
[Dense(1, Bias = false, Name = "output")]
public partial class XorByHand;

/// <summary>A perceptron with a step output (inference only).</summary>
[Network]
[Input(2)]
[Dense(1, Activation.Step, Name = "unit")]
public partial class StepPerceptron;

/// <summary>The same perceptron with a sign output.</summary>
[Network]
[Input(2)]
[Dense(1, Activation.Sign, Name = "unit")]
public partial class SignPerceptron;

/// <summary>A small MLP that must learn XOR from a seeded start.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorLearner;

public sealed class OracleTests
{
    private static readonly float[] s_booleanInputs = [0, 0, 0, 1, 1, 0, 1, 1];

    [Fact]
    public void Two_two_two_network_forward_loss_and_one_step_match_the_worked_example()
    {
        var net = new TwoTwoTwo(seed: 0, capacity: 1);
        SetTensor(net, "hidden.weight", [0.15f, 0.20f, 0.25f, 0.30f]);
        SetTensor(net, "hidden.bias", [0.35f, 0.35f]);
        SetTensor(net, "output.weight", [0.40f, 0.45f, 0.50f, 0.55f]);
        SetTensor(net, "output.bias", [0.60f, 0.60f]);

        float[] outputs = new float[2];
        net.Forward([0.05f, 0.10f], outputs, 1);
        Assert.Equal(0.75136507, outputs[0], 6);
        Assert.Equal(0.772928465, outputs[1], 6);
        TwoTwoTwo.Input input = default;
        input[0] = 0.05f;
        input[1] = 0.10f;
        TwoTwoTwo.Output predicted = net.Predict(in input);
        Assert.Equal(outputs[0], predicted[0]);
        Assert.Equal(outputs[1], predicted[1]);

        net.ZeroGradients();
        float loss = net.Backward([0.01f, 0.99f], 1);
        Assert.Equal(0.298371109, loss, 6);

        // One step of η = 0.5 on the weights; the worked example keeps the biases fixed.
        foreach (ParameterTensor tensor in net.Tensors)
        {
            if (tensor.Kind == ParameterKind.Weight)
            {
                VectorOps.AddScaled(tensor.Slice(net.Parameters), tensor.Slice(net.Gradients), -0.5f);
            }
        }
        float[] expected = [0.149780716f, 0.199561432f, 0.249751144f, 0.299502287f, 0.358916480f, 0.408666186f, 0.511301270f, 0.561370121f];
        float[] actual = [.. GetTensor(net, "hidden.weight"), .. GetTensor(net, "output.weight")];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"w{i + 1}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Two_two_two_hidden_layer_alone_gives_out_h1()
    {
        var hidden = new TwoTwoTwoHidden(seed: 0, capacity: 1);
        SetTensor(hidden, "hidden.weight", [0.15f, 0.20f, 0.25f, 0.30f]);
        SetTensor(hidden, "hidden.bias", [0.35f, 0.35f]);
        float[] outputs = new float[2];
        hidden.Forward([0.05f, 0.10f], outputs, 1);
        Assert.Equal(0.593269992, outputs[0], 6);
    }

    [Fact]
    public void Xor_network_from_the_notes_gives_exactly_0_1_1_0()
    {
        var net = new XorByHand();
        SetTensor(net, "hidden.weight", [1, 1, 1, 1]);
        SetTensor(net, "hidden.bias", [0, -1]);
        SetTensor(net, "output.weight", [1, -2]);
        float[] outputs = new float[4];
        net.Forward(s_booleanInputs, outputs, 4);
        Assert.Equal([0f, 1f, 1f, 0f], outputs);
    }

    [Fact]
    public void Nand_perceptron_with_step_output()
    {
        var net = new StepPerceptron();
        SetTensor(net, "unit.weight", [-2, -2]);
        SetTensor(net, "unit.bias", [3]);
        float[] outputs = new float[4];
        net.Forward(s_booleanInputs, outputs, 4);
        Assert.Equal([1f, 1f, 1f, 0f], outputs);
    }

    [Fact]
    public void Sign_and_step_at_zero_are_positive()
    {
        var sign = new SignPerceptron();
        SetTensor(sign, "unit.weight", [1, -1]);
        SetTensor(sign, "unit.bias", [0]);
        float[] outputs = new float[3];
        sign.Forward([1, 1, 0, 2, 2, 0], outputs, 3);
        Assert.Equal([1f, -1f, 1f], outputs);

        var step = new StepPerceptron();
        SetTensor(step, "unit.weight", [1, -1]);
        SetTensor(step, "unit.bias", [0]);
        step.Forward([1, 1, 0, 2, 2, 0], outputs, 3);
        Assert.Equal([1f, 0f, 1f], outputs);
    }

    [Fact]
    public void Inference_only_network_refuses_to_train()
    {
        var net = new XorByHand();
        float[] outputs = new float[1];
        net.Forward([0, 1], outputs, 1);
        var error = Assert.Throws<InvalidOperationException>(() => net.Backward([1f], 1));
        Assert.Contains("XorByHand", error.Message, StringComparison.Ordinal);
        Assert.Contains("Loss.None", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mlp_learns_xor_from_a_seeded_start()
    {
        float[] targets = [0, 1, 1, 0];
        float[] outputs = new float[4];
        var net = new XorLearner(seed: 42, capacity: 4);
        float firstLoss = 0, loss = 0;
        for (int step = 0; step < 3000; step++)
        {
            net.Forward(s_booleanInputs, outputs, 4);
            net.ZeroGradients();
            loss = net.Backward(targets, 4);
            if (step == 0)
            {
                firstLoss = loss;
            }
            VectorOps.AddScaled(net.Parameters, net.Gradients, -0.5f);
        }
        net.Forward(s_booleanInputs, outputs, 4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(outputs[i] > 0.5f == targets[i] > 0.5f, $"XOR({s_booleanInputs[2 * i]}, {s_booleanInputs[2 * i + 1]}) = {outputs[i]}");
        }
        Assert.True(loss < 0.1f * firstLoss, $"loss fell only from {firstLoss} to {loss}");
    }

    internal static void SetTensor(INetwork net, string name, float[] values)
    {
        foreach (ParameterTensor tensor in net.Tensors)
        {
            if (tensor.Name == name)
            {
                tensor.CopyFrom(values, net.Parameters);
                return;
            }
        }
        throw new ArgumentException($"No tensor '{name}'.", nameof(name));
    }

    internal static float[] GetTensor(INetwork net, string name)
    {
        foreach (ParameterTensor tensor in net.Tensors)
        {
            if (tensor.Name == name)
            {
                float[] values = new float[tensor.Length];
                tensor.CopyTo(net.Parameters, values);
                return values;
            }
        }
        throw new ArgumentException($"No tensor '{name}'.", nameof(name));
    }
}
