using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Network;

/// <summary>Turns a class carrying [Network] into a <see cref="NetworkSpec"/>: attributes to plain values, in source order.</summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    private const string InputAttributeName = "NetGen.InputAttribute";
    private const string DenseAttributeName = "NetGen.DenseAttribute";
    private const string Conv2DAttributeName = "NetGen.Conv2DAttribute";
    private const string ConvTranspose2DAttributeName = "NetGen.ConvTranspose2DAttribute";
    private const string MaxPool2DAttributeName = "NetGen.MaxPool2DAttribute";
    private const string AvgPool2DAttributeName = "NetGen.AvgPool2DAttribute";
    private const string GlobalAvgPool2DAttributeName = "NetGen.GlobalAvgPool2DAttribute";
    private const string FlattenAttributeName = "NetGen.FlattenAttribute";
    private const string BatchNormAttributeName = "NetGen.BatchNormAttribute";
    private const string LayerNormAttributeName = "NetGen.LayerNormAttribute";
    private const string GroupNormAttributeName = "NetGen.GroupNormAttribute";
    private const string LocalResponseNormAttributeName = "NetGen.LocalResponseNormAttribute";
    private const string DropoutAttributeName = "NetGen.DropoutAttribute";
    private const string AlphaDropoutAttributeName = "NetGen.AlphaDropoutAttribute";
    private const string GaussianNoiseAttributeName = "NetGen.GaussianNoiseAttribute";
    private const string ResidualAttributeName = "NetGen.ResidualAttribute";

    public static bool IsCandidate(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
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
                string? name = attribute.AttributeClass?.ToDisplayString();
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
                LayerSpec? layer = name switch
                {
                    InputAttributeName => ParseInput(attribute, syntax),
                    DenseAttributeName => ParseDense(attribute, syntax),
                    Conv2DAttributeName => ParseConvolution(LayerKind.Conv2D, attribute, syntax),
                    ConvTranspose2DAttributeName => ParseConvolution(LayerKind.ConvTranspose2D, attribute, syntax),
                    MaxPool2DAttributeName => ParsePool(LayerKind.MaxPool2D, attribute, syntax),
                    AvgPool2DAttributeName => ParsePool(LayerKind.AvgPool2D, attribute, syntax),
                    GlobalAvgPool2DAttributeName => Parameterless(LayerKind.GlobalAvgPool2D, attribute, syntax),
                    FlattenAttributeName => Parameterless(LayerKind.Flatten, attribute, syntax),
                    BatchNormAttributeName => ParseNormalization(LayerKind.BatchNorm, attribute, syntax, activationIndex: 0),
                    LayerNormAttributeName => ParseNormalization(LayerKind.LayerNorm, attribute, syntax, activationIndex: 0),
                    GroupNormAttributeName => ParseNormalization(LayerKind.GroupNorm, attribute, syntax, activationIndex: 1) with { Groups = IntArgument(attribute, 0) },
                    LocalResponseNormAttributeName => Parameterless(LayerKind.LocalResponseNorm, attribute, syntax) with
                    {
                        Groups = IntArgument(attribute, 0),
                        LrnAlpha = (float)(NamedArgument(attribute, "Alpha") ?? 1e-4f),
                        LrnBeta = (float)(NamedArgument(attribute, "Beta") ?? 0.75f),
                        LrnK = (float)(NamedArgument(attribute, "K") ?? 1f),
                    },
                    DropoutAttributeName => Parameterless(LayerKind.Dropout, attribute, syntax) with { Rate = FloatArgument(attribute, 0) },
                    AlphaDropoutAttributeName => Parameterless(LayerKind.AlphaDropout, attribute, syntax) with { Rate = FloatArgument(attribute, 0) },
                    GaussianNoiseAttributeName => Parameterless(LayerKind.GaussianNoise, attribute, syntax) with { Rate = FloatArgument(attribute, 0) },
                    ResidualAttributeName => ParseResidual(attribute, syntax),
                    _ => null,
                };
                if (layer is not null)
                {
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

    private static void CheckInput(List<LayerSpec> layers, string typeName, LocationInfo classLocation, List<DiagnosticInfo> diagnostics)
    {
        int inputs = layers.Count(l => l.Kind == LayerKind.Input);
        if (inputs == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, classLocation, typeName));
            return;
        }
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind == LayerKind.Input && i != 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedInput, layers[i].Location, typeName, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        if (layers.Count == 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, classLocation, typeName));
        }
    }

    private static LayerSpec ParseInput(AttributeData attribute, AttributeSyntax syntax)
    {
        bool image = attribute.ConstructorArguments.Length == 3;
        int channels = IntArgument(attribute, 0);
        return new LayerSpec(LayerKind.Input, image ? channels * IntArgument(attribute, 1) * IntArgument(attribute, 2) : channels,
            Activation.Identity, HasBias: false, Init.Default, float.NaN, 0f, float.NaN, Name: "input", LocationInfo.From(syntax))
        {
            Channels = channels,
            Height = image ? IntArgument(attribute, 1) : 1,
            Width = image ? IntArgument(attribute, 2) : 1,
        };
    }

    private static LayerSpec ParseConvolution(LayerKind kind, AttributeData attribute, AttributeSyntax syntax)
    {
        int kernel = IntArgument(attribute, 1);
        return new LayerSpec(
            kind,
            IntArgument(attribute, 0),
            (Activation)(int)(ConstructorArgument(attribute, 2) ?? 0),
            HasBias: (bool)(NamedArgument(attribute, "Bias") ?? true),
            Init: (Init)(int)(NamedArgument(attribute, "Init") ?? 0),
            InitScale: (float)(NamedArgument(attribute, "InitScale") ?? float.NaN),
            BiasInit: (float)(NamedArgument(attribute, "BiasInit") ?? 0f),
            Alpha: (float)(NamedArgument(attribute, "Alpha") ?? float.NaN),
            Name: (string?)NamedArgument(attribute, "Name"),
            LocationInfo.From(syntax))
        {
            WeightNorm = (bool)(NamedArgument(attribute, "WeightNorm") ?? false),
            KernelHeight = NamedArgument(attribute, "KernelHeight") is int h and not 0 ? h : kernel,
            KernelWidth = NamedArgument(attribute, "KernelWidth") is int w and not 0 ? w : kernel,
            Stride = (int)(NamedArgument(attribute, "Stride") ?? 1),
            Padding = (int)(NamedArgument(attribute, "Padding") ?? 0),
            PaddingMode = (Padding)(int)(NamedArgument(attribute, "PaddingMode") ?? 0),
            Dilation = (int)(NamedArgument(attribute, "Dilation") ?? 1),
            OutputPadding = (int)(NamedArgument(attribute, "OutputPadding") ?? 0),
        };
    }

    private static LayerSpec ParsePool(LayerKind kind, AttributeData attribute, AttributeSyntax syntax)
    {
        int kernel = IntArgument(attribute, 0);
        return Parameterless(kind, attribute, syntax) with
        {
            KernelHeight = kernel,
            KernelWidth = kernel,
            Stride = NamedArgument(attribute, "Stride") is int s and not 0 ? s : kernel,
            Padding = (int)(NamedArgument(attribute, "Padding") ?? 0),
        };
    }

    private static LayerSpec Parameterless(LayerKind kind, AttributeData attribute, AttributeSyntax syntax)
        => new(kind, 0, Activation.Identity, HasBias: false, Init.Default, float.NaN, 0f, float.NaN, (string?)NamedArgument(attribute, "Name"), LocationInfo.From(syntax));

    /// <summary>BatchNorm, LayerNorm, GroupNorm: an activation argument, ε, momentum, affine and α.</summary>
    private static LayerSpec ParseNormalization(LayerKind kind, AttributeData attribute, AttributeSyntax syntax, int activationIndex)
        => Parameterless(kind, attribute, syntax) with
        {
            Activation = (Activation)(int)(ConstructorArgument(attribute, activationIndex) ?? 0),
            Alpha = (float)(NamedArgument(attribute, "Alpha") ?? float.NaN),
            Epsilon = (float)(NamedArgument(attribute, "Epsilon") ?? 1e-5f),
            Momentum = (float)(NamedArgument(attribute, "Momentum") ?? 0.1f),
            Affine = (bool)(NamedArgument(attribute, "Affine") ?? true),
        };

    private static LayerSpec ParseResidual(AttributeData attribute, AttributeSyntax syntax)
        => Parameterless(LayerKind.Residual, attribute, syntax) with
        {
            From = ConstructorArgument(attribute, 0) as string,
            Activation = (Activation)(int)(ConstructorArgument(attribute, 1) ?? 0),
            Alpha = (float)(NamedArgument(attribute, "Alpha") ?? float.NaN),
            Projection = (bool)(NamedArgument(attribute, "Projection") ?? false),
        };

    private static float FloatArgument(AttributeData attribute, int index) => ConstructorArgument(attribute, index) is float value ? value : float.NaN;

    private static LayerSpec ParseDense(AttributeData attribute, AttributeSyntax syntax)
    {
        var activation = (Activation)(int)(ConstructorArgument(attribute, 1) ?? 0);
        return new LayerSpec(
            LayerKind.Dense,
            IntArgument(attribute, 0),
            activation,
            HasBias: (bool)(NamedArgument(attribute, "Bias") ?? true),
            Init: (Init)(int)(NamedArgument(attribute, "Init") ?? 0),
            InitScale: (float)(NamedArgument(attribute, "InitScale") ?? float.NaN),
            BiasInit: (float)(NamedArgument(attribute, "BiasInit") ?? 0f),
            Alpha: (float)(NamedArgument(attribute, "Alpha") ?? float.NaN),
            Name: (string?)NamedArgument(attribute, "Name"),
            LocationInfo.From(syntax))
        {
            WeightNorm = (bool)(NamedArgument(attribute, "WeightNorm") ?? false),
        };
    }

    private static int IntArgument(AttributeData attribute, int index) => ConstructorArgument(attribute, index) is int value ? value : 0;

    private static object? ConstructorArgument(AttributeData attribute, int index)
        => index < attribute.ConstructorArguments.Length ? attribute.ConstructorArguments[index].Value : null;

    private static object? NamedArgument(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value.Value;
            }
        }
        return null;
    }
}
