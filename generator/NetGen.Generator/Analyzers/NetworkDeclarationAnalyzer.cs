using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Network;

namespace NetGen.Generator.Analyzers;

/// <summary>
/// The declaration checks of a [Network] class (NG0001–NG0011, NG0013: partial, input, layer arguments, names, the
/// residual's source), as an analyzer: the IDE runs it as the user types, without waiting for generation, and code fixes
/// attach to its diagnostics. It reads the class with the generator's own parser and layer checks, so both judge alike;
/// the generator reports every other diagnostic and none of these (<see cref="Reports"/>), so nothing is reported twice.
/// The two informational messages (NG0301, NG0302) are here too: every valid network has them, and a diagnostic the
/// generator reports is checked for [SuppressMessage] on every run, which binds the class's attributes again on each
/// keystroke — the very cost the parse cache avoids (<see cref="NetworkParseCache"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkDeclarationAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> s_descriptors =
    [
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.MissingInput,
        DiagnosticDescriptors.NonPositiveSize,
        DiagnosticDescriptors.MisplacedInput,
        DiagnosticDescriptors.LayersOnSeveralDeclarations,
        DiagnosticDescriptors.NoLayers,
        DiagnosticDescriptors.UnsupportedDeclaration,
        DiagnosticDescriptors.InvalidArgument,
        DiagnosticDescriptors.SoftmaxNotOnOutput,
        DiagnosticDescriptors.NotDifferentiable,
        DiagnosticDescriptors.DuplicateLayerName,
        DiagnosticDescriptors.UnknownResidualSource,
        DiagnosticDescriptors.NetworkSummary,
        DiagnosticDescriptors.ImplicitFlatten,
    ];

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => s_descriptors;

    /// <summary>Whether this analyzer, not the generator, reports <paramref name="descriptor"/>.</summary>
    internal static bool Reports(DiagnosticDescriptor descriptor) => s_descriptors.Contains(descriptor);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(NetworkParser.NetworkAttributeName) is not { } networkAttribute)
            {
                return; // NetGen is not referenced.
            }
            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, networkAttribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol networkAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? network = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, networkAttribute));
        if (network?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
        {
            return;
        }
        InferenceResult inferred = ShapeInference.Infer(NetworkParser.Parse(type, declaration, context.CancellationToken));
        string? helpPages = HelpLinks.PagesFolder(context.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
        foreach (DiagnosticInfo diagnostic in inferred.Diagnostics)
        {
            if (Reports(diagnostic.Descriptor))
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(helpPages));
            }
        }
    }
}
