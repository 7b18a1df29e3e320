using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The parse step reuses a network's parse across compilations (<see cref="Network.NetworkParseCache"/>): an edit
/// elsewhere parses nothing again, and every edit that can change what a network's attributes mean — in its own file,
/// in another part of the class, a type that shadows an attribute, a constant, an alias — is seen.
/// </summary>
public sealed class ParseCacheTests
{
    private const string TwoNetworks = """
        using NetGen;
        [Network(Loss = Loss.SoftmaxCrossEntropy)] [Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU, Padding = 1)] [Flatten] [Dense(10)]
        public partial class First;
        """;

    private const string Second = """
        using NetGen;
        [Network] [Input(4)] [Dense(3, Activation.Tanh)] [Dense(2)]
        public partial class Second;
        """;

    private sealed class Session
    {
        private readonly NetworkGenerator _generator = new();
        private GeneratorDriver _driver;

        public Session(params string[] sources)
        {
            Compilation = GeneratorHarness.Compile(sources);
            _driver = GeneratorHarness.CreateDriver(_generator).RunGenerators(Compilation);
        }

        public CSharpCompilation Compilation { get; private set; }

        public int FullParses => _generator.FullParses;

        /// <summary>Replaces file <paramref name="index"/> (Network{index}.cs) or, past the end, adds it; runs the driver.</summary>
        public void Edit(int index, string text)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: $"Network{index}.cs");
            SyntaxTree? old = Compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == tree.FilePath);
            Compilation = old is null ? Compilation.AddSyntaxTrees(tree) : Compilation.ReplaceSyntaxTree(old, tree);
            _driver = _driver.RunGenerators(Compilation);
        }

        public void Remove(int index)
        {
            Compilation = Compilation.RemoveSyntaxTrees(Compilation.SyntaxTrees.Single(t => t.FilePath == $"Network{index}.cs"));
            _driver = _driver.RunGenerators(Compilation);
        }

        /// <summary>The generated file of <paramref name="type"/>, or null when none was generated.</summary>
        public string? Generated(string type)
            => _driver.GetRunResult().Results.Single().GeneratedSources.SingleOrDefault(s => s.HintName == $"{type}.g.cs").SourceText?.ToString();

        public int ParameterCount(string type)
        {
            string text = Generated(type) ?? throw new InvalidOperationException($"{type} was not generated");
            const string marker = "public const int ParameterCount = ";
            int start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
            return int.Parse(text[start..text.IndexOf(';', start)], System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The declaration checks' IDs (the analyzer's, which judges with the same parser).</summary>
        public string[] Diagnostics() => [.. GeneratorHarness.AnalyzerDiagnostics(Compilation).Select(d => d.Id)];
    }

    [Fact]
    public void An_edit_outside_every_network_parses_none_again()
    {
        var session = new Session(TwoNetworks, Second, "namespace Other; public static class Settings { public const int Value = 1; }");
        Assert.Equal(2, session.FullParses);
        string? before = session.Generated("First");

        session.Edit(2, "namespace Other; public static class Settings { public const int Value = 2; }");
        session.Edit(2, "namespace Other; public static class Settings { public const int Value = 3; } public class Unrelated;");

        Assert.Equal(2, session.FullParses);
        Assert.Equal(before, session.Generated("First"));
    }

    [Fact]
    public void Editing_one_network_parses_only_that_one()
    {
        var session = new Session(TwoNetworks, Second);
        session.Edit(1, Second.Replace("Dense(3,", "Dense(5,", StringComparison.Ordinal));

        Assert.Equal(3, session.FullParses);
        Assert.Equal(4 * 5 + 5 + 5 * 2 + 2, session.ParameterCount("Second"));
    }

    [Fact]
    public void A_type_in_another_file_that_shadows_an_attribute_is_seen_and_its_removal_too()
    {
        var session = new Session(TwoNetworks, Second);
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, session.ParameterCount("Second"));

        // A global-namespace DenseAttribute is found before the one `using NetGen;` brings in: Second's [Dense] layers
        // are no longer NetGen's, and only its input is left.
        session.Edit(2, "public sealed class DenseAttribute : System.Attribute { public DenseAttribute(int size, NetGen.Activation activation = default) { } }");
        Assert.Null(session.Generated("Second"));
        Assert.Contains("NG0006", session.Diagnostics());

        session.Remove(2);
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, session.ParameterCount("Second"));
    }

    [Fact]
    public void A_constant_from_another_file_is_read_again_on_every_edit()
    {
        var session = new Session(
            "using NetGen; [Network] [Input(4)] [Dense(Sizes.Hidden)] [Dense(2)] public partial class Sized;",
            "public static class Sizes { public const int Hidden = 3; }");
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, session.ParameterCount("Sized"));

        session.Edit(1, "public static class Sizes { public const int Hidden = 6; }");

        Assert.Equal(4 * 6 + 6 + 6 * 2 + 2, session.ParameterCount("Sized"));
    }

    [Fact]
    public void Another_part_of_the_class_is_read_again_when_its_file_changes()
    {
        var session = new Session(
            "using NetGen; [Network] [Input(4)] [Dense(3)] [Dense(2)] public partial class Split;",
            "public partial class Split { }");
        Assert.NotNull(session.Generated("Split"));

        session.Edit(1, "public static partial class Split { }");
        Assert.Null(session.Generated("Split"));
        Assert.Contains("NG0007", session.Diagnostics());

        session.Edit(1, "using NetGen; [Dense(4)] public partial class Split;");
        Assert.Null(session.Generated("Split"));
        Assert.Contains("NG0005", session.Diagnostics());

        session.Edit(1, "public partial class Split { }");
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, session.ParameterCount("Split"));
    }

    [Fact]
    public void A_shadowing_type_in_the_networks_own_namespace_declared_elsewhere_is_seen()
    {
        var session = new Session(
            "namespace App { using NetGen; [Network] [Input(4)] [Dense(3)] [Dense(2)] public partial class Scoped; }",
            "namespace Other { }");
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, session.ParameterCount("App.Scoped"));

        session.Edit(1, "namespace App { public sealed class InputAttribute : System.Attribute { public InputAttribute(int size) { } } }");

        Assert.Null(session.Generated("App.Scoped"));
        Assert.Contains("NG0002", session.Diagnostics());
    }

    [Fact]
    public void Networks_named_through_aliases_are_found()
    {
        var session = new Session(
            "global using Model = NetGen.NetworkAttribute;",
            "using NetGen; [Model] [Input(4)] [Dense(2)] public partial class ByGlobalAlias;",
            "using NetGen; using Net = NetGen.NetworkAttribute; [Net] [Input(4)] [Dense(2)] public partial class ByLocalAlias;");

        Assert.Equal(10, session.ParameterCount("ByGlobalAlias"));
        Assert.Equal(10, session.ParameterCount("ByLocalAlias"));

        session.Edit(0, "global using Other = NetGen.NetworkAttribute;");
        Assert.Null(session.Generated("ByGlobalAlias"));
        Assert.Equal(10, session.ParameterCount("ByLocalAlias"));
    }

    [Fact]
    public void A_class_whose_Network_attribute_is_not_NetGens_is_not_a_network()
    {
        var session = new Session(
            "namespace Mine { public sealed class NetworkAttribute : System.Attribute { } [Network] public partial class Plain; }",
            "using NetGen; [Network] [Input(4)] [Dense(2)] public partial class Real;");

        Assert.Null(session.Generated("Mine.Plain"));
        Assert.Equal(10, session.ParameterCount("Real"));
    }
}
