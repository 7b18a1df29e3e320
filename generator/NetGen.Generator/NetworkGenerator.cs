using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Network;

namespace NetGen.Generator;

/// <summary>
/// [Network] class → <see cref="ParseResult"/> (attributes as values) → <see cref="InferenceResult"/> (shapes and
/// diagnostics) → two branches: the location-free <see cref="NetworkPlan"/>, cached by value and emitted as one
/// <c>{Namespace}.{Type}.g.cs</c>, and the diagnostics, reported at their attributes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    private readonly Action<NetworkSpec>? _faultInjection;
    private readonly NetworkParseCache _parseCache = new();

    /// <summary>The generator as the compiler creates it.</summary>
    public NetworkGenerator()
    {
    }

    /// <summary>A generator whose shape inference first runs <paramref name="faultInjection"/>: tests make it throw, to
    /// check that a failure inside the generator becomes diagnostic NG0099 and not a crash.</summary>
    internal NetworkGenerator(Action<NetworkSpec> faultInjection) => _faultInjection = faultInjection;

    /// <summary>How many [Network] classes this generator has parsed in full rather than reused (see
    /// <see cref="NetworkParseCache"/>).</summary>
    internal int FullParses => _parseCache.FullParses;

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        Action<NetworkSpec>? faultInjection = _faultInjection;
        NetworkParseCache parseCache = _parseCache;
        IncrementalValuesProvider<InferenceResult> inferred = context.SyntaxProvider
            .CreateSyntaxProvider(NetworkParseCache.IsCandidate, parseCache.Parse)
            .Where(static parsed => parsed is not null)
            .Select(static (parsed, _) => parsed!)
            .WithTrackingName(TrackingNames.Parse)
            .Select((parsed, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return ShapeInference.Infer(parsed, faultInjection);
            })
            .WithTrackingName(TrackingNames.Infer);

        IncrementalValuesProvider<NetworkPlan> plans = inferred
            .Where(static result => result.Plan is not null)
            .Select(static (result, _) => result.Plan!)
            .WithTrackingName(TrackingNames.Plan);

        // The declaration checks are the analyzer's to report (Analyzers/NetworkDeclarationAnalyzer.cs); their errors
        // still stop generation here.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = inferred
            .Select(static (result, _) => result.Diagnostics.Where(static d => !Analyzers.NetworkDeclarationAnalyzer.Reports(d.Descriptor)).ToEquatableArray())
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(plans, static (production, plan) =>
        {
            string source;
            try
            {
                source = NetworkEmitter.Emit(plan);
            }
            catch (Exception exception)
            {
                production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, plan.TypeName, exception.GetType().Name + ": " + exception.Message));
                return;
            }
            production.AddSource(NetworkEmitter.HintName(plan), source);
        });

        IncrementalValueProvider<string?> helpPages = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => HelpLinks.PagesFolder(options.GlobalOptions));
        context.RegisterSourceOutput(diagnostics.Combine(helpPages), static (production, input) =>
        {
            foreach (DiagnosticInfo item in input.Left)
            {
                production.ReportDiagnostic(item.ToDiagnostic(input.Right));
            }
        });

        // Weights baked in at build time: a branch of its own (see Weights/WeightsPipeline.cs).
        Weights.WeightsPipeline.Register(context, inferred, helpPages);
    }
}
