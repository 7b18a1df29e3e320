using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;

namespace NetGen.IO;

/// <summary>CRC-32C (Castagnoli), as iSCSI and ext4 use it: <see cref="BitOperations.Crc32C(uint, ulong)"/> runs the
/// processor's instruction where there is one (SSE4.2, Arm64) and a table otherwise.</summary>
internal static class Crc32C
{
    /// <summary>The register before any byte.</summary>
    public const uint Initial = 0xFFFF_FFFF;

    /// <summary>Feeds <paramref name="data"/> into the register <paramref name="crc"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return crc;
    }

    /// <summary>The checksum of everything fed into <paramref name="crc"/>.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>The checksum of the first <paramref name="length"/> bytes of <paramref name="stream"/>, read from its start.</summary>
    public static uint Of(Stream stream, long length)
    {
        stream.Position = 0;
        byte[] buffer = new byte[(int)Math.Min(length, 64 * 1024)];
        uint crc = Initial;
        while (length > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException();
            }
            crc = Append(crc, buffer.AsSpan(0, read));
            length -= read;
        }
        return Finish(crc);
    }
}

/// <summary>A write-only stream that passes everything on to another and keeps the CRC-32C of what passed.</summary>
internal sealed class Crc32CWriteStream(Stream inner) : Stream
{
    private uint _crc = Crc32C.Initial;

    /// <summary>The checksum of the bytes written so far.</summary>
    public uint Checksum => Crc32C.Finish(_crc);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc = Crc32C.Append(_crc, buffer);
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
