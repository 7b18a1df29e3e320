using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Each diagnostic: its ID, severity, the source text it points at, and its message with the numbers.</summary>
public sealed class DiagnosticTests
{
    private static Diagnostic Single(string id, string source)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n" + source);
        Diagnostic[] matching = [.. result.Diagnostics.Where(d => d.Id == id)];
        Assert.True(matching.Length == 1, $"expected one {id}, got: {GeneratorHarness.Format(result.Diagnostics)}");
        return matching[0];
    }

    private static string At(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void NG0001_class_not_partial_points_at_the_class_name_and_generates_nothing()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(4)] [Dense(2)] public class Plain;");
        Diagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Plain", At(d));
        Assert.Equal("Network class 'Plain' must be declared partial so NetGen can add its generated members", Message(d));
        Assert.Equal("docs/diagnostics/NG0001.md", d.Descriptor.HelpLinkUri);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_class_that_is_not_partial_still_gets_its_layer_errors()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(4)] [Dense(0)] public class Plain;");
        Assert.Equal(["NG0001", "NG0003"], result.Diagnostics.Select(d => d.Id).Order());
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void NG0002_missing_input()
    {
        Diagnostic d = Single("NG0002", "[Network] [Dense(2)] public partial class NoInput;");
        Assert.Equal("NoInput", At(d));
        Assert.Contains("no [Input] attribute", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0003_dense_zero_points_at_that_attribute_with_the_value()
    {
        Diagnostic d = Single("NG0003", "[Network] [Input(4)] [Dense(3)]\n[Dense(0)] public partial class Zero;");
        Assert.Equal("Dense(0)", At(d));
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("Dense 'dense2' has units = 0; it must be at least 1", Message(d));
    }

    [Fact]
    public void NG0003_negative_input()
    {
        Diagnostic d = Single("NG0003", "[Network] [Input(-3)] [Dense(2)] public partial class Negative;");
        Assert.Equal("Input(-3)", At(d));
        Assert.Equal("Input 'Negative' has size = -3; it must be at least 1", Message(d));
    }

    [Fact]
    public void NG0004_input_after_a_layer()
    {
        Diagnostic d = Single("NG0004", "[Network] [Input(4)] [Dense(2)] [Input(2)] public partial class Late;");
        Assert.Equal("Input(2)", At(d));
        Assert.Contains("position 3", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0005_layers_on_two_partial_declarations()
    {
        Diagnostic d = Single("NG0005", "[Network] [Input(4)] public partial class Split;\n[Dense(2)] public partial class Split;");
        Assert.Equal("Split", At(d));
        Assert.Contains("2 partial declarations", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0006_input_only()
    {
        Diagnostic d = Single("NG0006", "[Network] [Input(4)] public partial class Lonely;");
        Assert.Contains("no layer after it", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0007_generic_class()
    {
        Diagnostic d = Single("NG0007", "[Network] [Input(4)] [Dense(2)] public partial class Generic<T>;");
        Assert.Equal("Generic", At(d));
        Assert.Contains("is generic", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0008_alpha_on_an_activation_without_one()
    {
        Diagnostic d = Single("NG0008", "[Network] [Input(4)] [Dense(2, Activation.Tanh, Alpha = 0.2f)] public partial class Alpha;");
        Assert.Equal("Dense(2, Activation.Tanh, Alpha = 0.2f)", At(d));
        Assert.Equal("Dense 'dense1': Alpha applies to LeakyReLU and ELU only, not Tanh", Message(d));
    }

    [Fact]
    public void NG0009_softmax_in_a_hidden_layer()
    {
        Diagnostic d = Single("NG0009", "[Network] [Input(4)] [Dense(3, Activation.Softmax)] [Dense(2)] public partial class Hidden;");
        Assert.Equal("Dense(3, Activation.Softmax)", At(d));
    }

    [Fact]
    public void NG0010_step_in_a_trained_network()
    {
        Diagnostic d = Single("NG0010", "[Network(Loss = Loss.SquaredError)] [Input(4)] [Dense(1, Activation.Step)] public partial class Steps;");
        Assert.Equal("Dense(1, Activation.Step)", At(d));
        Assert.Contains("has loss SquaredError", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0011_duplicate_layer_names()
    {
        Diagnostic d = Single("NG0011", "[Network] [Input(4)] [Dense(3, Name = \"fc\")] [Dense(2, Name = \"fc\")] public partial class Twice;");
        Assert.Equal("Dense(2, Name = \"fc\")", At(d));
    }

    [Fact]
    public void NG0012_too_many_parameters()
    {
        Diagnostic d = Single("NG0012", "[Network] [Input(100000)] [Dense(100000)] public partial class Huge;");
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
        Diagnostic d = Single("NG0101", source);
        Assert.StartsWith("Dense(", At(d), System.StringComparison.Ordinal);
        Assert.Contains(reason, Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0201_softmax_before_softmax_cross_entropy_is_a_warning_and_still_generates()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network(Loss = Loss.SoftmaxCrossEntropy)] [Input(4)] [Dense(3, Activation.Softmax)] public partial class Twice;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0201");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Single(result.GeneratedSources);
    }

    [Fact]
    public void NG0301_summarizes_a_valid_network()
    {
        Diagnostic d = Single("NG0301", "[Network] [Input(784)] [Dense(128, Activation.ReLU)] [Dense(10)] public partial class Summary;");
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
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, descriptor.HelpLinkUri)), $"{descriptor.Id} has no page {descriptor.HelpLinkUri}");
            Assert.Contains(descriptor.Id + " |", releases, System.StringComparison.Ordinal);
        }
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
