using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
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
            MetadataReference.CreateFromFile(typeof(NetGen.INetwork).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(NetGen.Distributed.Communicators).Assembly.Location)];
    });

    /// <summary>The framework reference assemblies, the NetGen runtime and NetGen.Distributed.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "UserProject",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Network{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Default));

    /// <summary>A driver of <paramref name="generator"/> (the generator as the compiler creates it by default), given
    /// <paramref name="additionalFiles"/> as AdditionalFiles items with the metadata NetGen's build targets give them
    /// (none when <paramref name="withBuildTargets"/> is false).</summary>
    public static GeneratorDriver CreateDriver(NetworkGenerator? generator = null, IEnumerable<AdditionalText>? additionalFiles = null, bool withBuildTargets = true)
        => CSharpGeneratorDriver.Create(
            [(generator ?? new NetworkGenerator()).AsSourceGenerator()],
            additionalTexts: additionalFiles,
            parseOptions: ParseOptions,
            optionsProvider: withBuildTargets ? BuildTargetsOptions.Instance : null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and NetGen's analyzers as a user's build does, and returns what they report plus the
    /// compilation that includes the generated files.</summary>
    public static (NetGenRun Result, Compilation Output) Run(params string[] sources)
    {
        CSharpCompilation input = Compile(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        GeneratorRunResult generator = driver.GetRunResult().Results.Single();
        return (new NetGenRun(generator, [.. generator.Diagnostics, .. AnalyzerDiagnostics(input)]), output);
    }

    /// <summary>What NetGen's analyzers report on <paramref name="compilation"/> (no generator runs).</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation)
        => compilation.WithAnalyzers([new Analyzers.NetworkDeclarationAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The diagnostics that are not informational.</summary>
    public static IReadOnlyList<Diagnostic> Problems(NetGenRun result)
        => [.. result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info)];

    public static string Format(IEnumerable<Diagnostic> diagnostics)
        => string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));

    /// <summary>The one diagnostic <paramref name="id"/> of <paramref name="source"/> (which gets <c>using NetGen;</c>).</summary>
    public static Diagnostic SingleDiagnostic(string id, string source)
    {
        (NetGenRun result, _) = Run("using NetGen;\n" + source);
        Diagnostic[] matching = [.. result.Diagnostics.Where(d => d.Id == id)];
        Xunit.Assert.True(matching.Length == 1, $"expected one {id}, got: {Format(result.Diagnostics)}");
        return matching[0];
    }

    /// <summary>The source text a diagnostic points at.</summary>
    public static string At(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    public static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>What a user sees of each diagnostic, one line each by ID: ID, severity, position, the text it points at and
    /// the message (the text of a diagnostic snapshot).</summary>
    public static string Report(NetGenRun result)
        => string.Join("\n", result.Diagnostics.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d =>
            $"{d.Id} {d.Severity} {d.Location.GetLineSpan().StartLinePosition} '{At(d)}': {Message(d)}")) + "\n";

    /// <summary>The generated file of a class <c>Net</c> with <paramref name="network"/>'s attribute and
    /// <paramref name="layers"/>, which must have no error.</summary>
    public static string Generate(string network, string layers)
    {
        (NetGenRun result, _) = Run($"using NetGen;\n{network}\n{layers}\npublic partial class Net;");
        Xunit.Assert.True(!result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), Format(result.Diagnostics));
        return result.GeneratedSources.Single().SourceText.ToString();
    }

    /// <summary>The generated file of an untrained network of <paramref name="layers"/>.</summary>
    public static string Generate(string layers) => Generate("[Network]", layers);

    /// <summary>The generated file of a network of <paramref name="layers"/> trained on the squared error.</summary>
    public static string GenerateTrainable(string layers) => Generate("[Network(Loss = Loss.SquaredError)]", layers);

    /// <summary>The generated <c>OutputSize</c> constant of a network of <paramref name="layers"/>.</summary>
    public static int OutputSize(string layers)
    {
        string text = Generate(layers);
        const string marker = "public const int OutputSize = ";
        int start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return int.Parse(text[start..text.IndexOf(';', start)], CultureInfo.InvariantCulture);
    }
}

/// <summary>One run of the generator and NetGen's analyzers: the generator's result and every diagnostic of both, as a
/// user's build reports them.</summary>
internal sealed record NetGenRun(GeneratorRunResult Generator, ImmutableArray<Diagnostic> Diagnostics)
{
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Generator.GeneratedSources;

    public ImmutableDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> TrackedSteps => Generator.TrackedSteps;
}

/// <summary>An AdditionalFiles item as the compiler passes it: a path (the generator reads the bytes from it).</summary>
internal sealed class FileAdditionalText(string path) : AdditionalText
{
    public override string Path => path;

    public override SourceText? GetText(CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("A binary AdditionalFiles item has no text (the compiler reports CS2015).");
}

/// <summary>The item metadata runtime/NetGen/build/NetGen.targets gives AdditionalFiles items, as the compiler passes it to
/// the generator: a .safetensors item is embedded as the resource <c>NetGen.Weights/{file name}</c>.</summary>
internal sealed class BuildTargetsOptions : AnalyzerConfigOptionsProvider
{
    public static readonly BuildTargetsOptions Instance = new();

    public override AnalyzerConfigOptions GlobalOptions => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => textFile.Path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? new Options(Weights.WeightsPipeline.ResourceMetadata, ResourceName(textFile.Path))
            : Options.Empty;

    /// <summary>The resource the build targets embed the weights file at <paramref name="path"/> as.</summary>
    public static string ResourceName(string path) => "NetGen.Weights/" + Path.GetFileName(path);

    private sealed class Options(string? key = null, string? value = null) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new();

        public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? result)
        {
            result = name == key ? value : null;
            return result is not null;
        }
    }
}
