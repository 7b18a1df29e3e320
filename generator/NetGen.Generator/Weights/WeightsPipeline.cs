using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Network;

namespace NetGen.Generator.Weights;

/// <summary>
/// Weights baked in at build time: [Network(Weights = "x.safetensors")] → the AdditionalFiles item of that name → its
/// tensors checked against the network's names, dtypes and shapes (errors NG0050/0051, NG0150–0153) → the bytes emitted
/// as <c>{Type}.Weights.g.cs</c> with <c>EmbeddedWeights</c>, <c>LoadEmbeddedWeights()</c> and <c>WithEmbeddedWeights()</c>.
/// </summary>
internal static class WeightsPipeline
{
    public const string WeightsRequestStep = "WeightsRequest";
    public const string WeightsFilesStep = "WeightsFiles";
    public const string WeightsResultStep = "WeightsResult";
    public const string WeightsEmbedStep = "WeightsEmbed";

    private const string WeightsArgument = "Weights";
    private const string FileExtension = ".safetensors";

    /// <param name="inferred">The main pipeline's shape inference results: the weights file is checked against the
    /// tensors of the plan inferred there, so nothing is parsed twice.</param>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<InferenceResult> inferred)
    {
        IncrementalValuesProvider<WeightsRequest> requests = inferred
            .Select(static (result, _) => CreateRequest(result))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(WeightsRequestStep);

        IncrementalValueProvider<ImmutableArray<WeightsFile>> files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(FileExtension, StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => ReadFile(text, cancellationToken))
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

        context.RegisterSourceOutput(results.Select(static (result, _) => result.Diagnostics), static (production, items) =>
        {
            foreach (DiagnosticInfo item in items)
            {
                production.ReportDiagnostic(item.ToDiagnostic());
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

    private static WeightsFile ReadFile(AdditionalText text, CancellationToken cancellationToken)
    {
        // AdditionalText only offers decoded text, and the compiler rejects a binary file as text (CS2015), so the bytes
        // are read from the item's path. The file is still an AdditionalFiles item: MSBuild recompiles when it changes
        // and the IDE re-runs this step when its AdditionalText changes.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
#pragma warning disable RS1035 // File IO: the only way to get a binary AdditionalFiles item's bytes.
            byte[] bytes = System.IO.File.ReadAllBytes(text.Path);
#pragma warning restore RS1035
            return new WeightsFile(text.Path, bytes.ToEquatableArray(), null);
        }
        catch (Exception exception) when (exception is System.IO.IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            return new WeightsFile(text.Path, EquatableArray<byte>.Empty, "it could not be read (" + exception.Message + ")");
        }
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
        byte[] bytes = file.Bytes.AsSpan().ToArray();
        (List<SafetensorsTensor>? tensors, string? error) = SafetensorsHeaderReader.Read(bytes);
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
            ? new EmbeddedWeights(request.Namespace, request.TypeName, request.FileName, file.Bytes)
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
