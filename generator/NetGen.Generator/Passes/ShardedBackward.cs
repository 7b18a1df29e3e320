using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Passes;

/// <summary>
/// The backward pass of a convolutional network as two splits instead of one or two per layer. The first gives each
/// thread whole shards of the batch (the fixed shards the convolutions' weight gradients are summed in): the loss of its
/// shards' samples, then every sample step and every shard weight gradient on them, layer after layer, so that what one
/// layer writes the next reads from the same core's cache, and no thread waits for another between layers. The second
/// runs what needs the whole batch, the dense weight gradients by output panel and the sums of the shards, in fixed
/// lanes. A thread that has every shard (one thread, or a batch too small to split) runs the dense weight gradients
/// with the shards instead, in pass order, while their rows are in its cache. Every shard, panel and sum is computed the
/// same way wherever and whenever it runs, so results do not depend on the thread count.
/// </summary>
/// <remarks>A pass qualifies when it has a shard weight gradient and nothing but the loss, sample steps, weight gradients
/// and shard sums: statistics over the batch (batch normalization), per-channel parameter gradients and weight
/// normalization keep the split per step.</remarks>
internal sealed class ShardedBackward
{
    /// <summary>The batch size the costs that decide the lanes are estimated for.</summary>
    public const int NominalBatch = 64;

    /// <summary>Shards of the batch a convolution's weight gradient is summed in; also the number of lanes, so at most
    /// this many threads share either split.</summary>
    public const int Shards = 4;

    private ShardedBackward(PassSteps.Step loss, IReadOnlyList<PassSteps.Step> perShard, IReadOnlyList<IReadOnlyList<(PassSteps.Step Step, int Item)>> lanes,
        int shardStep, int laneStep)
    {
        Loss = loss;
        PerShard = perShard;
        Lanes = lanes;
        ShardStep = shardStep;
        LaneStep = laneStep;
        ShardWorkPerSample = perShard.Sum(step => step.Kind switch { StepKind.Samples => step.WorkPerItem, StepKind.WeightShards => step.WorkPerSample, _ => 0 });
        LaneWorkPerSample = lanes.SelectMany(lane => lane).Sum(unit => unit.Step.WorkPerSample / System.Math.Max(1, unit.Step.ItemCount));
        SumWorkPerSample = lanes.SelectMany(lane => lane).Where(unit => unit.Step.Kind == StepKind.ShardSum).Sum(unit => unit.Step.WorkPerSample);
    }

    /// <summary>The loss step, whose <see cref="PassSteps.Step.ShardBody"/> each shard runs first.</summary>
    public PassSteps.Step Loss { get; }

    /// <summary>The sample steps (run on the shards' samples), the shard weight gradients (run for the shards) and the
    /// dense weight gradients (run whole when one thread has every shard, else in the lanes), in pass order.</summary>
    public IReadOnlyList<PassSteps.Step> PerShard { get; }

    /// <summary>Per lane, the items it runs after the shards: an output panel of a dense weight gradient, or a shard sum
    /// (item 0 of a step that runs whole).</summary>
    public IReadOnlyList<IReadOnlyList<(PassSteps.Step Step, int Item)>> Lanes { get; }

    /// <summary>The step number of the split over shards.</summary>
    public int ShardStep { get; }

    /// <summary>The step number of the split over lanes.</summary>
    public int LaneStep { get; }

    /// <summary>Estimated FLOPs per sample of the split over shards.</summary>
    public long ShardWorkPerSample { get; }

    /// <summary>Estimated FLOPs per sample of the split over lanes, all lanes together.</summary>
    public long LaneWorkPerSample { get; }

    /// <summary>Whether the pass has dense weight gradients (which run with the shards or in the lanes).</summary>
    public bool HasPanels => PerShard.Any(step => step.Kind == StepKind.WeightPanels);

    /// <summary>Estimated FLOPs per sample of the shard sums alone (the lanes' work when the dense weight gradients ran
    /// with the shards).</summary>
    public long SumWorkPerSample { get; }

    /// <summary>The sharded form of <paramref name="backward"/> (numbered after its steps and pairs), or null when the pass
    /// does not qualify.</summary>
    public static ShardedBackward? TryPlan(PassSteps backward)
    {
        IReadOnlyList<PassSteps.Step> steps = backward.All;
        if (steps.Count == 0 || steps[0].Kind != StepKind.Loss || steps[0].ShardBody is null
            || !steps.Any(step => step.Kind == StepKind.WeightShards)
            || steps.Skip(1).Any(step => step.Kind is not (StepKind.Samples or StepKind.WeightShards or StepKind.WeightPanels or StepKind.ShardSum)
                || (step.Kind == StepKind.Samples && step.Grain != 1)))
        {
            return null;
        }
        // In pass order with the dense weight gradients, which run here when one thread has every shard.
        var perShard = steps.Where(step => step.Kind is StepKind.Samples or StepKind.WeightShards or StepKind.WeightPanels).ToList();
        // Whole-batch work in lanes: the costliest item first, each to the lane with the least so far (the first such
        // lane on a tie). The lanes are fixed here, so they are the same for every thread count.
        var units = new List<(PassSteps.Step Step, int Item, long Cost)>();
        foreach (PassSteps.Step step in steps)
        {
            if (step.Kind == StepKind.WeightPanels)
            {
                for (int item = 0; item < step.ItemCount; item++)
                {
                    units.Add((step, item, step.WorkPerSample / step.ItemCount));
                }
            }
            else if (step.Kind == StepKind.ShardSum)
            {
                units.Add((step, 0, step.WorkPerSample));
            }
        }
        var lanes = new List<(PassSteps.Step Step, int Item)>[Shards];
        var load = new long[Shards];
        for (int lane = 0; lane < Shards; lane++)
        {
            lanes[lane] = [];
        }
        foreach (var unit in units.Select((unit, index) => (unit, index)).OrderByDescending(u => u.unit.Cost).ThenBy(u => u.index))
        {
            int lightest = 0;
            for (int lane = 1; lane < Shards; lane++)
            {
                if (load[lane] < load[lightest])
                {
                    lightest = lane;
                }
            }
            load[lightest] += System.Math.Max(1, unit.unit.Cost);
            lanes[lightest].Add((unit.unit.Step, unit.unit.Item));
        }
        // Within a lane, pass order (the order the unsharded pass ran them in).
        var ordered = lanes.Select(lane => (IReadOnlyList<(PassSteps.Step Step, int Item)>)lane.OrderBy(u => u.Step.Number).ThenBy(u => u.Item).ToList()).ToList();
        int first = backward.NextNumber + backward.Pairs.Count;
        return new ShardedBackward(steps[0], perShard, ordered, first, first + 1);
    }
}
