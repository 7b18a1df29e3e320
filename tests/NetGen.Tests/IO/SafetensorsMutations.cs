using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace NetGen.Tests;

/// <summary>How a mutation changes the JSON text of a safetensors header (random bytes rarely reach these).</summary>
internal enum HeaderMutation
{
    /// <summary>A digit replaced with another digit, or with '-', '.', 'e', '+' or a space.</summary>
    Digit,

    /// <summary>A quote removed, doubled or replaced with an apostrophe.</summary>
    Quote,

    /// <summary>A brace, bracket, colon or comma removed or replaced with another of them.</summary>
    Brace,

    /// <summary>A property whose value is arrays nested 6 to 100,000 deep, at the start of an object.</summary>
    DeepNesting,

    /// <summary>A number replaced with one beyond 64 bits, negative, fractional, with an exponent or -0.</summary>
    HugeNumber,

    /// <summary>A \u escape of a lone surrogate (or, for contrast, a valid pair) after a quote.</summary>
    LoneSurrogate,

    /// <summary>Bytes that are not UTF-8 (or, for contrast, a valid two-byte character) after a quote.</summary>
    InvalidUtf8,

    /// <summary>A property at the start of an object: an unknown name, or one the object already has, with any JSON value
    /// (a lone surrogate, invalid UTF-8, a number out of range, a literal, an object).</summary>
    InsertedProperty,
}

/// <summary>
/// Seeded mutations of a safetensors file, for the runtime's and the generator's readers: half of them a
/// <see cref="Mutation"/> of the bytes (the length field being the 8-byte header length), half a <see cref="HeaderMutation"/>
/// of the header's JSON text, after which the header length is set to the new text's length three times in four.
/// </summary>
internal static class SafetensorsMutations
{
    private static readonly string[] Numbers =
        ["99999999999999999999", "9223372036854775807", "9223372036854775808", "18446744073709551616", "4294967296", "-1", "-0",
         "1e400", "1e2", "1.5", "0.0", "2E0", "00", "+1"];

    private static readonly string[] Escapes = ["\\ud800", "\\udc00", "\\ud800\\u0041", "\\uDBFF", "\\ud83d\\ude00", "\\u0000"];

