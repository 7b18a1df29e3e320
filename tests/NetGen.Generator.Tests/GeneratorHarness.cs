using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests;

/// <summary>Runs <see cref="NetworkGenerator"/> in-process on source text, against the real NetGen runtime and the
/// framework reference assemblies, the way the compiler runs it in a user's build.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return [.. trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(NetGen.INetwork).Assembly.Location)];
    });

    /// <summary>The framework reference assemblies and the NetGen runtime.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "UserProject",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Network{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Default));

    /// <summary>A driver of <paramref name="generator"/> (the generator as the compiler creates it by default), given
    /// <paramref name="additionalFiles"/> as AdditionalFiles items.</summary>
    public static GeneratorDriver CreateDriver(NetworkGenerator? generator = null, IEnumerable<AdditionalText>? additionalFiles = null)
        => CSharpGeneratorDriver.Create(
            [(generator ?? new NetworkGenerator()).AsSourceGenerator()],
            additionalTexts: additionalFiles,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns its result plus the compilation that includes the generated files.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(params string[] sources)
    {
        CSharpCompilation input = Compile(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>The generator's diagnostics that are not informational.</summary>
    public static IReadOnlyList<Diagnostic> Problems(GeneratorRunResult result)
        => [.. result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info)];

    public static string Format(IEnumerable<Diagnostic> diagnostics)
        => string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}

/// <summary>An AdditionalFiles item as the compiler passes it: a path (the generator reads the bytes from it).</summary>
internal sealed class FileAdditionalText(string path) : AdditionalText
{
    public override string Path => path;

    public override SourceText? GetText(CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("A binary AdditionalFiles item has no text (the compiler reports CS2015).");
}
