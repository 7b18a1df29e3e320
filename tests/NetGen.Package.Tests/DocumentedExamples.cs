using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>The programs the docs show for a user's own project, taken from the page exactly as written: each block marked
/// <c>&lt;!-- package-example: PROJECT/FILE --&gt;</c> on a line above its fence is the file FILE of the example project
/// PROJECT.</summary>
internal static partial class DocumentedExamples
{
    /// <summary>The files of example <paramref name="project"/> on <paramref name="page"/> (relative to docs/), by name.</summary>
    public static Dictionary<string, string> Files(string page, string project)
    {
        string path = Path.Combine(RepositoryProcess.Root, "docs", page);
        string[] lines = File.ReadAllLines(path);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            Match marker = Marker().Match(lines[i]);
            if (!marker.Success || marker.Groups["project"].Value != project)
            {
                continue;
            }
            int fence = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            int end = fence < 0 ? -1 : Array.FindIndex(lines, fence + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            Assert.True(end > fence, $"docs/{page}:{i + 1}: the marker has no closed code block after it.");
            files.Add(marker.Groups["file"].Value, string.Join('\n', lines[(fence + 1)..end]) + "\n");
            i = end;
        }
        Assert.True(files.Count > 0, $"docs/{page} has no block marked <!-- package-example: {project}/FILE -->.");
        return files;
    }

    /// <summary>Writes the files of example <paramref name="project"/> into <paramref name="directory"/>, the NetGen version a
    /// page shows (the released one) replaced by <paramref name="version"/>, and returns their names.</summary>
    public static IReadOnlyCollection<string> WriteTo(string directory, string page, string project, string version)
    {
        Dictionary<string, string> files = Files(page, project);
        foreach ((string name, string text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text.Replace("Include=\"NetGen\" Version=\"0.1.0\"", $"Include=\"NetGen\" Version=\"{version}\"", StringComparison.Ordinal));
        }
        return files.Keys;
    }

    [GeneratedRegex(@"^<!-- package-example: (?<project>[\w-]+)/(?<file>[\w.-]+) -->$")]
    private static partial Regex Marker();
}
