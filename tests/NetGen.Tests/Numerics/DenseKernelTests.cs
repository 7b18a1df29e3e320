using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.IO;
using Xunit;

namespace NetGen.Tests.Numerics;

// Widths chosen for the packed dense kernels (panels of 32 outputs): 100 = 3 panels + a tail of 4, 33 = a panel + 1,
// 17 = a tail of one Vector512 + 1 column (two overlapping Vector256 on that path), 3 and 1 = narrower than any vector.
[Network(Loss = Loss.SquaredError)]
[Input(29)]
[Dense(100, Activation.ReLU)]
[Dense(33, Activation.LeakyReLU, Alpha = 0.2f)]
[Dense(17, Activation.Tanh)]
[Dense(3)]
[Dense(1)]
public partial class OddWidths;

// 600 inputs: two cache blocks of 300 in the forward GEMM, with the ReLU applied after the last one. 50 outputs leave a
// tail of 18 (three Vector256 units, the last overlapping, over two tiles); 45 leaves 13.
[Network(Loss = Loss.SquaredError)]
[Input(600)]
[Dense(50, Activation.ReLU, BiasInit = 0.05f)]
[Dense(45)]
public partial class BlockedInputs;

[Network(Loss = Loss.None)]
[Input(600)]
[Dense(45)]
public partial class WideSingleLayer;

// The shape of the grad-tiny benchmark (8 and 2 outputs: narrower than a Vector512), and inputs narrower than any vector.
[Network(Loss = Loss.SquaredError)]
[Input(24)]
[Dense(8, Activation.Tanh)]
[Dense(2)]
public partial class NarrowOutputs;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(3, Activation.LeakyReLU)]
[Dense(1, Activation.Sigmoid, Bias = false)]
public partial class NarrowInputs;

/// <summary>
/// The packed dense kernels on odd sizes against the double-precision <see cref="ReferenceNetwork"/>, on whichever SIMD
/// path the process has (the suite is repeated with Vector512 and with all hardware intrinsics off): forward, gradient,
/// single-sample predictions against batch rows, and the packed weight layout through <see cref="ParameterTensor"/> and
/// safetensors.
/// </summary>
public sealed class DenseKernelTests
{
    private static readonly Dictionary<string, Func<INetwork>> s_networks = new()
    {
        [nameof(OddWidths)] = () => new OddWidths(seed: 3, capacity: 16),
        [nameof(BlockedInputs)] = () => new BlockedInputs(seed: 4, capacity: 16),
        [nameof(NarrowOutputs)] = () => new NarrowOutputs(seed: 5, capacity: 16),
        [nameof(NarrowInputs)] = () => new NarrowInputs(seed: 6, capacity: 16),
    };

    public static TheoryData<string, int> NetworksAndBatches
    {
        get
        {
            // 1: the single-sample path; then the row tails after tiles of 8 rows (Vector512) or 6 rows (Vector256):
            // 5 = 4 + 1, 7 = 4 + 2 + 1 or 6 + 1, 13 = 8 + 4 + 1 or 12 + 1.
            var data = new TheoryData<string, int>();
            foreach (string name in s_networks.Keys)
            {
                foreach (int n in new[] { 1, 5, 7, 13 })
                {
                    data.Add(name, n);
                }
            }
            return data;
        }
    }

    public static TheoryData<string> Networks => new(s_networks.Keys);

    [Theory]
    [MemberData(nameof(NetworksAndBatches))]
    public void Forward_and_gradient_match_the_double_reference(string name, int n)
    {
        INetwork network = s_networks[name]();
        (float[] inputs, float[] targets) = Batch(network, n, seed: 21);
        GradientCheckTests.AssertMatchesReference(name, network, inputs, targets, n);
    }

    /// <summary>About a third of the inputs are exactly 0, so the single-sample path skips them while the batch tiles
    /// multiply them; the outputs must still agree bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Single_sample_predictions_equal_batch_rows_bit_for_bit(string name)
    {
        INetwork network = s_networks[name]();
        const int n = 13;
        (float[] inputs, _) = Batch(network, n, seed: 22);
        for (int i = 0; i < inputs.Length; i += 3)
        {
            inputs[i] = 0f;
        }
        float[] outputs = new float[n * network.OutputSize];
        network.Forward(inputs, outputs, n);
        float[] single = new float[network.OutputSize];
        for (int s = 0; s < n; s++)
        {
            network.Predict(inputs.AsSpan(s * network.InputSize, network.InputSize), single);
            Assert.Equal(Bits(outputs.AsSpan(s * network.OutputSize, network.OutputSize).ToArray()), Bits(single));
        }
    }

