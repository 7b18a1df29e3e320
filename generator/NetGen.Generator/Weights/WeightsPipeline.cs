using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Network;

namespace NetGen.Generator.Weights;

/// <summary>
/// Weights baked in at build time: [Network(Weights = "x.safetensors")] → the AdditionalFiles item of that name, which
/// NetGen's build targets embed as a manifest resource → its header checked against the network's names, dtypes and
/// shapes (errors NG0050–0053, NG0150–0153) → <c>{Type}.Weights.g.cs</c> with <c>EmbeddedWeights</c> (the resource),
/// <c>LoadEmbeddedWeights()</c> and <c>WithEmbeddedWeights()</c>. Only the header is read here: the compiler copies the
/// data into the assembly, so the build's cost does not grow with the file.
/// </summary>
internal static class WeightsPipeline
{
    public const string WeightsRequestStep = "WeightsRequest";
    public const string WeightsFilesStep = "WeightsFiles";
    public const string WeightsResultStep = "WeightsResult";
    public const string WeightsEmbedStep = "WeightsEmbed";

    /// <summary>The largest weights file embedded: 1 GiB. The runtime loads a file through one span (at most 2 GiB), and
    /// the compiler holds a resource in memory while it writes the assembly (docs/deployment.md has the measurements).</summary>
    public const long MaxEmbeddedBytes = 1L << 30;

    /// <summary>The item metadata NetGen's build targets set on each .safetensors AdditionalFiles item: the name of the
    /// manifest resource they embed it as (runtime/NetGen/build/NetGen.targets).</summary>
    public const string ResourceMetadata = "build_metadata.AdditionalFiles.NetGenWeightsResource";

    private const string WeightsArgument = "Weights";
    private const string FileExtension = ".safetensors";

