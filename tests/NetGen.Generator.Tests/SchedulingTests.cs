using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The pass scheduler's decisions, read from its objects (<see cref="PassSteps"/>, <see cref="ShardedBackward"/>) for a
/// network the generator planned: which steps share a split, which wait for the end of the pass, how a convolutional
/// backward pass runs by shard and in lanes. The emitted text of the same schedules is in the snapshots.
/// </summary>
public sealed class SchedulingTests
{
    /// <summary>A linear layer's weight gradient and the input gradient after it run in one split (neither reads what the
    /// other writes); the sums of a convolution's gradient shards move to the end of the pass, where they separate no two
    /// steps; a normalization's per-channel step, whose input gradient reads what it computes, keeps a split of its own.</summary>
    [Fact]
    public void A_weight_gradient_shares_a_split_with_the_input_gradient_after_it()
    {
        NetworkPlan plan = Plan("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(40, Activation.ReLU, Name = \"f1\")] "
            + "[BatchNorm(Name = \"bn\")] [Dense(3, Name = \"f2\")]");
        PassSteps backward = Backward(plan);

        Assert.Null(ShardedBackward.TryPlan(backward)); // batch statistics: the batch is not cut into shards
        PassSteps.Pair Pair(string items) => Assert.Single(backward.Pairs, pair => pair.Items.Summary.StartsWith(items, System.StringComparison.Ordinal));
        Assert.StartsWith("f2: ∂x", Pair("f2: ∂w, ∂b (per output panel)").Samples.Summary, System.StringComparison.Ordinal);
        Assert.StartsWith("f1: ∂x", Pair("f1: ∂w, ∂b (per output panel)").Samples.Summary, System.StringComparison.Ordinal);
        Assert.StartsWith("c2: ∂x", Pair("c2: ∂w, ∂b per shard of the batch").Samples.Summary, System.StringComparison.Ordinal);
        Assert.Equal(3, backward.Pairs.Count); // not bn's step, nor c1's gradient, which has no input gradient after it

        // f1 has two panels of 32 outputs (40 = 32 + 8), f2 one.
        Assert.Equal(2, Step(backward, "f1: ∂w, ∂b (per output panel)").ItemCount);
        Assert.Equal(1, Step(backward, "f2: ∂w, ∂b (per output panel)").ItemCount);

        // The shard sums close the pass, after every step that splits.
        int firstSum = IndexOf(backward, "c2: ∂w, ∂b += the shards in order");
        Assert.Equal(firstSum + 1, IndexOf(backward, "c1: ∂w, ∂b += the shards in order"));
        Assert.All(backward.All.Skip(firstSum), step => Assert.Equal(StepKind.ShardSum, step.Kind));
    }

    /// <summary>A convolutional network without statistics over the batch runs its backward pass as two splits: each
    /// thread's shards of the batch through every layer, then the dense weight gradients by output panel and the shard
    /// sums in fixed lanes, the costliest panels spread over the lanes.</summary>
    [Fact]
    public void A_convolutional_backward_pass_runs_by_shard_then_in_lanes()
    {
        NetworkPlan plan = Plan("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(120, Activation.ReLU, Name = \"f1\")] [Dense(3, Name = \"f2\")]");
        ShardedBackward sharded = Assert.IsType<ShardedBackward>(ShardedBackward.TryPlan(Backward(plan)));

        Assert.Equal(StepKind.Loss, sharded.Loss.Kind);
        Assert.NotNull(sharded.Loss.ShardBody);
        string[] perShard = [.. sharded.PerShard.Select(step => step.Summary)];
        Assert.Contains("c2: ∂w, ∂b per shard of the batch", perShard);
        Assert.Contains("c1: ∂w, ∂b per shard of the batch", perShard);
        Assert.True(System.Array.IndexOf(perShard, "c2: ∂w, ∂b per shard of the batch") < System.Array.IndexOf(perShard, "c1: ∂w, ∂b per shard of the batch"));
        Assert.True(sharded.HasPanels); // with every shard on one thread, the dense gradients run there, in pass order

        // f1's four panels of 32 outputs (120 = 3 × 32 + 24) go one to each lane; the shard sums and f2's panel follow.
        Assert.Equal(ShardedBackward.Shards, sharded.Lanes.Count);
        Assert.All(sharded.Lanes, lane => Assert.Single(lane, unit => unit.Step.Summary == "f1: ∂w, ∂b (per output panel)"));
        Assert.Equal([0, 1, 2, 3], sharded.Lanes.Select(lane => lane.Single(unit => unit.Step.Summary.StartsWith("f1", System.StringComparison.Ordinal)).Item).Order());
        var later = sharded.Lanes.SelectMany(lane => lane).Where(unit => !unit.Step.Summary.StartsWith("f1", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["c1: ∂w, ∂b += the shards in order", "c2: ∂w, ∂b += the shards in order", "f2: ∂w, ∂b (per output panel)"],
            later.Select(unit => unit.Step.Summary).Order(System.StringComparer.Ordinal));
    }

    private static NetworkPlan Plan(string layers)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run($"using NetGen;\n[Network(Loss = Loss.SquaredError)] {layers} public partial class Net;");
        Assert.Empty(GeneratorHarness.Problems(result));
        return Assert.IsType<NetworkPlan>(result.TrackedSteps[TrackingNames.Plan].SelectMany(step => step.Outputs).Single().Value);
    }

    private static PassSteps Backward(NetworkPlan plan) => PassScheduler.BackwardSteps(plan, PassScheduler.ForwardSteps(plan).NextNumber);

    private static PassSteps.Step Step(PassSteps steps, string summary) => Assert.Single(steps.All, step => step.Summary == summary);

    private static int IndexOf(PassSteps steps, string summary) => steps.All.ToList().FindIndex(step => step.Summary == summary);
}
