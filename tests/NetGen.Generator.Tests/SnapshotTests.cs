using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

public sealed class SnapshotTests
{
    internal const string ReadmeExample = """
        using NetGen;

        namespace Fashion;

        [Network(Loss = Loss.SoftmaxCrossEntropy)]
        [Input(784)]
        [Dense(128, Activation.ReLU)]
        [Dense(10)]
        public partial class FashionMlp;
        """;

    private const string Perceptron = """
        using NetGen;

        /// <summary>NAND as a perceptron: inference only, no namespace.</summary>
        [Network]
        [Input(2)]
        [Dense(1, Activation.Step, Init = Init.Zeros, Name = "unit")]
        internal partial class Nand;
        """;

    private const string Xor = """
        using NetGen;

        namespace Logic.Gates;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(4, Activation.LeakyReLU, Alpha = 0.2f, Init = Init.Uniform, InitScale = 0.5f, BiasInit = 0.01f)]
        [Dense(1, Activation.Sigmoid, Bias = false)]
        public sealed partial class XorNet
        {
            public override string ToString() => "XOR";
        }
        """;

    private const string LeNet = """
        using NetGen;

        namespace Vision;

        [Network(Loss = Loss.SoftmaxCrossEntropy)]
        [Input(1, 28, 28)]
        [Conv2D(6, 5, Activation.ReLU, Padding = 2, Name = "c1")]
        [MaxPool2D(2)]
        [Conv2D(16, 5, Activation.ReLU, Name = "c2")]
        [AvgPool2D(2)]
        [Flatten]
        [Dense(120, Activation.ReLU, Name = "f1")]
        [Dense(10, Name = "f3")]
        public partial class LeNet;
        """;

    private const string Decoder = """
        using NetGen;

        namespace Vision;

        [Network(Loss = Loss.SquaredError)]
        [Input(4, 3, 3)]
        [ConvTranspose2D(2, 3, Activation.Sigmoid, Stride = 2, Padding = 1, OutputPadding = 1)]
        [GlobalAvgPool2D]
        public partial class Decoder;
        """;

    /// <summary>Normalization, dropout, weight norm and both kinds of residual in one network.</summary>
    private const string ResidualNet = """
        using NetGen;

        namespace Vision;

        [Network(Loss = Loss.SoftmaxCrossEntropy)]
        [Input(2, 9, 9)]
        [Conv2D(4, 3, Padding = 1, Bias = false, Name = "stem")]
        [BatchNorm(Activation.ReLU, Name = "bn1")]
        [Conv2D(4, 3, Padding = 1, WeightNorm = true)]
        [GroupNorm(2)]
        [Residual("bn1", Activation.ReLU, Name = "block1")]
        [Conv2D(8, 3, Activation.ReLU, Padding = 1, Stride = 2)]
        [LocalResponseNorm(3)]
        [Residual("block1", Projection = true, Name = "block2")]
        [Flatten]
        [LayerNorm]
        [Dropout(0.3f)]
        [Dense(16, Activation.SELU, Name = "fc1")]
        [AlphaDropout(0.1f)]
        [GaussianNoise(0.05f)]
        [Residual("fc1")]
        [Dense(10, Name = "out")]
        public partial class ResidualNet;
        """;

    /// <summary>Every network of this class: the three with a snapshot and three more variants of the network shell (no
    /// namespace and inference only, a sealed class with members, a transposed convolution).</summary>
    public static TheoryData<string> Sources => [ResidualNet, LeNet, Decoder, ReadmeExample, Perceptron, Xor];

