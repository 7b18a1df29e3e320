using System;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NetGen.Generator.Tests.Documentation;

/// <summary>Every C# block of README.md and docs/**/*.md compiles against the current NetGen, with the generator running
/// as in a user's build. A whole file must compile with no error and no warning; a fragment is compiled inside the context
/// its marker names; a diagnostic page's example must produce exactly its diagnostic, with the message the page quotes.</summary>
public sealed partial class DocumentationTests
{
    public static TheoryData<string> Blocks => [.. CodeBlocks.All.Select(block => block.Id)];

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_code_block_compiles(string id)
    {
        CodeBlock block = CodeBlocks.All.Single(b => b.Id == id);
        string source = Compose(block);
        CSharpSyntaxTree tree = (CSharpSyntaxTree)CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: block.Page.Replace('/', '_') + ".cs",
            cancellationToken: TestContext.Current.CancellationToken);
        bool isProgram = tree.GetCompilationUnitRoot(TestContext.Current.CancellationToken).Members.OfType<GlobalStatementSyntax>().Any();
        CSharpCompilation compilation = CSharpCompilation.Create("DocumentationExample", [tree], GeneratorHarness.References,
            new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));
        AdditionalText[] additional = [.. block.Marker.AdditionalFiles.Select(f => new FileAdditionalText(Path.Combine(CodeBlocks.RepositoryRoot, f)))];
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalFiles: additional)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, TestContext.Current.CancellationToken);
        Diagnostic[] all = [.. generatorDiagnostics, .. GeneratorHarness.AnalyzerDiagnostics(compilation), .. output.GetDiagnostics(TestContext.Current.CancellationToken)];
        Diagnostic[] problems = [.. all.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != block.Marker.ExpectedDiagnostic)];
        string shown = $"{block.Id}:\n{GeneratorHarness.Format(problems)}\n--- compiled as ---\n{source}";
        Assert.True(problems.Length == 0, shown);

        string? pageDiagnostic = DiagnosticPageId(block.Page);
        Assert.True(pageDiagnostic is null || block.Marker.ExpectedDiagnostic == pageDiagnostic,
            $"{block.Id}: the example of a diagnostic page must be marked '<!-- compile: expect {pageDiagnostic} -->'.");
        if (block.Marker.ExpectedDiagnostic is { } expected)
        {
            Diagnostic[] shownDiagnostics = [.. all.Where(d => d.Id == expected)];
            Assert.True(shownDiagnostics.Length > 0, $"{block.Id}: expected {expected}, got:\n{GeneratorHarness.Format(all)}\n--- compiled as ---\n{source}");
            if (QuotedMessage(block.Page) is { } quoted)
            {
                Assert.Contains(quoted, shownDiagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
            }
        }
    }

    [Fact]
    public void Every_context_is_used_and_declares_no_usings()
    {
        string directory = Path.GetDirectoryName(CodeBlocks.ContextPath("x"))!;
        string[] contexts = [.. Directory.EnumerateFiles(directory, "*.cs").Select(Path.GetFileNameWithoutExtension).OfType<string>()];
        Assert.NotEmpty(contexts);
        foreach (string context in contexts)
        {
            Assert.Contains(CodeBlocks.All, block => block.Marker.Context == context);
            string text = File.ReadAllText(CodeBlocks.ContextPath(context));
            Assert.DoesNotMatch(UsingDirective(), text);
            Assert.Single(Regex.Matches(text, Regex.Escape(Placeholder)));
        }
    }

    [Fact]
    public void The_docs_have_code_blocks_in_every_form()
    {
        // Guards the scan itself: a change to the Markdown reader that found nothing would pass every theory row vacuously.
        Assert.Contains(CodeBlocks.All, b => b.Marker == CompileMarker.WholeFile);
        Assert.Contains(CodeBlocks.All, b => b.Marker.Context is not null);
        Assert.Contains(CodeBlocks.All, b => b.Marker.ExpectedDiagnostic is not null);
        Assert.Contains(CodeBlocks.All, b => b.Page == "README.md");
    }

    private const string Placeholder = "/* fragment */";

    /// <summary>A whole file as written; a fragment inside its context, its own using directives moved to the top.</summary>
    private static string Compose(CodeBlock block)
    {
        if (block.Marker.Context is null)
        {
            return block.Code;
        }
        string[] lines = block.Code.Split('\n');
        int usings = lines.TakeWhile(line => UsingDirective().IsMatch(line) || line.Trim().Length == 0).Count();
        string context = File.ReadAllText(CodeBlocks.ContextPath(block.Marker.Context));
        return string.Join('\n', lines[..usings]) + "\n" + context.Replace(Placeholder, string.Join('\n', lines[usings..]), StringComparison.Ordinal);
    }

    private static string? DiagnosticPageId(string page)
    {
        Match match = DiagnosticPage().Match(page);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The message a diagnostic page quotes under its "## Message" heading.</summary>
    private static string? QuotedMessage(string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(CodeBlocks.RepositoryRoot, page));
        int heading = Array.IndexOf(lines, "## Message");
        return heading < 0 ? null : lines.Skip(heading + 1).FirstOrDefault(l => l.StartsWith("> ", StringComparison.Ordinal))?[2..];
    }

    [GeneratedRegex(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.]+)?\s*;\s*$", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^docs/diagnostics/(?<id>NG\d{4})\.md$")]
    private static partial Regex DiagnosticPage();
}
