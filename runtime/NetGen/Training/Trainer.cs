using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using NetGen.Data;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.CompilerServices;
using NetGen.IO;

namespace NetGen.Training;

/// <summary>What a <see cref="Trainer"/> reports after every mini-batch (a struct: reporting allocates nothing).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="BatchesPerEpoch">⌈N / batch size⌉.</param>
/// <param name="Step">1-based global step (optimizer updates so far).</param>
/// <param name="BatchSamples">Samples in this batch (the last one may be smaller).</param>
/// <param name="Loss">Mean loss of this batch, before the update.</param>
/// <param name="LearningRate">The rate the update used.</param>
/// <param name="SamplesDone">Samples of this epoch seen so far.</param>
/// <param name="SamplesPerEpoch">N.</param>
/// <param name="EpochLoss">Mean loss of the epoch so far.</param>
/// <param name="EpochAccuracy">Accuracy of the epoch so far (NaN without labels).</param>
public readonly record struct BatchReport(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, long Step, int BatchSamples, float Loss,
    float LearningRate, int SamplesDone, int SamplesPerEpoch, double EpochLoss, double EpochAccuracy);

/// <summary>The outcome of <see cref="Trainer.Fit(TrainingData, TrainingData?, CancellationToken)"/>.</summary>
/// <param name="History">Per-epoch records and batch losses.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the last epoch.</param>
/// <param name="BestEpoch">The epoch with the lowest monitored loss (1-based).</param>
/// <param name="Validation">Metrics of the final parameters (the restored best ones under early stopping) on the validation
/// data, with the confusion matrix; null without validation data.</param>
public sealed record TrainingResult(TrainingHistory History, bool StoppedEarly, int BestEpoch, Evaluation? Validation);

/// <summary>
/// The training loop: mini-batches in a seeded random order, the optimizer step with its regularization, a learning-rate
/// schedule, validation after every epoch, early stopping, metrics, callbacks, progress, CSV history, SVG learning curve,
/// atomic checkpoints that resume bit for bit, and a guard that stops at the first NaN or infinity.
/// </summary>
/// <remarks>
/// One step: <see cref="INetwork.ZeroGradients"/>, <see cref="CompilerServices.INetworkEngine.ForwardBackward"/> (which gathers the batch on the
/// threads that run it, then runs the forward and backward passes), the non-finite check, the scheduled rate, <see cref="Optimizer.Step(INetwork)"/>. After the
/// first step, steps allocate nothing (with a terminal progress bar, redraws allocate a line of text at most 20 times a second).
/// </remarks>
public sealed partial class Trainer
{
    private const int TrainerStateVersion = 2;
    private readonly INetworkEngine _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly LearningRateSchedule _schedule;
    private readonly TrainingHistory _history = new();
    private readonly float _initialRate;
    private readonly float[]? _classWeights;
    /// <summary>For a loss that applies class weights itself (binary cross-entropy): the batch's (w₀, w₁) times n/W, which the
    /// network gets before each pass (<see cref="INetworkEngine.SetLossWeights"/>); null when the targets carry the weights.</summary>
    private readonly float[]? _lossWeights;
    private SeededRandom _random;
    private float _baseRate;
    private int _epoch;
    private int _batch;
    private long _step;
    private int[] _order = [];
    private double _lossSum;
    private long _correct;
    private long _seen;
    private double _best = double.PositiveInfinity;
    private int _bestEpoch;
    private int _badEpochs;
    private bool _stopped;
    private float[]? _bestWeights;
    private bool _resumed;
    private string? _lastCheckpoint;
    /// <summary>The other processes of a data-parallel run; null when training alone (a world of one included).</summary>
    private readonly ICommunicator? _communicator;
    /// <summary>Whether this process writes files and progress: rank 0, or the only process.</summary>
    private readonly bool _writesFiles;
    private readonly ProgressDisplay? _progress;

