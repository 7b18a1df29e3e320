using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Analyzers;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The declaration checks run as an analyzer, on their own, and the generator leaves them to it: each problem is
/// reported once.</summary>
public sealed class NetworkDeclarationAnalyzerTests
{
    /// <summary>One declaration error each, with the ID the analyzer must report.</summary>
    public static TheoryData<string, string> DeclarationErrors => new()
    {
        { "NG0001", "[Network] [Input(4)] [Dense(2)] public class Net;" },
        { "NG0002", "[Network] [Dense(2)] public partial class Net;" },
        { "NG0003", "[Network] [Input(4)] [Dense(0)] public partial class Net;" },
        { "NG0004", "[Network] [Dense(2)] [Input(4)] [Dense(2)] public partial class Net;" },
        { "NG0006", "[Network] [Input(4)] public partial class Net;" },
        { "NG0007", "[Network] [Input(4)] [Dense(2)] public static partial class Net;" },
        { "NG0008", "[Network] [Input(4)] [Dense(2, Name = \"a b\")] public partial class Net;" },
        { "NG0009", "[Network] [Input(4)] [Dense(3, Activation.Softmax)] [Dense(2)] public partial class Net;" },
        { "NG0010", "[Network(Loss = Loss.SquaredError)] [Input(4)] [Dense(2, Activation.Step)] public partial class Net;" },
        { "NG0011", "[Network] [Input(4)] [Dense(3, Name = \"a\")] [Dense(2, Name = \"a\")] public partial class Net;" },
        { "NG0013", "[Network] [Input(4)] [Dense(4)] [Residual(\"nowhere\")] public partial class Net;" },
    };

    [Fact]
    public void A_missing_partial_is_reported_with_the_generator_switched_off()
    {
        ImmutableArray<Diagnostic> diagnostics = GeneratorHarness.AnalyzerDiagnostics(
            GeneratorHarness.Compile("using NetGen;\n[Network] [Input(4)] [Dense(2)] public class Plain;"));

        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("NG0001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Plain", GeneratorHarness.At(d));
    }

    [Theory]
    [MemberData(nameof(DeclarationErrors))]
    public void Each_declaration_error_is_the_analyzers_alone_and_stops_generation(string id, string network)
    {
        (NetGenRun run, _) = GeneratorHarness.Run("using NetGen;\n" + network);

        Assert.Contains(GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.Compile("using NetGen;\n" + network)), d => d.Id == id);
        Assert.DoesNotContain(run.Generator.Diagnostics, d => NetworkDeclarationAnalyzer.Reports(d.Descriptor));
        Assert.Single(run.Diagnostics, d => d.Id == id);
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Shape_errors_give_the_analyzer_nothing_to_say_and_valid_networks_only_their_summary()
    {
        string source = """
            using NetGen;
            [Network] [Input(1, 4, 4)] [Conv2D(2, 7)] public partial class TooSmall;
            [Network] [Input(784)] [Dense(128, Activation.ReLU)] [Dense(10)] public partial class Fine;
            public partial class NotANetwork;
            """;

        Diagnostic summary = Assert.Single(GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.Compile(source)));
        Assert.Equal(("NG0301", DiagnosticSeverity.Info), (summary.Id, summary.Severity));
        Assert.Contains("'Fine'", summary.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        (NetGenRun run, _) = GeneratorHarness.Run(source);
        Assert.Contains(run.Diagnostics, d => d.Id == "NG0103");
        Assert.Single(run.Diagnostics, d => d.Id == "NG0301");
    }
}
