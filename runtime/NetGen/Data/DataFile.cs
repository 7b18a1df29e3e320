using System;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>
/// Reads a data file whole, raw or gzip-compressed (recognised by its magic bytes 1F 8B, not by its name), and turns
/// every way a stream can fail — early end, bad deflate data, bad gzip trailer — into a <see cref="DataFormatException"/>
/// that names the file and offset.
/// </summary>
internal sealed class DataFile : IDisposable
{
    private readonly Stream _stream;
    private readonly Stream? _compressed;

    private readonly long? _lengthHint;

    private DataFile(string path, Stream stream, Stream? compressed, long? lengthHint)
    {
        Path = path;
        _stream = stream;
        _compressed = compressed;
        _lengthHint = lengthHint;
    }

    /// <summary>The file's path as given, for messages.</summary>
    public string Path { get; }

    /// <summary>Whether the file is gzip-compressed (offsets then count decompressed bytes).</summary>
    public bool IsCompressed => _compressed is not null;

    /// <summary>Bytes consumed so far (decompressed).</summary>
    public long Position { get; private set; }

    /// <summary>Opens <paramref name="path"/>; a gzip file is decompressed on the fly.</summary>
    public static DataFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return Wrap(path, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an open, seekable-or-not stream named <paramref name="name"/>; takes ownership of it.</summary>
    public static DataFile Wrap(string name, Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        int got = stream.CanSeek ? stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) : 0;
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            // The gzip trailer's ISIZE is the decompressed length mod 2³²: a hint for sizing buffers, never trusted.
            long? hint = null;
            if (stream.CanSeek && stream.Length >= 18)
            {
                Span<byte> isize = stackalloc byte[4];
                stream.Position = stream.Length - 4;
                stream.ReadExactly(isize);
                stream.Position = 0;
                hint = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(isize);
                if (hint > stream.Length * 1032L) // deflate cannot expand more than ~1032:1: the trailer is damaged
                {
                    hint = null;
                }
            }
            return new DataFile(name, new GZipStream(stream, CompressionMode.Decompress), stream, hint);
        }
        return new DataFile(name, stream, null, stream.CanSeek ? stream.Length : null);
    }

    /// <summary>The whole remaining content. Only for small or text files; binary readers use <see cref="ReadExactly"/>.</summary>
    public Stream AsStream() => new CheckedStream(this);

    /// <summary>Fills <paramref name="buffer"/> or throws naming what was being read and where.</summary>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        int read = Read(buffer);
        if (read < buffer.Length)
        {
            throw DataFormatException.AtOffset(Path, Position, $"the {(IsCompressed ? "decompressed content" : "file")} ends while reading {what}: {buffer.Length - read:N0} more bytes were expected.");
        }
    }

    /// <summary>Reads the next <paramref name="length"/> bytes into a new array. A header that announces more data than
    /// the file can hold fails before allocating it: a raw file's length is known; a gzip file's buffer starts at the
    /// trailer's size hint and grows only as data actually arrives.</summary>
    public byte[] ReadBlock(long length, string what)
    {
        if (length > Array.MaxLength)
        {
            throw DataFormatException.AtOffset(Path, Position, $"{what} would need {length:N0} bytes, more than one array can hold.");
        }
        if (!IsCompressed && _lengthHint is { } fileLength && fileLength - Position < length)
        {
            throw DataFormatException.AtOffset(Path, fileLength, $"the file ends while reading {what}: {length - (fileLength - Position):N0} more bytes were expected.");
        }
        long initial = IsCompressed ? Math.Min(length, Math.Max(_lengthHint ?? 0, 1 << 22)) : length;
        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)initial);
        int filled = 0;
        while (true)
        {
            int read = Read(buffer.AsSpan(filled));
            filled += read;
            if (filled < buffer.Length)
            {
                throw DataFormatException.AtOffset(Path, Position, $"the {(IsCompressed ? "decompressed content" : "file")} ends while reading {what}: {length - filled:N0} more bytes were expected.");
            }
            if (filled == length)
            {
                return buffer;
            }
            Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
        }
    }

    /// <summary>Reads the next <paramref name="count"/> bytes as floats <c>byte × scale</c>, converting chunk by chunk
    /// as they are decompressed. Sizes are checked as in <see cref="ReadBlock"/> before the result is allocated.</summary>
    public float[] ReadBytesAsSingles(long count, float scale, string what)
    {
        bool sizeKnown = IsCompressed ? _lengthHint is { } hint && hint - Position >= count : _lengthHint is not null;
        if (count > Array.MaxLength || !sizeKnown)
        {
            // No trustworthy size to allocate against: let ReadBlock grow a byte buffer as data arrives.
            byte[] bytes = ReadBlock(count, what);
            float[] converted = GC.AllocateUninitializedArray<float>(bytes.Length);
            PixelConversion.ToSingle(bytes, converted, scale);
            return converted;
        }
        if (!IsCompressed && _lengthHint - Position < count)
        {
            throw DataFormatException.AtOffset(Path, _lengthHint!.Value, $"the file ends while reading {what}: {count - (_lengthHint.Value - Position):N0} more bytes were expected.");
        }
        float[] result = GC.AllocateUninitializedArray<float>((int)count);
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int done = 0; done < result.Length;)
            {
                int want = Math.Min(chunk.Length, result.Length - done);
                int read = Read(chunk.AsSpan(0, want));
                if (read < want)
                {
                    throw DataFormatException.AtOffset(Path, Position, $"the {(IsCompressed ? "decompressed content" : "file")} ends while reading {what}: {result.Length - done - read:N0} more bytes were expected.");
                }
                PixelConversion.ToSingle(chunk.AsSpan(0, read), result.AsSpan(done, read), scale);
                done += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        return result;
    }

    /// <summary>The rest of the content: sized exactly for a raw file, grown as data arrives for a gzip file.</summary>
    public byte[] ReadToEnd()
    {
        if (!IsCompressed && _lengthHint is { } fileLength && fileLength - Position <= Array.MaxLength)
        {
            byte[] exact = GC.AllocateUninitializedArray<byte>((int)(fileLength - Position));
            int read = Read(exact);
            return read == exact.Length ? exact : exact[..read];
        }
        using var memory = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int n;
        while ((n = Read(chunk)) > 0)
        {
            memory.Write(chunk, 0, n);
        }
        return memory.ToArray();
    }

    /// <summary>Throws when anything follows the content the header announced.</summary>
    public void ExpectEnd(string what)
    {
        Span<byte> probe = stackalloc byte[1];
        if (Read(probe) != 0)
        {
            throw DataFormatException.AtOffset(Path, Position - 1, $"unexpected data after {what}; the file is longer than its header says.");
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes, stopping only at the end of the content.</summary>
    public int Read(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = _stream.Read(buffer[total..]);
                if (n == 0)
                {
                    break;
                }
                total += n;
                Position += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.AtOffset(Path, Position + total, $"the gzip data is corrupt ({e.Message})", e);
        }
        return total;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _compressed?.Dispose();
    }

    /// <summary>A read-only view whose failures carry the file name and offset.</summary>
    private sealed class CheckedStream(DataFile file) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => file.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => file.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
