using System;
using System.IO;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Snapshot testing with Verify's conventions: the accepted text lives in <c>Snapshots/{name}.verified.cs</c> beside the
/// tests; on a mismatch the new text is written to <c>{name}.received.cs</c> and the test fails with the first differing
/// line. Set <c>NETGEN_ACCEPT_SNAPSHOTS=1</c> to accept received text as verified.
/// </summary>
internal static class Snapshot
{
    public static void Match(string actual, string name, string extension = ".cs")
    {
        // Found from the repository root, not [CallerFilePath]: CI builds map source paths to "/_/".
        string directory = Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "NetGen.Generator.Tests", "Snapshots");
        string verified = Path.Combine(directory, name + ".verified" + extension);
        string received = Path.Combine(directory, name + ".received" + extension);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        bool accept = Environment.GetEnvironmentVariable("NETGEN_ACCEPT_SNAPSHOTS") == "1";
        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        if (accept)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; the generated text is in {received}. Review it and rerun with NETGEN_ACCEPT_SNAPSHOTS=1."
            : $"Snapshot {name} differs at {FirstDifference(expected, actual)}; see {received}. Rerun with NETGEN_ACCEPT_SNAPSHOTS=1 to accept.");
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end>", right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}:\n  verified: {left}\n  received: {right}";
            }
        }
        return "line endings";
    }
}
