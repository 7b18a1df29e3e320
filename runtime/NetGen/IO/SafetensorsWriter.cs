using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace NetGen.IO;

/// <summary>A tensor to write: name, element type, shape and its data as raw little-endian bytes in row-major order.</summary>
public sealed class SafetensorsEntry
{
    private readonly long[] _shape;

    /// <summary>Describes a tensor whose <paramref name="data"/> is already little-endian bytes.</summary>
    public SafetensorsEntry(string name, SafetensorsDType dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        DType = dtype;
        _shape = [.. shape];
        long count = 1;
        foreach (long dimension in _shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = checked(count * dimension);
        }
        if (data.Length != count * SafetensorsDTypes.SizeOf(dtype))
        {
            throw new ArgumentException($"Tensor '{name}' ({SafetensorsDTypes.Name(dtype)} {SafetensorsTensorInfo.FormatShape(_shape)}) needs {count * SafetensorsDTypes.SizeOf(dtype)} bytes; got {data.Length}.", nameof(data));
        }
        Data = data;
    }

    /// <summary>The tensor's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The shape.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Little-endian row-major bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>An F32 tensor from row-major <paramref name="values"/>.</summary>
    public static SafetensorsEntry FromFloats(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long[] dimensions = new long[shape.Count];
        for (int i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = shape[i];
        }
        byte[] bytes = new byte[values.Length * sizeof(float)];
        LittleEndian.WriteFloats(values, bytes);
        return new SafetensorsEntry(name, SafetensorsDType.F32, dimensions, bytes);
    }
}

/// <summary>Writes safetensors files the reference implementation (and PyTorch's <c>safetensors.torch.load_file</c>) reads.</summary>
public static class SafetensorsWriter
{
    /// <summary>The whole file as bytes: header length, JSON header padded with spaces to a multiple of 8, then the data
    /// of each tensor in the order given.</summary>
    public static byte[] Serialize(IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                var keys = new List<string>(metadata.Keys);
                keys.Sort(StringComparer.Ordinal);
                foreach (string key in keys)
                {
                    writer.WriteString(key, metadata[key]);
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (SafetensorsEntry tensor in tensors)
            {
                if (tensor.Name == "__metadata__" || !names.Add(tensor.Name))
                {
                    throw new ArgumentException($"Tensor name '{tensor.Name}' is reserved or used twice.", nameof(tensors));
                }
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", SafetensorsDTypes.Name(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.Data.Length;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        int headerLength = (json.WrittenCount + 7) / 8 * 8;
        long total = 8L + headerLength;
        foreach (SafetensorsEntry tensor in tensors)
        {
            total += tensor.Data.Length;
        }
        byte[] file = new byte[checked((int)total)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        json.WrittenSpan.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + json.WrittenCount, headerLength - json.WrittenCount).Fill((byte)' ');
        int position = 8 + headerLength;
        foreach (SafetensorsEntry tensor in tensors)
        {
            tensor.Data.Span.CopyTo(file.AsSpan(position));
            position += tensor.Data.Length;
        }
        return file;
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile.Write(string, ReadOnlySpan{byte})"/>).</summary>
    public static void Write(string path, IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        => AtomicFile.Write(path, Serialize(tensors, metadata));
}

/// <summary>Replaces a file so that a crash at any moment leaves either the old file or the complete new one.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>
    /// (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;random&gt;.tmp</c>), flushes it to disk, and renames it over <paramref name="path"/> (a
    /// rename within one directory is atomic). Temporary files of <paramref name="path"/> that a killed process left behind
    /// are deleted first.</summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using TemporaryFile file = TemporaryFile.Begin(path);
        file.Stream.Write(contents);
        file.Commit();
    }

    /// <summary>Writes whatever <paramref name="write"/> puts into the stream to <paramref name="path"/> the same way.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        using TemporaryFile file = TemporaryFile.Begin(path);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) the same way.</summary>
    public static void WriteAllText(string path, string text) => Write(path, new UTF8Encoding(false).GetBytes(text));
}
