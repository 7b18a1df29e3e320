using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using NetGen.IO;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary>One finished epoch. Validation fields are NaN when there is no validation data; accuracies are NaN without labels.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches, weighted by batch size (measured before each step); with
/// <see cref="TrainerOptions.ClassWeights"/>, weighted by each batch's total class weight instead.</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch (outputs before each step).</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch.</param>
/// <param name="ValidationTopK">Validation top-k accuracy after the epoch.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall-clock time since training started (resumed runs count from the resume).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double ValidationTopK, float LearningRate, double Seconds);

/// <summary>Per-epoch records and the loss of every mini-batch: the data of a learning curve.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly List<float> _batchLosses = [];

    /// <summary>Finished epochs in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>The training loss of every mini-batch, in order.</summary>
    public IReadOnlyList<float> BatchLosses => _batchLosses;

    /// <summary>Mini-batches per epoch (for placing <see cref="BatchLosses"/> on an epoch axis).</summary>
    public int BatchesPerEpoch { get; internal set; }

    /// <summary>The k of the top-k column; 0 when there is none (k not below the number of classes).</summary>
    public int TopK { get; internal set; }

    internal void Add(EpochRecord record) => _epochs.Add(record);

    internal void AddBatchLoss(float loss) => _batchLosses.Add(loss);

    /// <summary>Makes room for <paramref name="batches"/> batch losses in all. A growing capacity at least doubles, so a
    /// long run copies its losses a logarithmic number of times.</summary>
    internal void Reserve(int batches)
    {
        if (batches > _batchLosses.Capacity)
        {
            _batchLosses.Capacity = (int)Math.Min(Array.MaxLength, Math.Max(batches, 2L * _batchLosses.Capacity));
        }
    }

    internal void Clear()
    {
        _epochs.Clear();
        _batchLosses.Clear();
    }

    /// <summary>The history as CSV: <c>epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_top{k}_accuracy,learning_rate,seconds</c>,
    /// without the top-k column when <see cref="TopK"/> is 0; missing values are empty; numbers use the invariant culture
    /// and round-trip.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        string topK = TopK > 0 ? string.Create(CultureInfo.InvariantCulture, $"val_top{TopK}_accuracy,") : "";
        text.Append(CultureInfo.InvariantCulture, $"epoch,train_loss,train_accuracy,val_loss,val_accuracy,{topK}learning_rate,seconds\n");
        foreach (EpochRecord r in _epochs)
        {
            text.Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Number(r.TrainLoss)).Append(',').Append(Number(r.TrainAccuracy)).Append(',')
                .Append(Number(r.ValidationLoss)).Append(',').Append(Number(r.ValidationAccuracy)).Append(',');
            if (TopK > 0)
            {
                text.Append(Number(r.ValidationTopK)).Append(',');
            }
            text.Append(Number(r.LearningRate)).Append(',')
                .Append(r.Seconds.ToString("F3", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> (atomically: temporary file, then rename).</summary>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    internal void Write(BinaryWriter writer)
    {
        writer.Write(_epochs.Count);
        foreach (EpochRecord r in _epochs)
        {
            writer.Write(r.Epoch);
            writer.Write(r.TrainLoss);
            writer.Write(r.TrainAccuracy);
            writer.Write(r.ValidationLoss);
            writer.Write(r.ValidationAccuracy);
            writer.Write(r.ValidationTopK);
            writer.Write(r.LearningRate);
            writer.Write(r.Seconds);
        }
        writer.Write(_batchLosses.Count);
        foreach (float loss in _batchLosses)
        {
            writer.Write(loss);
        }
    }

    /// <summary>Bytes <see cref="Write"/> takes per epoch record.</summary>
    private const int RecordBytes = sizeof(int) + 5 * sizeof(double) + sizeof(float) + sizeof(double);

    /// <summary>Reads what <see cref="Write"/> wrote into new lists, the counts checked against the bytes left before anything
    /// is allocated for them; <see cref="Replace"/> then puts them in place.</summary>
    internal static (List<EpochRecord> Epochs, float[] BatchLosses) Read(BinaryReader reader, string what)
    {
        int epochs = BinaryData.ReadCount(reader, RecordBytes, $"{what}: the epoch records");
        var records = new List<EpochRecord>(epochs);
        for (int i = 0; i < epochs; i++)
        {
            records.Add(new EpochRecord(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                reader.ReadDouble(), reader.ReadSingle(), reader.ReadDouble()));
        }
        float[] losses = new float[BinaryData.ReadCount(reader, sizeof(float), $"{what}: the batch losses")];
        BinaryData.ReadExactly(reader, System.Runtime.InteropServices.MemoryMarshal.AsBytes(losses.AsSpan()));
        return (records, losses);
    }

    /// <summary>Replaces the records and batch losses with lists from <see cref="Read"/>.</summary>
    internal void Replace(List<EpochRecord> epochs, float[] batchLosses)
    {
        Clear();
        _epochs.AddRange(epochs);
        _batchLosses.AddRange(batchLosses);
    }
}
