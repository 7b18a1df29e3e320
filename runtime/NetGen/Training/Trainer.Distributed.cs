using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Training;

// Data-parallel training (TrainerOptions.Communicator with several processes): every process holds the whole network,
// takes its slice of each global batch of the same shuffled order, and adds its share of the batch's mean gradient into a
// sum over all processes before the optimizer step, which every process then runs on the same numbers.
public sealed partial class Trainer
{
    private readonly double[] _batchSums = new double[2];
    private GradientSums? _gradientSums;

    private void CheckShardCapacity(INetwork network, int processes)
    {
        int shard = (_options.BatchSize + processes - 1) / processes;
        if (shard > network.Capacity)
        {
            throw new ArgumentException($"Batch size {_options.BatchSize} split over {processes} processes is up to {shard} samples per process, more than {network.Name}'s capacity {network.Capacity}; construct the network with capacity ≥ {shard}.", "options");
        }
    }

    /// <summary>Starts every process from rank 0's parameters and state, runs the epochs, and checks at the end that the
    /// replicas still agree. A failure on one process ends them all: the others would wait for it forever.</summary>
    private void RunEpochsTogether(TrainingData train, TrainingData? validation, int batchSize, int batchesPerEpoch, Stopwatch clock, CancellationToken cancellationToken)
    {
        ICommunicator communicator = _communicator!;
        try
        {
            communicator.Broadcast(_network.Parameters, root: 0);
            if (_network.State.Length > 0)
            {
                communicator.Broadcast(_network.State, root: 0);
            }
            RunEpochs(train, validation, batchSize, batchesPerEpoch, clock, cancellationToken);
            CheckReplicas();
        }
        catch (Exception e) when (e is not (TrainingDivergedException or ReplicaMismatchException))
        {
            // Divergence and a replica mismatch are decided from summed values, so every rank throws them at the same step;
            // anything else happened here alone.
            Console.Error.WriteLine($"{_network.Name}: rank {communicator.Rank} of {communicator.Size} failed after {_step} steps; ending every rank. {e}");
            communicator.Abort(1);
        }
    }

    /// <summary>
    /// This process's slice of the global batch <c>[start, start + count)</c> of the shuffled order, forward and back, then
    /// the sums over all processes: gradients weighted by the slice's share of the batch, running statistics averaged, and
    /// the loss and correct predictions. Returns the batch's mean loss and sets <paramref name="count"/> to the samples that
    /// took part (a slice of one sample is left out of a network with batch statistics, as the trainer does with a batch).
    /// </summary>
    private float ForwardBackwardTogether(BatchGather gather, float[] outputs, int start, int[]? labels, ref int count)
    {
        ICommunicator communicator = _communicator!;
        int ranks = communicator.Size;
        int contributing = 0;
        for (int rank = 0; rank < ranks; rank++)
        {
            contributing += SliceOf(rank, start, count).Size;
        }
        (int first, int mine) = SliceOf(communicator.Rank, start, count);
        double lossSum = 0, correct = 0;
        GradientSums sums = _gradientSums ??= new GradientSums(communicator, _network);
        sums.Begin((float)mine / contributing);
        if (mine > 0)
        {
            int outputSize = _network.OutputSize;
            gather.First = first;
            float loss = _network.ForwardBackward(gather, outputs.AsSpan(0, mine * outputSize), mine, _options.OverlapGradientSums ? sums : null);
            lossSum = (double)loss * mine;
            if (labels is not null)
            {
                for (int b = 0; b < mine; b++)
                {
                    if (Evaluation.Predict(outputs.AsSpan(b * outputSize, outputSize), _network.Loss) == labels[_order[first + b]])
                    {
                        correct++;
                    }
                }
            }
        }
        // Whatever the pass did not start (all of it without overlap, or on a process with no samples in this batch).
        sums.StartFinal(0);
        if (_network.State.Length > 0)
        {
            VectorOps.Scale(_network.State, 1f / ranks);
            communicator.StartSum(_network.State);
        }
        _batchSums[0] = lossSum;
        _batchSums[1] = correct;
        communicator.Sum(_batchSums);
        communicator.WaitAll();
        _correct += (long)_batchSums[1];
        count = contributing;
        return (float)(_batchSums[0] / contributing);
    }

    /// <summary>The slice of the global batch <c>[start, start + count)</c> that <paramref name="rank"/> takes: its first
    /// position in the shuffled order and its size, 0 for a slice of one sample under batch statistics (left out).</summary>
    private (int First, int Size) SliceOf(int rank, int start, int count)
    {
        int ranks = _communicator!.Size;
        int first = start + (int)((long)count * rank / ranks);
        int size = start + (int)((long)count * (rank + 1) / ranks) - first;
        return (first, size == 1 && _network.UsesBatchStatistics ? 0 : size);
    }

