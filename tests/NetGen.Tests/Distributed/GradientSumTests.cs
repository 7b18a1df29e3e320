using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Optimizers;
using NetGen.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Distributed;

/// <summary>Three dense layers; the middle one holds more than a bucket's minimum, the last less.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(256, Activation.ReLU, Name = "fc1")]
[Dense(128, Activation.ReLU, Name = "fc2")]
[Dense(3, Name = "fc3")]
public partial class ThreeDenseLayers;

/// <summary>A middle layer of 360,600 parameters: more than one bucket's most.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(600, Activation.ReLU, Name = "fc1")]
[Dense(600, Activation.ReLU, Name = "fc2")]
[Dense(3, Name = "fc3")]
public partial class WideMiddleLayer;

/// <summary>
/// How the trainer of a data-parallel run starts its gradient sums, seen through a communicator that records every call
/// (rank 0 of 2, in this process; it sums nothing): every gradient is summed exactly once per step, in buckets from the
/// last to the first; with overlap a bucket starts while the backward pass still runs, and nothing the pass writes later
/// is in a bucket already started.
/// </summary>
public sealed class GradientSumTests
{
    private sealed class RecordingCommunicator(INetwork network) : ICommunicator
    {
        private readonly List<(int Start, float[] Values)> _pending = [];

        /// <summary>"sum START END" and "progress" in call order; "wait" at the end of each step's sums.</summary>
        public List<string> Events { get; } = [];

        public int Rank => 0;

        public int Size => 2;

        public void Broadcast(Span<float> buffer, int root)
        {
        }

        public void StartSum(Span<float> buffer)
        {
            int start = (int)(Unsafe.ByteOffset(ref MemoryMarshal.GetReference(network.Gradients), ref MemoryMarshal.GetReference(buffer)) / sizeof(float));
            Assert.InRange(start, 0, network.ParameterCount - buffer.Length);
            Events.Add($"sum {start} {start + buffer.Length}");
            _pending.Add((start, buffer.ToArray()));
        }

        public void Progress() => Events.Add("progress");

        public void WaitAll()
        {
            foreach ((int start, float[] values) in _pending)
            {
                Assert.True(values.AsSpan().SequenceEqual(network.Gradients.Slice(start, values.Length)), $"the gradients from {start} changed after their sum started");
            }
            _pending.Clear();
            Events.Add("wait");
        }

        public void Sum(Span<double> values)
        {
        }

        public bool AllEqual(ulong value) => true;

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Abort(int exitCode) => throw new InvalidOperationException($"abort {exitCode}");
    }

    private static (List<string> Events, float[] Parameters) Train(bool overlap, int threads, INetwork? network = null)
    {
        using INetwork net = network ?? new ThreeDenseLayers(seed: 1, capacity: 16);
        net.SplitOver(threads);
        var communicator = new RecordingCommunicator(net);
        new Trainer(net, new Sgd(0.05f), new TrainerOptions { Epochs = 1, BatchSize = 32, Communicator = communicator, OverlapGradientSums = overlap })
            .Fit(SyntheticData.Blobs(96));
        return (communicator.Events, net.Parameters.ToArray());
    }

    /// <summary>The sums of one step: the events after the previous "wait" up to this one.</summary>
    private static List<List<string>> Steps(List<string> events)
    {
        var steps = new List<List<string>> { new() };
        foreach (string e in events)
        {
            if (e == "wait")
            {
                steps.Add([]);
            }
            else
            {
                steps[^1].Add(e);
            }
        }
        steps.RemoveAt(steps.Count - 1);
        return steps;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Overlapped_sums_start_during_the_pass_cover_every_gradient_once_and_change_nothing(int threads)
    {
        var (overlapped, parameters) = Train(overlap: true, threads);
        var (after, sameParameters) = Train(overlap: false, threads);
        Assert.Equal(parameters, sameParameters);
        int total = ThreeDenseLayers.ParameterCount, fc1 = 4 * 256 + 256;
        List<List<string>> steps = Steps(overlapped);
        Assert.Equal(3, steps.Count);
        foreach (List<string> step in steps)
        {
            // fc3 (387 floats) is too small to go alone and joins fc2's bucket, which starts while the pass still has fc1's
            // step to run (a report to progress comes between the two sums); fc1's bucket at the end.
            Assert.Equal([$"sum {fc1} {total}", $"sum 0 {fc1}"], step.Where(e => e.StartsWith("sum", StringComparison.Ordinal)));
            Assert.Contains("progress", step.SkipWhile(e => e != $"sum {fc1} {total}").TakeWhile(e => e != $"sum 0 {fc1}"));
        }
        // Without overlap: the same buckets, all after the pass (which then has no progress to report to).
        Assert.All(Steps(after), step => Assert.Equal([$"sum {fc1} {total}", $"sum 0 {fc1}"], step));
    }

    /// <summary>A part longer than a bucket's most is cut into several sums, from its end, inside the tensor.</summary>
    [Fact]
    public void A_long_part_is_summed_in_pieces_of_at_most_a_mebibyte()
    {
        var (events, _) = Train(overlap: true, threads: 1, new WideMiddleLayer(seed: 1, capacity: 16));
        int total = WideMiddleLayer.ParameterCount, fc2 = 4 * 600 + 600, maximum = 1 << 18;
        foreach (List<string> step in Steps(events))
        {
            Assert.Equal([$"sum {total - maximum} {total}", $"sum {fc2} {total - maximum}", $"sum 0 {fc2}"], step.Where(e => e.StartsWith("sum", StringComparison.Ordinal)));
        }
    }
}
