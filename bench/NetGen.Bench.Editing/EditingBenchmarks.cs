using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Bench.Editing;

/// <summary>
/// The four figures of editing a project of <see cref="Networks"/> LeNet-sized networks, each in its own file, with
/// NetGen's generator driven as the IDE drives it (one driver kept across edits, so unchanged steps come from its cache):
/// an edit outside every network; an edit of one network's width, with the parse of the file generated for it (the IDE
/// parses it to update the project); a first run with no cache; and that run with the parse of every generated file.
/// </summary>
[MemoryDiagnoser]
public class EditingBenchmarks
{
    public const int Networks = 50;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private SyntaxTree _other = null!, _otherEdited = null!, _network = null!, _networkEdited = null!;
    private GeneratorDriver _driver = null!;
    private bool _edited;

    [GlobalSetup]
    public void Setup()
    {
        List<SyntaxTree> trees = [.. Enumerable.Range(0, Networks).Select(i => Parse(LeNet(i, width: 120), $"Net{i}.cs"))];
        _other = Parse("namespace Other; public static class Settings { public const int Value = 1; }", "Other.cs");
        _otherEdited = Parse("namespace Other; public static class Settings { public const int Value = 2; }", "Other.cs");
        _network = trees[Networks / 2];
        _networkEdited = Parse(LeNet(Networks / 2, width: 128), _network.FilePath);
        _compilation = CSharpCompilation.Create("EditedProject", [.. trees, _other], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _driver = NewDriver().RunGenerators(_compilation);
    }

    /// <summary>A keystroke outside every network: the driver finds every network unchanged.</summary>
    [Benchmark]
    public GeneratorDriver EditOutsideEveryNetwork()
    {
        _edited = !_edited;
        _compilation = _compilation.ReplaceSyntaxTree(_edited ? _other : _otherEdited, _edited ? _otherEdited : _other);
        return _driver = _driver.RunGenerators(_compilation);
    }

    /// <summary>One network's dense width changed: that network is generated again and its new file parsed.</summary>
    [Benchmark]
    public SyntaxNode EditOneNetwork()
    {
        _edited = !_edited;
        _compilation = _compilation.ReplaceSyntaxTree(_edited ? _network : _networkEdited, _edited ? _networkEdited : _network);
        _driver = _driver.RunGenerators(_compilation);
        GeneratedSourceResult regenerated = _driver.GetRunResult().Results[0].GeneratedSources.Single(s => s.HintName == $"Net{Networks / 2}.g.cs");
        return CSharpSyntaxTree.ParseText(regenerated.SourceText, s_parseOptions).GetRoot();
    }

    /// <summary>Every network generated with nothing cached (opening the project).</summary>
    [Benchmark]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(_compilation);

    /// <summary>Opening the project: every network generated and every generated file parsed.</summary>
    [Benchmark]
    public int FullRunWithParse()
    {
        GeneratorDriver driver = NewDriver().RunGenerators(_compilation);
        int nodes = 0;
        foreach (GeneratedSourceResult source in driver.GetRunResult().Results[0].GeneratedSources)
        {
            nodes += CSharpSyntaxTree.ParseText(source.SourceText, s_parseOptions).GetRoot().FullSpan.Length;
        }
        return nodes;
    }

    /// <summary>LeNet-5 as in samples/LeNet, with the first dense layer <paramref name="width"/> wide.</summary>
    public static string LeNet(int index, int width) => $$"""
        using NetGen;

        [Network(Loss = Loss.SoftmaxCrossEntropy)]
        [Input(1, 28, 28)]
        [Conv2D(6, 5, Activation.ReLU, Padding = 2)]
        [MaxPool2D(2)]
        [Conv2D(16, 5, Activation.ReLU)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense({{width}}, Activation.ReLU)]
        [Dense(84, Activation.ReLU)]
        [Dense(10)]
        public partial class Net{{index}};
        """;

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, s_parseOptions, path);

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);

    private static IEnumerable<MetadataReference> References()
        => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(INetwork).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
}
