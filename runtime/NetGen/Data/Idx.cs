using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>Element types of the IDX format (the third byte of the magic number).</summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned byte (MNIST images and labels).</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian 16-bit integer.</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer.</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian IEEE single.</summary>
    Single = 0x0D,

    /// <summary>Big-endian IEEE double.</summary>
    Double = 0x0E,
}

/// <summary>One IDX array: its element type, its dimensions and its elements as stored (big-endian).</summary>
public sealed class IdxArray
{
    /// <summary>Wraps <paramref name="data"/>, which must hold exactly the elements <paramref name="dimensions"/> describe.</summary>
    public IdxArray(IdxDataType type, int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is < 1 or > 255)
        {
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions, not {dimensions.Length}.", nameof(dimensions));
        }
        long count = Idx.ElementCount(dimensions) ?? throw new ArgumentException("Dimensions must be non-negative and hold fewer than 2³¹ bytes.", nameof(dimensions));
        if (data.Length != count * Idx.ElementSize(type))
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] of {type} need {count * Idx.ElementSize(type)} bytes; got {data.Length}.", nameof(data));
        }
        Type = type;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The element type.</summary>
    public IdxDataType Type { get; }

    /// <summary>The dimensions, outermost first (for MNIST images: count, rows, columns).</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements as stored in the file (multi-byte types big-endian).</summary>
    public byte[] Data { get; }

    /// <summary>The number of elements.</summary>
    public int ElementCount => Data.Length / Idx.ElementSize(Type);

    /// <summary>Every element converted to float and multiplied by <paramref name="scale"/>.</summary>
    public float[] ToSingle(float scale = 1f)
    {
        float[] result = GC.AllocateUninitializedArray<float>(ElementCount);
        ReadOnlySpan<byte> d = Data;
        switch (Type)
        {
            case IdxDataType.UnsignedByte:
                PixelConversion.ToSingle(d, result, scale);
                break;
            case IdxDataType.SignedByte:
                for (int i = 0; i < result.Length; i++) { result[i] = (sbyte)d[i] * scale; }
                break;
            case IdxDataType.Int16:
                for (int i = 0; i < result.Length; i++) { result[i] = BinaryPrimitives.ReadInt16BigEndian(d[(2 * i)..]) * scale; }
                break;
            case IdxDataType.Int32:
                for (int i = 0; i < result.Length; i++) { result[i] = BinaryPrimitives.ReadInt32BigEndian(d[(4 * i)..]) * scale; }
                break;
            case IdxDataType.Single:
                for (int i = 0; i < result.Length; i++) { result[i] = BinaryPrimitives.ReadSingleBigEndian(d[(4 * i)..]) * scale; }
                break;
            default:
                for (int i = 0; i < result.Length; i++) { result[i] = (float)(BinaryPrimitives.ReadDoubleBigEndian(d[(8 * i)..]) * scale); }
                break;
        }
        return result;
    }
}

/// <summary>
/// Reads and writes IDX files, the format of MNIST and Fashion-MNIST: magic <c>00 00 type rank</c>, one big-endian
/// 32-bit size per dimension, then the elements. Files may be raw or gzip-compressed (detected from the content).
/// Magic, rank, dimensions and length are validated; every failure is a <see cref="DataFormatException"/> that names
/// the file and byte offset.
/// </summary>
public static class Idx
{
    /// <summary>Reads the whole IDX array in <paramref name="path"/>.</summary>
    public static IdxArray Read(string path)
    {
        using DataFile file = DataFile.Open(path);
        return Read(file);
    }

