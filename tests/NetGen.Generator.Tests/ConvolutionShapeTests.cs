using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Output sizes of Klambauer App. E (floor everywhere) as the generated constants, and the diagnostics of
/// impossible or lossy configurations.</summary>
public sealed class ConvolutionShapeTests
{
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
    public void Convolution_output_size_matches_appendix_E(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [Conv2D(1, {arguments})]"));

    [Theory]
    [InlineData(2, "3, Stride = 2", 5)]
    [InlineData(2, "3, Stride = 2, OutputPadding = 1", 6)]
    [InlineData(3, "3, Stride = 2, Padding = 1", 5)]
    [InlineData(3, "2, Dilation = 2", 5)]
    public void Transposed_output_size_uses_the_unstretched_input(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [ConvTranspose2D(1, {arguments})]"));

    [Theory]
    [InlineData(4, "2", 2)]
    [InlineData(5, "3, Stride = 1, Padding = 1", 5)]
    [InlineData(6, "3, Stride = 3", 2)]
    public void Pooling_output_size(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [MaxPool2D({arguments})]"));

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
        (GeneratorRunResult result, _) = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(1, 5, 5)]
            [Conv2D(4, 3, Name = "c1")]
            [Conv2D(8, 7, Name = "c2")]
            public partial class TooSmall;
            """);
        string report = string.Join("\n", result.Diagnostics.OrderBy(d => d.Id, System.StringComparer.Ordinal).Select(d =>
            $"{d.Id} {d.Severity} {d.Location.GetLineSpan().StartLinePosition} '{d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)}': {d.GetMessage(CultureInfo.InvariantCulture)}")) + "\n";
        Assert.Empty(result.GeneratedSources);
        Assert.Contains("NG0103", report, System.StringComparison.Ordinal);
        Snapshot.Match(report, "KernelLargerThanInput", ".txt");
    }

    [Fact]
    public void A_stride_that_skips_input_rows_is_a_warning_with_the_formula()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(1, 6, 6)] [Conv2D(4, 3, Stride = 2)] public partial class Strided;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0202");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Conv2D 'conv1' never reads the last 1 row and column of its padded input: ⌊(6 + 2·0 − 3)/2⌋ + 1 = 2 leaves a remainder; change the padding or stride if that data matters",
            d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Single(result.GeneratedSources);
    }

    [Theory]
    [InlineData("[Input(64)] [Conv2D(8, 3)]", "NG0102")]
    [InlineData("[Input(1, 8, 8)] [Dense(4)] [MaxPool2D(2)]", "NG0102")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 3, Stride = 0)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 4, PaddingMode = Padding.Same)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(8, 3, Padding = 1, PaddingMode = Padding.Valid)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [MaxPool2D(2, Padding = 2)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [ConvTranspose2D(2, 3, Stride = 2, OutputPadding = 2)]", "NG0008")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(0, 3)]", "NG0003")]
    [InlineData("[Input(0, 8, 8)] [Conv2D(2, 3)]", "NG0003")]
    [InlineData("[Input(1, 4, 4)] [MaxPool2D(5)]", "NG0103")]
    [InlineData("[Input(1, 2, 2)] [ConvTranspose2D(1, 1, Padding = 2)]", "NG0103")]
    public void Impossible_configurations_are_errors_at_the_attribute(string layers, string id)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run($"using NetGen;\n[Network]\n{layers}\npublic partial class Bad;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Dense_after_an_image_flattens_with_an_info_message()
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run("using NetGen;\n[Network] [Input(1, 28, 28)] [Conv2D(6, 5)] [Dense(10)] public partial class Net;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0302");
        Assert.Equal("Dense 'dense1' flattens its 6×24×24 input to 3,456 features (channel-major, as PyTorch's flatten)", d.GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>Max pooling applies the ReLU derivative of the layer it reads only when nothing else reads that layer: with
    /// a skip from it as well, the derivative keeps its own pass (the skip's gradient needs it too).</summary>
    [Fact]
    public void Max_pooling_folds_the_ReLU_derivative_of_a_layer_only_it_reads()
    {
        const string relu = "[Input(2, 8, 8)] [Conv2D(3, 3, Activation.ReLU, Padding = 1, Name = \"c1\")] [MaxPool2D(2, Name = \"pool\")] [Conv2D(3, 3, Activation.Tanh, Padding = 1)]";
        string folded = GenerateTrainable(relu);
        Assert.Contains("pool: MaxPool2D ∂x and c1: ReLU'", folded, System.StringComparison.Ordinal);
        Assert.DoesNotContain("ActivationKernels.ReLUBackward", folded, System.StringComparison.Ordinal);
        Assert.Contains("BackwardInput(ref float x, ref float sourceZ, ref float dz, ref float dx, int n)", folded, System.StringComparison.Ordinal);

        string shared = GenerateTrainable(relu + " [Residual(\"c1\", Projection = true)]");
        Assert.Contains("ActivationKernels.ReLUBackward", shared, System.StringComparison.Ordinal);
        Assert.DoesNotContain("sourceZ", shared, System.StringComparison.Ordinal);
    }

    /// <summary>How the backward pass renders the schedule of <see cref="SchedulingTests"/>: a pair of steps as one
    /// <c>SplitTogether</c>, a step alone as a <c>Split</c>, each naming the method it runs, the shard sums after the last
    /// split; a thread with only some of a dense layer's panels first reads the batch's rows in order.</summary>
    [Fact]
    public void The_backward_pass_renders_pairs_as_one_split()
    {
        string text = GenerateTrainable("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(40, Activation.ReLU, Name = \"f1\")] "
            + "[BatchNorm(Name = \"bn\")] [Dense(3, Name = \"f2\")]");
        int begin = text.IndexOf("public float Backward", System.StringComparison.Ordinal);
        string[] calls = Unwrapped(text[begin..text.IndexOf("return _passLoss;", begin, System.StringComparison.Ordinal)])
            .Split('\n').Where(line => line.StartsWith("Split", System.StringComparison.Ordinal) || line.EndsWith("(0, 0, n);", System.StringComparison.Ordinal)).ToArray();
        string all = string.Join("\n", calls);
        int Call(string method) => System.Array.FindIndex(calls, call => call.EndsWith("// " + method, System.StringComparison.Ordinal) || call.StartsWith(method + "(", System.StringComparison.Ordinal));

        Assert.True(Call("LossAndOutputGradient") == 0, all);
        Assert.StartsWith("SplitTogether(", calls[Call("F2WeightGradientsWithBackwardF2")], System.StringComparison.Ordinal);
        Assert.StartsWith("SplitTogether(", calls[Call("F1WeightGradientsWithBackwardF1ToC2")], System.StringComparison.Ordinal);
        Assert.StartsWith("SplitTogether(", calls[Call("C2ShardWeightGradientsWithBackwardC2ToPool1")], System.StringComparison.Ordinal);
        Assert.StartsWith("Split(", calls[Call("BackwardBn")], System.StringComparison.Ordinal);
        // c1 has no input gradient to pair with.
        Assert.StartsWith("Split(", calls[Call("C1ShardWeightGradients")], System.StringComparison.Ordinal);
        int lastSplit = System.Array.FindLastIndex(calls, call => call.StartsWith("Split", System.StringComparison.Ordinal));
        Assert.True(Call("C2SumShards") > lastSplit, all);
        Assert.True(Call("C1SumShards") > lastSplit, all);
        // f1 has two panels of 32 outputs (40 = 32 + 8); f2 one, which a thread never shares.
        Assert.Contains("if ((start > 0 || end < 2) && _threads.Count > 1)", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("end < 1)", text, System.StringComparison.Ordinal);
    }

    /// <summary>How the backward pass renders the sharded schedule of <see cref="SchedulingTests"/>: two splits, each
    /// thread's shards of the batch through every layer (the loss per shard first, then each sample step over the
    /// shards' samples and each shard weight gradient over the shards), then the fixed lanes; a thread with every shard
    /// runs the dense weight gradients in pass order instead.</summary>
    [Fact]
    public void A_sharded_backward_pass_renders_as_two_splits()
    {
        string text = Unwrapped(GenerateTrainable("[Input(1, 12, 12)] [Conv2D(4, 3, Activation.ReLU, Name = \"c1\")] [MaxPool2D(2)] "
            + "[Conv2D(4, 3, Activation.ReLU, Name = \"c2\")] [Flatten] [Dense(120, Activation.ReLU, Name = \"f1\")] [Dense(3, Name = \"f2\")]"));
        int begin = text.IndexOf("public float Backward", System.StringComparison.Ordinal);
        string backward = text[begin..text.IndexOf("return (float)(loss / n);", begin, System.StringComparison.Ordinal)];
        string[] calls = backward.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("Split", System.StringComparison.Ordinal) || line.EndsWith("(0, 0, n);", System.StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.StartsWith("Split(", calls[0], System.StringComparison.Ordinal);
        Assert.Contains(", 4, 1, (long)n * ", calls[0], System.StringComparison.Ordinal);
        Assert.EndsWith("// BackwardShards", calls[0], System.StringComparison.Ordinal);
        Assert.EndsWith("// WeightGradientLanes", calls[1], System.StringComparison.Ordinal);
        Assert.DoesNotContain("SplitTogether", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("_passLoss", text, System.StringComparison.Ordinal);
        Assert.Contains("LossKernels.SquaredErrorSum(", text, System.StringComparison.Ordinal);

        string Method(string name)
        {
            int at = text.IndexOf($"private void {name}(int part, int start, int end)", System.StringComparison.Ordinal);
            Assert.True(at >= 0, name);
            // Up to the next member (the text is unwrapped: each line trimmed, so a method's own braces start lines too).
            return text[at..text.IndexOf("\nprivate ", at + 1, System.StringComparison.Ordinal)];
        }
        string shards = Method("BackwardShards");
        Assert.Contains("_shardLosses[shard] = shardLast > shardFirst ? ", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (last > first) BackwardF2ToF1(part, first, last);", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (last > first) BackwardC2ToPool1(part, first, last);", shards, System.StringComparison.Ordinal);
        Assert.Contains("C2ShardWeightGradients(part, start, end);", shards, System.StringComparison.Ordinal);
        Assert.Contains("C1ShardWeightGradients(part, start, end);", shards, System.StringComparison.Ordinal);
        // With every shard on one thread, the dense weight gradients run here, in pass order; else in the lanes.
        Assert.Contains("bool panels = start == 0 && end == 4;", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (panels) F2WeightGradients(part, 0, 1);", shards, System.StringComparison.Ordinal);
        Assert.Contains("if (panels) F1WeightGradients(part, 0, 4);", shards, System.StringComparison.Ordinal);
        // Each lane is one case; a panel in a lane runs only when no thread ran the panels with every shard.
        string lanes = Method("WeightGradientLanes");
        Assert.Equal(4, lanes.Split(["case "], System.StringSplitOptions.None).Length - 1);
        Assert.All(lanes.Split('\n').Where(line => line.Contains("WeightGradients(part, ", System.StringComparison.Ordinal)),
            line => Assert.Contains("if (!_panelsDone) ", line, System.StringComparison.Ordinal));
        Assert.Contains("C1SumShards(part, 0, n);", lanes, System.StringComparison.Ordinal);
    }

    /// <summary>A step's method name keeps only the letters and digits of its layers' names (which also allow '_' and
    /// '.'), each run starting upper-case; a name that would start with a digit starts with "Layer".</summary>
    [Fact]
    public void Step_methods_are_named_from_the_layers_as_identifiers()
    {
        string text = GenerateTrainable("[Input(4)] [Dense(3, Activation.ReLU, Name = \"block.a_1\")] [Dense(2, Name = \"2nd\")]");
        Assert.Contains("private void ForwardBlockA1To2nd(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void BackwardLayer2ndToBlockA1(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void Layer2ndWeightGradients(int part, int start, int end)", text, System.StringComparison.Ordinal);
        Assert.Contains("private void BlockA1WeightGradients(int part, int start, int end)", text, System.StringComparison.Ordinal);
    }

    private static string Generate(string layers) => Generate("[Network]", layers);

    /// <summary>The text as one trimmed line per statement, each with its comment after it: wrapping puts a long
    /// statement's arguments on further lines and its comment, itself perhaps on several lines, before it.</summary>
    private static string Unwrapped(string text)
    {
        var lines = new List<string>();
        string? comment = null, pending = null;
        bool open = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("//", System.StringComparison.Ordinal))
            {
                comment = comment is null ? line : comment + " " + line[3..];
                continue;
            }
            if (open)
            {
                lines[^1] += (lines[^1].EndsWith('(') ? "" : " ") + line;
            }
            else
            {
                lines.Add(line);
                (pending, comment) = (comment, null);
            }
            open = line.EndsWith('(') || line.EndsWith(',');
            if (!open && pending is not null)
            {
                lines[^1] += " " + pending;
                pending = null;
            }
        }
        return string.Join("\n", lines);
    }

    private static string GenerateTrainable(string layers) => Generate("[Network(Loss = Loss.SquaredError)]", layers);

    private static string Generate(string network, string layers)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run($"using NetGen;\n{network}\n{layers}\npublic partial class Net;");
        Assert.True(!result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), GeneratorHarness.Format(result.Diagnostics));
        return result.GeneratedSources.Single().SourceText.ToString();
    }

    private static int OutputSize(string layers)
    {
        string text = Generate(layers);
        const string marker = "public const int OutputSize = ";
        int start = text.IndexOf(marker, System.StringComparison.Ordinal) + marker.Length;
        return int.Parse(text[start..text.IndexOf(';', start)], CultureInfo.InvariantCulture);
    }
}
