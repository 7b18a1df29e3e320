using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of a network as a whole (its class, its declarations, its loss and activations): ID, severity,
/// the source text each points at, and its message with the numbers. Each layer family's own are in its tests under
/// <c>Layers/</c>.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void NG0001_class_not_partial_points_at_the_class_name_and_generates_nothing()
    {
        (NetGenRun result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(4)] [Dense(2)] public class Plain;");
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Plain", At(d));
        Assert.Equal("Network class 'Plain' must be declared partial so NetGen can add its generated members", Message(d));
        Assert.Equal(NetGen.Generator.Diagnostics.HelpLinks.Page("NG0001"), d.Descriptor.HelpLinkUri);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_class_that_is_not_partial_still_gets_its_layer_errors()
    {
        (NetGenRun result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(4)] [Dense(0)] public class Plain;");
        Assert.Equal(["NG0001", "NG0003"], result.Diagnostics.Select(d => d.Id).Order());
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void NG0005_layers_on_two_partial_declarations()
    {
        Diagnostic d = SingleDiagnostic("NG0005", "[Network] [Input(4)] public partial class Split;\n[Dense(2)] public partial class Split;");
        Assert.Equal("Split", At(d));
        Assert.Contains("2 partial declarations", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0007_generic_class()
    {
        Diagnostic d = SingleDiagnostic("NG0007", "[Network] [Input(4)] [Dense(2)] public partial class Generic<T>;");
        Assert.Equal("Generic", At(d));
        Assert.Contains("is generic", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0009_softmax_in_a_hidden_layer()
    {
        Diagnostic d = SingleDiagnostic("NG0009", "[Network] [Input(4)] [Dense(3, Activation.Softmax)] [Dense(2)] public partial class Hidden;");
        Assert.Equal("Dense(3, Activation.Softmax)", At(d));
    }

    [Fact]
    public void NG0010_step_in_a_trained_network()
    {
        Diagnostic d = SingleDiagnostic("NG0010", "[Network(Loss = Loss.SquaredError)] [Input(4)] [Dense(1, Activation.Step)] public partial class Steps;");
        Assert.Equal("Dense(1, Activation.Step)", At(d));
        Assert.Contains("has loss SquaredError", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0011_duplicate_layer_names()
    {
        Diagnostic d = SingleDiagnostic("NG0011", "[Network] [Input(4)] [Dense(3, Name = \"fc\")] [Dense(2, Name = \"fc\")] public partial class Twice;");
        Assert.Equal("Dense(2, Name = \"fc\")", At(d));
    }

    [Fact]
    public void NG0012_too_many_parameters()
    {
        Diagnostic d = SingleDiagnostic("NG0012", "[Network] [Input(100000)] [Dense(100000)] public partial class Huge;");
        Assert.Contains("10,000,100,000", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0099_an_exception_inside_the_generator_becomes_a_diagnostic()
    {
        var faulty = new NetworkGenerator(_ => throw new System.InvalidOperationException("injected"));
        CSharpCompilation input = GeneratorHarness.Compile("using NetGen;\n[Network] [Input(4)] [Dense(2)] public partial class Faulty;");
        GeneratorDriver driver = GeneratorHarness.CreateDriver(faulty).RunGenerators(input, TestContext.Current.CancellationToken);
        Diagnostic d = Assert.Single(driver.GetRunResult().Results.Single().Diagnostics, x => x.Id == "NG0099");
        Assert.Equal("Faulty", At(d));
        Assert.Contains("InvalidOperationException: injected", Message(d), System.StringComparison.Ordinal);
        Assert.Contains("report this as a bug", Message(d), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(Loss = Loss.CrossEntropy)] [Input(4)] [Dense(1, Activation.Softmax)] public partial class OneClass;", "cross-entropy over 1 class")]
    [InlineData("[Network(Loss = Loss.SoftmaxCrossEntropy)] [Input(4)] [Dense(1)] public partial class OneLogit;", "cross-entropy over 1 class")]
    [InlineData("[Network(Loss = Loss.BinaryCrossEntropy)] [Input(4)] [Dense(3, Activation.Softmax)] public partial class BceSoftmax;", "fused with a Sigmoid output")]
    [InlineData("[Network(Loss = Loss.CrossEntropy)] [Input(4)] [Dense(3)] public partial class CeLinear;", "fused with a Softmax output")]
    [InlineData("[Network(Loss = Loss.Hinge)] [Input(4)] [Dense(3, Activation.Sigmoid)] public partial class HingeSigmoid;", "can be negative")]
    public void NG0101_loss_does_not_fit_the_output(string source, string reason)
    {
        Diagnostic d = SingleDiagnostic("NG0101", source);
        Assert.StartsWith("Dense(", At(d), System.StringComparison.Ordinal);
        Assert.Contains(reason, Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0201_softmax_before_softmax_cross_entropy_is_a_warning_and_still_generates()
    {
        (NetGenRun result, _) = GeneratorHarness.Run("using NetGen;\n[Network(Loss = Loss.SoftmaxCrossEntropy)] [Input(4)] [Dense(3, Activation.Softmax)] public partial class Twice;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0201");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Single(result.GeneratedSources);
    }

    [Fact]
    public void NG0301_summarizes_a_valid_network()
    {
        Diagnostic d = SingleDiagnostic("NG0301", "[Network] [Input(784)] [Dense(128, Activation.ReLU)] [Dense(10)] public partial class Summary;");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal("Network 'Summary': 784 → 10, 101,770 parameters, 203,402 FLOPs per sample forward", Message(d));
    }

    [Fact]
    public void Every_descriptor_has_a_docs_page_and_a_release_line()
    {
        string root = RepositoryRoot();
        string releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "generator/NetGen.Generator/Diagnostics/AnalyzerReleases.Unshipped.md"));
        var descriptors = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.NotEmpty(descriptors);
        string? repositoryUrl = NetGen.Generator.Diagnostics.HelpLinks.RepositoryUrl;
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            string page = $"docs/diagnostics/{descriptor.Id}.md";
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, page)), $"{descriptor.Id} has no page {page}");
            Assert.Equal(NetGen.Generator.Diagnostics.HelpLinks.Page(descriptor.Id), descriptor.HelpLinkUri);
            Assert.EndsWith(page, descriptor.HelpLinkUri, System.StringComparison.Ordinal);
            // With the repository's address the link is absolute, on that site; without one it is the page's path.
            Assert.Equal(repositoryUrl is not null, System.Uri.TryCreate(descriptor.HelpLinkUri, System.UriKind.Absolute, out _));
            Assert.Contains(descriptor.Id + " |", releases, System.StringComparison.Ordinal);
        }
    }

    /// <summary>The help links' base is RepositoryUrl of Directory.Build.props, stamped on the generator by the build.</summary>
    [Fact]
    public void The_help_links_take_the_repository_address_of_Directory_Build_props()
    {
        var props = System.Xml.Linq.XDocument.Load(System.IO.Path.Combine(RepositoryRoot(), "Directory.Build.props"));
        string? written = props.Descendants("RepositoryUrl").Single().Value.Trim();
        Assert.Equal(written.Length == 0 ? null : written, NetGen.Generator.Diagnostics.HelpLinks.RepositoryUrl);
    }

    [Theory]
    [InlineData("https://example.org/netgen", "https://example.org/netgen/blob/main/docs/diagnostics/NG0101.md")]
    [InlineData("https://example.org/netgen.git/", "https://example.org/netgen/blob/main/docs/diagnostics/NG0101.md")]
    [InlineData(null, "docs/diagnostics/NG0101.md")]
    [InlineData(" ", "docs/diagnostics/NG0101.md")]
    public void A_help_link_is_the_page_on_the_repository_site_or_its_path(string? repositoryUrl, string expected)
        => Assert.Equal(expected, NetGen.Generator.Diagnostics.HelpLinks.Page(repositoryUrl, "NG0101"));

    /// <summary>With the pages' folder the package's build targets pass (NetGenDiagnosticPages), every diagnostic the
    /// generator or the analyzer reports links to its page there, as a file:// address that exists; without it, to the
    /// page's path.</summary>
    [Fact]
    public async System.Threading.Tasks.Task Reported_diagnostics_link_to_their_page_in_the_folder_the_build_passes()
    {
        string pages = System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        const string source = """
            using NetGen;
            [Network] [Input(1, 4, 4)] [Conv2D(2, 7)] public partial class TooSmall;
            [Network] [Input(4)] [Dense(2)] public class NotPartial;
            [Network] [Input(784)] [Dense(10)] public partial class Fine;
            """;
        Compilation compilation = GeneratorHarness.Compile(source);
        foreach ((string? folder, AnalyzerConfigOptionsProvider? options) in new[] { (pages, new PagesOptions(pages)), ((string?)null, (AnalyzerConfigOptionsProvider?)null) })
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions, optionsProvider: options)
                .RunGenerators(compilation);
            Diagnostic[] reported = [
                .. driver.GetRunResult().Diagnostics,
                .. await compilation.WithAnalyzers([new Analyzers.NetworkDeclarationAnalyzer()], new AnalyzerOptions([], options ?? new PagesOptions(null)))
                    .GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken)];
            Assert.Equal(["NG0001", "NG0103", "NG0301"], reported.Select(d => d.Id).Distinct().Order(System.StringComparer.Ordinal));
            foreach (Diagnostic diagnostic in reported)
            {
                string link = diagnostic.Descriptor.HelpLinkUri;
                if (folder is null)
                {
                    Assert.Equal(NetGen.Generator.Diagnostics.HelpLinks.Page(diagnostic.Id), link);
                    continue;
                }
                var address = new System.Uri(link);
                Assert.True(address.IsFile, link);
                Assert.Equal(System.IO.Path.Combine(pages, diagnostic.Id + ".md"), address.LocalPath);
                Assert.True(System.IO.File.Exists(address.LocalPath), link);
            }
        }
    }

    [Theory]
    [InlineData("/opt/packages/netgen/1.0.0/docs/diagnostics", "file:///opt/packages/netgen/1.0.0/docs/diagnostics/NG0101.md")]
    [InlineData("/opt/packages/netgen/1.0.0/docs/diagnostics/", "file:///opt/packages/netgen/1.0.0/docs/diagnostics/NG0101.md")]
    [InlineData("docs/diagnostics", "docs/diagnostics/NG0101.md")]
    [InlineData(null, "docs/diagnostics/NG0101.md")]
    public void A_help_link_is_the_page_in_an_absolute_pages_folder_or_else_its_path(string? folder, string expected)
    {
        // With the repository's address set, every link is the page there.
        string link = NetGen.Generator.Diagnostics.HelpLinks.RepositoryUrl is null ? expected : NetGen.Generator.Diagnostics.HelpLinks.Page("NG0101");
        Assert.Equal(link, NetGen.Generator.Diagnostics.HelpLinks.Link("NG0101", folder));
    }

    private sealed class PagesOptions(string? folder) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(folder);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(null);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(null);

        private sealed class Options(string? folder) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            {
                value = key == NetGen.Generator.Diagnostics.HelpLinks.PagesProperty ? folder : null;
                return value is not null;
            }
        }
    }

    /// <summary>docs/diagnostics/README.md lists every diagnostic with its severity and whether the analyzer or the
    /// generator reports it.</summary>
    [Fact]
    public void The_diagnostics_index_lists_every_descriptor_and_its_reporter()
    {
        string index = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics", "README.md"));
        var descriptors = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            string reporter = Analyzers.NetworkDeclarationAnalyzer.Reports(descriptor) ? "analyzer" : "generator";
            Assert.Contains($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} | {reporter} |", index, System.StringComparison.Ordinal);
        }
        Assert.Equal(descriptors.Count, index.Split('\n').Count(line => line.StartsWith("| [NG", System.StringComparison.Ordinal)));
    }

    internal static string RepositoryRoot()
    {
        string? directory = System.AppContext.BaseDirectory;
        while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory, "NetGen.sln")))
        {
            directory = System.IO.Path.GetDirectoryName(directory);
        }
        return directory ?? throw new System.InvalidOperationException("NetGen.sln not found above " + System.AppContext.BaseDirectory);
    }
}
