using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Generator.Tests.Documentation;

/// <summary>How a documented C# block is compiled, from the <c>&lt;!-- compile: … --&gt;</c> line above it (see
/// CONTRIBUTING.md, "Code in the docs"). A block without that line is a whole file.</summary>
/// <param name="Context">The file of <c>Documentation/Contexts</c> the block is a fragment of, or null for a whole file.</param>
/// <param name="ExpectedDiagnostic">The one diagnostic the block exists to show (diagnostic pages), or null.</param>
/// <param name="AdditionalFiles">Repository paths passed to the compiler as <c>AdditionalFiles</c> items.</param>
internal sealed record CompileMarker(string? Context, string? ExpectedDiagnostic, IReadOnlyList<string> AdditionalFiles)
{
    public static readonly CompileMarker WholeFile = new(null, null, []);
}

/// <summary>One fenced C# block of a Markdown page.</summary>
/// <param name="Page">The page, relative to the repository root, with '/' separators.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
internal sealed record CodeBlock(string Page, int Line, string Code, CompileMarker Marker)
{
    public string Id => $"{Page}:{Line}";
}

/// <summary>Finds the C# blocks of README.md and docs/**/*.md and reads their markers. A malformed or orphaned marker is
/// an error, so no block can drop out of the test by a typo.</summary>
internal static partial class CodeBlocks
{
    private static readonly string[] CSharpLanguages = ["csharp", "cs", "c#"];

    public static string RepositoryRoot { get; } = DiagnosticTests.RepositoryRoot();

    public static IEnumerable<string> Pages()
    {
        yield return "README.md";
        foreach (string path in Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');
        }
    }

    public static IReadOnlyList<CodeBlock> All { get; } = [.. Pages().SelectMany(Read)];

    public static IEnumerable<CodeBlock> Read(string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot, page));
        CompileMarker? pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("<!-- compile:", StringComparison.Ordinal))
            {
                pending = ParseMarker(line, $"{page}:{i + 1}");
                pendingLine = i + 1;
                continue;
            }
            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                if (pending is not null && line.Length > 0)
                {
                    throw new InvalidDataException($"{page}:{pendingLine}: a compile marker must stand right above a ```csharp block.");
                }
                continue;
            }
            string language = line[3..].Trim().Split(' ')[0];
            int start = i;
            int end = i + 1;
            while (end < lines.Length && !lines[end].Trim().StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }
            if (end == lines.Length)
            {
                throw new InvalidDataException($"{page}:{start + 1}: the code block is never closed.");
            }
            bool isCSharp = CSharpLanguages.Contains(language, StringComparer.OrdinalIgnoreCase);
            if (pending is not null && !isCSharp)
            {
                throw new InvalidDataException($"{page}:{pendingLine}: a compile marker stands above a '{language}' block, not a C# one.");
            }
            if (isCSharp)
            {
                yield return new CodeBlock(page, start + 1, string.Join('\n', lines[(start + 1)..end]), pending ?? CompileMarker.WholeFile);
            }
            pending = null;
            i = end;
        }
        if (pending is not null)
        {
            throw new InvalidDataException($"{page}:{pendingLine}: a compile marker with no code block after it.");
        }
    }

    /// <summary><c>&lt;!-- compile: fragment NAME; expect NGxxxx; with PATH --&gt;</c>, clauses in any order.</summary>
    private static CompileMarker ParseMarker(string line, string where)
    {
        Match match = MarkerPattern().Match(line);
        if (!match.Success)
        {
            throw new InvalidDataException($"{where}: a compile marker reads '<!-- compile: CLAUSE; CLAUSE -->'; found '{line}'.");
        }
        string? context = null, expected = null;
        var files = new List<string>();
        foreach (string clause in match.Groups["clauses"].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] words = clause.Split(' ', 2, StringSplitOptions.TrimEntries);
            string argument = words.Length == 2 ? words[1] : "";
            switch (words[0])
            {
                case "fragment" when argument.Length > 0 && File.Exists(ContextPath(argument)):
                    context = argument;
                    break;
                case "fragment":
                    throw new InvalidDataException($"{where}: 'fragment {argument}' names no file {ContextPath(argument)}.");
                case "expect" when DiagnosticId().IsMatch(argument):
                    expected = argument;
                    break;
                case "with" when File.Exists(Path.Combine(RepositoryRoot, argument)):
                    files.Add(argument);
                    break;
                default:
                    throw new InvalidDataException($"{where}: unknown or incomplete clause '{clause}' (expected 'fragment CONTEXT', 'expect NGxxxx' or 'with PATH' naming an existing file).");
            }
        }
        return new CompileMarker(context, expected, files);
    }

    public static string ContextPath(string context)
        => Path.Combine(AppContext.BaseDirectory, "Documentation", "Contexts", context + ".cs");

    [GeneratedRegex(@"^<!-- compile:(?<clauses>.*)-->$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^NG\d{4}$")]
    private static partial Regex DiagnosticId();
}
