using System;
using System.IO;

namespace NetGen.Data;

/// <summary>
/// A data file is truncated, corrupted or inconsistent with its companion file. The message names the file and the
/// byte offset (binary formats; for gzip files, the offset in the decompressed content) or the line (CSV) where
/// reading stopped. Every NetGen reader reports bad content with this exception and nothing else; a missing file is
/// the usual <see cref="FileNotFoundException"/> / <see cref="DirectoryNotFoundException"/>.
/// </summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public DataFormatException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private DataFormatException(string message, string path, long? byteOffset, int? lineNumber, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = path;
        ByteOffset = byteOffset;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or resource) that failed to read.</summary>
    public string? FilePath { get; }

    /// <summary>Where in a binary file reading stopped (in the decompressed content for gzip files).</summary>
    public long? ByteOffset { get; }

    /// <summary>The 1-based line of a text file where reading stopped.</summary>
    public int? LineNumber { get; }

    /// <summary>"<paramref name="path"/>, byte offset N: <paramref name="problem"/>".</summary>
    public static DataFormatException AtOffset(string path, long byteOffset, string problem, Exception? innerException = null) =>
        new($"{path}, byte offset {byteOffset}: {problem}", path, byteOffset, null, innerException);

    /// <summary>"<paramref name="path"/>, line N: <paramref name="problem"/>".</summary>
    public static DataFormatException AtLine(string path, int lineNumber, string problem) =>
        new($"{path}, line {lineNumber}: {problem}", path, null, lineNumber, null);
}
