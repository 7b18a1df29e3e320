using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NetGen.IO;

/// <summary>One tensor's entry in a safetensors header.</summary>
public sealed class SafetensorsTensorInfo
{
    private readonly long[] _shape;

    internal SafetensorsTensorInfo(string name, SafetensorsDType dtype, long[] shape, long begin, long end)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        Begin = begin;
        End = end;
        long count = 1;
        foreach (long dimension in shape)
        {
            count *= dimension;
        }
        ElementCount = count;
    }

    /// <summary>The tensor's name, e.g. <c>fc1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The shape (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>First byte of the tensor's data, relative to the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>One past the last byte of the tensor's data, relative to the start of the data section.</summary>
    public long End { get; }

    /// <summary>The shape as <c>[a, b]</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {SafetensorsDTypes.Name(DType)} {ShapeText}";

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}

/// <summary>
/// The parsed header of a safetensors file: an 8-byte little-endian header length, a UTF-8 JSON object mapping tensor
/// names to <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (plus an optional <c>__metadata__</c> map of strings), then
/// the raw little-endian data. Parsing checks what the reference implementation checks: sizes, bounds, and that the
/// tensors tile the data section exactly. Errors are <see cref="InvalidDataException"/>s naming the source.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderLength = SafetensorsLimits.MaxHeaderLength;

    private const string MetadataKey = "__metadata__";
    private readonly List<SafetensorsTensorInfo> _tensors;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private readonly Dictionary<string, string> _metadata;

    private SafetensorsHeader(string source, long dataStart, long dataLength, List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Source = source;
        DataStart = dataStart;
        DataLength = dataLength;
        _tensors = tensors;
        _metadata = metadata;
        _byName = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        foreach (SafetensorsTensorInfo tensor in tensors)
        {
            _byName.Add(tensor.Name, tensor);
        }
    }

    /// <summary>Where the bytes came from (a path or a description), used in every error message.</summary>
    public string Source { get; }

    /// <summary>Offset of the data section from the start of the file: 8 + header length.</summary>
    public long DataStart { get; }

    /// <summary>Length of the data section in bytes.</summary>
    public long DataLength { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _tensors;

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, out SafetensorsTensorInfo tensor)
    {
        bool found = _byName.TryGetValue(name, out SafetensorsTensorInfo? value);
        tensor = value!;
        return found;
    }

    /// <summary>The raw bytes of <paramref name="tensor"/> inside <paramref name="file"/> (the whole file this header came from).</summary>
    public ReadOnlySpan<byte> GetData(ReadOnlySpan<byte> file, SafetensorsTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (file.Length != DataStart + DataLength)
        {
            throw new ArgumentException($"{Source}: the span has {file.Length} bytes, the file this header was read from has {DataStart + DataLength}.", nameof(file));
        }
        return file.Slice(checked((int)(DataStart + tensor.Begin)), checked((int)(tensor.End - tensor.Begin)));
    }

    /// <summary>Copies an F32 tensor into <paramref name="destination"/> in file (row-major) order, converting from little-endian if needed.</summary>
    public void ReadFloats(ReadOnlySpan<byte> file, SafetensorsTensorInfo tensor, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DType != SafetensorsDType.F32)
        {
            throw new InvalidDataException($"{Source}: tensor '{tensor.Name}' has dtype {SafetensorsDTypes.Name(tensor.DType)}; F32 is needed.");
        }
        if (destination.Length != tensor.ElementCount)
        {
            throw new ArgumentException($"{Source}: tensor '{tensor.Name}' has {tensor.ElementCount} elements; the destination has {destination.Length}.", nameof(destination));
        }
        LittleEndian.ReadFloats(GetData(file, tensor), destination);
    }

    /// <summary>Parses the header of a whole safetensors file held in memory.</summary>
    /// <param name="file">The complete file.</param>
    /// <param name="source">The file's path or a description, for error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file; the message says why and where.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> file, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (file.Length < 8)
        {
            throw Invalid(source, $"the file has {file.Length} bytes; a safetensors file starts with an 8-byte header length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderLength)
        {
            throw Invalid(source, $"the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes (is this a safetensors file?)");
        }
        if (8 + (long)headerLength > file.Length)
        {
            throw Invalid(source, $"the header length {headerLength} runs past the end of the {file.Length}-byte file");
        }
        ReadOnlySpan<byte> json = file.Slice(8, (int)headerLength);
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;
        (List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata) = ParseJson(json, source);
        CheckLayout(tensors, dataLength, source);
        return new SafetensorsHeader(source, dataStart, dataLength, tensors, metadata);
    }

    /// <summary>Reads and parses the header of the file at <paramref name="path"/> (only the header is read).</summary>
    public static SafetensorsHeader Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        if (stream.Length < 8)
        {
            throw Invalid(path, $"the file has {stream.Length} bytes; a safetensors file starts with an 8-byte header length");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength || 8 + (long)headerLength > stream.Length)
        {
            throw Invalid(path, $"the header length {headerLength} does not fit the {stream.Length}-byte file");
        }
        byte[] json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;
        (List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata) = ParseJson(json, path);
        CheckLayout(tensors, dataLength, path);
        return new SafetensorsHeader(path, dataStart, dataLength, tensors, metadata);
    }

    private static (List<SafetensorsTensorInfo>, Dictionary<string, string>) ParseJson(ReadOnlySpan<byte> json, string source)
    {
        // The whole header is UTF-8 text, as the reference implementation requires before it parses anything: invalid bytes
        // in a value no reader looks at are refused too.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Invalid(source, $"the header is not UTF-8 text (invalid bytes at byte {8 + FirstInvalidUtf8(json)})");
        }
        var tensors = new List<SafetensorsTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = SafetensorsLimits.MaxDepth });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, source, "the header must be a JSON object");
            while (true)
            {
                Read(ref reader, source);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                string name = ReadString(ref reader, source, "a tensor name");
                if (!seen.Add(name))
                {
                    throw Invalid(source, $"the header names '{name}' twice");
                }
                if (name == MetadataKey)
                {
                    ReadMetadata(ref reader, metadata, source);
                }
                else
                {
                    tensors.Add(ReadTensor(ref reader, name, source));
                }
            }
            // Only padding may follow the object.
            if (reader.Read())
            {
                throw Invalid(source, $"unexpected JSON after the header object at byte {8 + reader.TokenStartIndex}");
            }
        }
        catch (JsonException exception)
        {
            throw Invalid(source, $"the header is not valid JSON ({exception.Message})");
        }
        return (tensors, metadata);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, source, $"'{MetadataKey}' must be an object of strings");
        while (true)
        {
            Read(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }
            string key = ReadString(ref reader, source, $"a key of '{MetadataKey}'");
            Expect(ref reader, JsonTokenType.String, source, $"'{MetadataKey}' entry '{key}' must be a string");
            if (!metadata.TryAdd(key, ReadString(ref reader, source, $"the value of '{MetadataKey}' entry '{key}'")))
            {
                throw Invalid(source, $"'{MetadataKey}' names '{key}' twice");
            }
        }
    }

    private static SafetensorsTensorInfo ReadTensor(ref Utf8JsonReader reader, string name, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, source, $"tensor '{name}' must be an object with dtype, shape and data_offsets");
        string? dtypeName = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        HashSet<string>? others = null; // the names of properties NetGen does not read, once there is one
        while (true)
        {
            Read(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            string property = ReadString(ref reader, source, $"a property name of tensor '{name}'");
            bool twice = property switch
            {
                "dtype" => dtypeName is not null,
                "shape" => shape is not null,
                "data_offsets" => offsets is not null,
                _ => !(others ??= new HashSet<string>(StringComparer.Ordinal)).Add(property),
            };
            if (twice)
            {
                throw Invalid(source, $"tensor '{name}' names '{property}' twice");
            }
            switch (property)
            {
                case "dtype":
                    Expect(ref reader, JsonTokenType.String, source, $"tensor '{name}': dtype must be a string");
                    dtypeName = ReadString(ref reader, source, $"the dtype of tensor '{name}'");
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, name, property, source);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, name, property, source);
                    break;
                default:
                    Read(ref reader, source);
                    CheckIgnoredValue(ref reader, source, $"property '{property}' of tensor '{name}'");
                    break;
            }
        }
        if (dtypeName is null || shape is null || offsets is null)
        {
            string missing = dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Invalid(source, $"tensor '{name}' has no {missing}");
        }
        if (!SafetensorsDTypes.TryParse(dtypeName, out SafetensorsDType dtype))
        {
            throw Invalid(source, $"tensor '{name}' has dtype '{dtypeName}', which NetGen does not know");
        }
        if (offsets.Count != 2 || offsets[0] > offsets[1])
        {
            throw Invalid(source, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; two offsets [begin, end] with begin ≤ end are required");
        }
        // The shape's product and its size in bytes are checked against long before they are formed: a header may claim
        // any shape, and only the data offsets, bounded by the file, say what it holds.
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension != 0 && count > long.MaxValue / dimension)
            {
                throw Invalid(source, $"tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(shape)}, more elements than any file holds");
            }
            count *= dimension;
        }
        int elementSize = SafetensorsDTypes.SizeOf(dtype);
        if (count > long.MaxValue / elementSize)
        {
            throw Invalid(source, $"tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(shape)}, more bytes than any file holds");
        }
        long expectedBytes = count * elementSize;
        if (offsets[1] - offsets[0] != expectedBytes)
        {
            throw Invalid(source, $"tensor '{name}' ({dtypeName} {SafetensorsTensorInfo.FormatShape(shape)}) needs {expectedBytes} bytes but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
        }
        return new SafetensorsTensorInfo(name, dtype, [.. shape], offsets[0], offsets[1]);
    }

    private static List<long> ReadIntegers(ref Utf8JsonReader reader, string name, string property, string source)
    {
        Expect(ref reader, JsonTokenType.StartArray, source, $"tensor '{name}': {property} must be an array of integers");
        var values = new List<long>();
        while (true)
        {
            Read(ref reader, source);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
            {
                throw Invalid(source, $"tensor '{name}': {property} must hold non-negative integers");
            }
            values.Add(value);
        }
    }

    private static void CheckLayout(List<SafetensorsTensorInfo> tensors, long dataLength, string source)
    {
        var ordered = new List<SafetensorsTensorInfo>(tensors);
        ordered.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        foreach (SafetensorsTensorInfo tensor in ordered)
        {
            if (tensor.Begin != position)
            {
                string problem = tensor.Begin < position ? "overlaps the tensor before it" : $"leaves a gap of {tensor.Begin - position} bytes before it";
                throw Invalid(source, $"tensor '{tensor.Name}' starts at data offset {tensor.Begin}, which {problem}; tensors must tile the data section");
            }
            position = tensor.End;
        }
        if (position != dataLength)
        {
            throw Invalid(source, position > dataLength
                ? $"the tensors need {position} bytes of data but the file has {dataLength} after the header (truncated?)"
                : $"the file has {dataLength - position} bytes after the last tensor's data");
        }
    }

    /// <summary>Steps over the value the reader is on — a property NetGen does not read — and holds it to the rules of the
    /// rest of the header, as the reference implementation does (it parses every value): text without lone surrogates,
    /// numbers within a double's range, no name twice in one object.</summary>
    private static void CheckIgnoredValue(ref Utf8JsonReader reader, string source, string what)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                ReadString(ref reader, source, $"a string in {what}");
                return;
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out double number) || double.IsInfinity(number))
                {
                    throw Invalid(source, $"the number at byte {8 + reader.TokenStartIndex} in {what} is out of range");
                }
                return;
            case JsonTokenType.StartArray:
                while (true)
                {
                    Read(ref reader, source);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return;
                    }
                    CheckIgnoredValue(ref reader, source, what);
                }
            case JsonTokenType.StartObject:
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                while (true)
                {
                    Read(ref reader, source);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        return;
                    }
                    string name = ReadString(ref reader, source, $"a property name in {what}");
                    if (!names.Add(name))
                    {
                        throw Invalid(source, $"an object in {what} names '{name}' twice");
                    }
                    Read(ref reader, source);
                    CheckIgnoredValue(ref reader, source, what);
                }
            }
            default: // true, false, null
                return;
        }
    }

    /// <summary>The offset of the first byte of <paramref name="text"/> that does not begin a valid UTF-8 sequence.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        int at = 0;
        while (at < text.Length && System.Text.Rune.DecodeFromUtf8(text[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }
        return at;
    }

    /// <summary>The string token the reader is on; JSON that holds invalid UTF-8 or a lone surrogate escape (which
    /// <see cref="Utf8JsonReader.GetString"/> refuses with an <see cref="InvalidOperationException"/>) is an invalid file.</summary>
    private static string ReadString(ref Utf8JsonReader reader, string source, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid(source, $"{what} at byte {8 + reader.TokenStartIndex} is not valid UTF-8 text (invalid bytes or a lone surrogate)");
        }
    }

    private static void Read(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw Invalid(source, "the header JSON ends early");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string source, string message)
    {
        Read(ref reader, source);
        if (reader.TokenType != type)
        {
            throw Invalid(source, message);
        }
    }

    internal static InvalidDataException Invalid(string source, string message)
        => new($"{source}: not a valid safetensors file: {message}.");
}

/// <summary>Float conversion to and from little-endian bytes, a plain copy on little-endian machines.</summary>
internal static class LittleEndian
{
    public static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
            return;
        }
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(i * sizeof(float)));
        }
    }

    public static void WriteFloats(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(source).CopyTo(destination);
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * sizeof(float)), source[i]);
        }
    }
}
