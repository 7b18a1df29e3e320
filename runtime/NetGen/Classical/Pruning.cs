using System;
using System.Collections.Generic;
using NetGen.Training;

namespace NetGen.Classical;

/// <summary>
/// Which parameters of a network are pruned. <see cref="Apply"/> sets them to zero; attached to a <see cref="Trainer"/>
/// (<see cref="AttachTo"/>) it does so after every optimizer step, so pruned weights stay exactly zero through further
/// training whatever the optimizer (momentum or Adam state may keep pushing them; the mask wins after each step).
/// </summary>
public sealed class PruningMask
{
    private readonly bool[] _pruned;
    private readonly List<int> _order = [];

    /// <summary>A mask over <paramref name="parameterCount"/> parameters with nothing pruned.</summary>
    public PruningMask(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        _pruned = new bool[parameterCount];
    }

    /// <summary>A mask sized for <paramref name="network"/>.</summary>
    public static PruningMask For(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new PruningMask(network.ParameterCount);
    }

    /// <summary>Parameters covered.</summary>
    public int Length => _pruned.Length;

    /// <summary>Parameters pruned so far.</summary>
    public int PrunedCount => _order.Count;

    /// <summary>Pruned parameter indices in the order they were pruned.</summary>
    public IReadOnlyList<int> PrunedIndices => _order;

    /// <summary>Whether parameter <paramref name="index"/> is pruned.</summary>
    public bool IsPruned(int index) => _pruned[index];

    /// <summary>Marks parameter <paramref name="index"/> pruned (it is zeroed by the next <see cref="Apply"/>).</summary>
    public void Prune(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _pruned.Length);
        if (!_pruned[index])
        {
            _pruned[index] = true;
            _order.Add(index);
        }
    }

    /// <summary>Zeroes every pruned parameter of <paramref name="network"/>.</summary>
    public void Apply(INetwork network)
    {
        Check(network);
        Zero(network.Parameters);
    }

    /// <summary>Zeroes the gradients of every pruned parameter (for hand-written loops that step after this call).</summary>
    public void ApplyToGradients(INetwork network)
    {
        Check(network);
        Zero(network.Gradients);
    }

    /// <summary>Applies the mask now and after every optimizer step of <paramref name="trainer"/>; dispose the result to detach.</summary>
    public IDisposable AttachTo(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        INetwork network = trainer.Network;
        Apply(network);
        void Handler(BatchReport _) => Zero(network.Parameters);
        trainer.BatchEnded += Handler;
        return new Detacher(() => trainer.BatchEnded -= Handler);
    }

    private void Zero(Span<float> values)
    {
        foreach (int index in _order)
        {
            values[index] = 0;
        }
    }

    private void Check(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.ParameterCount != _pruned.Length)
        {
            throw new ArgumentException($"The mask covers {_pruned.Length} parameters; {network.Name} has {network.ParameterCount}.", nameof(network));
        }
    }

    private sealed class Detacher(Action detach) : IDisposable
    {
        private Action? _detach = detach;

        public void Dispose()
        {
            _detach?.Invoke();
            _detach = null;
        }
    }
}

/// <summary>One weight removed by Optimal Brain Surgeon.</summary>
/// <param name="Index">Parameter index in <see cref="INetwork.Parameters"/>.</param>
/// <param name="Weight">Its value before removal.</param>
/// <param name="Saliency">½w_q²/[H⁻¹]_qq: the loss increase the quadratic model predicts after the correction.</param>
/// <param name="LossBefore">Mean loss before removal.</param>
public sealed record SurgeonStep(int Index, double Weight, double Saliency, double LossBefore);

/// <summary>
/// Pruning of weight parameters (tensors of kind <see cref="ParameterKind.Weight"/>; biases are never pruned) by
/// magnitude, by Optimal Brain Damage (saliency Hᵢᵢwᵢ²/2, LeCun et al. 1990) and by Optimal Brain Surgeon
/// (saliency ½w_q²/[H⁻¹]_qq with the correction Δw = −(w_q/[H⁻¹]_qq)H⁻¹e_q, Hassibi and Stork 1993). OBD and OBS assume
/// the network was trained to a minimum of the loss on the given data; the Hessian is the one of
/// <see cref="NetworkDerivatives.Hessian"/>.
/// </summary>
public static class Pruning
{
    /// <summary>Prunes the <paramref name="count"/> unpruned weights with the smallest |w| (ties: lower index first),
    /// zeroes them, and returns their indices.</summary>
    public static int[] ByMagnitude(INetwork network, PruningMask mask, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        var saliency = new double[network.ParameterCount];
        for (int j = 0; j < saliency.Length; j++)
        {
            saliency[j] = Math.Abs(network.Parameters[j]);
        }
        return PruneSmallest(network, mask, saliency, count);
    }

