using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using NetGen.Optimizers;
using NetGen.CompilerServices;

namespace NetGen.Training;

/// <summary>
/// Checkpoint files: the parameters (in the network's own buffer layout), the network's state (running statistics) and the
/// position of its mask generator, the optimizer's state and, when written by a
/// <see cref="Trainer"/>, the trainer's position (epoch, batch, shuffling order and generator state, running sums, history,
/// early-stopping state), so that a resumed run continues bit for bit. Files are written atomically (temporary file, then
/// rename): a crash leaves the previous checkpoint intact. Little-endian binary; the tensor names, offsets and lengths are
/// checked on load. For exchanging weights with other tools use the weight-file format instead.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "NetGen checkpoint";
    private const int Version = 2;

    /// <summary>Writes <paramref name="network"/>'s parameters and <paramref name="optimizer"/>'s state (if any) to <paramref name="path"/>.</summary>
    public static void Save(string path, INetwork network, Optimizer? optimizer) => Write(path, network, optimizer, null);

    /// <summary>Reads parameters (and optimizer state when <paramref name="optimizer"/> is given and the file has it) written
    /// by <see cref="Save"/> or by a trainer; any trainer position in the file is ignored.</summary>
    public static void Load(string path, INetwork network, Optimizer? optimizer)
    {
        using FileStream stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        ReadModel(reader, path, network, optimizer);
    }

    internal static void Write(string path, INetwork network, Optimizer? optimizer, Action<BinaryWriter>? trainerState)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are little-endian.");
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
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
        });
    }

    /// <summary>Reads the model part; returns the trainer section's bytes (null when the file has none).</summary>
    internal static byte[]? ReadModel(BinaryReader reader, string path, INetwork network, Optimizer? optimizer)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        try
        {
            if (BinaryData.ReadString(reader, $"{path}: the checkpoint's signature") != Magic)
            {
                throw new InvalidDataException($"{path}: not a NetGen checkpoint.");
            }
            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"{path}: checkpoint version {version}; this NetGen reads version {Version}.");
            }
            string name = BinaryData.ReadString(reader, $"{path}: the network's name");
            int count = reader.ReadInt32();
            if (count != network.ParameterCount)
            {
                throw new InvalidDataException($"{path}: the checkpoint of {name} holds {count} parameters; {network.Name} has {network.ParameterCount}.");
            }
            int tensors = reader.ReadInt32();
            if (tensors != network.Tensors.Count)
            {
                throw new InvalidDataException($"{path}: {tensors} tensors in the file; {network.Name} has {network.Tensors.Count}.");
            }
            foreach (ParameterTensor tensor in network.Tensors)
            {
                string tensorName = BinaryData.ReadString(reader, $"{path}: a tensor's name");
                int offset = reader.ReadInt32(), length = reader.ReadInt32();
                if (tensorName != tensor.Name || offset != tensor.Offset || length != tensor.Length)
                {
                    throw new InvalidDataException($"{path}: tensor '{tensorName}' at {offset} ({length} values) does not match {network.Name}'s '{tensor.Name}' at {tensor.Offset} ({tensor.Length}).");
                }
            }
            float[] parameters = new float[count];
            BinaryData.ReadExactly(reader, MemoryMarshal.AsBytes(parameters.AsSpan()));
            int stateCount = reader.ReadInt32();
            if (stateCount != engine.State.Length)
            {
                throw new InvalidDataException($"{path}: the checkpoint of {name} holds {stateCount} state values; {network.Name} has {engine.State.Length}.");
            }
            float[] networkState = new float[stateCount];
            BinaryData.ReadExactly(reader, MemoryMarshal.AsBytes(networkState.AsSpan()));
            var random = new SeededRandomState(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadDouble());
            byte[]? optimizerState = ReadSection(reader, $"{path}: the optimizer section");
            byte[]? trainerState = ReadSection(reader, $"{path}: the trainer section");
            if (optimizer is not null && optimizerState is not null)
            {
                using var state = new BinaryReader(new MemoryStream(optimizerState), Encoding.UTF8);
                optimizer.ReadState(state);
            }
            parameters.CopyTo(network.Parameters);
            networkState.CopyTo(engine.State);
            engine.Random.State = random;
            return trainerState;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint is truncated or corrupted ({e.Message}).", e);
        }
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
