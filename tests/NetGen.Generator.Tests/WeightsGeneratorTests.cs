using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.IO;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>[Network(Weights = "...")]: the generator checks the header of a safetensors AdditionalFiles item, which the
/// build targets embed as a resource, loads it from there, and rejects one whose names, dtypes or shapes differ, naming
/// the tensor and both shapes.</summary>
public sealed class WeightsGeneratorTests : IDisposable
{
    internal const string Network = """
        using NetGen;
        namespace Sample;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Weights = "weights/tiny.safetensors")]
        [Input(6)]
        [Dense(4, Activation.ReLU, Name = "fc1")]
        [Dense(3, Name = "fc2")]
        public partial class Tiny;
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-weights-" + Guid.NewGuid().ToString("N"));

    public WeightsGeneratorTests() => Directory.CreateDirectory(Path.Combine(_directory, "weights"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_matching_file_is_embedded_and_loads_the_same_parameters()
    {
        float[] values = Enumerable.Range(0, 4 * 6 + 4 + 3 * 4 + 3).Select(i => (i - 20) * 0.125f).ToArray();
        string path = WriteWeights(Tensors(values));

        GeneratorDriverRunResult run = Run(Network, path, out Compilation output);

        Assert.Empty(run.Diagnostics.Where(d => d.Id != "NG0301"));
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("Sample.Tiny.Weights.g.cs", StringComparison.Ordinal));
        Assembly assembly = Load(output, path);
        Type tiny = assembly.GetType("Sample.Tiny")!;
        var network = (INetwork)tiny.GetMethod("WithEmbeddedWeights")!.Invoke(null, [16])!;
        var reference = (INetwork)Activator.CreateInstance(tiny, [0, 16])!;
        reference.Load(path);
        Assert.Equal(reference.Parameters.ToArray(), network.Parameters.ToArray());
        Assert.NotEqual(new float[network.ParameterCount], network.Parameters.ToArray());
    }

    [Fact]
    public void A_shape_mismatch_is_a_build_error_naming_the_tensor_and_both_shapes()
    {
        List<SafetensorsEntry> tensors = Tensors(null);
        tensors[2] = SafetensorsEntry.FromFloats("fc2.weight", [3, 5], new float[15]);
        string path = WriteWeights(tensors);

        GeneratorDriverRunResult run = Run(Network, path, out _);

        Diagnostic error = Assert.Single(run.Diagnostics, d => d.Id == "NG0150");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("Weights file 'weights/tiny.safetensors': tensor 'fc2.weight' has shape [3, 5], but network 'Tiny' expects [3, 4]", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Weights = \"weights/tiny.safetensors\"", error.Location.SourceTree!.ToString().Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length));
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.EndsWith(".Weights.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_extra_and_non_f32_tensors_are_build_errors()
    {
        List<SafetensorsEntry> tensors = Tensors(null);
        tensors.RemoveAt(1); // fc1.bias
        tensors[2] = new SafetensorsEntry("fc2.bias", SafetensorsDType.F64, [3], new byte[24]);
        tensors.Add(SafetensorsEntry.FromFloats("fc3.weight", [2, 3], new float[6]));
        string path = WriteWeights(tensors);

        GeneratorDriverRunResult run = Run(Network, path, out _);

        string[] messages = run.Diagnostics.Where(d => d.Id != "NG0301").OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(
        [
            "NG0151: Weights file 'weights/tiny.safetensors' has no tensor 'fc1.bias'; network 'Tiny' expects F32 [4]",
            "NG0152: Weights file 'weights/tiny.safetensors' has tensor 'fc3.weight' [2, 3], which network 'Tiny' does not have (its tensors: fc1.weight [4, 6], fc1.bias [4], fc2.weight [3, 4], fc2.bias [3])",
            "NG0153: Weights file 'weights/tiny.safetensors': tensor 'fc2.bias' has dtype F64, but network 'Tiny' loads F32; save it with tensor.float()",
        ], messages);
    }

    [Fact]
    public void A_weights_file_that_is_not_an_additional_file_is_a_build_error()
    {
        GeneratorDriverRunResult run = Run(Network, additionalFile: null, out _);

        Diagnostic error = Assert.Single(run.Diagnostics, d => d.Id == "NG0050");
        Assert.Equal("Network 'Tiny' names weights file 'weights/tiny.safetensors', but no AdditionalFiles item has that name; add <AdditionalFiles Include=\"weights/tiny.safetensors\" /> to the project", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The generator reads the header and nothing more: the data section goes into the assembly as a resource,
    /// copied by the compiler, so what the generator holds does not grow with the file.</summary>
    [Fact]
    public void Only_the_header_is_read_and_the_file_is_loaded_from_its_resource()
    {
        string path = WriteWeights(Tensors(null));
        byte[] file = File.ReadAllBytes(path);

        GeneratorDriver driver = CreateDriver(path).RunGenerators(CreateCompilation(Network), TestContext.Current.CancellationToken);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        var read = (Weights.WeightsFile)result.TrackedSteps[Weights.WeightsPipeline.WeightsFilesStep].Single().Outputs.Single().Value;
        Assert.Equal(file.Length, read.Length);
        Assert.Equal(file.AsSpan(0, 8 + (int)BitConverter.ToUInt64(file, 0)).ToArray(), read.Start.AsSpan().ToArray());
        string generated = result.GeneratedSources.Single(s => s.HintName == "Sample.Tiny.Weights.g.cs").SourceText.ToString();
        Assert.Contains($"EmbeddedWeightsResource.Bytes(typeof(Tiny).Assembly, \"NetGen.Weights/tiny.safetensors\", {file.Length});", generated, StringComparison.Ordinal);
        Assert.True(generated.Length < 4096, $"the generated file has {generated.Length} characters");
    }

    [Fact]
    public void A_weights_file_the_build_targets_did_not_embed_is_a_build_error()
    {
        string path = WriteWeights(Tensors(null));

        GeneratorDriverRunResult run = Run(Network, path, out _, withBuildTargets: false);

        Diagnostic error = Assert.Single(run.Diagnostics, d => d.Id == "NG0052");
        Assert.Equal("Weights file 'weights/tiny.safetensors' of network 'Tiny' is an AdditionalFiles item but is not embedded: NetGen's build targets embed every .safetensors item as a resource; reference NetGen as a package, or import its build/NetGen.targets",
            error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.EndsWith(".Weights.g.cs", StringComparison.Ordinal));
    }

    /// <summary>A file over the limit is refused by its length alone (a sparse file here: nothing of it is read).</summary>
    [Fact]
    public void A_weights_file_over_the_embedding_limit_is_a_build_error_naming_both_sizes()
    {
        string path = Path.Combine(_directory, "weights", "tiny.safetensors");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            stream.SetLength(Weights.WeightsPipeline.MaxEmbeddedBytes + 1);
        }

        GeneratorDriverRunResult run = Run(Network, path, out _);

        Diagnostic error = Assert.Single(run.Diagnostics, d => d.Id == "NG0053");
        Assert.Equal("Weights file 'weights/tiny.safetensors' of network 'Tiny' has 1,073,741,825 bytes, more than the 1,073,741,824 that can be embedded; load it at run time with network.Load(path) instead",
            error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_corrupt_file_is_a_build_error_with_the_reason()
    {
        string path = Path.Combine(_directory, "weights", "tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        GeneratorDriverRunResult run = Run(Network, path, out _);

        Diagnostic error = Assert.Single(run.Diagnostics, d => d.Id == "NG0051");
        Assert.Contains("a safetensors file starts with an 8-byte header length", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>The generator's reader recursed without a limit: a deeply nested header overflowed the stack and took the
    /// compiler down. Both readers now refuse nesting beyond <see cref="SafetensorsLimits.MaxDepth"/>, the generator with
    /// the reason.</summary>
    [Theory]
    [InlineData(9)]
    [InlineData(100_000)]
    public void A_header_nested_deeper_than_the_runtime_reads_is_refused_by_both_readers(int depth)
    {
        string nested = new string('[', depth - 2) + new string(']', depth - 2);
        byte[] file = HeaderFile($"{{\"t\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":{nested}}}}}", dataBytes: 4);

        (List<Weights.SafetensorsTensor>? tensors, string? error) = Weights.SafetensorsHeaderReader.Read(file);

        Assert.Null(tensors);
        Assert.Contains($"containers nested more than {SafetensorsLimits.MaxDepth} deep", error, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SafetensorsHeader.Parse(file, "nested.safetensors"));
    }

    /// <summary>The generator accepted what the runtime refuses (numbers with '+' or a leading zero, a metadata value that
    /// is not a string, a lone surrogate), so a build succeeded and the program threw at start-up; the mutation tests found
    /// the reverse (a lone surrogate, a number beyond a double's range or a name twice in a value no reader uses, a name twice
    /// in a tensor or in __metadata__), which the runtime accepted and the generator refused. Both readers now give the
    /// same verdict on one corpus of headers, each a variation of one valid header.</summary>
    [Theory]
    [InlineData("\"shape\":[2]", "{}", "t", true)]
    [InlineData("\"shape\":[+2]", "{}", "t", false)]
    [InlineData("\"shape\":[02]", "{}", "t", false)]
    [InlineData("\"shape\":[-0]", "{}", "t", false)]
    [InlineData("\"shape\":[2.0]", "{}", "t", false)]
    [InlineData("\"shape\":[2e0]", "{}", "t", false)]
    [InlineData("\"shape\":[2]", "{\"format\":\"pt\"}", "t", true)]
    [InlineData("\"shape\":[2]", "{\"epochs\":3}", "t", false)]
    [InlineData("\"shape\":[2]", "{\"tags\":[\"a\"]}", "t", false)]
    [InlineData("\"shape\":[2]", "[]", "t", false)]
    [InlineData("\"shape\":[2]", "{}", "\\ud83d\\ude00", true)]
    [InlineData("\"shape\":[2]", "{}", "\\ud800", false)]
    [InlineData("\"shape\":[2]", "{}", "a\\udc00b", false)]
    [InlineData("\"shape\":[2],\"x\":[true,null,-0.0,1e308,{\"a\":{}}]", "{}", "t", true)]
    [InlineData("\"shape\":[2],\"x\":\"\\ud800\"", "{}", "t", false)]
    [InlineData("\"shape\":[2],\"x\":1e999", "{}", "t", false)]
    [InlineData("\"shape\":[2],\"x\":{\"a\":1,\"a\":2}", "{}", "t", false)]
    [InlineData("\"shape\":[2],\"shape\":[2]", "{}", "t", false)]
    [InlineData("\"shape\":[2]", "{\"format\":\"pt\",\"format\":\"pt\"}", "t", false)]
    public void Generator_and_runtime_give_the_same_verdict_on_a_header(string shape, string metadata, string name, bool valid)
    {
        byte[] file = HeaderFile($"{{\"__metadata__\":{metadata},\"{name}\":{{\"dtype\":\"F32\",{shape},\"data_offsets\":[0,8]}}}}", dataBytes: 8);

        (List<Weights.SafetensorsTensor>? tensors, string? error) = Weights.SafetensorsHeaderReader.Read(file);
        bool runtimeAccepts = true;
        try
        {
            SafetensorsHeader.Parse(file, "corpus.safetensors");
        }
        catch (InvalidDataException)
        {
            runtimeAccepts = false;
        }

        Assert.Equal(valid, runtimeAccepts);
        Assert.True(valid == (tensors is not null), $"the generator's verdict differs from the runtime's: {error ?? "accepted"}");
    }

    /// <summary>A safetensors file of <paramref name="header"/> and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static byte[] HeaderFile(string header, int dataBytes)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + dataBytes];
        BitConverter.TryWriteBytes(file.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(file, 8);
        return file;
    }

    [Fact]
    public void A_network_without_weights_gets_no_weights_file()
    {
        GeneratorDriverRunResult run = Run(Network.Replace(", Weights = \"weights/tiny.safetensors\"", "", StringComparison.Ordinal), additionalFile: null, out _);
        Assert.Empty(run.Diagnostics.Where(d => d.Id != "NG0301"));
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.EndsWith(".Weights.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_embedded_weights_cached()
    {
        string path = WriteWeights(Tensors(null));
        CSharpCompilation compilation = CreateCompilation(Network);
        GeneratorDriver driver = CreateDriver(path);
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { }", cancellationToken: TestContext.Current.CancellationToken));
        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[Weights.WeightsPipeline.WeightsEmbedStep].SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    private List<SafetensorsEntry> Tensors(float[]? values)
    {
        values ??= new float[4 * 6 + 4 + 3 * 4 + 3];
        return
        [
            SafetensorsEntry.FromFloats("fc1.weight", [4, 6], values.AsSpan(0, 24)),
            SafetensorsEntry.FromFloats("fc1.bias", [4], values.AsSpan(24, 4)),
            SafetensorsEntry.FromFloats("fc2.weight", [3, 4], values.AsSpan(28, 12)),
            SafetensorsEntry.FromFloats("fc2.bias", [3], values.AsSpan(40, 3)),
        ];
    }

    private string WriteWeights(List<SafetensorsEntry> tensors)
    {
        string path = Path.Combine(_directory, "weights", "tiny.safetensors");
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    private static GeneratorDriverRunResult Run(string source, string? additionalFile, out Compilation output, bool withBuildTargets = true)
    {
        CSharpCompilation compilation = CreateCompilation(source);
        GeneratorDriver driver = CreateDriver(additionalFile, withBuildTargets).RunGeneratorsAndUpdateCompilation(compilation, out output, out _, TestContext.Current.CancellationToken);
        return driver.GetRunResult();
    }

    private static GeneratorDriver CreateDriver(string? additionalFile, bool withBuildTargets = true)
        => GeneratorHarness.CreateDriver(additionalFiles: additionalFile is null ? [] : [new FileAdditionalText(additionalFile)], withBuildTargets: withBuildTargets);

    private static CSharpCompilation CreateCompilation(string source)
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        IEnumerable<MetadataReference> references = platform
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Append(typeof(INetwork).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create(
            "WeightsSample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Tiny.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Compiles and loads <paramref name="compilation"/> with <paramref name="weightsFile"/> embedded as the build
    /// targets embed it.</summary>
    private static Assembly Load(Compilation compilation, string weightsFile)
    {
        using var stream = new MemoryStream();
        ResourceDescription resource = new(BuildTargetsOptions.ResourceName(weightsFile), () => File.OpenRead(weightsFile), isPublic: true);
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream, manifestResources: [resource]);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(stream.ToArray());
    }
}
