using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Diagnostics of normalization, dropout, noise and residual layers: ID, place and message.</summary>
public sealed class LayerDiagnosticTests
{
    private static Diagnostic Single(string id, string source)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n" + source);
        Diagnostic[] matching = [.. result.Diagnostics.Where(d => d.Id == id)];
        Assert.True(matching.Length == 1, $"expected one {id}, got: {GeneratorHarness.Format(result.Diagnostics)}");
        return matching[0];
    }

    private static string At(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>The diagnostic a user sees for a skip whose shapes do not match, as a snapshot of ID, place and message.</summary>
    [Fact]
    public void Mismatched_skip_snapshot()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            [Input(32)]
            [Dense(32, Activation.ReLU, Name = "h1")]
            [Dense(64)]
            [Residual("h1", Activation.ReLU)]
            [Dense(10)]
            public partial class Skip;
            """);
        string report = string.Join("\n", result.Diagnostics.OrderBy(d => d.Id, System.StringComparer.Ordinal).Select(d =>
            $"{d.Id} {d.Severity} {d.Location.GetLineSpan().StartLinePosition} '{At(d)}': {Message(d)}")) + "\n";
        Assert.Empty(result.GeneratedSources);
        Assert.Contains("NG0104", report, System.StringComparison.Ordinal);
        Snapshot.Match(report, "MismatchedSkip", ".txt");
    }

    [Fact]
    public void NG0104_images_without_a_stride_that_fits()
    {
        Diagnostic d = Single("NG0104", """
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
        Diagnostic d = Single("NG0104", "[Network] [Input(4, 2, 2)] [Flatten] [Dense(36)] [Residual(\"input\")] public partial class W;");
        Assert.Equal("Residual 'res1' adds the output of 'input' (4×2×2) to its input (36): the shapes differ; set Projection = true to learn a linear map from 4×2×2 to 36", Message(d));
    }

    [Fact]
    public void Projections_make_shapes_fit_and_name_their_tensors()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("""
            using NetGen;
            [Network(Loss = Loss.SquaredError)] [Input(8)] [Dense(16, Activation.Tanh)] [Residual("input", Projection = true, Name = "r")] [Dense(2)]
            public partial class Projected;
            """);
        Assert.Empty(GeneratorHarness.Problems(result));
        string text = result.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("new(\"r.projection.weight\", \"r.projection\", global::NetGen.ParameterKind.Weight", text, System.StringComparison.Ordinal);
        Assert.Contains("[16, 8]", text, System.StringComparison.Ordinal);
        // 8·16 + 16 (dense) + 16·8 + 16 (projection) + 16·2 + 2.
        Assert.Contains("public const int ParameterCount = 322;", text, System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0013_unknown_or_later_layer()
    {
        Diagnostic d = Single("NG0013", """
            [Network] [Input(8)] [Dense(8, Name = "h1")] [Residual("h2")] [Dense(8, Name = "h2")]
            public partial class Later;
            """);
        Assert.Equal("Residual(\"h2\")", At(d));
        Assert.Equal("Residual 'res1' adds the output of 'h2', which is not an earlier layer of network 'Later'; the names it can use are: input, h1", Message(d));
    }

    [Fact]
    public void A_layer_may_not_be_named_input()
    {
        Diagnostic d = Single("NG0011", "[Network] [Input(8)] [Dense(8, Name = \"input\")] public partial class Named;");
        Assert.Contains("'input'", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0105_groups_must_divide_the_channels()
    {
        Diagnostic d = Single("NG0105", "[Network] [Input(6, 8, 8)] [GroupNorm(4, Name = \"gn\")] public partial class Groups;");
        Assert.Equal("GroupNorm(4, Name = \"gn\")", At(d));
        Assert.Equal("GroupNorm 'gn' cannot split 6 channels into 4 equal groups (input 6×8×8); use a number of groups that divides 6", Message(d));
    }

    [Fact]
    public void NG0203_dropout_on_the_output_is_a_warning_and_still_generates()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network(Loss = Loss.SquaredError)] [Input(8)] [Dense(4)] [Dropout(0.5f, Name = \"drop\")] public partial class Noisy;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0203");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Dropout 'drop' is the last layer: in training mode it perturbs the outputs the loss compares with the targets; put it before the output layer", Message(d));
        Assert.Single(result.GeneratedSources);
    }

    [Theory]
    [InlineData("[Dropout(1f)]", "Dropout 'dropout1': rate = 1 must be in [0, 1): it is the probability of dropping a value")]
    [InlineData("[AlphaDropout(-0.1f)]", "AlphaDropout 'dropout1': rate = -0.1 must be in [0, 1): it is the probability of dropping a value")]
    [InlineData("[GaussianNoise(float.PositiveInfinity)]", "GaussianNoise 'noise1': standard deviation = Infinity must be a finite number ≥ 0")]
    [InlineData("[BatchNorm(Epsilon = 0f)]", "BatchNorm 'bn1': Epsilon = 0 must be a finite number > 0")]
    [InlineData("[BatchNorm(Momentum = 1.5f)]", "BatchNorm 'bn1': Momentum = 1.5 must be in [0, 1] (the weight of the newest batch in the running averages)")]
    [InlineData("[LayerNorm(Alpha = 0.1f)]", "LayerNorm 'ln1': Alpha applies to LeakyReLU and ELU only, not Identity")]
    [InlineData("[LocalResponseNorm(0)]", "LocalResponseNorm 'lrn1': size = 0 must be at least 1 channel")]
    [InlineData("[LocalResponseNorm(5, K = 0f)]", "LocalResponseNorm 'lrn1': K = 0 must be a finite number > 0 (it keeps the denominator away from 0)")]
    public void NG0008_impossible_arguments_of_the_new_layers(string layer, string message)
    {
        Diagnostic d = Single("NG0008", $"[Network(Loss = Loss.SquaredError)] [Input(4, 3, 3)] {layer} [Dense(2)] public partial class Bad;");
        Assert.Equal(message, Message(d));
    }

    [Fact]
    public void NG0009_softmax_on_a_normalization_layer()
    {
        Diagnostic d = Single("NG0009", "[Network] [Input(4)] [Dense(4)] [BatchNorm(Activation.Softmax)] public partial class Soft;");
        Assert.Equal("BatchNorm 'bn1' uses Softmax but is not the output layer; softmax couples all units of a layer and is supported only as the last activation", Message(d));
    }
}
