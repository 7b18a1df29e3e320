using System.Linq;
using System.Threading.Tasks;
using NetGen.CodeFixes;
using Xunit;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>Each code fix: applied to a network with its diagnostic, the text is what a person would write, and the
/// result builds with no error or warning.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task A_missing_partial_is_added_before_class()
    {
        const string Before = """
            using NetGen;

            [Network]
            [Input(4)]
            [Dense(2)]
            public class Net;
            """;
        const string After = """
            using NetGen;

            [Network]
            [Input(4)]
            [Dense(2)]
            public partial class Net;
            """;

        await AssertFixAsync(new AddPartialFix(), Before, "NG0001", After);
    }

    [Fact]
    public async Task A_class_without_modifiers_becomes_partial_on_its_own_line()
    {
        await AssertFixAsync(new AddPartialFix(),
            "using NetGen;\n[Network] [Input(4)] [Dense(2)]\nclass Net;", "NG0001",
            "using NetGen;\n[Network] [Input(4)] [Dense(2)]\npartial class Net;");
    }

    [Fact]
    public async Task Fix_all_makes_every_network_of_the_document_partial()
    {
        string after = await CodeFixHarness.FixAllInDocumentAsync(new AddPartialFix(),
            "using NetGen;\n[Network] [Input(4)] [Dense(2)] public class A;\n[Network] [Input(3)] [Dense(1)] internal sealed class B;", "NG0001");

        Assert.Equal("using NetGen;\n[Network] [Input(4)] [Dense(2)] public partial class A;\n[Network] [Input(3)] [Dense(1)] internal sealed partial class B;", after);
        Assert.Empty(CodeFixHarness.Problems(after));
    }

    [Fact]
    public async Task Softmax_is_removed_from_a_hidden_layer()
    {
        await AssertFixAsync(new RemoveHiddenSoftmaxFix(),
            "using NetGen;\n[Network] [Input(4)] [Dense(3, Activation.Softmax, Name = \"h\")] [Dense(2)] public partial class Net;", "NG0009",
            "using NetGen;\n[Network] [Input(4)] [Dense(3, Name = \"h\")] [Dense(2)] public partial class Net;");
    }

    [Fact]
    public async Task A_residual_whose_sizes_differ_gets_a_projection()
    {
        await AssertFixAsync(new AddProjectionFix(),
            "using NetGen;\n[Network] [Input(4)] [Dense(8, Name = \"a\")] [Dense(6)] [Residual(\"a\", Activation.ReLU)] public partial class Net;", "NG0104",
            "using NetGen;\n[Network] [Input(4)] [Dense(8, Name = \"a\")] [Dense(6)] [Residual(\"a\", Activation.ReLU, Projection = true)] public partial class Net;");
    }

    [Fact]
    public async Task An_unknown_residual_source_becomes_the_nearest_name()
    {
        await AssertFixAsync(new UseNearestNameFix(),
            "using NetGen;\n[Network] [Input(8)] [Dense(8, Name = \"fc1\")] [Dense(8)] [Residual(\"fc\")] public partial class Net;", "NG0013",
            "using NetGen;\n[Network] [Input(8)] [Dense(8, Name = \"fc1\")] [Dense(8)] [Residual(\"fc1\")] public partial class Net;");
    }

    [Fact]
    public async Task A_name_far_from_every_layer_gets_no_suggestion_and_no_fix()
    {
        const string Source = "using NetGen;\n[Network] [Input(8)] [Dense(8, Name = \"fc1\")] [Dense(8)] [Residual(\"stem\")] public partial class Net;";

        Assert.Empty(await CodeFixHarness.OffersAsync(new UseNearestNameFix(), Source, "NG0013"));
        Assert.EndsWith("the names it can use are: input, fc1, dense2",
            Assert.Single(CodeFixHarness.Problems(Source), d => d.Id == "NG0013").GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_entropy_on_logits_becomes_softmax_cross_entropy()
    {
        await AssertFixAsync(new UseSoftmaxCrossEntropyFix(),
            "using NetGen;\n[Network(Loss = Loss.CrossEntropy)] [Input(4)] [Dense(3)] public partial class Net;", "NG0101",
            "using NetGen;\n[Network(Loss = Loss.SoftmaxCrossEntropy)] [Input(4)] [Dense(3)] public partial class Net;");
    }

    [Fact]
    public async Task Other_loss_mismatches_are_not_offered_softmax_cross_entropy()
    {
        Assert.Empty(await CodeFixHarness.OffersAsync(new UseSoftmaxCrossEntropyFix(),
            "using NetGen;\n[Network(Loss = Loss.BinaryCrossEntropy)] [Input(4)] [Dense(1)] public partial class Net;", "NG0101"));
    }

    [Fact]
    public async Task Input_moves_to_the_first_layer_and_every_line_keeps_its_place()
    {
        const string Before = """
            using NetGen;

            [Network]
            [Dense(8, Activation.ReLU)]
            [Input(4)]
            [Dense(2)]
            public partial class Net;
            """;
        const string After = """
            using NetGen;

            [Network]
            [Input(4)]
            [Dense(8, Activation.ReLU)]
            [Dense(2)]
            public partial class Net;
            """;

        await AssertFixAsync(new MoveInputFirstFix(), Before, "NG0004", After);
    }

    [Fact]
    public async Task An_empty_convolution_output_is_padded_to_keep_its_size()
    {
        await AssertFixAsync(new UseSamePaddingFix(),
            "using NetGen;\n[Network] [Input(1, 4, 4)] [Conv2D(2, 7)] public partial class Net;", "NG0103",
            "using NetGen;\n[Network] [Input(1, 4, 4)] [Conv2D(2, 7, PaddingMode = Padding.Same)] public partial class Net;");
    }

    [Fact]
    public async Task A_flatten_written_before_the_image_layers_moves_before_the_first_dense_layer()
    {
        const string Before = """
            using NetGen;

            [Network]
            [Input(1, 12, 12)]
            [Flatten]
            [Conv2D(4, 3)]
            [MaxPool2D(2)]
            [Dense(10)]
            public partial class Net;
            """;
        const string After = """
            using NetGen;

            [Network]
            [Input(1, 12, 12)]
            [Conv2D(4, 3)]
            [MaxPool2D(2)]
            [Flatten]
            [Dense(10)]
            public partial class Net;
            """;

        await AssertFixAsync(new GiveImageInputFix(), Before, "NG0102", After);
    }

    [Theory]
    [InlineData("784", "(1, 28, 28)")]
    [InlineData("3072", "(3, 32, 32)")]
    public async Task A_vector_input_of_square_size_becomes_an_image(string size, string image)
    {
        await AssertFixAsync(new GiveImageInputFix(),
            $"using NetGen;\n[Network] [Input({size})] [Conv2D(4, 3)] [Dense(10)] public partial class Net;", "NG0102",
            $"using NetGen;\n[Network] [Input{image}] [Conv2D(4, 3)] [Dense(10)] public partial class Net;");
    }

    [Fact]
    public async Task A_vector_of_no_image_size_and_a_dense_layer_before_get_no_fix()
    {
        Assert.Empty(await CodeFixHarness.OffersAsync(new GiveImageInputFix(),
            "using NetGen;\n[Network] [Input(10)] [Conv2D(4, 3)] public partial class Net;", "NG0102"));
        Assert.Empty(await CodeFixHarness.OffersAsync(new GiveImageInputFix(),
            "using NetGen;\n[Network] [Input(1, 12, 12)] [Dense(144)] [Flatten] [Conv2D(4, 3)] public partial class Net;", "NG0102"));
    }

    [Theory]
    [InlineData("[Conv2D(4, 3, Stride = 2)]", "[Conv2D(4, 3, Stride = 2, DropRemainder = true)]")]
    [InlineData("[MaxPool2D(4, Stride = 3)]", "[MaxPool2D(4, Stride = 3, DropRemainder = true)]")]
    public async Task A_deliberate_remainder_is_declared_and_the_warning_goes(string layer, string declared)
    {
        await AssertFixAsync(new DropRemainderFix(),
            $"using NetGen;\n[Network] [Input(1, 6, 6)] {layer} public partial class Net;", "NG0202",
            $"using NetGen;\n[Network] [Input(1, 6, 6)] {declared} public partial class Net;");
    }

    /// <summary>Every fix names a diagnostic NetGen reports, and its diagnostic's page shows it under "In the IDE".</summary>
    [Fact]
    public void Every_fix_is_for_a_netgen_diagnostic_and_shown_on_its_page()
    {
        var ids = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!.GetFields()
            .Select(f => ((Microsoft.CodeAnalysis.DiagnosticDescriptor)f.GetValue(null)!).Id).ToHashSet();
        var fixes = typeof(AddPartialFix).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t)).ToList();
        Assert.Equal(9, fixes.Count);
        foreach (System.Type type in fixes)
        {
            var fix = (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)System.Activator.CreateInstance(type)!;
            string id = Assert.Single(fix.FixableDiagnosticIds);
            Assert.Contains(id, ids);
            string page = System.IO.File.ReadAllText(System.IO.Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "diagnostics", id + ".md"));
            string title = (type.GetField("Title") ?? type.GetField("MoveFlattenTitle"))?.GetValue(null) as string ?? "Use '";
            Assert.Contains($"**In the IDE:** the light bulb offers *{title}", page, System.StringComparison.Ordinal);
        }
        Assert.Equal(Model.DiagnosticInfo.SuggestionProperty, UseNearestNameFix.SuggestionProperty);
    }

    private static async Task AssertFixAsync(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider fix, string before, string id, string expected)
    {
        string after = await CodeFixHarness.ApplyAsync(fix, before, id);

        Assert.Equal(expected, after);
        Assert.Empty(CodeFixHarness.Problems(after));
    }
}