    /// <summary>Dense weights are stored in panels of 32 outputs, each [inputs][panel width], the last panel narrower:
    /// element [o, i] of the PyTorch-layout tensor sits at panelStart·inputs + i·width + (o − panelStart).</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Packed_weights_round_trip_through_the_logical_layout(string name)
    {
        INetwork network = s_networks[name]();
        foreach (ParameterTensor tensor in network.Tensors.Where(t => t.Kind == ParameterKind.Weight))
        {
            Assert.Equal(32, tensor.PanelWidth);
            int outputs = tensor.Shape[0], inputs = tensor.Shape[1];
            float[] logical = Enumerable.Range(0, tensor.Length).Select(i => (float)i).ToArray();
            tensor.CopyFrom(logical, network.Parameters);
            Span<float> stored = tensor.Slice(network.Parameters);
            for (int o = 0; o < outputs; o++)
            {
                int panelStart = o / 32 * 32;
                int width = Math.Min(32, outputs - panelStart);
                for (int i = 0; i < inputs; i++)
                {
                    int index = panelStart * inputs + i * width + (o - panelStart);
                    Assert.Equal(index, tensor.StoredIndex(o, i));
                    Assert.Equal(logical[o * inputs + i], stored[index]);
                }
            }
            float[] back = new float[tensor.Length];
            tensor.CopyTo(network.Parameters, back);
            Assert.Equal(logical, back);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Safetensors_hold_pytorch_layout_and_reload_bit_for_bit(string name)
    {
        INetwork network = s_networks[name]();
        byte[] file = network.ToSafetensors();
        SafetensorsHeader header = SafetensorsHeader.Parse(file, "memory");
        foreach (ParameterTensor tensor in network.Tensors)
        {
            Assert.True(header.TryGetTensor(tensor.Name, out SafetensorsTensorInfo info));
            Assert.Equal(tensor.Shape.Select(d => (long)d), info.Shape);
            float[] inFile = new float[tensor.Length];
            header.ReadFloats(file, info, inFile);
            float[] logical = new float[tensor.Length];
            tensor.CopyTo(network.Parameters, logical);
            Assert.Equal(logical, inFile);
        }

        // The file's [o, i] is the weight from input i to output o: a unit input i gives bias + column i.
        INetwork reloaded = s_networks[name]();
        reloaded.Initialize(99);
        reloaded.Load(file, "memory");
        Assert.Equal(Bits(network.Parameters.ToArray()), Bits(reloaded.Parameters.ToArray()));
    }

    /// <summary>A single layer given weights W[o, i] = o + i/1000 in PyTorch layout: a unit input i must give exactly
    /// bias[o] + W[o, i] (every other product is 0), on the single-sample path and in a batch.</summary>
    [Fact]
    public void Unit_inputs_read_the_weight_columns_of_the_pytorch_layout()
    {
        var network = new WideSingleLayer(capacity: 4);
        const int inputs = 600, outputs = 45;
        float[] w = new float[outputs * inputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                w[o * inputs + i] = o + i / 1000f;
            }
        }
        float[] b = Enumerable.Range(0, outputs).Select(o => -0.5f * o).ToArray();
        network.Tensors.Single(t => t.Name == "dense1.weight").CopyFrom(w, network.Parameters);
        network.Tensors.Single(t => t.Name == "dense1.bias").CopyFrom(b, network.Parameters);
        int[] probes = [0, 299, 300, 599];
        float[] batch = new float[probes.Length * inputs];
        for (int s = 0; s < probes.Length; s++)
        {
            batch[s * inputs + probes[s]] = 1f;
        }
        float[] batchOutputs = new float[probes.Length * outputs];
        network.Forward(batch, batchOutputs, probes.Length);
        float[] single = new float[outputs];
        for (int s = 0; s < probes.Length; s++)
        {
            network.Predict(batch.AsSpan(s * inputs, inputs), single);
            for (int o = 0; o < outputs; o++)
            {
                float expected = b[o] + w[o * inputs + probes[s]];
                Assert.Equal(expected, single[o]);
                Assert.Equal(expected, batchOutputs[s * outputs + o]);
            }
        }
    }

    private static (float[] Inputs, float[] Targets) Batch(INetwork network, int n, int seed)
    {
        var random = new SeededRandom(seed);
        float[] inputs = new float[n * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextGaussian();
        }
        float[] targets = new float[n * network.OutputSize];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = network.Loss == Loss.BinaryCrossEntropy ? random.NextInt(2) : (float)(0.5 * random.NextGaussian());
        }
        return (inputs, targets);
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
