using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Kernels;

namespace NetGen.Training;

// Data-parallel training (TrainerOptions.Communicator with several processes): every process holds the whole network,
// takes its slice of each global batch of the same shuffled order, and adds its share of the batch's mean gradient into a
// sum over all processes before the optimizer step, which every process then runs on the same numbers.
public sealed partial class Trainer
{
    /// <summary>Floats per gradient bucket: sums start bucket by bucket, from the last layer's tensors back to the first
    /// (the order a backward pass finishes them in), so that a pass that reports finished layers can overlap them.</summary>
    private const int GradientBucketFloats = 1 << 18;

    private readonly double[] _batchSums = new double[2];
    private List<Range>? _buckets;

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
        int contributing = 0, first = 0, mine = 0;
        for (int rank = 0; rank < ranks; rank++)
        {
            int sliceStart = start + (int)((long)count * rank / ranks);
            int slice = start + (int)((long)count * (rank + 1) / ranks) - sliceStart;
            if (slice == 1 && _network.UsesBatchStatistics)
            {
                slice = 0;
            }
            contributing += slice;
            if (rank == communicator.Rank)
            {
                first = sliceStart;
                mine = slice;
            }
        }
        double lossSum = 0, correct = 0;
        if (mine > 0)
        {
            int outputSize = _network.OutputSize;
            gather.First = first;
            float loss = _network.ForwardBackward(gather, outputs.AsSpan(0, mine * outputSize), mine);
            VectorOps.Scale(_network.Gradients, (float)mine / contributing);
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
        foreach (Range bucket in Buckets())
        {
            communicator.StartSum(_network.Gradients[bucket]);
        }
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

    /// <summary>The gradient buffer cut at tensor boundaries into buckets of about <see cref="GradientBucketFloats"/>, last
    /// tensors first.</summary>
    private List<Range> Buckets()
    {
        if (_buckets is not null)
        {
            return _buckets;
        }
        var buckets = new List<Range>();
        int end = _network.Gradients.Length;
        IReadOnlyList<ParameterTensor> tensors = _network.Tensors;
        for (int t = tensors.Count - 1; t >= 0; t--)
        {
            int offset = t == 0 ? 0 : tensors[t].Offset;
            if (end - offset >= GradientBucketFloats || t == 0)
            {
                buckets.Add(offset..end);
                end = offset;
            }
        }
        return _buckets = buckets;
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
