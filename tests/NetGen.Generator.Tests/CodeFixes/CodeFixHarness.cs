using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>Applies a code fix as the IDE does: the document in a workspace project that references NetGen, the
/// diagnostics of the generator and the analyzer on it, the fix's one action, its changed document.</summary>
internal static class CodeFixHarness
{
    /// <summary>The text of <paramref name="source"/> after the one fix <paramref name="fix"/> offers for the one
    /// diagnostic <paramref name="id"/>.</summary>
    public static async Task<string> ApplyAsync(CodeFixProvider fix, string source, string id)
    {
        Document document = CreateDocument(source);
        Diagnostic diagnostic = Assert.Single(await DiagnosticsAsync(document), d => d.Id == id);
        IReadOnlyList<CodeAction> actions = await ActionsAsync(fix, document, diagnostic);
        return await ApplyAsync(document, Assert.Single(actions));
    }

    /// <summary>The actions <paramref name="fix"/> offers for the diagnostic <paramref name="id"/> of <paramref name="source"/>.</summary>
    public static async Task<IReadOnlyList<CodeAction>> OffersAsync(CodeFixProvider fix, string source, string id)
    {
        Document document = CreateDocument(source);
        Diagnostic diagnostic = Assert.Single(await DiagnosticsAsync(document), d => d.Id == id);
        return await ActionsAsync(fix, document, diagnostic);
    }

    /// <summary>The text of <paramref name="source"/> after fixing every diagnostic <paramref name="id"/> in the document
    /// at once (the IDE's "Fix all occurrences in document").</summary>
    public static async Task<string> FixAllInDocumentAsync(CodeFixProvider fix, string source, string id)
    {
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> diagnostics = [.. (await DiagnosticsAsync(document)).Where(d => d.Id == id)];
        Assert.True(diagnostics.Length > 1, $"expected several {id}");
        CodeAction first = (await ActionsAsync(fix, document, diagnostics[0]))[0];
        var context = new FixAllContext(document, fix, FixAllScope.Document, first.EquivalenceKey, [id], new Provider(diagnostics), CancellationToken.None);
        CodeAction all = (await fix.GetFixAllProvider()!.GetFixAsync(context))!;
        return await ApplyAsync(document, all);
    }

    /// <summary>What a build reports for <paramref name="source"/>, errors and warnings, generator and analyzer and compiler.</summary>
    public static IReadOnlyList<Diagnostic> Problems(string source)
    {
        (NetGenRun run, Compilation output) = GeneratorHarness.Run(source);
        return [.. run.Diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject("UserProject", LanguageNames.CSharp)
            .WithMetadataReferences(GeneratorHarness.References)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return project.AddDocument("Network0.cs", source);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return [.. driver.GetRunResult().Diagnostics, .. GeneratorHarness.AnalyzerDiagnostics(compilation)];
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider fix, Document document, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, fix.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    private static async Task<string> ApplyAsync(Document document, CodeAction action)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
