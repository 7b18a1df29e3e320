using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using NetGen.CompilerServices;
using NetGen.IO;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary>
/// Checkpoint files: the parameters (in the network's own buffer layout), the network's state (running statistics) and the
/// position of its mask generator, the optimizer's state and, when written by a
/// <see cref="Trainer"/>, the trainer's position (epoch, batch, shuffling order and generator state, running sums, history,
/// early-stopping state), so that a resumed run continues bit for bit. Files are written atomically (temporary file, then
/// rename): a crash leaves the previous checkpoint intact. Little-endian binary, ending in a CRC-32C of everything before
/// it; the tensor names, offsets and lengths are checked on load. For exchanging weights with other tools use the
/// weight-file format instead.
/// </summary>
/// <remarks>Reading a checkpoint either succeeds or throws an <see cref="InvalidDataException"/> naming the file and the
/// section, and then has changed nothing: every part is read and checked before any of it is put in place.</remarks>
public static class Checkpoint
{
    private const string Magic = "NetGen checkpoint";

    /// <summary>Version 3 ends in a checksum; version 2, the same layout without it, is still read.</summary>
    private const int Version = 3;

    private const int VersionWithoutChecksum = 2;

    /// <summary>Writes <paramref name="network"/>'s parameters and <paramref name="optimizer"/>'s state (if any) to <paramref name="path"/>.</summary>
    public static void Save(string path, INetwork network, Optimizer? optimizer) => Write(path, network, optimizer, null);

    /// <summary>Reads parameters (and optimizer state when <paramref name="optimizer"/> is given and the file has it) written
    /// by <see cref="Save"/> or by a trainer; any trainer position in the file is ignored. A corrupted or mismatched file
    /// is an <see cref="InvalidDataException"/> and leaves the network and the optimizer as they were.</summary>
    public static void Load(string path, INetwork network, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        TemporaryFile.RemoveStale(path);
        CheckpointContents contents = Read(path, network);
        if (optimizer is not null && contents.OptimizerSection is not null)
        {
            contents.ReadOptimizerState(optimizer, network);
        }
        contents.Commit(network);
    }

