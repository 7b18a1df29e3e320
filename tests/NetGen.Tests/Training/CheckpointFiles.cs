using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Text;

namespace NetGen.Tests.Training;

/// <summary>A classifier with state a checkpoint must carry: batch-normalization running statistics and a dropout mask
/// generator.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(4)]
[Dense(8, Activation.ReLU, Name = "fc1")]
[BatchNorm(Name = "bn")]
[Dropout(0.25f, Name = "drop")]
[Dense(3, Name = "fc2")]
public partial class StatefulClassifier;

/// <summary>Where the parts of a checkpoint file lie (offsets into the file), found by walking its layout as the format
/// describes it, and the checksum that ends it — so a test can corrupt one field and still present a file whose checksum
/// holds.</summary>
internal sealed class CheckpointFiles
{
    private CheckpointFiles()
    {
    }

    public int Parameters { get; private init; }
    public int NetworkStateCount { get; private init; }
    public int MaskGenerator { get; private init; }
    public int OptimizerSection { get; private init; }
    public int TrainerSection { get; private init; }
    public int TrainerEnd { get; private init; }

    // Fields of the trainer section, as offsets into the file.
    public int BatchSize => TrainerSection + 4;
    public int Epoch => TrainerSection + 8;
    public int Step => TrainerSection + 16;
    public int ShufflingGenerator => TrainerSection + 28;
    public int Order => TrainerSection + 72;
    public int ScheduleState { get; private init; }
    public int BatchLossCount { get; private init; }

    /// <summary>The layout of <paramref name="file"/> (a version-3 trainer checkpoint with a ReduceOnPlateau schedule).</summary>
    public static CheckpointFiles Of(byte[] file)
    {
        using var r = new BinaryReader(new MemoryStream(file), Encoding.UTF8);
        r.ReadString();
        r.ReadInt32();
        r.ReadString();
        int parameters = r.ReadInt32();
        int tensors = r.ReadInt32();
        for (int t = 0; t < tensors; t++)
        {
            r.ReadString();
            r.ReadInt64();
        }
        int parameterStart = (int)r.BaseStream.Position;
        r.BaseStream.Position += 4L * parameters;
        int stateCountAt = (int)r.BaseStream.Position;
        int stateCount = r.ReadInt32();
        r.BaseStream.Position += 4L * stateCount;
        int mask = (int)r.BaseStream.Position;
        r.BaseStream.Position += 40;
        int optimizer = (int)r.BaseStream.Position + 4;
        int optimizerLength = r.ReadInt32();
        r.BaseStream.Position += optimizerLength;
        int trainer = (int)r.BaseStream.Position + 4;
        int trainerEnd = trainer + r.ReadInt32();
        r.BaseStream.Position = trainer + 16;
        long steps = r.ReadInt64();
        r.BaseStream.Position = trainer + 68;
        int samples = r.ReadInt32();
        r.BaseStream.Position += 4L * samples + 4 * 8 + 2 * 4 + 1; // the order, the running sums, early stopping
        if (r.ReadBoolean())
        {
            r.BaseStream.Position += 4L * (parameters + stateCount);
        }
        r.ReadString();
        return new CheckpointFiles
        {
            Parameters = parameterStart,
            NetworkStateCount = stateCountAt,
            MaskGenerator = mask,
            OptimizerSection = optimizer,
            TrainerSection = trainer,
            TrainerEnd = trainerEnd,
            ScheduleState = (int)r.BaseStream.Position,
            BatchLossCount = trainerEnd - 4 * (int)steps - 4,
        };
    }

    /// <summary>CRC-32C of <paramref name="data"/> (Castagnoli; "123456789" gives 0xE3069283).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }

    /// <summary>Rewrites the checksum in the last four bytes of <paramref name="file"/> to match the bytes before it.</summary>
    public static byte[] Reseal(byte[] file)
    {
        if (file.Length >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C(file.AsSpan(0, file.Length - 4)));
        }
        return file;
    }
}
