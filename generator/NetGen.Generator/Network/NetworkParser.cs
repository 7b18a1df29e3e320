using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using static NetGen.Generator.Layers.AttributeArguments;

namespace NetGen.Generator.Network;

/// <summary>Turns a class carrying [Network] into a <see cref="NetworkSpec"/>: attributes to plain values, in source order,
/// each layer attribute read by its family (<see cref="LayerRegistry"/>).</summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>The class <paramref name="symbol"/>, whose [Network] attribute is written on <paramref name="declaration"/>.</summary>
    public static ParseResult Parse(INamedTypeSymbol symbol, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        string typeName = symbol.Name;
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo classLocation = LocationInfo.From(declaration.Identifier);

        try
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, classLocation, typeName));
            }
            string? unsupported = symbol.IsGenericType ? "generic"
                : symbol.IsStatic ? "static"
                : symbol.ContainingType is not null ? $"nested in '{symbol.ContainingType.Name}'"
                : null;
            if (unsupported is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, classLocation, typeName, unsupported));
            }

            var layers = new List<(LayerSpec Layer, SyntaxTree Tree, int Position, SyntaxNode DeclaringType)>();
            Loss loss = Loss.None;
            string? weightsFile = null;
            LocationInfo? weightsLocation = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? name = FullName(attribute.AttributeClass);
                // An attribute the compiler already rejects (wrong arguments) has no constructor: its error is enough.
                if (attribute.AttributeConstructor is null
                    || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
                {
                    continue;
                }
                if (name == NetworkAttributeName)
                {
                    loss = (Loss)(int)(NamedArgument(attribute, "Loss") ?? 0);
                    weightsFile = NamedArgument(attribute, "Weights") as string;
                    SyntaxNode weightsSyntax = (SyntaxNode?)syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weights") ?? syntax;
                    weightsLocation = weightsFile is null ? null : LocationInfo.From(weightsSyntax);
                    continue;
                }
                if (LayerRegistry.TryFindAttribute(name, out LayerFamily family, out string kind))
                {
                    LayerSpec layer = family.Parse(kind, attribute, syntax);
                    SyntaxNode owner = syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>()!;
                    layers.Add((layer, syntax.SyntaxTree, syntax.SpanStart, owner));
                }
            }

            int declarationCount = layers.Select(l => l.DeclaringType).Distinct().Count();
            if (declarationCount > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations, classLocation, typeName, declarationCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            bool classUnusable = diagnostics.Count > 0;
            List<LayerSpec> ordered = layers.OrderBy(l => l.Position).Select(l => l.Layer).ToList();
            int beforeLayerChecks = diagnostics.Count;
            CheckInput(ordered, typeName, classLocation, diagnostics);

            // Without a well-placed input and a layer there is nothing to infer; otherwise the layers are checked even
            // when the class cannot receive generated code, so the user sees every error at once.
            bool layersUnusable = diagnostics.Count > beforeLayerChecks;
            NetworkSpec? spec = layersUnusable ? null : new NetworkSpec(
                symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
                typeName,
                loss,
                classLocation,
                ordered.ToEquatableArray(),
                CanEmit: !classUnusable)
            {
                WeightsFile = weightsFile,
                WeightsLocation = weightsLocation,
            };
            return new ParseResult(spec, typeName, diagnostics.ToEquatableArray());
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, classLocation, typeName, exception.GetType().Name + ": " + exception.Message));
            return new ParseResult(null, typeName, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>"NetGen.DenseAttribute" for NetGen's attributes, built without the symbol display formatter: the parse
    /// runs for every attribute of every network on every edit.</summary>
    private static string? FullName(INamedTypeSymbol? type)
        => type is { ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } } ? "NetGen." + type.Name : type?.ToDisplayString();

    private static void CheckInput(List<LayerSpec> layers, string typeName, LocationInfo classLocation, List<DiagnosticInfo> diagnostics)
    {
        int inputs = layers.Count(IsInput);
        if (inputs == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, classLocation, typeName));
            return;
        }
        for (int i = 0; i < layers.Count; i++)
        {
            if (IsInput(layers[i]) && i != 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedInput, layers[i].Location, typeName, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        if (layers.Count == 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, typeName));
        }
    }

    private static bool IsInput(LayerSpec layer) => LayerRegistry.Of(layer).IsNetworkInput;
}
