using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Convolutions in the generator (<c>Layers/Convolution</c>): what the family writes, the output sizes of
/// Klambauer App. E (floor everywhere) as the generated constants, and the diagnostics of impossible or lossy
/// configurations.</summary>
public sealed class ConvolutionTests
{
    /// <summary>A direct convolution (stride 1) and an im2col one (stride 2).</summary>
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("ConvolutionFamily",
            "[Input(2, 7, 7)] [Conv2D(3, 3, Activation.ReLU, Padding = 1, Name = \"same\")] [Conv2D(2, 3, Stride = 2, Name = \"strided\")]");

    [Theory]
    [InlineData(4, "3", 2)]
    [InlineData(5, "4, Padding = 2", 6)]
    [InlineData(5, "3, Padding = 1", 5)]
    [InlineData(5, "3, Padding = 2", 7)]
    [InlineData(5, "3, Stride = 2", 2)]
    [InlineData(5, "3, Stride = 2, Padding = 1", 3)]
    [InlineData(6, "3, Stride = 2, Padding = 1", 3)]
    [InlineData(7, "3, Dilation = 2", 3)]
    [InlineData(5, "3, PaddingMode = Padding.Same", 5)]
    [InlineData(5, "3, PaddingMode = Padding.Full", 7)]
    [InlineData(5, "3, PaddingMode = Padding.Valid", 3)]
    public void Output_size_matches_appendix_E(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [Conv2D(1, {arguments})]"));

    [Fact]
    public void Lenet_parameter_count_comes_out_of_the_generated_constant()
    {
        string text = Generate("[Input(1, 32, 32)] [Conv2D(6, 5, Activation.Tanh)] [AvgPool2D(2)] [Conv2D(16, 5, Activation.Tanh)] [AvgPool2D(2)] [Conv2D(120, 5, Activation.Tanh)] [Dense(84, Activation.Tanh)] [Dense(10)]");
        Assert.Contains("public const int ParameterCount = 61706;", text, System.StringComparison.Ordinal);
    }

    /// <summary>The diagnostic a user sees for a kernel larger than its input, as a snapshot of ID, place and message.</summary>
    [Fact]
    public void Kernel_larger_than_its_input_snapshot()
    {
        (NetGenRun result, _) = Run("""
            using NetGen;

            [Network]
            [Input(1, 5, 5)]
            [Conv2D(4, 3, Name = "c1")]
            [Conv2D(8, 7, Name = "c2")]
            public partial class TooSmall;
            """);
        string report = Report(result);
        Assert.Empty(result.GeneratedSources);
        Assert.Contains("NG0103", report, System.StringComparison.Ordinal);
        Snapshot.Match(report, "KernelLargerThanInput", ".txt");
    }

    [Fact]
    public void A_stride_that_skips_input_rows_is_a_warning_with_the_formula()
    {
        (NetGenRun result, _) = Run("using NetGen;\n[Network] [Input(1, 6, 6)] [Conv2D(4, 3, Stride = 2)] public partial class Strided;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0202");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Conv2D 'conv1' never reads the last 1 row and column of its padded input: ⌊(6 + 2·0 − 3)/2⌋ + 1 = 2 leaves a remainder; change the padding or stride if that data matters",
            Message(d));
        Assert.Single(result.GeneratedSources);
    }

    /// <summary>A deliberate remainder, declared with <c>DropRemainder = true</c>, is quiet; the layer computes the same.</summary>
    [Theory]
    [InlineData("[Conv2D(4, 3, Stride = 2{0})]")]
    [InlineData("[MaxPool2D(4, Stride = 3{0})]")]
    [InlineData("[AvgPool2D(3, Stride = 2, Padding = 1{0})]")]
    public void A_declared_remainder_is_no_warning_and_changes_nothing(string layer)
    {
        string Source(string option) => "using NetGen;\n[Network] [Input(1, 6, 6)] " + string.Format(System.Globalization.CultureInfo.InvariantCulture, layer, option) + " public partial class Strided;";
        (NetGenRun plain, _) = Run(Source(""));
        (NetGenRun declared, _) = Run(Source(", DropRemainder = true"));

        Assert.Contains(plain.Diagnostics, x => x.Id == "NG0202");
        Assert.DoesNotContain(declared.Diagnostics, x => x.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal(plain.GeneratedSources.Single().SourceText.ToString(), declared.GeneratedSources.Single().SourceText.ToString());
    }

    [Theory]
    [InlineData("[Input(64)] [Conv2D(8, 3)]", "NG0102")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 3, Stride = 0)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 4, PaddingMode = Padding.Same)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 3, Padding = 1, PaddingMode = Padding.Valid)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(0, 3)]", "NG0003")]
    [InlineData("[Input(0, 8, 8)] [Conv2D(2, 3)]", "NG0003")]
    public void Impossible_configurations_are_errors_at_the_attribute(string layers, string id)
        => LayerAssert.ErrorOnSecondLine(layers, id);
}