    /// <summary>Reads an images file (<c>ubyte</c>, N × rows × columns, or N × features) and its labels file
    /// (<c>ubyte</c>, N) into a data set; pixels are multiplied by <paramref name="pixelScale"/> (1/255 maps them to
    /// [0, 1]). Labels must lie in [0, <paramref name="classCount"/>).</summary>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classCount = 10, float pixelScale = 1f / 255f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        float[] pixels;
        int[] dimensions;
        using (DataFile file = DataFile.Open(imagesPath))
        {
            (IdxDataType type, dimensions, long count) = ReadHeader(file);
            if (type != IdxDataType.UnsignedByte || dimensions.Length is not (2 or 3))
            {
                throw DataFormatException.AtOffset(imagesPath, 2, $"an images file holds unsigned bytes in 2 or 3 dimensions (N × features or N × rows × columns); this one holds {type} in {dimensions.Length}.");
            }
            // Decompressed bytes go straight into floats, chunk by chunk: no image-sized byte buffer.
            pixels = file.ReadBytesAsSingles(count, pixelScale, $"{count:N0} pixels of [{string.Join(" × ", dimensions)}]");
            file.ExpectEnd($"the {count:N0} pixels the header announces");
        }
        IdxArray labels = Read(labelsPath);
        if (labels.Type != IdxDataType.UnsignedByte || labels.Dimensions.Length != 1)
        {
            throw DataFormatException.AtOffset(labelsPath, 2, $"a labels file holds unsigned bytes in 1 dimension; this one holds {labels.Type} in {labels.Dimensions.Length}.");
        }
        int samples = dimensions[0];
        if (labels.Dimensions[0] != samples)
        {
            throw DataFormatException.AtOffset(labelsPath, 4, $"{labels.Dimensions[0]:N0} labels do not match the {samples:N0} images of {imagesPath}.");
        }
        // With no images the element count says nothing about rows × columns: check the product itself.
        long featureCount = (long)dimensions[1] * (dimensions.Length == 3 ? dimensions[2] : 1);
        if (featureCount == 0)
        {
            throw DataFormatException.AtOffset(imagesPath, 8, "images of size 0.");
        }
        if (featureCount > Array.MaxLength)
        {
            throw DataFormatException.AtOffset(imagesPath, 8, $"images of [{string.Join(" × ", dimensions[1..])}] have {featureCount:N0} pixels, more than one array can hold.");
        }
        int headerLength = 4 + 4 * labels.Dimensions.Length;
        int[] labelValues = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            int label = labels.Data[i];
            if (label >= classCount)
            {
                throw DataFormatException.AtOffset(labelsPath, headerLength + i, $"label {label} of sample {i} is outside [0, {classCount}).");
            }
            labelValues[i] = label;
        }
        return new Dataset(pixels, labelValues, (int)featureCount, classCount)
        {
            Shape = dimensions.Length == 3 ? new ImageShape(1, dimensions[1], dimensions[2]) : null,
        };
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed when <paramref name="compress"/>
    /// (by default: when the name ends in <c>.gz</c>).</summary>
    public static void Write(string path, IdxArray array, bool? compress = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        using Stream stream = compress ?? path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Fastest)
            : file;
        Span<byte> header = stackalloc byte[4 + 4 * array.Dimensions.Length];
        header[0] = 0;
        header[1] = 0;
        header[2] = (byte)array.Type;
        header[3] = (byte)array.Dimensions.Length;
        for (int d = 0; d < array.Dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header[(4 + 4 * d)..], array.Dimensions[d]);
        }
        stream.Write(header);
        stream.Write(array.Data);
    }

    /// <summary>Writes the images of <paramref name="data"/> (features divided by <paramref name="pixelScale"/>, rounded and
    /// clamped to bytes) and its labels (which must be below 256) as an IDX pair.</summary>
    public static void WriteDataset(string imagesPath, string labelsPath, Dataset data, float pixelScale = 1f / 255f)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ClassCount > 256)
        {
            throw new ArgumentException($"IDX label files hold bytes; {data.ClassCount} classes do not fit.", nameof(data));
        }
        byte[] pixels = new byte[data.Features.Length];
        PixelConversion.ToByte(data.Features, pixels, 1f / pixelScale);
        int[] dimensions = data.Shape is { Channels: 1 } shape ? [data.Count, shape.Height, shape.Width] : [data.Count, data.FeatureCount];
        Write(imagesPath, new IdxArray(IdxDataType.UnsignedByte, dimensions, pixels));
        byte[] labels = new byte[data.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)data.Labels[i];
        }
        Write(labelsPath, new IdxArray(IdxDataType.UnsignedByte, [data.Count], labels));
    }

    private static (IdxDataType Type, int[] Dimensions, long Count) ReadHeader(DataFile file)
    {
        Span<byte> magic = stackalloc byte[4];
        file.ReadExactly(magic, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw DataFormatException.AtOffset(file.Path, 0, $"not an IDX file: the magic number must start with 00 00, found {magic[0]:X2} {magic[1]:X2}.");
        }
        var type = (IdxDataType)magic[2];
        if (type is not (IdxDataType.UnsignedByte or IdxDataType.SignedByte or IdxDataType.Int16 or IdxDataType.Int32 or IdxDataType.Single or IdxDataType.Double))
        {
            throw DataFormatException.AtOffset(file.Path, 2, $"unknown IDX element type 0x{magic[2]:X2} (expected 08, 09, 0B, 0C, 0D or 0E).");
        }
        int rank = magic[3];
        if (rank == 0)
        {
            throw DataFormatException.AtOffset(file.Path, 3, "an IDX array needs at least one dimension; the header says 0.");
        }
        Span<byte> sizes = stackalloc byte[4 * rank];
        file.ReadExactly(sizes, $"the {rank} dimension sizes");
        int[] dimensions = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizes[(4 * d)..]);
            if (size < 0)
            {
                throw DataFormatException.AtOffset(file.Path, 4 + 4 * d, $"dimension {d} has negative size {size}.");
            }
            dimensions[d] = size;
        }
        long? count = ElementCount(dimensions);
        if (count is null || count * ElementSize(type) > Array.MaxLength)
        {
            throw DataFormatException.AtOffset(file.Path, 4, $"dimensions [{string.Join(", ", dimensions)}] describe more data than one array can hold.");
        }
        return (type, dimensions, count.Value);
    }

    internal static IdxArray Read(DataFile file)
    {
        (IdxDataType type, int[] dimensions, long count) = ReadHeader(file);
        byte[] data = file.ReadBlock(count * ElementSize(type), $"{count:N0} elements of [{string.Join(" × ", dimensions)}] {type}");
        file.ExpectEnd($"the {count:N0} elements the header announces");
        return new IdxArray(type, dimensions, data);
    }

    internal static int ElementSize(IdxDataType type) => type switch
    {
        IdxDataType.Int16 => 2,
        IdxDataType.Int32 or IdxDataType.Single => 4,
        IdxDataType.Double => 8,
        _ => 1,
    };

    internal static long? ElementCount(int[] dimensions)
    {
        long count = 1;
        foreach (int size in dimensions)
        {
            if (size < 0)
            {
                return null;
            }
            count *= size;
            if (count > Array.MaxLength)
            {
                return null;
            }
        }
        return count;
    }
}
