using System;
using System.Linq;
using NetGen.Tests.Layers;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests;

/// <summary><c>network.Summary()</c>: the generated layer list against the parameter counts of SEEDS.md and the network's
/// own buffers, and the table it prints.</summary>
public sealed class NetworkSummaryTests
{
    /// <summary>LeNet-5 on 32×32 as SEEDS.md counts it: C1 156, C3 2416, C5 48120, F6 10164, output 850; 61,706 in all.</summary>
    [Fact]
    public void LeNet5_has_the_parameters_of_its_paper_layer_by_layer()
    {
        using var network = new LeNet32(seed: 1, capacity: 1);
        NetworkSummary summary = network.Summary();
        Assert.Equal(["input", "c1", "s2", "c3", "s4", "c5", "f6", "output"], summary.Layers.Select(l => l.Name));
        Assert.Equal(["Input", "Conv2D", "AvgPool2D", "Conv2D", "AvgPool2D", "Conv2D", "Dense", "Dense"], summary.Layers.Select(l => l.Kind));
        Assert.Equal([0, 156, 0, 2416, 0, 48120, 10164, 850], summary.Layers.Select(l => l.Parameters));
        Assert.Equal(["1×32×32", "6×28×28", "6×14×14", "16×10×10", "16×5×5", "120", "84", "10"], summary.Layers.Select(l => l.FormatShape()));
        Assert.Equal(61_706, summary.TrainableParameters);
        Assert.Equal(0, summary.NonTrainableParameters);
        Assert.Equal(61_706, summary.TotalParameters);
        Assert.Equal(61_706 * 4, summary.Bytes);
    }

    [Fact]
    public void The_table_lists_every_layer_and_the_totals()
    {
        using var network = new LeNet32(seed: 1, capacity: 1);
        string table = network.Summary().ToString();
        Assert.Equal("""
            LeNet32 (loss SoftmaxCrossEntropy)
            ────────────────────────────────────────
            Layer (kind)    Output shape  Parameters
            ────────────────────────────────────────
            input (Input)   1×32×32                0
            c1 (Conv2D)     6×28×28              156
            s2 (AvgPool2D)  6×14×14                0
            c3 (Conv2D)     16×10×10           2,416
            s4 (AvgPool2D)  16×5×5                 0
            c5 (Conv2D)     120               48,120
            f6 (Dense)      84                10,164
            output (Dense)  10                   850
            ────────────────────────────────────────
            Total parameters: 61,706 (241.04 KiB)
            Trainable parameters: 61,706
            Non-trainable parameters: 0

            """, table.ReplaceLineEndings("\n"));
    }

    /// <summary>Batch normalization's running mean and variance are state: non-trainable, as Keras counts them.</summary>
    [Fact]
    public void Running_statistics_count_as_non_trainable()
    {
        using var network = new PeerBatchNorm(seed: 1, capacity: 2);
        NetworkSummary summary = network.Summary();
        LayerSummary batchNorm = summary.Layers.Single(l => l.Name == "bn");
        Assert.Equal(8, batchNorm.Parameters);
        Assert.Equal(8, batchNorm.StateValues);
        Assert.Equal(PeerBatchNorm.ParameterCount, summary.TrainableParameters);
        Assert.Equal(network.Engine().State.Length, summary.NonTrainableParameters);
        Assert.Contains("bn (BatchNorm)      4×5×5         8 + 8 state", summary.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("Total parameters: 431 (1.68 KiB)\nTrainable parameters: 423\nNon-trainable parameters: 8\n", summary.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>Every test network: the layers' parameters add up to the buffer, and the last layer's shape is the output.</summary>
    [Theory]
    [MemberData(nameof(GradientCheckTests.Networks), MemberType = typeof(GradientCheckTests))]
    public void The_layers_add_up_to_the_network(string name)
    {
        using INetwork network = NetworkFactory.Create(name, seed: 1);
        NetworkSummary summary = network.Summary();
        Assert.Equal(network.ParameterCount, summary.TrainableParameters);
        Assert.Equal(network.InputSize, summary.Layers[0].OutputShape.Aggregate(1, (a, b) => a * b));
        Assert.Equal(network.OutputSize, summary.Layers[^1].OutputShape.Aggregate(1, (a, b) => a * b));
        Assert.Equal(name, summary.Network);
    }
}