    /// <summary>Trains <paramref name="network"/> with <paramref name="optimizer"/>; the optimizer's current learning rate is
    /// the schedule's base rate.</summary>
    public Trainer(INetwork network, Optimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        _options = options ?? new TrainerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Epochs, "options.Epochs");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.BatchSize, "options.BatchSize");
        _communicator = _options.Communicator is { Size: > 1 } communicator ? communicator : null;
        _writesFiles = _communicator is null || _communicator.Rank == 0;
        _progress = _writesFiles ? _options.Progress : null;
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ReplicaCheckEverySteps, "options.ReplicaCheckEverySteps");
        if (_communicator is not null)
        {
            CheckShardCapacity(network, _communicator.Size);
        }
        else if (_options.BatchSize > network.Capacity)
        {
            throw new ArgumentException($"Batch size {_options.BatchSize} exceeds {network.Name}'s capacity {network.Capacity}; construct the network with capacity ≥ {_options.BatchSize}.", nameof(options));
        }
        if (network.Loss == Loss.None)
        {
            throw new ArgumentException($"{network.Name} has no loss (an inference-only network); declare [Network(Loss = ...)] to train it.", nameof(network));
        }
        if (_options.ClassWeights is { } weights)
        {
            if (network.Loss is not (Loss.CrossEntropy or Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy))
            {
                throw new ArgumentException($"options.ClassWeights weight a cross-entropy loss; {network.Name} trains with Loss.{network.Loss}.", nameof(options));
            }
            bool binary = network.Loss == Loss.BinaryCrossEntropy;
            if (binary && network.OutputSize != 1)
            {
                throw new ArgumentException($"options.ClassWeights weight the two classes of binary cross-entropy's single output; {network.Name} has {network.OutputSize} " +
                    "sigmoid outputs (several labels per sample), whose classes they do not name. Train a network per label, or weight the samples by repeating them.", nameof(options));
            }
            _classWeights = ClassWeights.Checked(weights, binary ? 2 : network.OutputSize, "options.ClassWeights", nameof(options),
                binary ? "2 classes (one sigmoid output: class 0 and class 1)" : null);
            _lossWeights = binary ? new float[2] : null;
        }
        _network = NetworkEngine.Of(network);
        _optimizer = optimizer;
        _schedule = _options.Schedule ?? LearningRateSchedule.Constant();
        _initialRate = optimizer.LearningRate;
        _baseRate = _initialRate;
        _random = new SeededRandom(_options.Seed);
    }

    /// <summary>Raised after every optimizer step (after any step checkpoint was written). Throwing from it stops training.</summary>
    public event Action<BatchReport>? BatchEnded;

    /// <summary>Raised after every epoch's validation, history files and checkpoint.</summary>
    public event Action<EpochRecord>? EpochEnded;

    /// <summary>The network being trained.</summary>
    public INetwork Network => _network;

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>The options.</summary>
    public TrainerOptions Options => _options;

    /// <summary>The history so far.</summary>
    public TrainingHistory History => _history;

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step => _step;

    /// <summary>Trains on a classification data set (one-hot targets, see <see cref="TrainingData.FromDataset"/>).</summary>
    public TrainingResult Fit(Dataset train, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(TrainingData.FromDataset(train, _network.OutputSize, _network.Loss),
            validation is null ? null : TrainingData.FromDataset(validation, _network.OutputSize, _network.Loss), cancellationToken);
    }

    /// <summary>
    /// Runs the epochs. A fresh call starts at epoch 1 with the generator seeded from <see cref="TrainerOptions.Seed"/>; after
    /// <see cref="Resume"/> it continues from the checkpoint's position instead. Cancellation is checked before every step
    /// and raises <see cref="OperationCanceledException"/>; the last checkpoint stays as it was.
    /// </summary>
    public TrainingResult Fit(TrainingData train, TrainingData? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckShapes(train, nameof(train));
        if (validation is not null)
        {
            CheckShapes(validation, nameof(validation));
        }
        if (train.Count == 0)
        {
            throw new ArgumentException("The training data is empty.", nameof(train));
        }
        int n = train.Count, batchSize = _options.BatchSize;
        int batchesPerEpoch = (n + batchSize - 1) / batchSize;
        if (!_resumed)
        {
            StartFresh(n);
        }
        else if (_order.Length == 0 && _batch == 0)
        {
            // Saved before any epoch started: the order is drawn when the first epoch starts.
            _order = new int[n];
        }
        else if (_order.Length != n)
        {
            throw new ArgumentException($"The checkpoint was written for {_order.Length} training samples; this data has {n}.", nameof(train));
        }
        _resumed = false;
        _history.BatchesPerEpoch = batchesPerEpoch;
        _history.TopK = TopK;

        var clock = Stopwatch.StartNew();
        using (new NetworkModeScope(_network, NetworkMode.Training))
        {
            try
            {
                if (_communicator is null)
                {
                    RunEpochs(train, validation, batchSize, batchesPerEpoch, clock, cancellationToken);
                }
                else
                {
                    RunEpochsTogether(train, validation, batchSize, batchesPerEpoch, clock, cancellationToken);
                }
            }
            finally
            {
                ClearLossWeights();
            }
        }
        bool restored = _options.EarlyStoppingPatience > 0 && _options.RestoreBestWeights && _bestWeights is not null;
        if (restored)
        {
            RestoreBest();
        }
        if (_options.EarlyStoppingPatience > 0)
        {
            string monitored = validation is null ? "training loss" : "validation loss";
            _progress?.EarlyStoppingEnded(_stopped && _epoch < _options.Epochs, _epoch, _options.EarlyStoppingPatience, monitored, _bestEpoch, _best, restored);
        }
        _progress?.Finished();
        Evaluation? final = validation is null ? null : Evaluate(validation);
        return new TrainingResult(_history, _stopped && _epoch < _options.Epochs, _bestEpoch, final);
    }

    private void RunEpochs(TrainingData train, TrainingData? validation, int batchSize, int batchesPerEpoch, Stopwatch clock, CancellationToken cancellationToken)
    {
        int n = train.Count;
        int outputSize = _network.OutputSize;
        float[] outputs = new float[batchSize * outputSize];
        int[]? labels = train.Labels;
        var gather = new BatchGather(train, _order, _network, _lossWeights is null ? _classWeights : null);
        // With class weights, a batch's loss counts in the epoch's by its share of the set's weight (N·W_batch/W_set instead
        // of its n samples), so that the epoch's training loss is the weighted mean over the set, as the validation loss is.
        double setWeight = _classWeights is null ? 0 : ClassWeights.TotalWeight(_classWeights, train.Targets, train.TargetSize);
        _progress?.Start(_options.Epochs, n, _epoch, _batch == 0 ? 0 : Math.Min(_batch * batchSize, n));

        while (_epoch < _options.Epochs && !_stopped)
        {
            // Room for this epoch's batch losses, so its steps allocate nothing (not for every epoch at once: Epochs may
            // be far more than a run reaches).
            _history.Reserve(_history.BatchLosses.Count + batchesPerEpoch - _batch);
            if (_batch == 0)
            {
                for (int i = 0; i < n; i++)
                {
                    _order[i] = i;
                }
                if (_options.Shuffle)
                {
                    _random.Shuffle(_order.AsSpan());
                }
                _lossSum = 0;
                _correct = 0;
                _seen = 0;
            }
            for (; _batch < batchesPerEpoch; _batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = _batch * batchSize;
                int count = Math.Min(batchSize, n - start);
                if (_network.UsesBatchStatistics && count <= (_communicator?.Size ?? 1))
                {
                    // Batch statistics of a single sample are undefined (PyTorch refuses them too): skip that last batch, as
                    // every process of a data-parallel run does when no process would get more than one of its samples.
                    continue;
                }
                _network.Mode = NetworkMode.Training;
                gather.First = start;
                double? weightedShare = null;
                if (_classWeights is not null)
                {
                    (int weighted, double batchWeight) = _communicator is null ? (count, BatchWeight(train, start, count)) : ContributingWeight(train, start, count);
                    gather.TargetScale = ClassWeights.ScaleFor(weighted, batchWeight);
                    SetLossWeights(gather.TargetScale);
                    weightedShare = setWeight > 0 ? n * batchWeight / setWeight : 0;
                }
                _network.ZeroGradients();
                float loss = _communicator is null
                    ? _network.ForwardBackward(gather, outputs.AsSpan(0, count * outputSize), count)
                    : ForwardBackwardTogether(gather, outputs, start, labels, ref count);
                // The samples that made the loss (several processes may leave out a slice of one under batch statistics).
                double batchShare = weightedShare ?? count;
                if (_options.StopOnNonFinite && !float.IsFinite(loss))
                {
                    throw Diverged(loss, batchesPerEpoch);
                }
                float rate = _schedule.Rate(_baseRate, _step, batchesPerEpoch);
                float previousRate = _optimizer.LearningRate;
                _optimizer.LearningRate = rate;
                if (!_options.StopOnNonFinite)
                {
                    _optimizer.Step(_network);
                }
                else if (!_optimizer.TryStep(_network))
                {
                    // The check ran on the network's threads with the update's own split; nothing was changed.
                    _optimizer.LearningRate = previousRate;
                    throw Diverged(loss, batchesPerEpoch);
                }
                _step++;
                _lossSum += loss * batchShare;
                _seen += count;
                if (labels is not null && _communicator is null)
                {
                    for (int b = 0; b < count; b++)
                    {
                        if (Evaluation.Predict(outputs.AsSpan(b * outputSize, outputSize), _network.Loss) == labels[_order[start + b]])
                        {
                            _correct++;
                        }
                    }
                }
                _history.AddBatchLoss(loss);
                if (_communicator is not null && _options.ReplicaCheckEverySteps > 0 && _step % _options.ReplicaCheckEverySteps == 0)
                {
                    CheckReplicas();
                }
                if (_writesFiles && _options.CheckpointPath is not null && _options.CheckpointEverySteps > 0 && _step % _options.CheckpointEverySteps == 0 && _batch + 1 < batchesPerEpoch)
                {
                    _batch++; // the position to resume from is the next batch
                    WriteCheckpoint(_options.CheckpointPath);
                    _batch--;
                }
                var report = new BatchReport(_epoch + 1, _options.Epochs, _batch + 1, batchesPerEpoch, _step, count, loss, rate,
                    start + count, n, _lossSum / _seen, labels is null ? double.NaN : (double)_correct / _seen);
                _progress?.BatchEnded(report);
                BatchEnded?.Invoke(report);
            }
            EndEpoch(validation, labels is not null, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The total target weight of the batch of <paramref name="count"/> samples at <paramref name="start"/> of the
    /// shuffled order.</summary>
    private double BatchWeight(TrainingData train, int start, int count)
    {
        double total = 0;
        for (int b = 0; b < count; b++)
        {
            total += ClassWeights.RowWeight(_classWeights, train.Target(_order[start + b]));
        }
        return total;
    }

    /// <summary>For a loss that applies the class weights itself, gives the network the weights times
    /// <paramref name="scale"/> (a batch's or a set's n/W) for the passes that follow.</summary>
    private void SetLossWeights(float scale)
    {
        if (_lossWeights is not null)
        {
            _lossWeights[0] = _classWeights![0] * scale;
            _lossWeights[1] = _classWeights[1] * scale;
            _network.SetLossWeights(_lossWeights);
        }
    }

    /// <summary>Back to the network's unweighted loss, so that passes outside the trainer are not weighted.</summary>
    private void ClearLossWeights()
    {
        if (_lossWeights is not null)
        {
            _network.SetLossWeights([]);
        }
    }

    /// <summary>The best epoch's parameters and state (running statistics belong to the weights they were measured with).</summary>
    private void RestoreBest()
    {
        int parameters = _network.ParameterCount;
        _bestWeights.AsSpan(0, parameters).CopyTo(_network.Parameters);
        _bestWeights.AsSpan(parameters).CopyTo(_network.State);
    }

    /// <summary>Loss, accuracy, top-k and confusion matrix of the current parameters on <paramref name="data"/> (batches of the
    /// network's capacity, in order). Runs backward passes for the loss and leaves the gradients zeroed.</summary>
    public Evaluation Evaluate(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShapes(data, nameof(data));
        int outputSize = _network.OutputSize, capacity = _network.Capacity;
        float[] outputs = new float[capacity * outputSize];
        int[,]? confusion = data.Labels is null ? null : new int[data.ClassCount, data.ClassCount];
        double lossSum;
        int correct = 0, topK = 0, k = TopK;
        // Regression (no labels): per output, Σ(y − t)², Σ|y − t|, Σt and Σt², for RMSE, MAE and R².
        double[]? errors = data.Labels is null ? new double[4 * outputSize] : null;
        // With class weights, every batch's targets (or binary cross-entropy's loss weights) are scaled by the whole set's
        // N/W, so that the batches' losses add up to the set's weighted mean.
        float[]? weightedTargets = _classWeights is null || _lossWeights is not null ? null : new float[capacity * outputSize];
        float targetScale = _classWeights is null ? 1f : ClassWeights.ScaleFor(data.Count, ClassWeights.TotalWeight(_classWeights, data.Targets, data.TargetSize));
        using var inference = new NetworkModeScope(_network, NetworkMode.Inference);
        SetLossWeights(targetScale);
        try
        {
            lossSum = SumLosses(data, outputs, weightedTargets, targetScale, confusion, errors, ref correct, ref topK);
        }
        finally
        {
            ClearLossWeights();
        }
        _network.ZeroGradients();
        return new Evaluation(data.Count, lossSum / data.Count, correct, topK, k, confusion, errors is null ? null : Evaluation.RegressionErrorsOf(errors, outputSize, data.Count));
    }

    /// <summary><see cref="Evaluate(TrainingData)"/>'s pass over the batches: the sum of their losses times their sizes, the
    /// regression errors or the confusion matrix, the correct and the top-k counts.</summary>
    private double SumLosses(TrainingData data, float[] outputs, float[]? weightedTargets, float targetScale, int[,]? confusion, double[]? errors, ref int correct, ref int topK)
    {
        int inputSize = _network.InputSize, outputSize = _network.OutputSize, capacity = _network.Capacity, k = TopK;
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            _network.Forward(data.Inputs.AsSpan(start * inputSize, count * inputSize), outputs.AsSpan(0, count * outputSize), count);
            ReadOnlySpan<float> targets = data.Targets.AsSpan(start * outputSize, count * outputSize);
            if (weightedTargets is not null)
            {
                ClassWeights.Scale(_classWeights, targets, weightedTargets, targetScale);
                targets = weightedTargets.AsSpan(0, targets.Length);
            }
            lossSum += (double)_network.Backward(targets, count) * count;
            if (errors is not null)
            {
                Evaluation.AddRegressionErrors(outputs.AsSpan(0, count * outputSize), data.Targets.AsSpan(start * outputSize, count * outputSize), outputSize, errors);
                continue;
            }
            for (int b = 0; b < count; b++)
            {
                ReadOnlySpan<float> row = outputs.AsSpan(b * outputSize, outputSize);
                int label = data.Labels![start + b];
                int predicted = Evaluation.Predict(row, _network.Loss);
                confusion![label, predicted]++;
                if (predicted == label)
                {
                    correct++;
                }
                if (k > 0 && Evaluation.InTopK(row, label, k, _network.Loss))
                {
                    topK++;
                }
            }
        }
        return lossSum;
    }

    /// <summary>Evaluates on a classification data set.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(TrainingData.FromDataset(data, _network.OutputSize, _network.Loss));
    }

    /// <summary>Writes parameters, optimizer state and the trainer's position to <paramref name="path"/> (atomically).</summary>
    public void SaveCheckpoint(string path) => WriteCheckpoint(path);

    /// <summary>Loads a checkpoint written by this trainer kind into the network, the optimizer, the schedule and the position;
    /// the next <see cref="Fit(TrainingData, TrainingData?, CancellationToken)"/> continues where the checkpoint was written and
    /// produces bit for bit what the uninterrupted run would have (same data, options, optimizer type and machine).</summary>
    /// <remarks>Every part of the file is read and checked before anything is put in place: a file that fails its checksum,
    /// is truncated or inconsistent, or was written for another network, optimizer rule, batch size or schedule is an
    /// <see cref="InvalidDataException"/> naming the file and the section, and leaves the network (parameters and state),
    /// the optimizer, the schedule and the trainer as they were. Temporary files that a killed write of
    /// <paramref name="path"/> left behind are deleted first.</remarks>
    /// <exception cref="InvalidDataException">The file is not a usable checkpoint for this trainer.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public void Resume(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TemporaryFile.RemoveStale(path);
        CheckpointContents contents = Checkpoint.Read(path, _network);
        byte[] trainerSection = contents.TrainerSection
            ?? throw new InvalidDataException($"{path}: the trainer section: none; the file holds weights and optimizer state but no trainer position (it was written by Checkpoint.Save).");
        byte[] scheduleBefore = ScheduleState();
        TrainerPosition position;
        try
        {
            position = ReadTrainerState(trainerSection, path);
            contents.ReadOptimizerState(_optimizer, _network);
        }
        catch
        {
            // The schedule reads its state in place, in the middle of the trainer section: put back what it had.
            using var before = new BinaryReader(new MemoryStream(scheduleBefore), Encoding.UTF8);
            _schedule.ReadState(before);
            throw;
        }
        contents.Commit(_network);
        _epoch = position.Epoch;
        _batch = position.Batch;
        _step = position.Step;
        _baseRate = position.BaseRate;
        _random = new SeededRandom(position.Random);
        _order = position.Order;
        _lossSum = position.LossSum;
        _correct = position.Correct;
        _seen = position.Seen;
        _best = position.Best;
        _bestEpoch = position.BestEpoch;
        _badEpochs = position.BadEpochs;
        _stopped = position.Stopped;
        _bestWeights = position.BestWeights;
        _history.Replace(position.Epochs, position.BatchLosses);
        _resumed = true;
        _lastCheckpoint = path;
    }

    private byte[] ScheduleState()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            _schedule.WriteState(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>The trainer's position read from a checkpoint and checked, not yet put in place.</summary>
    private sealed record TrainerPosition(int Epoch, int Batch, long Step, float BaseRate, SeededRandomState Random, int[] Order,
        double LossSum, long Correct, long Seen, double Best, int BestEpoch, int BadEpochs, bool Stopped, float[]? BestWeights,
        List<EpochRecord> Epochs, float[] BatchLosses);

    /// <summary>The trainer section of a checkpoint: the position in the run, the random stream, the sample order, the
    /// running sums, early stopping, the schedule (read into <see cref="_schedule"/>, the one part read in place) and the
    /// history, each checked against the others and against this trainer.</summary>
    private TrainerPosition ReadTrainerState(byte[] state, string path)
    {
        string section = $"{path}: the trainer section";
        using var r = new BinaryReader(new MemoryStream(state, writable: false), Encoding.UTF8);
        InvalidDataException Invalid(string detail) => new($"{section}: {detail} (the file is corrupted).");
        try
        {
            int version = r.ReadInt32();
            if (version != TrainerStateVersion)
            {
                throw new InvalidDataException($"{section}: trainer state version {version}; expected {TrainerStateVersion}.");
            }
            int batchSize = r.ReadInt32();
            if (batchSize != _options.BatchSize)
            {
                throw new InvalidDataException($"{section}: written with batch size {batchSize}; this trainer uses {_options.BatchSize}.");
            }
            int epoch = r.ReadInt32();
            int batch = r.ReadInt32();
            long step = r.ReadInt64();
            float baseRate = r.ReadSingle();
            SeededRandomState random = Checkpoint.ReadRandomState(r, $"{section}: the shuffling generator");
            int[] order = new int[BinaryData.ReadCount(r, sizeof(int), $"{section}: the sample order")];
            BinaryData.ReadExactly(r, MemoryMarshal.AsBytes(order.AsSpan()));
            double lossSum = r.ReadDouble();
            long correct = r.ReadInt64();
            long seen = r.ReadInt64();
            double best = r.ReadDouble();
            int bestEpoch = r.ReadInt32();
            int badEpochs = r.ReadInt32();
            bool stopped = ReadFlag(r, "the early-stopping flag");
            float[]? bestWeights = ReadFlag(r, "the best-weights flag")
                ? Checkpoint.ReadFloats(r, _network.ParameterCount + _network.State.Length, $"{section}: the best weights")
                : null;
            string scheduleType = BinaryData.ReadString(r, $"{section}: the schedule's type");
            if (scheduleType != _schedule.GetType().FullName)
            {
                throw new InvalidDataException($"{section}: written with the schedule {scheduleType}; this trainer uses {_schedule.GetType().FullName}.");
            }
            try
            {
                _schedule.ReadState(r);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{section}: the schedule's state: {e.Message}", e);
            }
            (List<EpochRecord> epochs, float[] batchLosses) = TrainingHistory.Read(r, section);
            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw Invalid($"{r.BaseStream.Length - r.BaseStream.Position} bytes follow the history");
            }

            // What Fit relies on, and what a run keeps true: one record per finished epoch, one loss per step, a batch inside
            // the epoch, an order that is a permutation of the samples.
            int samples = order.Length;
            int batchesPerEpoch = (samples + batchSize - 1) / batchSize;
            if (epoch < 0 || epoch != epochs.Count)
            {
                throw Invalid($"epoch {epoch} with {epochs.Count} epoch records");
            }
            for (int i = 0; i < epochs.Count; i++)
            {
                if (epochs[i].Epoch != i + 1)
                {
                    throw Invalid($"epoch record {i + 1} is numbered {epochs[i].Epoch}");
                }
            }
            if (step < 0 || step != batchLosses.Length)
            {
                throw Invalid($"step {step} with {batchLosses.Length} batch losses");
            }
            // A batch equal to the epoch's count: saved after the epoch's last step but before its end (its validation failed).
            if (batch < 0 || (samples == 0 ? batch != 0 || epoch != 0 : batch > batchesPerEpoch))
            {
                throw Invalid($"batch {batch} of an epoch of {batchesPerEpoch} batches");
            }
            if (!IsPermutation(order))
            {
                throw Invalid($"the sample order is not a permutation of the {samples} samples");
            }
            if (seen < 0 || seen > samples || correct < 0 || correct > seen)
            {
                throw Invalid($"{correct} correct of {seen} samples seen in an epoch of {samples}");
            }
            if (!(baseRate >= 0f && float.IsFinite(baseRate)))
            {
                throw Invalid($"the base learning rate is {baseRate}");
            }
            if (double.IsNaN(best) || bestEpoch < 0 || bestEpoch > epoch || badEpochs < 0 || badEpochs > epoch)
            {
                throw Invalid($"the best loss {best} at epoch {bestEpoch} and {badEpochs} epochs without improvement after {epoch} epochs");
            }
            return new TrainerPosition(epoch, batch, step, baseRate, random, order, lossSum, correct, seen, best, bestEpoch, badEpochs,
                stopped, bestWeights, epochs, batchLosses);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{section} ends early (the file is corrupted).", e);
        }
        catch (Exception e) when (e is FormatException or IOException or OverflowException)
        {
            // Raised by reads of a schedule's own state.
            throw new InvalidDataException($"{section}: the schedule's state is malformed (the file is corrupted).", e);
        }

        bool ReadFlag(BinaryReader reader, string what) => reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            byte other => throw Invalid($"{what} is {other}"),
        };
    }

    /// <summary>Whether <paramref name="order"/> holds each of 0 … length − 1 once.</summary>
    private static bool IsPermutation(int[] order)
    {
        bool[] seen = new bool[order.Length];
        foreach (int sample in order)
        {
            if ((uint)sample >= (uint)order.Length || seen[sample])
            {
                return false;
            }
            seen[sample] = true;
        }
        return true;
    }

    /// <summary>The k of top-k accuracy, or 0 when k is not below the number of outputs: every label would be among them.</summary>
    private int TopK => _options.TopK < _network.OutputSize ? Math.Max(1, _options.TopK) : 0;

    private void StartFresh(int sampleCount)
    {
        _random = new SeededRandom(_options.Seed);
        _baseRate = _initialRate;
        _epoch = 0;
        _batch = 0;
        _step = 0;
        _order = new int[sampleCount];
        _best = double.PositiveInfinity;
        _bestEpoch = 0;
        _badEpochs = 0;
        _stopped = false;
        _bestWeights = null;
        _history.Clear();
    }

    private void EndEpoch(TrainingData? validation, bool hasLabels, double seconds)
    {
        Evaluation? validated = validation is null ? null : Evaluate(validation);
        if (_options.StopOnNonFinite && validated is { } evaluation && !double.IsFinite(evaluation.Loss))
        {
            // A NaN here would be recorded as the epoch's validation loss and silently end early stopping's search.
            throw ValidationDiverged(validation!, evaluation.Loss);
        }
        double trainLoss = _lossSum / _seen;
        var record = new EpochRecord(_epoch + 1, trainLoss, hasLabels ? (double)_correct / _seen : double.NaN,
            validated?.Loss ?? double.NaN, validated?.Accuracy ?? double.NaN, validated?.TopKAccuracy ?? double.NaN, _optimizer.LearningRate, seconds);
        _history.Add(record);
        double monitored = validated?.Loss ?? trainLoss;
        _schedule.EpochEnded(_epoch + 1, monitored);
        if (monitored < _best - _options.EarlyStoppingMinDelta)
        {
            _best = monitored;
            _bestEpoch = _epoch + 1;
            _badEpochs = 0;
            if (_options.EarlyStoppingPatience > 0)
            {
                _bestWeights ??= new float[_network.ParameterCount + _network.State.Length];
                _network.Parameters.CopyTo(_bestWeights);
                _network.State.CopyTo(_bestWeights.AsSpan(_network.ParameterCount));
            }
        }
        else if (_options.EarlyStoppingPatience > 0 && ++_badEpochs >= _options.EarlyStoppingPatience)
        {
            _stopped = true;
        }
        _epoch++;
        _batch = 0;
        if (_writesFiles && _options.HistoryCsvPath is not null)
        {
            _history.WriteCsv(_options.HistoryCsvPath);
        }
        if (_writesFiles && _options.LearningCurvePath is not null)
        {
            LearningCurvePlot.Write(_options.LearningCurvePath, _history, _network.Name, _options.LearningCurveLogScale);
        }
        if (_writesFiles && _options.CheckpointPath is not null)
        {
            WriteCheckpoint(_options.CheckpointPath);
        }
        _progress?.EpochEnded(record);
        EpochEnded?.Invoke(record);
    }

    private void WriteCheckpoint(string path)
    {
        Checkpoint.Write(path, _network, _optimizer, w =>
        {
            w.Write(TrainerStateVersion);
            w.Write(_options.BatchSize);
            w.Write(_epoch);
            w.Write(_batch);
            w.Write(_step);
            w.Write(_baseRate);
            SeededRandomState s = _random.State;
            w.Write(s.S0);
            w.Write(s.S1);
            w.Write(s.S2);
            w.Write(s.S3);
            w.Write(s.SpareGaussian);
            w.Write(_order.Length);
            w.Write(MemoryMarshal.AsBytes(_order.AsSpan()));
            w.Write(_lossSum);
            w.Write(_correct);
            w.Write(_seen);
            w.Write(_best);
            w.Write(_bestEpoch);
            w.Write(_badEpochs);
            w.Write(_stopped);
            w.Write(_bestWeights is not null);
            if (_bestWeights is not null)
            {
                w.Write(MemoryMarshal.AsBytes(_bestWeights.AsSpan()));
            }
            w.Write(_schedule.GetType().FullName ?? "");
            _schedule.WriteState(w);
            _history.Write(w);
        });
        _lastCheckpoint = path;
    }

    private TrainingDivergedException Diverged(float loss, int batchesPerEpoch)
    {
        var layers = new List<string>();
        string parameters = NonFinite(_network.Parameters, "parameters", layers);
        string gradients = NonFinite(_network.Gradients, "gradients", layers);
        long step = _step + 1;
        string what = float.IsFinite(loss) ? $"the loss is finite ({loss})" : $"the loss is {loss}";
        string checkpoint = _lastCheckpoint is null ? "" : $" The last checkpoint, '{_lastCheckpoint}', was left as it was.";
        string message = $"{_network.Name}: training stopped at step {step} (epoch {_epoch + 1}, batch {_batch + 1} of {batchesPerEpoch}): {what}{parameters}{gradients}. No update was applied.{checkpoint}";
        return new TrainingDivergedException(message, step, _epoch + 1, _batch + 1, loss, layers);
    }

    private TrainingDivergedException ValidationDiverged(TrainingData validation, double loss)
    {
        string cause = !VectorOps.AllFinite(validation.Inputs) ? "the validation inputs hold a NaN or infinity"
            : !VectorOps.AllFinite(validation.Targets) ? "the validation targets hold a NaN or infinity"
            : "the network's outputs on them are not finite";
        string checkpoint = _lastCheckpoint is null ? "" : $" The last checkpoint, '{_lastCheckpoint}', was left as it was.";
        string message = $"{_network.Name}: training stopped after epoch {_epoch + 1}: the validation loss is {loss}; {cause}. The epoch was not recorded.{checkpoint}";
        return new TrainingDivergedException(message, _step, _epoch + 1, 0, (float)loss, []);
    }

    /// <summary>"; non-finite {kind} in a, b (layers 'x', 'y')" for the tensors of <paramref name="buffer"/> holding a NaN or
    /// infinity, adding their layers to <paramref name="layers"/>; empty when all are finite.</summary>
    private string NonFinite(Span<float> buffer, string kind, List<string> layers)
    {
        var tensors = new List<string>();
        var owners = new List<string>();
        foreach (ParameterTensor tensor in _network.Tensors)
        {
            if (!VectorOps.AllFinite(tensor.Slice(buffer)))
            {
                tensors.Add(tensor.Name);
                if (!owners.Contains(tensor.Layer))
                {
                    owners.Add(tensor.Layer);
                }
                if (!layers.Contains(tensor.Layer))
                {
                    layers.Add(tensor.Layer);
                }
            }
        }
        return tensors.Count == 0
            ? ""
            : $"; non-finite {kind} in {string.Join(", ", tensors)} (layer{(owners.Count == 1 ? "" : "s")} {string.Join(", ", owners.ConvertAll(l => $"'{l}'"))})";
    }

    private void CheckShapes(TrainingData data, string argument)
    {
        if (data.InputSize != _network.InputSize || data.TargetSize != _network.OutputSize)
        {
            throw new ArgumentException($"{_network.Name} takes {_network.InputSize} inputs and {_network.OutputSize} targets per sample; the data has {data.InputSize} and {data.TargetSize}.", argument);
        }
    }

    /// <summary>Copies the shuffled samples of a batch into the network's <see cref="CompilerServices.INetworkEngine.BatchInputs"/> and
    /// <see cref="CompilerServices.INetworkEngine.BatchTargets"/>, as <see cref="CompilerServices.INetworkEngine.ForwardBackward"/>'s preparation: each on the thread that
    /// then runs it through the network, so its rows are in that core's cache when the pass starts.</summary>
    private sealed class BatchGather(TrainingData data, int[] order, INetworkEngine network, float[]? classWeights) : NetGen.Concurrency.IPartitionedWork
    {
        /// <summary>Position in the shuffled order of the batch's first sample.</summary>
        public int First { get; set; }

        /// <summary>With class weights, the batch's n/W that each weighted target row is multiplied by
        /// (<see cref="ClassWeights.WeightTargets"/>).</summary>
        public float TargetScale { get; set; }

        /// <summary>How many samples ahead of the one being copied the gather prefetches: a shuffled row is a miss in every
        /// cache, and keeping two rows in flight shortens the gather; more did not help
        /// (docs/decisions/0017-prefetching-the-next-batch.md).</summary>
        private const int PrefetchDistance = 2;

        public void Run(int step, int part, int start, int end)
        {
            int inputSize = data.InputSize, targetSize = data.TargetSize;
            Span<float> inputs = network.BatchInputs;
            Span<float> targets = network.BatchTargets;
            for (int b = start; b < Math.Min(end, start + PrefetchDistance); b++)
            {
                Prefetch(order[First + b]);
            }
            for (int b = start; b < end; b++)
            {
                if (b + PrefetchDistance < end)
                {
                    Prefetch(order[First + b + PrefetchDistance]);
                }
                int sample = order[First + b];
                data.Input(sample).CopyTo(inputs.Slice(b * inputSize, inputSize));
                if (classWeights is null)
                {
                    data.Target(sample).CopyTo(targets.Slice(b * targetSize, targetSize));
                }
                else
                {
                    ClassWeights.Scale(classWeights, data.Target(sample), targets.Slice(b * targetSize, targetSize), TargetScale);
                }
            }
        }

        private void Prefetch(int sample)
        {
            VectorOps.Prefetch(data.Input(sample));
            VectorOps.Prefetch(data.Target(sample));
        }
    }
}