    /// <summary>Three whole files: the README's network, LeNet-5 and a network of most families. Each family's own part
    /// is in the smaller snapshot of its tests under <c>Layers/</c> (<see cref="Layers.FamilySnapshot"/>).</summary>
    [Theory]
    [InlineData(ResidualNet, "Vision.ResidualNet")]
    [InlineData(LeNet, "Vision.LeNet")]
    [InlineData(ReadmeExample, "Fashion.FashionMlp")]
    public void Generated_file_matches_its_snapshot(string source, string name)
    {
        (NetGenRun result, _) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.Problems(result));
        GeneratedSourceResult file = Assert.Single(result.GeneratedSources);
        Assert.Equal(name + ".g.cs", file.HintName);
        Snapshot.Match(file.SourceText.ToString(), name);
    }

    /// <summary>Users read the generated file in the IDE: no line is wider than 160 characters, and no loop over literal
    /// bounds runs only once.</summary>
    [Theory]
    [MemberData(nameof(Sources))]
    public void Generated_code_fits_in_160_columns_and_has_no_loop_that_runs_once(string source)
    {
        (NetGenRun result, _) = GeneratorHarness.Run(source);
        string text = Assert.Single(result.GeneratedSources).SourceText.ToString();
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 160, $"{line.Length} characters: {line}"));
        var literalLoops = System.Text.RegularExpressions.Regex.Matches(text, @"for \(int (\w+) = (\d+); \1 < (\d+); \1 \+= (\d+)\)");
        Assert.All(literalLoops, loop => Assert.True(
            int.Parse(loop.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) - int.Parse(loop.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
                > int.Parse(loop.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture),
            loop.Value));
    }

    /// <summary>The user's project may have every warning on and documentation required: the generated file must add
    /// nothing to its build output.</summary>
    [Theory]
    [MemberData(nameof(Sources))]
    public void Generated_file_compiles_warning_free_with_all_warnings_and_documentation_on(string source)
    {
        CSharpCompilation input = GeneratorHarness.Compile(source)
            .WithOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        input = input.RemoveAllSyntaxTrees().AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, parse, path: "Network0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics.Where(d => d.Severity > DiagnosticSeverity.Info));
        var problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(problems.Count == 0, GeneratorHarness.Format(problems));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Readme_example_has_vector512_vector256_and_scalar_paths()
    {
        (NetGenRun result, _) = GeneratorHarness.Run(ReadmeExample);
        string text = result.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("if (Vector512.IsHardwareAccelerated)", text, System.StringComparison.Ordinal);
        Assert.Contains("else if (Vector256.IsHardwareAccelerated)", text, System.StringComparison.Ordinal);
        // Every GEMM runs the runtime's register tiles of each width, the single-sample forward its row kernels (the
        // 784-wide layer skipping zero inputs); shapes are literal arguments.
        Assert.Contains("RegisterTile.Gemm512(", text, System.StringComparison.Ordinal);
        Assert.Contains("RegisterTile.Gemm256(", text, System.StringComparison.Ordinal);
        Assert.Contains("RegisterTile.GemmScalar(", text, System.StringComparison.Ordinal);
        Assert.Contains("RegisterTile.Row512(4, 2, 784, 16, skipZeros: true,", text, System.StringComparison.Ordinal);
        Assert.Contains("RegisterTile.Row256(4, 4, 784, 8, skipZeros: true,", text, System.StringComparison.Ordinal);
        Assert.True(text.Split('\n').Length <= 840, "Generated code must grow with the number of layers, not their width.");
    }

    /// <summary>LeNet-5's file stays readable: its convolutions are a line per kernel into the runtime's
    /// <c>DirectConvolution</c>, built once from the layer's shape.</summary>
    [Fact]
    public void LeNet_is_at_most_2000_lines_and_its_convolutions_are_runtime_calls()
    {
        (NetGenRun result, _) = GeneratorHarness.Run(LeNet);
        string text = result.GeneratedSources.Single().SourceText.ToString();
        Assert.True(text.Split('\n').Length <= 2000, $"LeNet-5 is {text.Split('\n').Length} lines.");
        Assert.Contains("private static readonly DirectConvolution s_conv2D1 = new(channels: 1, height: 28, width: 28, outChannels: 6,", text,
            System.StringComparison.Ordinal);
        Assert.Contains("=> s_conv2D3.BackwardInput(ref dz, ref weights, ref dx, ref columns, n);", text, System.StringComparison.Ordinal);
    }
}
