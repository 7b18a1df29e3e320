using System;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Tests.Data;

public class IdxTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Image_data_set_round_trips_raw_and_gzip(bool gzip)
    {
        using var dir = new TempDirectory();
        Dataset data = TestData.Images(37, new ImageShape(1, 5, 7), classes: 10, seed: 3);
        string suffix = gzip ? ".gz" : "";
        Idx.WriteDataset(dir.File("images" + suffix), dir.File("labels" + suffix), data);
        Dataset back = Idx.ReadDataset(dir.File("images" + suffix), dir.File("labels" + suffix));
        Assert.Equal(data.Features, back.Features);
        Assert.Equal(data.Labels, back.Labels);
        Assert.Equal(new ImageShape(1, 5, 7), back.Shape);
        if (gzip)
        {
            byte[] head = File.ReadAllBytes(dir.File("images.gz"));
            Assert.Equal(0x1F, head[0]);
        }
    }

    [Theory]
    [InlineData(IdxDataType.UnsignedByte, 1)]
    [InlineData(IdxDataType.SignedByte, 1)]
    [InlineData(IdxDataType.Int16, 2)]
    [InlineData(IdxDataType.Int32, 4)]
    [InlineData(IdxDataType.Single, 4)]
    [InlineData(IdxDataType.Double, 8)]
    public void Every_element_type_round_trips(IdxDataType type, int size)
    {
        using var dir = new TempDirectory();
        byte[] bytes = new byte[2 * 3 * 4 * size];
        var random = new SeededRandom(5);
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.NextInt(256);
        }
        if (type is IdxDataType.Single or IdxDataType.Double)
        {
            // Keep every element a small finite number: exponent bytes (big-endian first byte) set to 0x3F.
            for (int i = 0; i < bytes.Length; i += size)
            {
                bytes[i] = 0x3F;
            }
        }
        var array = new IdxArray(type, [2, 3, 4], bytes);
        Idx.Write(dir.File("a.idx"), array);
        IdxArray back = Idx.Read(dir.File("a.idx"));
        Assert.Equal(type, back.Type);
        Assert.Equal([2, 3, 4], back.Dimensions);
        Assert.Equal(bytes, back.Data);
        Assert.Equal(24, back.ToSingle().Length);
    }

    [Fact]
    public void Values_are_read_big_endian()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("v"), [0, 0, 0x0C, 1, 0, 0, 0, 2, 0x00, 0x00, 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFE]);
        Assert.Equal([258f, -2f], Idx.Read(dir.File("v")).ToSingle());
    }

    [Fact]
    public void Wrong_magic_names_file_and_offset()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad"), [1, 0, 8, 1, 0, 0, 0, 0]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("bad")));
        Assert.Equal(0, e.ByteOffset);
        Assert.Contains(dir.File("bad"), e.Message, StringComparison.Ordinal);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(dir.File("type"), [0, 0, 7, 1, 0, 0, 0, 0]);
        Assert.Equal(2, Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("type"))).ByteOffset);
    }

    [Fact]
    public void Truncated_file_reports_where_it_ends()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("short"), [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 2, 3, 4, 5]);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("short")));
        Assert.Equal(17, e.ByteOffset);
        Assert.Contains("7 more bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_claiming_huge_dimensions_fails_before_allocating()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("huge"), [0, 0, 8, 2, 0x70, 0, 0, 0, 0, 0, 0, 1, 1, 2]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("huge")));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    /// <summary>With no images, rows × columns was not checked: [0, 46341, 46341] made the feature count overflow to a
    /// negative number, and the data set's constructor threw ArgumentOutOfRangeException out of the reader.</summary>
    [Theory]
    [InlineData(46_341, 46_341)]
    [InlineData(65_536, 65_536)]
    [InlineData(int.MaxValue, 2)]
    public void Image_dimensions_that_overflow_are_refused_even_without_images(int rows, int columns)
    {
        using var dir = new TempDirectory();
        Idx.Write(dir.File("images"), new IdxArray(IdxDataType.UnsignedByte, [0, 1, 1], []));
        byte[] images = File.ReadAllBytes(dir.File("images"));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), rows);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), columns);
        File.WriteAllBytes(dir.File("images"), images);
        Idx.Write(dir.File("labels"), new IdxArray(IdxDataType.UnsignedByte, [0], []));
        var e = Assert.Throws<DataFormatException>(() => Idx.ReadDataset(dir.File("images"), dir.File("labels")));
        Assert.Equal(8, e.ByteOffset);
        Assert.Equal(dir.File("images"), e.FilePath);
    }

    /// <summary>A gzip file whose header announces more elements than it holds started a buffer of up to 4 MiB whatever
    /// its size; the buffer now starts at what the compressed size plausibly holds and grows only as data arrive, whatever
    /// the size trailer says.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_gzip_file_announcing_more_than_it_holds_allocates_in_proportion_to_its_size(bool forgedTrailer)
    {
        using var dir = new TempDirectory();
        Idx.Write(dir.File("a.gz"), new IdxArray(IdxDataType.UnsignedByte, [10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        Idx.Read(dir.File("a.gz")); // first calls
        byte[] content = [0, 0, 8, 1, 0x05, 0xF5, 0xE1, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]; // 100,000,000 elements announced
        using (var file = File.Create(dir.File("a.gz")))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(content);
        }
        if (forgedTrailer)
        {
            byte[] bytes = File.ReadAllBytes(dir.File("a.gz"));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), 100_000_008);
            File.WriteAllBytes(dir.File("a.gz"), bytes);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("a.gz")));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Without the forged trailer the content ends early; with it, gzip's own size check fails at the end.
        Assert.Contains(forgedTrailer ? "the gzip data is corrupt" : "99,999,990 more bytes were expected", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"refusing a {new FileInfo(dir.File("a.gz")).Length}-byte file allocated {allocated:N0} bytes");
    }

    /// <summary>Reading a short file cost a 64 KiB file buffer, some hundred times the file; the buffer is now no larger
    /// than the file.</summary>
    [Fact]
    public void Reading_a_short_file_allocates_in_proportion_to_it()
    {
        using var dir = new TempDirectory();
        Idx.Write(dir.File("short"), new IdxArray(IdxDataType.UnsignedByte, [10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        Idx.Read(dir.File("short")); // first calls
        long before = GC.GetAllocatedBytesForCurrentThread();
        Idx.Read(dir.File("short"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4096, $"reading an 18-byte file allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Trailing_data_is_rejected()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("long"), [0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]);
        Assert.Equal(10, Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("long"))).ByteOffset);
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        using var dir = new TempDirectory();
        Dataset data = TestData.Images(10, new ImageShape(1, 4, 4), 10, seed: 1);
        Idx.WriteDataset(dir.File("images"), dir.File("labels"), data);
        Idx.Write(dir.File("labels9"), new IdxArray(IdxDataType.UnsignedByte, [9], new byte[9]));
        var e = Assert.Throws<DataFormatException>(() => Idx.ReadDataset(dir.File("images"), dir.File("labels9")));
        Assert.Contains("9 labels do not match the 10 images", e.Message, StringComparison.Ordinal);
        Assert.Equal(dir.File("labels9"), e.FilePath);
    }

    [Fact]
    public void Label_outside_the_classes_names_its_offset()
    {
        using var dir = new TempDirectory();
        Dataset data = TestData.Images(4, new ImageShape(1, 2, 2), 10, seed: 1);
        Idx.WriteDataset(dir.File("images"), dir.File("labels"), data);
        Idx.Write(dir.File("labels"), new IdxArray(IdxDataType.UnsignedByte, [4], [1, 2, 12, 3]));
        var e = Assert.Throws<DataFormatException>(() => Idx.ReadDataset(dir.File("images"), dir.File("labels")));
        Assert.Equal(8 + 2, e.ByteOffset);
    }

    [Fact]
    public void Corrupt_gzip_stream_becomes_a_data_format_exception()
    {
        using var dir = new TempDirectory();
        Idx.Write(dir.File("a.gz"), new IdxArray(IdxDataType.UnsignedByte, [1000], new byte[1000]));
        byte[] bytes = File.ReadAllBytes(dir.File("a.gz"));
        bytes[12] ^= 0xFF;
        bytes[13] ^= 0xFF;
        File.WriteAllBytes(dir.File("a.gz"), bytes);
        var e = Assert.Throws<DataFormatException>(() => Idx.Read(dir.File("a.gz")));
        Assert.Contains(dir.File("a.gz"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_file_not_found_exception()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => Idx.Read(dir.File("train-images-idx3-ubyte")));
        Assert.Throws<DirectoryNotFoundException>(() => Idx.Read("/nonexistent/netgen/train-images-idx3-ubyte"));
    }
}