    /// <summary>OBD saliencies Hᵢᵢwᵢ²/2 of every parameter (from the Hessian diagonal of the mean loss on the data).</summary>
    public static double[] BrainDamageSaliencies(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count)
    {
        double[] diagonal = NetworkDerivatives.HessianDiagonal(network, inputs, targets, count);
        for (int j = 0; j < diagonal.Length; j++)
        {
            double w = network.Parameters[j];
            diagonal[j] *= 0.5 * w * w;
        }
        return diagonal;
    }

    /// <summary>Optimal Brain Damage: prunes the <paramref name="count"/> unpruned weights of smallest saliency
    /// Hᵢᵢwᵢ²/2 (no correction of the others) and returns their indices.</summary>
    public static int[] OptimalBrainDamage(INetwork network, PruningMask mask, int count, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples) =>
        PruneSmallest(network, mask, BrainDamageSaliencies(network, inputs, targets, samples), count);

    /// <summary>
    /// Optimal Brain Surgeon, one weight: with H the Hessian of the mean loss restricted to the unpruned parameters (pruned
    /// ones stay fixed at zero) plus <paramref name="damping"/>·I, removes the weight q of smallest ½w_q²/[H⁻¹]_qq, adds
    /// Δw = −(w_q/[H⁻¹]_qq)H⁻¹e_q to the unpruned parameters (which sets w_q to zero; it is then stored as exactly 0) and
    /// marks q in <paramref name="mask"/>. On a quadratic loss at its minimum the loss rises by exactly the saliency.
    /// Throws <see cref="MatrixNotPositiveDefiniteException"/> when H is not positive definite (not at a minimum, or
    /// redundant parameters): train further or pass a small damping.
    /// </summary>
    public static SurgeonStep OptimalBrainSurgeon(INetwork network, PruningMask mask, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int samples, double damping = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(mask);
        CheckMask(network, mask);
        if (!(damping >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(damping), damping, "Damping must be ≥ 0.");
        }
        double lossBefore = NetworkDerivatives.MeanLoss(network, inputs, targets, samples);
        double[] hessian = NetworkDerivatives.Hessian(network, inputs, targets, samples);
        int p = network.ParameterCount;
        var free = new List<int>();
        for (int j = 0; j < p; j++)
        {
            if (!mask.IsPruned(j))
            {
                free.Add(j);
            }
        }
        int f = free.Count;
        var restricted = new double[f * f];
        for (int a = 0; a < f; a++)
        {
            for (int b = 0; b < f; b++)
            {
                restricted[a * f + b] = hessian[free[a] * p + free[b]];
            }
            restricted[a * f + a] += damping;
        }
        double[] inverse = LinearAlgebra.InverseSymmetric(restricted, f, "The Hessian of the loss over the unpruned parameters");
        bool[] isWeight = WeightMask(network);
        int best = -1;
        double bestSaliency = double.PositiveInfinity;
        for (int a = 0; a < f; a++)
        {
            if (!isWeight[free[a]])
            {
                continue;
            }
            double w = network.Parameters[free[a]];
            double saliency = 0.5 * w * w / inverse[a * f + a];
            if (saliency < bestSaliency)
            {
                (best, bestSaliency) = (a, saliency);
            }
        }
        if (best < 0)
        {
            throw new InvalidOperationException($"{network.Name} has no unpruned weight left.");
        }
        int q = free[best];
        double wq = network.Parameters[q];
        double factor = wq / inverse[best * f + best];
        for (int a = 0; a < f; a++)
        {
            network.Parameters[free[a]] = (float)(network.Parameters[free[a]] - factor * inverse[a * f + best]);
        }
        mask.Prune(q);
        mask.Apply(network);
        return new SurgeonStep(q, wq, bestSaliency, lossBefore);
    }

    private static int[] PruneSmallest(INetwork network, PruningMask mask, double[] saliency, int count)
    {
        ArgumentNullException.ThrowIfNull(mask);
        CheckMask(network, mask);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        bool[] isWeight = WeightMask(network);
        var candidates = new List<int>();
        for (int j = 0; j < saliency.Length; j++)
        {
            if (isWeight[j] && !mask.IsPruned(j))
            {
                candidates.Add(j);
            }
        }
        if (count > candidates.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {candidates.Count} unpruned weights are left.");
        }
        candidates.Sort((a, b) => saliency[a] != saliency[b] ? saliency[a].CompareTo(saliency[b]) : a.CompareTo(b));
        int[] chosen = candidates.GetRange(0, count).ToArray();
        foreach (int j in chosen)
        {
            mask.Prune(j);
        }
        mask.Apply(network);
        return chosen;
    }

    private static bool[] WeightMask(INetwork network)
    {
        var isWeight = new bool[network.ParameterCount];
        foreach (ParameterTensor tensor in network.Tensors)
        {
            if (tensor.Kind == ParameterKind.Weight)
            {
                isWeight.AsSpan(tensor.Offset, tensor.Length).Fill(true);
            }
        }
        return isWeight;
    }

    private static void CheckMask(INetwork network, PruningMask mask)
    {
        if (mask.Length != network.ParameterCount)
        {
            throw new ArgumentException($"The mask covers {mask.Length} parameters; {network.Name} has {network.ParameterCount}.", nameof(mask));
        }
    }
}
