using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

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
        (NetGenRun result, _) = GeneratorHarness.Run($"using NetGen;\n[Network(Loss = Loss.SquaredError)] {layers} public partial class Net;");
        Assert.Empty(GeneratorHarness.Problems(result));
        return Assert.IsType<NetworkPlan>(result.TrackedSteps[TrackingNames.Plan].SelectMany(step => step.Outputs).Single().Value);
    }

    private static PassSteps Backward(NetworkPlan plan) => PassScheduler.BackwardSteps(plan, PassScheduler.ForwardSteps(plan).NextNumber);

    private static PassSteps.Step Step(PassSteps steps, string summary) => Assert.Single(steps.All, step => step.Summary == summary);

    private static int IndexOf(PassSteps steps, string summary) => steps.All.ToList().FindIndex(step => step.Summary == summary);

    /// <summary>How the backward pass renders the schedule of the tests above: a pair of steps as one
    /// <c>SplitTogether</c>, a step alone as a <c>Split</c>, each naming the method it runs, the shard sums after the last
    /// split; a thread with only some of a dense layer's panels first reads the batch's rows in order.</summary>
    [Fact]
    public void The_backward_pass_renders_pairs_as_one_split()
    {
        string text = GenerateTrainable("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(40, Activation.ReLU, Name = \"f1\")] "
            + "[BatchNorm(Name = \"bn\")] [Dense(3, Name = \"f2\")]");
        int begin = text.IndexOf("public float Backward", System.StringComparison.Ordinal);
        string[] calls = Unwrapped(text[begin..text.IndexOf("return _passLoss;", begin, System.StringComparison.Ordinal)])
            .Split('\n').Where(line => line.StartsWith("Split", System.StringComparison.Ordinal) || line.EndsWith("(0, 0, n);", System.StringComparison.Ordinal)).ToArray();
        string all = string.Join("\n", calls);
        int Call(string method) => System.Array.FindIndex(calls, call => call.EndsWith("// " + method, System.StringComparison.Ordinal) || call.StartsWith(method + "(", System.StringComparison.Ordinal));

        Assert.True(Call("LossAndOutputGradient") == 0, all);
        Assert.StartsWith("SplitTogether(", calls[Call("F2WeightGradientsWithBackwardF2")], System.StringComparison.Ordinal);
        Assert.StartsWith("SplitTogether(", calls[Call("F1WeightGradientsWithBackwardF1ToC2")], System.StringComparison.Ordinal);
        Assert.StartsWith("SplitTogether(", calls[Call("C2ShardWeightGradientsWithBackwardC2ToPool1")], System.StringComparison.Ordinal);
        Assert.StartsWith("Split(", calls[Call("BackwardBn")], System.StringComparison.Ordinal);
        // c1 has no input gradient to pair with.
        Assert.StartsWith("Split(", calls[Call("C1ShardWeightGradients")], System.StringComparison.Ordinal);
        int lastSplit = System.Array.FindLastIndex(calls, call => call.StartsWith("Split", System.StringComparison.Ordinal));
        Assert.True(Call("C2SumShards") > lastSplit, all);
        Assert.True(Call("C1SumShards") > lastSplit, all);
        // f1 has two panels of 32 outputs (40 = 32 + 8); f2 one, which a thread never shares.
        Assert.Contains("if ((start > 0 || end < 2) && _threads.Count > 1)", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("end < 1)", text, System.StringComparison.Ordinal);
    }

    /// <summary>How the backward pass renders the sharded schedule of the tests above: two splits, each
    /// thread's shards of the batch through every layer (the loss per shard first, then each sample step over the
    /// shards' samples and each shard weight gradient over the shards), then the fixed lanes; a thread with every shard
    /// runs the dense weight gradients in pass order instead.</summary>
    [Fact]
    public void A_sharded_backward_pass_renders_as_two_splits()
    {
        string text = Unwrapped(GenerateTrainable("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(120, Activation.ReLU, Name = \"f1\")] [Dense(3, Name = \"f2\")]"));
        int begin = text.IndexOf("public float Backward", System.StringComparison.Ordinal);
        string backward = text[begin..text.IndexOf("return (float)(loss / n);", begin, System.StringComparison.Ordinal)];
        string[] calls = backward.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("Split", System.StringComparison.Ordinal) || line.EndsWith("(0, 0, n);", System.StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.StartsWith("Split(", calls[0], System.StringComparison.Ordinal);
        Assert.Contains(", 4, 1, (long)n * ", calls[0], System.StringComparison.Ordinal);
        Assert.EndsWith("// BackwardShards", calls[0], System.StringComparison.Ordinal);
        Assert.EndsWith("// WeightGradientLanes", calls[1], System.StringComparison.Ordinal);
        Assert.DoesNotContain("SplitTogether", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("_passLoss", text, System.StringComparison.Ordinal);
        Assert.Contains("LossKernels.SquaredErrorSum(", text, System.StringComparison.Ordinal);

        string Method(string name)
        {
            int at = text.IndexOf($"private void {name}(int part, int start, int end)", System.StringComparison.Ordinal);
            Assert.True(at >= 0, name);
            // Up to the next member (the text is unwrapped: each line trimmed, so a method's own braces start lines too).
            return text[at..text.IndexOf("\nprivate ", at + 1, System.StringComparison.Ordinal)];
        }
        string shards = Method("BackwardShards");
        Assert.Contains("_shardLosses[shard] = shardLast > shardFirst ? ", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (last > first) BackwardF2ToF1(part, first, last);", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (last > first) BackwardC2ToPool1(part, first, last);", shards, System.StringComparison.Ordinal);
        Assert.Contains("C2ShardWeightGradients(part, start, end);", shards, System.StringComparison.Ordinal);
        Assert.Contains("C1ShardWeightGradients(part, start, end);", shards, System.StringComparison.Ordinal);
        // With every shard on one thread, the dense weight gradients run here, in pass order; else in the lanes.
        Assert.Contains("bool panels = start == 0 && end == 4;", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (panels) F2WeightGradients(part, 0, 1);", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (panels) F1WeightGradients(part, 0, 4);", shards, System.StringComparison.Ordinal);
        // Each lane is one case; a panel in a lane runs only when no thread ran the panels with every shard.
        string lanes = Method("WeightGradientLanes");
        Assert.Equal(4, lanes.Split(["case "], System.StringSplitOptions.None).Length - 1);
        Assert.All(lanes.Split('\n').Where(line => line.Contains("WeightGradients(part, ", System.StringComparison.Ordinal)),
            line => Assert.Contains("if (!_panelsDone) ", line, System.StringComparison.Ordinal));
        Assert.Contains("C1SumShards(part, 0, n);", lanes, System.StringComparison.Ordinal);
    }

    /// <summary>Binary cross-entropy applies class weights in its loss kernel, so its network keeps the weights the trainer
    /// sets and passes them to the whole batch's kernel and to each shard's; a cross-entropy takes them in its target rows and
    /// has neither the field nor the member.</summary>
    [Fact]
    public void Binary_cross_entropy_passes_the_networks_loss_weights_to_its_kernel()
    {
        const string Bce = "[Network(Loss = Loss.BinaryCrossEntropy)]";
        string dense = Unwrapped(Generate(Bce, "[Input(4)] [Dense(3, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]"));
        Assert.Contains("private float[] _lossWeights = [];", dense, System.StringComparison.Ordinal);
        Assert.Contains("void global::NetGen.CompilerServices.INetworkEngine.SetLossWeights(global::System.ReadOnlySpan<float> weights)", dense, System.StringComparison.Ordinal);
        Assert.Contains("=> global::NetGen.Kernels.LossKernels.CopyClassWeights(weights, ref _lossWeights);", dense, System.StringComparison.Ordinal);
        Assert.Matches(@"LossKernels\.BinaryCrossEntropyWithLogits\(ws\.Z2\.Span\.Slice\(0, n \* 1\), .*, n, 1, _lossWeights\);", dense);

        string sharded = Unwrapped(Generate(Bce, "[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU)] [Flatten] [Dense(1, Activation.Sigmoid)]"));
        Assert.Matches(@"LossKernels\.BinaryCrossEntropyWithLogitsSum\(.*, shardLast - shardFirst, 1, n, _lossWeights\)", sharded);

        string crossEntropy = Generate("[Network(Loss = Loss.SoftmaxCrossEntropy)]", "[Input(4)] [Dense(3)]");
        Assert.DoesNotContain("_lossWeights", crossEntropy, System.StringComparison.Ordinal);
        Assert.DoesNotContain("SetLossWeights", crossEntropy, System.StringComparison.Ordinal);
    }

    /// <summary>A step's method name keeps only the letters and digits of its layers' names (which also allow '_' and
    /// '.'), each run starting upper-case; a name that would start with a digit starts with "Layer".</summary>
    [Fact]
    public void Step_methods_are_named_from_the_layers_as_identifiers()
    {
        string text = GenerateTrainable("[Input(4)] [Dense(3, Activation.ReLU, Name = \"block.a_1\")] [Dense(2, Name = \"2nd\")]");
        Assert.Contains("private void ForwardBlockA1To2nd(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void BackwardLayer2ndToBlockA1(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void Layer2ndWeightGradients(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void BlockA1WeightGradients(int part, int start, int end)", text, System.StringComparison.Ordinal);
    }

    /// <summary>The text as one trimmed line per statement, each with its comment after it: wrapping puts a long
    /// statement's arguments on further lines and its comment, itself perhaps on several lines, before it.</summary>
    private static string Unwrapped(string text)
    {
        var lines = new List<string>();
        string? comment = null, pending = null;
        bool open = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("//", System.StringComparison.Ordinal))
            {
                comment = comment is null ? line : comment + " " + line[3..];
                continue;
            }
            if (open)
            {
                lines[^1] += (lines[^1].EndsWith('(') ? "" : " ") + line;
            }
            else
            {
                lines.Add(line);
                (pending, comment) = (comment, null);
            }
            open = line.EndsWith('(') || line.EndsWith(',');
            if (!open && pending is not null)
            {
                lines[^1] += " " + pending;
                pending = null;
            }
        }
        return string.Join("\n", lines);
    }
}