    /// <summary>With class weights, the samples of the global batch that take part on any process and their total weight:
    /// every process weighs its slice by the whole batch's n/W, so that the sum over processes is the batch's weighted
    /// mean.</summary>
    private (int Count, double Weight) ContributingWeight(TrainingData train, int start, int count)
    {
        int contributing = 0;
        double weight = 0;
        for (int rank = 0; rank < _communicator!.Size; rank++)
        {
            (int first, int size) = SliceOf(rank, start, count);
            contributing += size;
            weight += BatchWeight(train, first, size);
        }
        return (contributing, weight);
    }

    /// <summary>
    /// The sums of a pass's gradients over the processes, bucket by bucket: each bucket is scaled by this process's share of
    /// the batch and its sum started as soon as the backward pass reports it final (<see cref="IBackwardProgress"/>), and
    /// the sums started so far progress at every later step of the pass. The buckets are cut along the network's
    /// <see cref="INetworkEngine.FinalGradientOffsets"/>, the same on every process, so every process starts the same sums
    /// in the same order, the last layers' first, and gets the same bits from them.
    /// </summary>
    private sealed class GradientSums : IBackwardProgress
    {
        /// <summary>The largest bucket: a long part is cut into several sums, which bounds the transport's buffers and lets
        /// the first pieces finish while the last are still on their way.</summary>
        internal const int MaximumBucketFloats = 1 << 18;

        /// <summary>The smallest bucket that starts alone: smaller parts (a small layer's gradients) join the next one, whose
        /// sum then carries them for one latency instead of two.</summary>
        internal const int MinimumBucketFloats = 1 << 14;

        private readonly ICommunicator _communicator;
        private readonly INetwork _network;
        private readonly Range[] _buckets;
        private int _next;
        private float _share;

        public GradientSums(ICommunicator communicator, INetworkEngine network)
        {
            _communicator = communicator;
            _network = network;
            // The same buckets with and without overlap: a ring over more than two processes adds each part of a bucket
            // starting from another process, so where the buckets are cut decides the order of the additions.
            _buckets = Plan(network.ParameterCount, network.FinalGradientOffsets);
        }

        /// <summary>Buckets from the last to the first: each within the part of the gradients that one of
        /// <paramref name="finalOffsets"/> makes final and at most <see cref="MaximumBucketFloats"/> long (a sum adds element
        /// by element, so a cut may fall inside a tensor), parts below <see cref="MinimumBucketFloats"/> joined to the
        /// next.</summary>
        internal static Range[] Plan(int parameterCount, IReadOnlyList<int> finalOffsets)
        {
            var buckets = new List<Range>();
            int end = parameterCount;
            foreach (int point in finalOffsets.Append(0))
            {
                if (point > 0 && end - point < MinimumBucketFloats)
                {
                    continue;
                }
                while (end > point)
                {
                    int start = Math.Max(point, end - MaximumBucketFloats);
                    buckets.Add(start..end);
                    end = start;
                }
            }
            return [.. buckets];
        }

        /// <summary>A new pass whose gradients are <paramref name="share"/> of the batch's.</summary>
        public void Begin(float share)
        {
            _next = 0;
            _share = share;
        }

        public void StepDone(int finalFrom)
        {
            StartFinal(finalFrom);
            _communicator.Progress();
        }

        /// <summary>Starts the sums of the buckets not started yet that lie at or after <paramref name="finalFrom"/>.</summary>
        public void StartFinal(int finalFrom)
        {
            for (; _next < _buckets.Length && _buckets[_next].Start.Value >= finalFrom; _next++)
            {
                Span<float> bucket = _network.Gradients[_buckets[_next]];
                VectorOps.Scale(bucket, _share);
                _communicator.StartSum(bucket);
            }
        }
    }

    /// <summary>Compares a hash of the parameters and state across processes; throws on every process when they differ.</summary>
    private void CheckReplicas()
    {
        ICommunicator communicator = _communicator!;
        ulong hash = Hash(_network.State, Hash(_network.Parameters, 0xCBF29CE484222325));
        if (!communicator.AllEqual(hash))
        {
            throw new ReplicaMismatchException($"{_network.Name}: after step {_step} the processes of the data-parallel run hold different parameters or state (rank {communicator.Rank} of {communicator.Size}: hash {hash:X16}). Each process must start from the same data and options; the sums over processes must be deterministic (docs/distributed.md).")
            {
                Step = _step,
            };
        }
    }

    /// <summary>A 64-bit hash of the values' bits (not <see cref="HashCode"/>, which differs between processes).</summary>
    private static ulong Hash(ReadOnlySpan<float> values, ulong hash)
    {
        foreach (uint bits in MemoryMarshal.Cast<float, uint>(values))
        {
            hash = BitOperations.RotateLeft((hash ^ bits) * 0x100000001B3, 29);
        }
        return hash;
    }
}
