using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace NetGen.Samples.AotInference;

/// <summary>One 28×28 grey image scaled to [0, 1], and where it came from.</summary>
internal readonly record struct LabeledImage(string Source, float[] Pixels, int Label);

/// <summary>Readers for the two image formats the classifier takes: IDX (the MNIST / Fashion-MNIST files, optionally
/// gzip-compressed) and binary or ASCII PGM. Errors name the file and the offset.</summary>
internal static class ImageFiles
{
    public const int Side = 28;
    public const int PixelCount = Side * Side;

    /// <summary>Class names of Fashion-MNIST, by label.</summary>
    public static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Reads every image of an IDX image file (magic 0x00000803, unsigned bytes, N × 28 × 28).</summary>
    public static float[] ReadIdxImages(string path, out int count)
    {
        byte[] bytes = ReadMaybeGzip(path);
        uint magic = Header(bytes, path, 0);
        if (magic != 0x0000_0803)
        {
            throw new InvalidDataException($"{path}: IDX magic 0x{magic:X8} at offset 0 is not 0x00000803 (unsigned-byte images of rank 3).");
        }
        count = checked((int)Header(bytes, path, 4));
        uint rows = Header(bytes, path, 8), columns = Header(bytes, path, 12);
        if (rows != Side || columns != Side)
        {
            throw new InvalidDataException($"{path}: images are {rows}×{columns} (offsets 8 and 12); the classifier takes {Side}×{Side}.");
        }
        long expected = 16L + (long)count * PixelCount;
        if (bytes.Length != expected)
        {
            throw new InvalidDataException($"{path}: {count} images of {Side}×{Side} need {expected} bytes; the file has {bytes.Length}.");
        }
        float[] pixels = new float[count * PixelCount];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = bytes[16 + i] / 255f;
        }
        return pixels;
    }

    /// <summary>Reads an IDX label file (magic 0x00000801).</summary>
    public static byte[] ReadIdxLabels(string path)
    {
        byte[] bytes = ReadMaybeGzip(path);
        uint magic = Header(bytes, path, 0);
        if (magic != 0x0000_0801)
        {
            throw new InvalidDataException($"{path}: IDX magic 0x{magic:X8} at offset 0 is not 0x00000801 (unsigned-byte labels of rank 1).");
        }
        int count = checked((int)Header(bytes, path, 4));
        if (bytes.Length != 8 + count)
        {
            throw new InvalidDataException($"{path}: {count} labels need {8 + count} bytes; the file has {bytes.Length}.");
        }
        return bytes.AsSpan(8).ToArray();
    }

    /// <summary>True when the file starts like an IDX file (two zero bytes, then a type code and a rank).</summary>
    public static bool LooksLikeIdx(string path)
    {
        byte[] head = new byte[4];
        using (Stream stream = OpenMaybeGzip(path))
        {
            if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
            {
                return false;
            }
        }
        return head[0] == 0 && head[1] == 0 && head[2] == 0x08;
    }

    /// <summary>Reads a 28×28 PGM (P5 binary or P2 ASCII, any maxval up to 65535), scaled by maxval to [0, 1].</summary>
    public static float[] ReadPgm(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int position = 0;
        string magic = Token(bytes, ref position, path);
        if (magic is not ("P5" or "P2"))
        {
            throw new InvalidDataException($"{path}: PGM magic '{magic}' at offset 0 is neither P5 (binary) nor P2 (ASCII).");
        }
        int width = Number(bytes, ref position, path, "width");
        int height = Number(bytes, ref position, path, "height");
        int maximum = Number(bytes, ref position, path, "maxval");
        if (width != Side || height != Side)
        {
            throw new InvalidDataException($"{path}: the image is {width}×{height}; the classifier takes {Side}×{Side}.");
        }
        if (maximum is < 1 or > 65535)
        {
            throw new InvalidDataException($"{path}: maxval {maximum} is outside 1..65535.");
        }
        float[] pixels = new float[PixelCount];
        if (magic == "P2")
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = Math.Min(Number(bytes, ref position, path, $"pixel {i}"), maximum) / (float)maximum;
            }
            return pixels;
        }
        position++; // exactly one whitespace byte after maxval
        int bytesPerPixel = maximum < 256 ? 1 : 2;
        if (bytes.Length - position < PixelCount * bytesPerPixel)
        {
            throw new InvalidDataException($"{path}: pixel data at offset {position} has {bytes.Length - position} bytes; {PixelCount * bytesPerPixel} are needed.");
        }
        for (int i = 0; i < pixels.Length; i++)
        {
            int value = bytesPerPixel == 1 ? bytes[position + i] : BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position + 2 * i));
            pixels[i] = Math.Min(value, maximum) / (float)maximum;
        }
        return pixels;
    }

    /// <summary>Writes a 28×28 binary PGM (for examples and tests).</summary>
    public static void WritePgm(string path, ReadOnlySpan<float> pixels)
    {
        using FileStream stream = File.Create(path);
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"P5\n{Side} {Side}\n255\n"));
        foreach (float pixel in pixels)
        {
            stream.WriteByte((byte)Math.Clamp(MathF.Round(pixel * 255f), 0f, 255f));
        }
    }

    private static uint Header(byte[] bytes, string path, int offset)
    {
        if (bytes.Length < offset + 4)
        {
            throw new InvalidDataException($"{path}: the file ends at offset {bytes.Length}, inside the IDX header.");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
    }

    private static byte[] ReadMaybeGzip(string path)
    {
        using Stream stream = OpenMaybeGzip(path);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static Stream OpenMaybeGzip(string path)
    {
        FileStream file = File.OpenRead(path);
        int first = file.ReadByte(), second = file.ReadByte();
        file.Position = 0;
        return first == 0x1F && second == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static string Token(byte[] bytes, ref int position, string path)
    {
        while (true)
        {
            while (position < bytes.Length && IsSpace(bytes[position]))
            {
                position++;
            }
            if (position < bytes.Length && bytes[position] == '#')
            {
                while (position < bytes.Length && bytes[position] != '\n')
                {
                    position++;
                }
                continue;
            }
            break;
        }
        int start = position;
        while (position < bytes.Length && !IsSpace(bytes[position]))
        {
            position++;
        }
        if (start == position)
        {
            throw new InvalidDataException($"{path}: the PGM header ends early at offset {position}.");
        }
        return System.Text.Encoding.ASCII.GetString(bytes, start, position - start);
    }

    private static int Number(byte[] bytes, ref int position, string path, string what)
    {
        int offset = position;
        string token = Token(bytes, ref position, path);
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidDataException($"{path}: PGM {what} '{token}' near offset {offset} is not a non-negative integer.");
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    /// <summary>Expands file and directory arguments into images.</summary>
    public static IEnumerable<LabeledImage> Expand(string path, string? labelsPath)
    {
        if (LooksLikeIdx(path))
        {
            float[] pixels = ReadIdxImages(path, out int count);
            byte[]? labels = labelsPath is null ? null : ReadIdxLabels(labelsPath);
            if (labels is not null && labels.Length != count)
            {
                throw new InvalidDataException($"{labelsPath}: {labels.Length} labels for the {count} images of {path}.");
            }
            for (int i = 0; i < count; i++)
            {
                yield return new LabeledImage($"{path}#{i}", pixels.AsSpan(i * PixelCount, PixelCount).ToArray(), labels?[i] ?? -1);
            }
            yield break;
        }
        yield return new LabeledImage(path, ReadPgm(path), -1);
    }
}
