using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen.Data;

/// <summary>One mini-batch: views into buffers the <see cref="MiniBatchSource"/> reuses, valid until the next
/// <see cref="MiniBatchSource.TryNext"/>.</summary>
public readonly ref struct MiniBatch
{
    internal MiniBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices)
    {
        Inputs = inputs;
        Targets = targets;
        Labels = labels;
        Indices = indices;
    }

    /// <summary>Samples in this batch (the last batch of an epoch may be smaller).</summary>
    public int Count => Labels.Length;

    /// <summary><see cref="Count"/> rows of features, augmented if the source augments.</summary>
    public ReadOnlySpan<float> Inputs { get; }

    /// <summary><see cref="Count"/> one-hot rows of the labels.</summary>
    public ReadOnlySpan<float> Targets { get; }

    /// <summary>The class label of each sample.</summary>
    public ReadOnlySpan<int> Labels { get; }

    /// <summary>Where each sample sits in the data set.</summary>
    public ReadOnlySpan<int> Indices { get; }
}

/// <summary>
/// Serves a data set in mini-batches, epoch after epoch: the order is reshuffled from a <see cref="SeededRandom"/> at
/// the start of every epoch, optional augmentation is seeded per sample (<see cref="ImageAugmentation.SampleSeed"/>),
/// and after construction nothing is allocated — batches are views into reused buffers. With <c>prefetch</c>, a
/// background thread prepares the next batch while the caller trains on the current one; the batches are identical.
/// </summary>
/// <example><code>
/// using var batches = new MiniBatchSource(train, batchSize: 64, seed: 1);
/// for (int epoch = 0; epoch &lt; 10; epoch++)
///     while (batches.TryNext(out MiniBatch batch))
///         net.Forward(batch.Inputs, outputs, batch.Count); ...
/// </code></example>
public sealed class MiniBatchSource : IDisposable
{
    private readonly Dataset _data;
    private readonly long _seed;
    private readonly bool _shuffle;
    private readonly ImageAugmentation? _augmentation;
    private readonly SeededRandom _shuffleRandom;
    private readonly SeededRandom _augmentRandom = new(0);
    private readonly float[] _augmentScratch;
    private readonly int[] _order;
    private readonly Slot[] _slots;
    private int _position;
    private int _producerEpoch = -1;
    private bool _epochOpen;

    // Prefetch: the producer fills slots in turn; _empty counts slots it may fill, _full slots the consumer may take.
    private readonly Thread? _producer;
    private readonly SemaphoreSlim? _empty;
    private readonly SemaphoreSlim? _full;
    private volatile bool _disposed;
    private ExceptionDispatchInfo? _producerFailure;
    private int _consumerSlot;
    private bool _holdingSlot;

    /// <summary>Creates a source of batches of up to <paramref name="batchSize"/> samples of <paramref name="data"/>.</summary>
    public MiniBatchSource(Dataset data, int batchSize, long seed, bool shuffle = true, ImageAugmentation? augmentation = null, bool prefetch = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfZero(data.Count);
        if (augmentation is not null && augmentation.Shape.Size != data.FeatureCount)
        {
            throw new ArgumentException($"The augmentation works on {augmentation.Shape} images; samples have {data.FeatureCount} features.", nameof(augmentation));
        }
        _data = data;
        _seed = seed;
        _shuffle = shuffle;
        _augmentation = augmentation;
        BatchSize = batchSize;
        _shuffleRandom = new SeededRandom(seed);
        _augmentScratch = augmentation is null ? [] : new float[data.FeatureCount];
        _order = new int[data.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        _slots = new Slot[prefetch ? 2 : 1];
        for (int s = 0; s < _slots.Length; s++)
        {
            _slots[s] = new Slot(batchSize, data.FeatureCount, data.ClassCount);
        }
        if (prefetch)
        {
            _empty = new SemaphoreSlim(_slots.Length);
            _full = new SemaphoreSlim(0);
            _producer = new Thread(Produce) { IsBackground = true, Name = "NetGen mini-batch prefetch" };
            _producer.Start();
        }
    }

    /// <summary>The largest batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches per epoch, ⌈N / B⌉.</summary>
    public int BatchesPerEpoch => (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>Epochs finished (each <see cref="TryNext"/> that returns false ends one).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>The next batch of the current epoch; false (once) at the end of each epoch, after which the next call
    /// starts a new, reshuffled epoch.</summary>
    public bool TryNext(out MiniBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Slot slot;
        if (_producer is null)
        {
            slot = _slots[0];
            Fill(slot);
        }
        else
        {
            if (_holdingSlot)
            {
                _holdingSlot = false;
                _empty!.Release();
            }
            _full!.Wait();
            _producerFailure?.Throw();
            slot = _slots[_consumerSlot];
            _consumerSlot = (_consumerSlot + 1) % _slots.Length;
            _holdingSlot = slot.Count > 0;
            if (!_holdingSlot)
            {
                _empty!.Release();
            }
        }
        if (slot.Count == 0)
        {
            CompletedEpochs++;
            batch = default;
            return false;
        }
        int n = slot.Count;
        batch = new MiniBatch(
            slot.Inputs.AsSpan(0, n * _data.FeatureCount),
            slot.Targets.AsSpan(0, n * _data.ClassCount),
            slot.Labels.AsSpan(0, n),
            slot.Indices.AsSpan(0, n));
        return true;
    }

    /// <summary>Stops the prefetch thread.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_producer is not null)
        {
            _empty!.Release();
            _producer.Join();
            _empty.Dispose();
            _full!.Dispose();
        }
    }

    private void Produce()
    {
        int next = 0;
        try
        {
            while (true)
            {
                _empty!.Wait();
                if (_disposed)
                {
                    return;
                }
                Fill(_slots[next]);
                next = (next + 1) % _slots.Length;
                _full!.Release();
            }
        }
        catch (Exception e) when (!_disposed)
        {
            _producerFailure = ExceptionDispatchInfo.Capture(e);
            _full!.Release();
        }
    }

    // Writes the next batch of the epoch into slot, or Count = 0 at the end of the epoch.
    private void Fill(Slot slot)
    {
        if (!_epochOpen)
        {
            _epochOpen = true;
            _producerEpoch++;
            _position = 0;
            if (_shuffle)
            {
                _shuffleRandom.Shuffle(_order.AsSpan());
            }
        }
        if (_position == _order.Length)
        {
            _epochOpen = false;
            slot.Count = 0;
            return;
        }
        int n = Math.Min(BatchSize, _order.Length - _position);
        int features = _data.FeatureCount;
        for (int b = 0; b < n; b++)
        {
            int sample = _order[_position + b];
            slot.Indices[b] = sample;
            slot.Labels[b] = _data.Labels[sample];
            Span<float> row = slot.Inputs.AsSpan(b * features, features);
            _data.Sample(sample).CopyTo(row);
            if (_augmentation is not null)
            {
                // The source's own generator and scratch: one ImageAugmentation may serve several sources at once.
                _augmentRandom.Reseed(ImageAugmentation.SampleSeed(_seed, _producerEpoch, sample));
                _augmentation.Apply(row, _augmentRandom, _augmentScratch);
            }
        }
        OneHotEncoding.Encode(slot.Labels.AsSpan(0, n), _data.ClassCount, slot.Targets);
        _position += n;
        slot.Count = n;
    }

    private sealed class Slot(int batchSize, int features, int classes)
    {
        public readonly float[] Inputs = new float[batchSize * features];
        public readonly float[] Targets = new float[batchSize * classes];
        public readonly int[] Labels = new int[batchSize];
        public readonly int[] Indices = new int[batchSize];
        public int Count;
    }
}
