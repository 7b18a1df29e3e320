using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.CompilerServices;
using NetGen.Concurrency;
using NetGen.Tests.Numerics;
using Xunit;

namespace NetGen.Tests.Concurrency;

/// <summary>
/// What a training pass reports as final (<see cref="IBackwardProgress"/>) is final: no later step of the pass changes it.
/// A data-parallel trainer starts summing those gradients over its processes at once, so a report that came too early
/// would sum a gradient that is still being written. Checked for every trainable network of the test assembly, on one
/// thread and on three (whose splits differ, while the reports must not).
/// </summary>
public sealed class FinalGradientTests
{
    private const int Batch = 6;

    /// <summary>Every trainable network type of this assembly.</summary>
    public static TheoryData<string> Networks => new(s_types.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, Type> s_types = typeof(FinalGradientTests).Assembly.GetTypes()
        .Where(type => typeof(INetworkEngine).IsAssignableFrom(type) && !type.IsAbstract)
        .Where(type => Create(type, 1).Loss != Loss.None)
        .ToDictionary(type => type.FullName!);

    private static INetwork Create(Type type, int seed) => (INetwork)Activator.CreateInstance(type, seed, 8)!;

    /// <summary>Copies every gradient the pass reports final, when it first does, and checks the reports' order.</summary>
    private sealed class SnapshotProgress(INetwork network) : IBackwardProgress
    {
        public List<int> Reports { get; } = [];

        public Dictionary<int, float[]> Snapshots { get; } = [];

        public void StepDone(int finalFrom)
        {
            Assert.InRange(finalFrom, 0, Reports.Count == 0 ? network.ParameterCount : Reports[^1]);
            Reports.Add(finalFrom);
            if (!Snapshots.ContainsKey(finalFrom))
            {
                Snapshots[finalFrom] = network.Gradients[finalFrom..].ToArray();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Gradients_reported_final_are_not_written_again_in_the_pass(string name)
    {
        var reported = new HashSet<int>();
        IReadOnlyList<int> points = [];
        float[]? firstGradients = null;
        foreach (int threads in new[] { 1, 3 })
        {
            using INetwork net = Create(s_types[name], 2);
            net.SplitOver(threads);
            net.Engine().MinimumWorkPerPart = 0;
            (float[] inputs, float[] targets) = GradientCheckTests.RandomBatch(net, seed: 5);
            var progress = new SnapshotProgress(net);
            // A second pass adds to gradients that are not zero, as it would with gradient accumulation.
            for (int pass = 0; pass < 2; pass++)
            {
                progress.Reports.Clear();
                progress.Snapshots.Clear();
                net.Engine().ForwardBackward(new ForwardBackwardTests.RowCopy(net, inputs, targets), new float[Batch * net.OutputSize], Batch, progress);
                foreach ((int finalFrom, float[] snapshot) in progress.Snapshots)
                {
                    Assert.True(snapshot.AsSpan().SequenceEqual(net.Gradients[finalFrom..]),
                        $"{name} on {threads} threads: the gradients from {finalFrom} were reported final and changed later in the pass");
                }
            }
            points = net.Engine().FinalGradientOffsets;
            Assert.Equal(0, progress.Reports[^1]);
            Assert.Subset(points.Append(net.ParameterCount).ToHashSet(), progress.Reports.ToHashSet());
            reported.UnionWith(progress.Reports.Where(report => report < net.ParameterCount || report == 0));
            Assert.Equal(points.Order().Reverse(), points);
            Assert.All(points, point => Assert.True(point == 0 || net.Tensors.Any(tensor => tensor.Offset == point), $"{point} starts no tensor"));
            firstGradients ??= net.Gradients.ToArray();
            Assert.Equal(firstGradients, net.Gradients.ToArray());
            net.Threads = 1;
        }
        // A sharded pass reports the dense layers during the split over shards only when one thread runs every shard.
        Assert.Equal(points.Order(), reported.Order());
    }

    /// <summary>A network of dense layers finishes its gradients layer by layer, the last first, which is what a
    /// data-parallel trainer overlaps its sums with. A convolutional pass by shard finishes its dense layers as it goes
    /// when one thread runs every shard, and its convolutions (summed over the shards) at the end.</summary>
    [Fact]
    public void Dense_layers_become_final_one_by_one_and_convolutions_by_shard_at_the_end()
    {
        using var mlp = new IO.NarrowerMlp(seed: 1, capacity: 8);
        Assert.Equal(mlp.Tensors.Where(t => t.Kind == ParameterKind.Weight).Select(t => t.Offset).Reverse(), mlp.Engine().FinalGradientOffsets);
        using var lenet = new LeNetLike(seed: 1, capacity: 8);
        int[] dense = [.. lenet.Tensors.Where(t => t.Kind == ParameterKind.Weight && t.Shape.Count == 2).Select(t => t.Offset).Reverse()];
        Assert.Equal([.. dense, 0], lenet.Engine().FinalGradientOffsets);
    }
}