    internal static void Write(string path, INetwork network, Optimizer? optimizer, Action<BinaryWriter>? trainerState)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are little-endian.");
        }
        AtomicFile.Write(path, file =>
        {
            var checksummed = new Crc32CWriteStream(file);
            using (var writer = new BinaryWriter(checksummed, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(network.Name);
                writer.Write(network.ParameterCount);
                writer.Write(network.Tensors.Count);
                foreach (ParameterTensor tensor in network.Tensors)
                {
                    writer.Write(tensor.Name);
                    writer.Write(tensor.Offset);
                    writer.Write(tensor.Length);
                }
                writer.Write(MemoryMarshal.AsBytes((ReadOnlySpan<float>)network.Parameters));
                writer.Write(engine.State.Length);
                writer.Write(MemoryMarshal.AsBytes((ReadOnlySpan<float>)engine.State));
                SeededRandomState random = engine.Random.State;
                writer.Write(random.S0);
                writer.Write(random.S1);
                writer.Write(random.S2);
                writer.Write(random.S3);
                writer.Write(random.SpareGaussian);
                WriteSection(writer, optimizer is null ? null : optimizer.WriteState);
                WriteSection(writer, trainerState);
            }
            Span<byte> checksum = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(checksum, checksummed.Checksum);
            file.Write(checksum);
        });
    }

    /// <summary>Reads and checks everything in the checkpoint at <paramref name="path"/> for <paramref name="network"/>
    /// without changing anything. Besides the errors of opening the file, throws only <see cref="InvalidDataException"/>.</summary>
    internal static CheckpointContents Read(string path, INetwork network)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        using FileStream stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        string section = "the header";
        try
        {
            if (BinaryData.ReadString(reader, $"{path}: {section}: the signature") != Magic)
            {
                throw new InvalidDataException($"{path}: {section}: not a NetGen checkpoint.");
            }
            int version = reader.ReadInt32();
            long end = stream.Length;
            if (version == Version)
            {
                end -= sizeof(uint);
                VerifyChecksum(stream, reader, path, end);
            }
            else if (version != VersionWithoutChecksum)
            {
                throw new InvalidDataException($"{path}: {section}: checkpoint version {version}; this NetGen reads versions {VersionWithoutChecksum} and {Version}.");
            }
            string name = BinaryData.ReadString(reader, $"{path}: {section}: the network's name");
            int count = reader.ReadInt32();
            if (count != network.ParameterCount)
            {
                throw new InvalidDataException($"{path}: {section}: the checkpoint of {name} holds {count} parameters; {network.Name} has {network.ParameterCount}.");
            }
            int tensors = reader.ReadInt32();
            if (tensors != network.Tensors.Count)
            {
                throw new InvalidDataException($"{path}: {section}: {tensors} tensors in the file; {network.Name} has {network.Tensors.Count}.");
            }
            foreach (ParameterTensor tensor in network.Tensors)
            {
                string tensorName = BinaryData.ReadString(reader, $"{path}: {section}: a tensor's name");
                int offset = reader.ReadInt32(), length = reader.ReadInt32();
                if (tensorName != tensor.Name || offset != tensor.Offset || length != tensor.Length)
                {
                    throw new InvalidDataException($"{path}: {section}: tensor '{tensorName}' at {offset} ({length} values) does not match {network.Name}'s '{tensor.Name}' at {tensor.Offset} ({tensor.Length}).");
                }
            }
            section = "the parameters";
            float[] parameters = ReadFloats(reader, count, $"{path}: {section}");
            section = "the network state";
            int stateCount = reader.ReadInt32();
            if (stateCount != engine.State.Length)
            {
                throw new InvalidDataException($"{path}: {section}: the checkpoint of {name} holds {stateCount} state values; {network.Name} has {engine.State.Length}.");
            }
            float[] networkState = ReadFloats(reader, stateCount, $"{path}: {section}");
            section = "the mask generator";
            SeededRandomState random = ReadRandomState(reader, $"{path}: {section}");
            section = "the optimizer section";
            byte[]? optimizerState = ReadSection(reader, $"{path}: {section}");
            section = "the trainer section";
            byte[]? trainerState = ReadSection(reader, $"{path}: {section}");
            if (stream.Position != end)
            {
                throw new InvalidDataException($"{path}: {section}: the sections end at byte {stream.Position}, the content at byte {end} (the file is corrupted).");
            }
            return new CheckpointContents(path, parameters, networkState, random, optimizerState, trainerState);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: {section}: the checkpoint ends early (it is truncated or corrupted).", e);
        }
    }

    /// <summary>A checkpoint ends in the CRC-32C of every byte before it: a mismatch is corruption, reported before any
    /// field after the version is trusted.</summary>
    private static void VerifyChecksum(FileStream stream, BinaryReader reader, string path, long end)
    {
        long afterVersion = stream.Position;
        if (end < afterVersion)
        {
            throw new InvalidDataException($"Checkpoint {path} is corrupted: it ends before its checksum.");
        }
        uint computed = Crc32C.Of(stream, end);
        uint stored = reader.ReadUInt32();
        if (stored != computed)
        {
            throw new InvalidDataException($"Checkpoint {path} is corrupted: checksum mismatch (CRC-32C 0x{stored:X8} stored, 0x{computed:X8} computed).");
        }
        stream.Position = afterVersion;
    }

    /// <summary><paramref name="count"/> floats, the count checked against the bytes left first.</summary>
    internal static float[] ReadFloats(BinaryReader reader, int count, string what)
    {
        float[] values = new float[BinaryData.CheckCount(reader, count, sizeof(float), what)];
        BinaryData.ReadExactly(reader, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>A generator state as <see cref="Write"/> writes it; all-zero words cannot come from a seeded generator.</summary>
    internal static SeededRandomState ReadRandomState(BinaryReader reader, string what)
    {
        var state = new SeededRandomState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadDouble());
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new InvalidDataException($"{what}: an all-zero generator state (the file is corrupted).");
        }
        return state;
    }

    private static void WriteSection(BinaryWriter writer, Action<BinaryWriter>? write)
    {
        if (write is null)
        {
            writer.Write(-1);
            return;
        }
        using var buffer = new MemoryStream();
        using (var sectionWriter = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            write(sectionWriter);
        }
        writer.Write(checked((int)buffer.Length));
        writer.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>A section written by <see cref="WriteSection"/>: null for none (a length of −1), else its bytes.</summary>
    private static byte[]? ReadSection(BinaryReader reader, string what)
    {
        int length = reader.ReadInt32();
        if (length == -1)
        {
            return null;
        }
        byte[] bytes = new byte[BinaryData.CheckCount(reader, length, 1, what)];
        BinaryData.ReadExactly(reader, bytes);
        return bytes;
    }
}

/// <summary>A checkpoint read and checked by <see cref="Checkpoint.Read"/>, not yet put in place.</summary>
internal sealed class CheckpointContents(string path, float[] parameters, float[] networkState, SeededRandomState random,
    byte[]? optimizerSection, byte[]? trainerSection)
{
    public string Path { get; } = path;

    /// <summary>The optimizer's state as its <see cref="Optimizer.WriteState"/> wrote it; null when the file has none.</summary>
    public byte[]? OptimizerSection { get; } = optimizerSection;

    /// <summary>The trainer's position; null in a file written by <see cref="Checkpoint.Save"/>.</summary>
    public byte[]? TrainerSection { get; } = trainerSection;

    /// <summary>Reads the optimizer section into <paramref name="optimizer"/>, which is left as it was when the section does
    /// not fit it (the state is read and checked before anything changes).</summary>
    public void ReadOptimizerState(Optimizer optimizer, INetwork network)
    {
        const string Section = "the optimizer section";
        if (OptimizerSection is null)
        {
            throw new InvalidDataException($"{Path}: {Section}: the checkpoint holds no optimizer state.");
        }
        using var reader = new BinaryReader(new MemoryStream(OptimizerSection, writable: false), Encoding.UTF8);
        try
        {
            optimizer.ReadState(reader, network.ParameterCount);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path}: {Section}: {e.Message}", e);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException or OverflowException)
        {
            // Raised by reads of a rule's own scalars.
            throw new InvalidDataException($"{Path}: {Section}: the optimizer's state ends early or is malformed (the file is corrupted).", e);
        }
    }

    /// <summary>Puts the parameters, the network state and the mask generator's position in place (cannot fail).</summary>
    public void Commit(INetwork network)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        parameters.CopyTo(network.Parameters);
        networkState.CopyTo(engine.State);
        engine.Random.State = random;
    }
}