    private static readonly byte[][] Utf8 = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xC3, 0xA9]];

    private static readonly string[] PropertyNames = ["extra", "dtype", "shape", "data_offsets", "format", "__metadata__"];

    private static readonly string[] Values =
        ["\"\\ud800\"", InvalidUtf8String, "1e999", "-0.0", "true", "null", "{\"a\":[1,2]}", "\"F32\"", "[1]", "[0,4]", "\"pt\"", "{}", "[]"];

    /// <summary>Stands for a string holding the byte FF, which is not UTF-8.</summary>
    private const string InvalidUtf8String = "\"<FF>\"";

    /// <summary>A mutated copy of <paramref name="sound"/> and a description of the mutation.</summary>
    public static (byte[] File, string What) Mutate(byte[] sound, SeededRandom random)
    {
        if (random.NextInt(2) == 0)
        {
            var mutation = (Mutation)random.NextInt(6);
            byte[] file = MutationTesting.Mutate(sound, mutation, random, r => r.NextInt(3) switch
            {
                0 => new LengthField(0, BigEndian: false), // the header length's low half
                1 => new LengthField(4, BigEndian: false), // its high half
                _ => new LengthField(r.NextInt(sound.Length - 3), BigEndian: false),
            });
            return (file, mutation.ToString());
        }
        var header = (HeaderMutation)random.NextInt(8);
        bool keepLength = random.NextInt(4) == 0;
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(sound);
        byte[] json = MutateJson(sound[8..(8 + length)], header, random);
        byte[] result = new byte[8 + json.Length + (sound.Length - 8 - length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, keepLength ? (ulong)length : (ulong)json.Length);
        json.CopyTo(result, 8);
        sound.AsSpan(8 + length).CopyTo(result.AsSpan(8 + json.Length));
        return (result, $"{header} of the header{(keepLength ? ", length kept" : "")}");
    }

    private static byte[] MutateJson(byte[] json, HeaderMutation mutation, SeededRandom random)
    {
        switch (mutation)
        {
            case HeaderMutation.Digit:
            {
                int at = Pick(json, static b => b is >= (byte)'0' and <= (byte)'9', random);
                byte replacement = random.NextInt(4) == 0 ? (byte)"-.e+ "[random.NextInt(5)] : (byte)('0' + random.NextInt(10));
                return Replace(json, at, 1, [replacement]);
            }
            case HeaderMutation.Quote:
            {
                int at = Pick(json, static b => b == (byte)'"', random);
                return random.NextInt(3) switch
                {
                    0 => Replace(json, at, 1, []),
                    1 => Replace(json, at, 0, [(byte)'"']),
                    _ => Replace(json, at, 1, [(byte)'\'']),
                };
            }
            case HeaderMutation.Brace:
            {
                const string structural = "{}[]:,";
                int at = Pick(json, static b => structural.Contains((char)b, StringComparison.Ordinal), random);
                return random.NextInt(2) == 0 ? Replace(json, at, 1, []) : Replace(json, at, 1, [(byte)structural[random.NextInt(structural.Length)]]);
            }
            case HeaderMutation.DeepNesting:
            {
                int[] depths = [6, 7, 8, 9, 100, 100_000];
                int depth = depths[random.NextInt(depths.Length)];
                string property = "\"deep\":" + new string('[', depth) + new string(']', depth) + ",";
                return Replace(json, Pick(json, static b => b == (byte)'{', random) + 1, 0, Encoding.UTF8.GetBytes(property));
            }
            case HeaderMutation.HugeNumber:
            {
                int start = Pick(json, static b => b is >= (byte)'0' and <= (byte)'9', random);
                while (start > 0 && json[start - 1] is >= (byte)'0' and <= (byte)'9')
                {
                    start--;
                }
                int end = start;
                while (end < json.Length && json[end] is >= (byte)'0' and <= (byte)'9')
                {
                    end++;
                }
                return Replace(json, start, end - start, Encoding.ASCII.GetBytes(Numbers[random.NextInt(Numbers.Length)]));
            }
            case HeaderMutation.LoneSurrogate:
                return Replace(json, Pick(json, static b => b == (byte)'"', random) + 1, 0, Encoding.ASCII.GetBytes(Escapes[random.NextInt(Escapes.Length)]));
            case HeaderMutation.InvalidUtf8:
                return Replace(json, Pick(json, static b => b == (byte)'"', random) + 1, 0, Utf8[random.NextInt(Utf8.Length)]);
            default:
            {
                string name = PropertyNames[random.NextInt(PropertyNames.Length)], value = Values[random.NextInt(Values.Length)];
                byte[] property = [.. Encoding.ASCII.GetBytes($"\"{name}\":"),
                    .. value == InvalidUtf8String ? [(byte)'"', 0xFF, (byte)'"'] : Encoding.ASCII.GetBytes(value), (byte)','];
                return Replace(json, Pick(json, static b => b == (byte)'{', random) + 1, 0, property);
            }
        }
    }

    /// <summary>A random position of a byte that <paramref name="match"/> accepts (any position when none does).</summary>
    private static int Pick(byte[] json, Func<byte, bool> match, SeededRandom random)
    {
        var positions = new List<int>();
        for (int i = 0; i < json.Length; i++)
        {
            if (match(json[i]))
            {
                positions.Add(i);
            }
        }
        return positions.Count > 0 ? positions[random.NextInt(positions.Count)] : random.NextInt(json.Length);
    }

    private static byte[] Replace(byte[] json, int at, int length, byte[] replacement) =>
        [.. json.AsSpan(0, at), .. replacement, .. json.AsSpan(at + length)];
}
