using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>The README example.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public partial class FashionMlp;

public sealed class NetworkApiTests
{
    [Fact]
    public void Constants_describe_the_network()
    {
        Assert.Equal(784, FashionMlp.InputSize);
        Assert.Equal(10, FashionMlp.OutputSize);
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, FashionMlp.ParameterCount);
        Assert.Equal(2L * 784 * 128 + 128 + 2 * 128 * 10 + 10, FashionMlp.FlopsPerSample);
        var net = new FashionMlp(seed: 1);
        Assert.Equal(FashionMlp.ParameterCount, net.Parameters.Length);
        Assert.Equal(FashionMlp.ParameterCount, net.Gradients.Length);
        Assert.Equal(FashionMlp.DefaultCapacity, net.Capacity);
        Assert.Equal(["dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"], net.Tensors.Select(t => t.Name));
        Assert.Equal([128, 784], net.Tensors[0].Shape);
    }

    [Fact]
    public unsafe void Parameter_and_gradient_buffers_are_64_byte_aligned()
    {
        var net = new FashionMlp(seed: 1);
        Assert.Equal(0, (long)Unsafe.AsPointer(ref net.Parameters[0]) % 64);
        Assert.Equal(0, (long)Unsafe.AsPointer(ref net.Gradients[0]) % 64);
    }

    [Fact]
    public void Initialization_is_deterministic_per_seed()
    {
        float[] first = new FashionMlp(seed: 7).Parameters.ToArray();
        float[] again = new FashionMlp(seed: 7).Parameters.ToArray();
        float[] other = new FashionMlp(seed: 8).Parameters.ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var net = new FashionMlp(seed: 8);
        net.Initialize(7);
        Assert.Equal(first, net.Parameters.ToArray());
    }

    [Fact]
    public void Batch_rows_equal_single_sample_predictions_bit_for_bit()
    {
        var net = new FashionMlp(seed: 3, capacity: 16);
        (float[] inputs, _) = GradientCheckTests.RandomBatch(net, seed: 5);
        int n = 7; // exercises the 4-row tiles and the single-row tail
        float[] outputs = new float[n * FashionMlp.OutputSize];
        net.Forward(inputs, outputs, n);
        float[] single = new float[FashionMlp.OutputSize];
        for (int s = 0; s < n; s++)
        {
            net.Predict(inputs.AsSpan(s * FashionMlp.InputSize, FashionMlp.InputSize), single);
            Assert.Equal(outputs.AsSpan(s * FashionMlp.OutputSize, FashionMlp.OutputSize).ToArray(), single);
        }
    }

    [Fact]
    public void Backward_accumulates_into_the_gradient_buffer()
    {
        var net = new FashionMlp(seed: 3, capacity: 8);
        (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(net, seed: 5);
        float[] outputs = new float[7 * FashionMlp.OutputSize];
        net.Forward(inputs, outputs, 7);
        net.ZeroGradients();
        net.Backward(targets, 7);
        float[] once = net.Gradients.ToArray();
        net.Backward(targets, 7);
        float[] twice = net.Gradients.ToArray();
        Assert.Contains(once, g => g != 0);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.True(Math.Abs(2 * once[i] - twice[i]) <= 1e-5f * Math.Max(1e-3f, Math.Abs(twice[i])), $"gradient {i}: once {once[i]}, twice {twice[i]}");
        }
        net.ZeroGradients();
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Wrong_sizes_and_batches_get_clear_errors()
    {
        var net = new FashionMlp(seed: 1, capacity: 4);
        float[] outputs = new float[5 * 10];
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(new float[5 * 784], outputs, 5));
        Assert.Contains("capacity 4", tooBig.Message, StringComparison.Ordinal);
        var shortInputs = Assert.Throws<ArgumentException>(() => net.Forward(new float[2 * 784 - 1], outputs, 2));
        Assert.Equal("inputs", shortInputs.ParamName);
        Assert.Contains("1568", shortInputs.Message, StringComparison.Ordinal);
        var shortOutputs = Assert.Throws<ArgumentException>(() => net.Forward(new float[2 * 784], new float[19], 2));
        Assert.Equal("outputs", shortOutputs.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(new float[784], outputs, 0));

        net.Forward(new float[2 * 784], outputs, 2);
        var mismatch = Assert.Throws<InvalidOperationException>(() => net.Backward(new float[3 * 10], 3));
        Assert.Contains("last Forward ran 2", mismatch.Message, StringComparison.Ordinal);
        var shortTargets = Assert.Throws<ArgumentException>(() => net.Backward(new float[19], 2));
        Assert.Equal("targets", shortTargets.ParamName);

        var badInput = Assert.Throws<ArgumentException>(() => net.Predict(new float[783], new float[10]));
        Assert.Contains("784", badInput.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => net.Predict(new float[784], new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FashionMlp(seed: 1, capacity: 0));
    }

    [Fact]
    public void Steady_state_passes_allocate_nothing()
    {
        var net = new FashionMlp(seed: 1, capacity: 32);
        float[] inputs = new float[32 * 784];
        float[] targets = new float[32 * 10];
        float[] outputs = new float[32 * 10];
        FashionMlp.Input x = default;
        for (int i = 0; i < 32; i++)
        {
            targets[i * 10 + i % 10] = 1;
        }
        void Step()
        {
            net.Forward(inputs, outputs, 32);
            net.ZeroGradients();
            net.Backward(targets, 32);
            net.Forward(inputs, outputs, 5); // partial batch
            net.Backward(targets, 5);
            _ = net.Predict(in x);
        }
        Step(); // warm up: JIT and tiering
        Step();
        // A pass that allocates does so in every window; the runtime's own one-off work (a method tiering up on this
        // thread) lands in one window at most, so the steady state is a window of 20 steps that allocates nothing.
        var windows = new List<long>();
        for (int window = 0; window < 5 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Step();
            }
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(windows[^1] == 0, $"bytes allocated per window of 20 steps: {string.Join(", ", windows)}");
    }

    [Fact]
    public void Initializer_defaults_follow_the_activation()
    {
        // ReLU layer → He normal: variance 2/784; identity output layer → Glorot uniform: bound √(6/(128+10)).
        var net = new FashionMlp(seed: 11);
        float[] hidden = OracleTests.GetTensor(net, "dense1.weight");
        double variance = hidden.Select(w => (double)w * w).Average();
        Assert.InRange(variance, 2.0 / 784 * 0.97, 2.0 / 784 * 1.03);
        float[] output = OracleTests.GetTensor(net, "dense2.weight");
        double bound = Math.Sqrt(6.0 / (128 + 10));
        Assert.All(output, w => Assert.InRange(w, -bound, bound));
        Assert.True(output.Max(Math.Abs) > 0.9 * bound, "Glorot uniform draws should come near the bound.");
        Assert.All(OracleTests.GetTensor(net, "dense1.bias"), b => Assert.Equal(0f, b));
    }
}
