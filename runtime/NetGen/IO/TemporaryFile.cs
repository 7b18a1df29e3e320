using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen.IO;

/// <summary>
/// The temporary file of one atomic write: created beside the target as <c>.&lt;name&gt;.&lt;pid&gt;.&lt;32 hex
/// digits&gt;.tmp</c>, flushed to disk and renamed over the target by <see cref="Commit"/>, deleted by
/// <see cref="Dispose"/> when the write did not get that far. A process killed during a write leaves its temporary file
/// behind; the next atomic write or checkpoint read of the same target removes it (<see cref="RemoveStale"/>).
/// </summary>
internal sealed class TemporaryFile : IDisposable
{
    private const string Suffix = ".tmp";
    private const int RandomDigits = 32;

    /// <summary>Temporary files this process is writing now: a file with this process's id that is not among them was
    /// left by an earlier process that had the same id (containers often reuse ids).</summary>
    private static readonly ConcurrentDictionary<string, bool> Writing = new(StringComparer.Ordinal);

    private readonly string _target;
    private readonly string _temporary;
    private FileStream? _stream;
    private bool _committed;

    private TemporaryFile(string target, string temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        _stream = stream;
    }

    /// <summary>The temporary file's contents, written before <see cref="Commit"/>.</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(TemporaryFile));

    /// <summary>Removes stale temporary files of <paramref name="path"/>, then creates a new one (and the directory).</summary>
    public static TemporaryFile Begin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(directory);
        RemoveStale(target);
        string temporary = Path.Combine(directory,
            $".{Path.GetFileName(target)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{Suffix}");
        Writing[temporary] = true;
        try
        {
            return new TemporaryFile(target, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        }
        catch
        {
            Writing.TryRemove(temporary, out _);
            throw;
        }
    }

    /// <summary>Flushes the contents to disk and renames the temporary file over the target.</summary>
    public void Commit()
    {
        FileStream stream = _stream ?? throw new ObjectDisposedException(nameof(TemporaryFile));
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_temporary, _target, overwrite: true);
        _committed = true;
        Writing.TryRemove(_temporary, out _);
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (!_committed)
        {
            File.Delete(_temporary);
            Writing.TryRemove(_temporary, out _);
            _committed = true;
        }
    }

    /// <summary>
    /// Deletes the temporary files that atomic writes of <paramref name="path"/> left behind: files named exactly as
    /// <see cref="Begin"/> names them for this target, whose process has ended (or is this process, which is not writing
    /// them). Nothing else is touched: another target's temporary files, a live process's write in progress, any other
    /// file. Best effort: a file that cannot be listed or deleted stays, and the caller carries on.
    /// </summary>
    public static void RemoveStale(string path)
    {
        try
        {
            string target = Path.GetFullPath(path);
            string? directory = Path.GetDirectoryName(target);
            string name = Path.GetFileName(target);
            if (string.IsNullOrEmpty(directory) || name.Length == 0 || !Directory.Exists(directory))
            {
                return;
            }
            foreach (string candidate in Directory.EnumerateFiles(directory, ".*" + Suffix))
            {
                if (IsTemporaryOf(Path.GetFileName(candidate), name, out int processId) && IsStale(candidate, processId))
                {
                    File.Delete(candidate);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is <c>.{target}.{pid}.{32 hex digits}.tmp</c>.</summary>
    internal static bool IsTemporaryOf(string fileName, string target, out int processId)
    {
        processId = 0;
        int prefix = target.Length + 2;
        if (fileName.Length <= prefix + RandomDigits + 1 + Suffix.Length || fileName[0] != '.' || fileName[prefix - 1] != '.'
            || !fileName.AsSpan(1, target.Length).SequenceEqual(target) || !fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }
        ReadOnlySpan<char> rest = fileName.AsSpan(prefix, fileName.Length - prefix - Suffix.Length); // {pid}.{hex}
        int dot = rest.Length - RandomDigits - 1;
        if (rest[dot] != '.' || !IsHex(rest[(dot + 1)..]))
        {
            return false;
        }
        ReadOnlySpan<char> digits = rest[..dot];
        return digits.Length is > 0 and <= 10 && !digits.ContainsAnyExceptInRange('0', '9')
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out processId) && processId > 0;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsStale(string temporary, int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return !Writing.ContainsKey(temporary);
        }
        try
        {
            using Process process = Process.GetProcessById(processId);
            return false;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
