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
    /// <summary>The largest buffer a reader takes for itself; a shorter file gets one of its own length.</summary>
    private const int LargestBuffer = 1 << 16;

    /// <summary>The most a gzip file's content is expected to hold, in multiples of the compressed size, before the data
    /// have actually arrived. Deflate can expand about 1,032:1, but data files compress far less (MNIST's images 4.8:1,
    /// Fashion-MNIST's 1.8:1): buffers are sized up to this much at once and grow only as decompressed bytes arrive, so a
    /// damaged or forged size trailer or header cannot make a reader allocate out of proportion to the file.</summary>
    private const int PlausibleRatio = 8;

    /// <summary>The smallest buffer a gzip block starts with when nothing better is known.</summary>
    private const int SmallestBlock = 1 << 12;

    private readonly Stream _stream;
    private readonly Stream? _compressed;

    /// <summary>The content's length when it is known before reading: a raw file's length, or for a gzip file its
    /// trailer's size hint capped at <see cref="PlausibleRatio"/> × the compressed size. Never trusted for more than sizing.</summary>
    private readonly long? _lengthHint;

    /// <summary>The length of the file itself (compressed for gzip), when the stream can tell.</summary>
    private readonly long? _fileLength;

    private DataFile(string path, Stream stream, Stream? compressed, long? lengthHint, long? fileLength)
    {
        Path = path;
        _stream = stream;
        _compressed = compressed;
        _lengthHint = lengthHint;
        _fileLength = fileLength;
    }

    /// <summary>The file's path as given, for messages.</summary>
    public string Path { get; }

    /// <summary>Whether the file is gzip-compressed (offsets then count decompressed bytes).</summary>
    public bool IsCompressed => _compressed is not null;

    /// <summary>Bytes consumed so far (decompressed).</summary>
    public long Position { get; private set; }

    /// <summary>A buffer size for a reader of the content (a text reader's): the file's length up to 64 KiB, so a short
    /// file does not cost a buffer many times its size.</summary>
    public int BufferSize => (int)Math.Clamp(_fileLength ?? LargestBuffer, 1, LargestBuffer);

    /// <summary>Opens <paramref name="path"/>; a gzip file is decompressed on the fly.</summary>
    public static DataFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        FileStream? file = null;
        try
        {
            // A buffer of the file's own length when it is short: opening a 500-byte file costs no 64 KiB.
            long length = RandomAccess.GetLength(handle);
            file = new FileStream(handle, FileAccess.Read, bufferSize: (int)Math.Clamp(length, 1, LargestBuffer));
            return Wrap(path, file);
        }
        catch
        {
            if (file is null)
            {
                handle.Dispose();
            }
            file?.Dispose();
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
        long? fileLength = stream.CanSeek ? stream.Length : null;
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            // The gzip trailer's ISIZE is the decompressed length mod 2³²: a hint for sizing buffers, never trusted, and
            // never taken for more than PlausibleRatio × the compressed size.
            long? hint = null;
            if (stream.CanSeek && stream.Length >= 18)
            {
                Span<byte> isize = stackalloc byte[4];
                stream.Position = stream.Length - 4;
                stream.ReadExactly(isize);
                stream.Position = 0;
                hint = Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(isize), PlausibleRatio * stream.Length);
            }
            return new DataFile(name, new GZipStream(stream, CompressionMode.Decompress), stream, hint, fileLength);
        }
        return new DataFile(name, stream, null, fileLength, fileLength);
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
    /// the file can hold fails before allocating it: a raw file's length is known; a gzip file's buffer starts at what the
    /// file plausibly holds (see <see cref="PlausibleRatio"/>) and grows only as data actually arrive.</summary>
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
        long initial = IsCompressed ? Math.Min(length, Math.Max(ExpectedRemaining, SmallestBlock)) : length;
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
        if (count > Array.MaxLength || (IsCompressed && ExpectedRemaining < count) || _lengthHint is null)
        {
            // No size to allocate against: let ReadBlock grow a byte buffer as data arrive.
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
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(LargestBuffer);
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

    /// <summary>The rest of the content: sized exactly for a raw file; for a gzip file, sized as it plausibly is and grown
    /// as data arrive.</summary>
    public byte[] ReadToEnd()
    {
        if (!IsCompressed && _lengthHint is { } fileLength && fileLength - Position <= Array.MaxLength)
        {
            byte[] exact = GC.AllocateUninitializedArray<byte>((int)(fileLength - Position));
            int read = Read(exact);
            return read == exact.Length ? exact : exact[..read];
        }
        byte[] buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(ExpectedRemaining, SmallestBlock), Array.MaxLength));
        int filled = 0;
        Span<byte> probe = stackalloc byte[1];
        while (true)
        {
            filled += Read(buffer.AsSpan(filled));
            if (filled < buffer.Length)
            {
                return buffer[..filled];
            }
            // Full: done if nothing follows (the estimate was exact), else twice the room.
            if (Read(probe) == 0)
            {
                return buffer;
            }
            if (buffer.Length == Array.MaxLength)
            {
                throw DataFormatException.AtOffset(Path, Position - 1, $"the {(IsCompressed ? "decompressed content" : "file")} is longer than one array can hold.");
            }
            Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, Array.MaxLength));
            buffer[filled++] = probe[0];
        }
    }

    /// <summary>How many more content bytes the file plausibly holds (0 when nothing is known).</summary>
    private long ExpectedRemaining => Math.Max((_lengthHint ?? 0) - Position, 0);

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
