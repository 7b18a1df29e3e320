using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Residual connections in the generator (<c>Layers/Residual</c>): what the family writes, projections, and
/// the diagnostics of skips that do not fit or name no earlier layer.</summary>
public sealed class ResidualTests
{
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("ResidualFamily", "[Input(6)] [Dense(6, Activation.ReLU, Name = \"a\")] [Dense(6, Name = \"b\")] "
            + "[Residual(\"a\", Activation.ReLU, Name = \"skip\")] [Dense(4, Name = \"c\")] [Residual(\"skip\", Projection = true, Name = \"projected\")]");

    /// <summary>The diagnostic a user sees for a skip whose shapes do not match, as a snapshot of ID, place and message.</summary>
    [Fact]
    public void Mismatched_skip_snapshot()
    {
        (NetGenRun result, _) = Run("""
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            [Input(32)]
            [Dense(32, Activation.ReLU, Name = "h1")]
            [Dense(64)]
            [Residual("h1", Activation.ReLU)]
            [Dense(10)]
            public partial class Skip;
            """);
        string report = Report(result);
        Assert.Empty(result.GeneratedSources);
        Assert.Contains("NG0104", report, System.StringComparison.Ordinal);
        Snapshot.Match(report, "MismatchedSkip", ".txt");
    }

    [Fact]
    public void NG0104_images_without_a_stride_that_fits()
    {
        Diagnostic d = SingleDiagnostic("NG0104", """
            [Network] [Input(1, 28, 28)]
            [Conv2D(4, 3, Padding = 1, Name = "c1")]
            [Conv2D(4, 17)]
            [Residual("c1", Projection = true, Name = "r")]
            public partial class Odd;
            """);
        Assert.Equal("Residual(\"c1\", Projection = true, Name = \"r\")", At(d));
        Assert.Equal("Residual 'r' adds the output of 'c1' (4×28×28) to its input (4×12×12): no stride of a 1×1 convolution maps 28×28 onto 12×12", Message(d));
    }

    [Fact]
    public void NG0104_names_both_shapes_after_a_flatten()
    {
        Diagnostic d = SingleDiagnostic("NG0104", "[Network] [Input(4, 2, 2)] [Flatten] [Dense(36)] [Residual(\"input\")] public partial class W;");
        Assert.Equal("Residual 'res1' adds the output of 'input' (4×2×2) to its input (36): the shapes differ; set Projection = true to learn a linear map from 4×2×2 to 36", Message(d));
    }

    [Fact]
    public void Projections_make_shapes_fit_and_name_their_tensors()
    {
        (NetGenRun result, _) = Run("""
            using NetGen;
            [Network(Loss = Loss.SquaredError)] [Input(8)] [Dense(16, Activation.Tanh)] [Residual("input", Projection = true, Name = "r")] [Dense(2)]
            public partial class Projected;
            """);
        Assert.Empty(Problems(result));
        string text = result.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("new(\"r.projection.weight\", \"r.projection\", global::NetGen.ParameterKind.Weight", text, System.StringComparison.Ordinal);
        Assert.Contains("[16, 8]", text, System.StringComparison.Ordinal);
        // 8·16 + 16 (dense) + 16·8 + 16 (projection) + 16·2 + 2.
        Assert.Contains("public const int ParameterCount = 322;", text, System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0013_unknown_or_later_layer()
    {
        Diagnostic d = SingleDiagnostic("NG0013", """
            [Network] [Input(8)] [Dense(8, Name = "h1")] [Residual("h2")] [Dense(8, Name = "h2")]
            public partial class Later;
            """);
        Assert.Equal("Residual(\"h2\")", At(d));
        Assert.Equal("Residual 'res1' adds the output of 'h2', which is not an earlier layer of network 'Later'; the names it can use are: input, h1", Message(d));
    }
}
