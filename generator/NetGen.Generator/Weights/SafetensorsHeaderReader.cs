using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Weights;

/// <summary>One tensor of a safetensors header, as the generator needs it: name, dtype spelling and shape.</summary>
internal sealed record SafetensorsTensor(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads the header of a safetensors file inside the generator (netstandard2.0 has no System.Text.Json, and an analyzer
/// should not bring one): 8-byte little-endian length, a JSON object of tensors, and the data section, checked the way
/// the runtime's reader checks it. Returns an error text instead of throwing.
/// </summary>
internal static class SafetensorsHeaderReader
{
    public static (List<SafetensorsTensor>? Tensors, string? Error) Read(byte[] file) => Read(file, file.Length);

    /// <summary>Reads the header from the first bytes of a file of <paramref name="fileLength"/> bytes:
    /// <paramref name="start"/> holds the 8-byte length and the header (or as much of it as the file has, when it is
    /// too short); the data section is checked against the file's length without being read.</summary>
    public static (List<SafetensorsTensor>? Tensors, string? Error) Read(byte[] start, long fileLength)
    {
        if (fileLength < 8)
        {
            return (null, $"the file has {fileLength} bytes; a safetensors file starts with an 8-byte header length");
        }
        ulong length = HeaderLength(start);
        if (length > SafetensorsLimits.MaxHeaderLength || 8 + (long)length > fileLength || 8 + (long)length > start.Length)
        {
            return (null, $"the header length {length.ToString(CultureInfo.InvariantCulture)} does not fit the {fileLength.ToString(CultureInfo.InvariantCulture)}-byte file");
        }
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(start, 8, (int)length);
        }
        catch (ArgumentException)
        {
            return (null, "the header is not UTF-8");
        }
        var tensors = new List<SafetensorsTensor>();
        var parser = new JsonParser(json);
        try
        {
            if (parser.ParseValue() is not Dictionary<string, object?> root || !parser.AtEnd())
            {
                return (null, "the header is not one JSON object");
            }
            foreach (KeyValuePair<string, object?> entry in root)
            {
                if (entry.Key == "__metadata__")
                {
                    // As the runtime reads it: a map of strings to strings.
                    if (entry.Value is not Dictionary<string, object?> metadata || metadata.Values.Any(value => value is not string))
                    {
                        return (null, "__metadata__ must map names to strings");
                    }
                    continue;
                }
                if (entry.Value is not Dictionary<string, object?> tensor
                    || !tensor.TryGetValue("dtype", out object? dtype) || dtype is not string dtypeName
                    || !tensor.TryGetValue("shape", out object? shape) || !TryIntegers(shape, out long[] dimensions)
                    || !tensor.TryGetValue("data_offsets", out object? offsets) || !TryIntegers(offsets, out long[] range) || range.Length != 2)
                {
                    return (null, $"tensor '{entry.Key}' needs dtype, shape and data_offsets");
                }
                tensors.Add(new SafetensorsTensor(entry.Key, dtypeName, dimensions, range[0], range[1]));
            }
        }
        catch (FormatException exception)
        {
            return (null, "the header is not valid JSON: " + exception.Message);
        }
        string? layout = CheckLayout(tensors, fileLength - 8 - (long)length);
        return layout is null ? (tensors, null) : (null, layout);
    }

    /// <summary>The little-endian header length in the first 8 bytes of <paramref name="start"/> (at least 8 long).</summary>
    public static ulong HeaderLength(byte[] start)
    {
        ulong length = 0;
        for (int i = 7; i >= 0; i--)
        {
            length = (length << 8) | start[i];
        }
        return length;
    }

    /// <summary>Bytes per element of a dtype spelling, or 0 when unknown.</summary>
    public static int SizeOf(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "F64" or "I64" or "U64" => 8,
        _ => 0,
    };

    private static string? CheckLayout(List<SafetensorsTensor> tensors, long dataLength)
    {
        foreach (SafetensorsTensor tensor in tensors)
        {
            int size = SizeOf(tensor.DType);
            if (size == 0)
            {
                return $"tensor '{tensor.Name}' has unknown dtype '{tensor.DType}'";
            }
            // The element count is bounded by the data section before it is multiplied further, so it cannot overflow.
            long count = 1;
            foreach (long dimension in tensor.Shape)
            {
                if (dimension != 0 && count > dataLength / dimension)
                {
                    return $"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}], more elements than the file's {dataLength} bytes of data hold";
                }
                count *= dimension;
            }
            if (tensor.End - tensor.Begin != count * size)
            {
                return $"tensor '{tensor.Name}' needs {count * size} bytes but its data_offsets span {tensor.End - tensor.Begin}";
            }
        }
        var ordered = new List<SafetensorsTensor>(tensors);
        ordered.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        foreach (SafetensorsTensor tensor in ordered)
        {
            if (tensor.Begin != position)
            {
                return $"tensor '{tensor.Name}' starts at data offset {tensor.Begin}, expected {position}; tensors must tile the data section";
            }
            position = tensor.End;
        }
        return position == dataLength ? null : $"the tensors cover {position} bytes of data but the file has {dataLength}";
    }

    private static bool TryIntegers(object? value, out long[] integers)
    {
        integers = Array.Empty<long>();
        if (value is not List<object?> items)
        {
            return false;
        }
        var result = new long[items.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (items[i] is not long number || number < 0)
            {
                return false;
            }
            result[i] = number;
        }
        integers = result;
        return true;
    }

    /// <summary>A strict little JSON reader: objects, arrays, strings, integers; other numbers, booleans and null are
    /// accepted and returned as null (only metadata may hold them).</summary>
    private sealed class JsonParser(string text)
    {
        private int _position;

        /// <summary>Containers open around the current value.</summary>
        private int _depth;

        public bool AtEnd()
        {
            SkipWhitespace();
            return _position == text.Length;
        }

        public object? ParseValue()
        {
            SkipWhitespace();
            if (_position >= text.Length)
            {
                throw Error("unexpected end");
            }
            char c = text[_position];
            switch (c)
            {
                case '{':
                    return ParseObject();
                case '[':
                    return ParseArray();
                case '"':
                    return ParseString();
                case 't':
                    Literal("true");
                    return null;
                case 'f':
                    Literal("false");
                    return null;
                case 'n':
                    Literal("null");
                    return null;
                default:
                    return ParseNumber();
            }
        }

        private Dictionary<string, object?> ParseObject()
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            Enter();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                _depth--;
                return result;
            }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name");
                }
                string key = ParseString();
                SkipWhitespace();
                Expect(':');
                object? value = ParseValue();
                if (result.ContainsKey(key))
                {
                    throw Error($"'{key}' appears twice");
                }
                result.Add(key, value);
                SkipWhitespace();
                char next = Next();
                if (next == '}')
                {
                    _depth--;
                    return result;
                }
                if (next != ',')
                {
                    throw Error("expected ',' or '}'");
                }
            }
        }

        /// <summary>Steps into a container; deeper than the runtime's reader allows is an error (and recursion that could
        /// overflow the compiler's stack is never reached).</summary>
        private void Enter()
        {
            if (++_depth > SafetensorsLimits.MaxDepth)
            {
                throw Error($"containers nested more than {SafetensorsLimits.MaxDepth} deep");
            }
            _position++;
        }

        private List<object?> ParseArray()
        {
            var result = new List<object?>();
            Enter();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                _depth--;
                return result;
            }
            while (true)
            {
                result.Add(ParseValue());
                SkipWhitespace();
                char next = Next();
                if (next == ']')
                {
                    _depth--;
                    return result;
                }
                if (next != ',')
                {
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ParseString()
        {
            _position++;
            var builder = new StringBuilder();
            while (true)
            {
                char c = Next();
                if (c == '"')
                {
                    string value = builder.ToString();
                    for (int i = 0; i < value.Length; i++)
                    {
                        // A \u escape may name half of a surrogate pair; the runtime's reader refuses one left alone.
                        if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            i++;
                        }
                        else if (char.IsSurrogate(value[i]))
                        {
                            throw Error("a lone surrogate in a string");
                        }
                    }
                    return value;
                }
                if (c < ' ')
                {
                    throw Error("control character in a string");
                }
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                char escape = Next();
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > text.Length
                            || !int.TryParse(text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("bad \\u escape");
                        }
                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        throw Error($"bad escape '\\{escape}'");
                }
            }
        }

        private object? ParseNumber()
        {
            int start = _position;
            while (_position < text.Length && "+-0123456789.eE".IndexOf(text[_position]) >= 0)
            {
                _position++;
            }
            if (start == _position)
            {
                throw Error($"unexpected '{text[start]}'");
            }
            string token = text.Substring(start, _position - start);
            // JSON's grammar, as the runtime's reader applies it: no '+', no leading zero, digits around the point.
            if (!System.Text.RegularExpressions.Regex.IsMatch(token, @"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"))
            {
                throw Error($"bad number '{token}'");
            }
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return integer;
            }
            // A number beyond a double's range is refused as the reference implementation refuses it (and double.TryParse
            // says so on .NET Framework, but returns infinity on .NET: the verdict must not depend on the compiler's host).
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsInfinity(number))
            {
                return null;
            }
            throw Error($"bad number '{token}'");
        }

        private void Literal(string word)
        {
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) != 0)
            {
                throw Error($"unexpected '{text[_position]}'");
            }
            _position += word.Length;
        }

        private void Expect(char expected)
        {
            if (Next() != expected)
            {
                throw Error($"expected '{expected}'");
            }
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private char Next()
        {
            if (_position >= text.Length)
            {
                throw Error("unexpected end");
            }
            return text[_position++];
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\r' or '\n')
            {
                _position++;
            }
        }

        private FormatException Error(string message) => new($"{message} at header character {_position.ToString(CultureInfo.InvariantCulture)}");
    }
}