    /// <param name="inferred">The main pipeline's shape inference results: the weights file is checked against the
    /// tensors of the plan inferred there, so nothing is parsed twice.</param>
    /// <param name="helpPages">The folder of the diagnostic pages the build passed (<see cref="Diagnostics.HelpLinks"/>).</param>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<InferenceResult> inferred,
        IncrementalValueProvider<string?> helpPages)
    {
        IncrementalValuesProvider<WeightsRequest> requests = inferred
            .Select(static (result, _) => CreateRequest(result))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(WeightsRequestStep);

        IncrementalValueProvider<ImmutableArray<WeightsFile>> files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(FileExtension, StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadFile(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .WithTrackingName(WeightsFilesStep)
            .Collect();

        IncrementalValuesProvider<WeightsResult> results = requests
            .Combine(files)
            .Select(static (pair, cancellationToken) => Resolve(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(WeightsResultStep);

        IncrementalValuesProvider<EmbeddedWeights> embedded = results
            .Where(static result => result.Embedded is not null)
            .Select(static (result, _) => result.Embedded!)
            .WithTrackingName(WeightsEmbedStep);

        context.RegisterSourceOutput(embedded, static (production, weights) =>
            production.AddSource(WeightsEmitter.HintName(weights), WeightsEmitter.Emit(weights)));

        context.RegisterSourceOutput(results.Select(static (result, _) => result.Diagnostics).Combine(helpPages), static (production, input) =>
        {
            foreach (DiagnosticInfo item in input.Left)
            {
                production.ReportDiagnostic(item.ToDiagnostic(input.Right));
            }
        });
    }

    private static WeightsRequest? CreateRequest(InferenceResult inferred)
    {
        if (inferred.Spec is not { WeightsFile: { } fileName, WeightsLocation: { } location } spec)
        {
            return null;
        }
        return new WeightsRequest(
            spec.Namespace,
            spec.TypeName,
            fileName,
            inferred.Plan is not null,
            inferred.Plan is { } plan ? TensorsOf(plan) : EquatableArray<ExpectedTensor>.Empty,
            location);
    }

    /// <summary>Every tensor a weights file must hold: the parameters, then the state (running statistics).</summary>
    internal static EquatableArray<ExpectedTensor> TensorsOf(NetworkPlan plan)
        => TensorPlans.Parameters(plan).Concat(TensorPlans.State(plan))
            .Select(static t => new ExpectedTensor(t.Name, t.Shape))
            .ToEquatableArray();

    private static WeightsFile ReadFile(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        // AdditionalText only offers decoded text, and the compiler rejects a binary file as text (CS2015), so the header
        // is read from the item's path. The file is still an AdditionalFiles item: MSBuild recompiles when it changes
        // and the IDE re-runs this step when its AdditionalText changes.
        cancellationToken.ThrowIfCancellationRequested();
        string? resource = options.TryGetValue(ResourceMetadata, out string? name) && !string.IsNullOrWhiteSpace(name) ? name : null;
        try
        {
#pragma warning disable RS1035 // File IO: the only way to get a binary AdditionalFiles item's bytes.
            using var stream = new System.IO.FileStream(text.Path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.Read);
#pragma warning restore RS1035
            return new WeightsFile(text.Path, resource, stream.Length, ReadStart(stream).ToEquatableArray(), null);
        }
        catch (Exception exception) when (exception is System.IO.IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            return new WeightsFile(text.Path, resource, 0, EquatableArray<byte>.Empty, "it could not be read (" + exception.Message + ")");
        }
    }

    /// <summary>The bytes the header check needs: the 8-byte header length and the header, never the data (a file over
    /// <see cref="MaxEmbeddedBytes"/> is not read at all; one whose header length does not fit gives only its first 8).</summary>
    private static byte[] ReadStart(System.IO.Stream stream)
    {
        long length = stream.Length;
        if (length > MaxEmbeddedBytes)
        {
            return [];
        }
        byte[] prefix = ReadExactly(stream, new byte[Math.Min(8, length)], 0);
        if (prefix.Length < 8)
        {
            return prefix;
        }
        ulong header = SafetensorsHeaderReader.HeaderLength(prefix);
        if (header > SafetensorsLimits.MaxHeaderLength || 8 + (long)header > length)
        {
            return prefix;
        }
        byte[] start = new byte[8 + (int)header];
        prefix.CopyTo(start, 0);
        return ReadExactly(stream, start, 8);
    }

    private static byte[] ReadExactly(System.IO.Stream stream, byte[] buffer, int offset)
    {
        while (offset < buffer.Length)
        {
            int read = stream.Read(buffer, offset, buffer.Length - offset);
            if (read == 0)
            {
                throw new System.IO.EndOfStreamException("the file ended early (was it written while the build ran?)");
            }
            offset += read;
        }
        return buffer;
    }

    private static WeightsResult Resolve(WeightsRequest request, ImmutableArray<WeightsFile> files, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        WeightsFile? file = Find(request.FileName, files);
        if (file is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotFound, request.Location, request.TypeName, request.FileName));
            return new WeightsResult(null, diagnostics.ToEquatableArray());
        }
        if (file.ReadError is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileInvalid, request.Location, request.FileName, request.TypeName, file.ReadError));
            return new WeightsResult(null, diagnostics.ToEquatableArray());
        }
        if (file.Resource is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotEmbedded, request.Location, request.FileName, request.TypeName));
            return new WeightsResult(null, diagnostics.ToEquatableArray());
        }
        if (file.Length > MaxEmbeddedBytes)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileTooLarge, request.Location, request.FileName, request.TypeName,
                file.Length.ToString("N0", CultureInfo.InvariantCulture), MaxEmbeddedBytes.ToString("N0", CultureInfo.InvariantCulture)));
            return new WeightsResult(null, diagnostics.ToEquatableArray());
        }
        (List<SafetensorsTensor>? tensors, string? error) = SafetensorsHeaderReader.Read(file.Start.AsSpan().ToArray(), file.Length);
        cancellationToken.ThrowIfCancellationRequested();
        if (tensors is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileInvalid, request.Location, request.FileName, request.TypeName, error!));
            return new WeightsResult(null, diagnostics.ToEquatableArray());
        }
        if (!request.NetworkIsValid)
        {
            // The network's own errors come first; its tensors are unknown.
            return new WeightsResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }
        Check(request, tensors, diagnostics);
        EmbeddedWeights? embedded = diagnostics.Count == 0
            ? new EmbeddedWeights(request.Namespace, request.TypeName, request.FileName, file.Resource, file.Length)
            : null;
        return new WeightsResult(embedded, diagnostics.ToEquatableArray());
    }

    private static void Check(WeightsRequest request, List<SafetensorsTensor> tensors, List<DiagnosticInfo> diagnostics)
    {
        var inFile = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ExpectedTensor expected in request.Tensors)
        {
            expectedNames.Add(expected.Name);
            if (!inFile.TryGetValue(expected.Name, out SafetensorsTensor? actual))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsTensorMissing, request.Location, request.FileName, expected.Name, request.TypeName, expected.ShapeText));
                continue;
            }
            if (actual.DType != "F32")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsDTypeMismatch, request.Location, request.FileName, expected.Name, actual.DType, request.TypeName));
            }
            if (!actual.Shape.SequenceEqual(expected.Shape.Select(static d => (long)d)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsShapeMismatch, request.Location, request.FileName, expected.Name, ShapeText(actual.Shape), request.TypeName, expected.ShapeText));
            }
        }
        string all = string.Join(", ", request.Tensors.Select(static t => t.Name + " " + t.ShapeText));
        foreach (SafetensorsTensor actual in tensors)
        {
            if (!expectedNames.Contains(actual.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsTensorUnexpected, request.Location, request.FileName, actual.Name, ShapeText(actual.Shape), request.TypeName, all));
            }
        }
    }

    /// <summary>The AdditionalFiles item whose path is <paramref name="name"/> or ends with "/" + <paramref name="name"/>.</summary>
    private static WeightsFile? Find(string name, ImmutableArray<WeightsFile> files)
    {
        string wanted = Normalize(name).TrimStart('/');
        foreach (WeightsFile file in files)
        {
            string path = Normalize(file.Path);
            if (path == wanted || path.EndsWith("/" + wanted, StringComparison.Ordinal))
            {
                return file;
            }
        }
        return null;
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    private static string ShapeText(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
