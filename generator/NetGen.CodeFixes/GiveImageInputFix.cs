using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0102, a convolution or pooling layer whose input is a vector. Two fixes, each offered where it applies: a
/// <c>[Flatten]</c> written before the image layers moves to where it belongs — before the first dense layer after them,
/// or last — when the network's input is an image; and a vector <c>[Input(n)]</c> whose size is a square (or three
/// squares) becomes the image <c>[Input(1, s, s)]</c> (or <c>[Input(3, s, s)]</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GiveImageInputFix)), Shared]
public sealed class GiveImageInputFix : CodeFixProvider
{
    public const string MoveFlattenTitle = "Move [Flatten] after the image layers";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0102"];

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } layer
            || layer.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
        {
            return;
        }
        List<(AttributeSyntax Attribute, string Kind)> layers = NetworkSyntax.Layers(model, declaration, context.CancellationToken);
        int at = layers.FindIndex(l => l.Attribute == layer);
        if (at < 1 || layers[0].Kind != "Input")
        {
            return;
        }
        int inputArguments = layers[0].Attribute.ArgumentList?.Arguments.Count ?? 0;
        if (inputArguments == 3 && MovedFlatten(declaration, layers, at) is { } moved)
        {
            context.RegisterCodeFix(
                CodeAction.Create(MoveFlattenTitle, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, declaration, moved, cancellationToken), MoveFlattenTitle),
                context.Diagnostics);
        }
        if (inputArguments == 1 && ImageInput(model, layers[0].Attribute, context.CancellationToken) is { } image)
        {
            string title = $"Declare the input as an image {image.ArgumentList}";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, layers[0].Attribute, image, cancellationToken), nameof(ImageInput)),
                context.Diagnostics);
        }
    }

    /// <summary>The class with the [Flatten] before layer <paramref name="at"/> moved before the first dense layer after
    /// the image layers (or to the end), when only image layers lie between the input and that [Flatten].</summary>
    private static ClassDeclarationSyntax? MovedFlatten(ClassDeclarationSyntax declaration, List<(AttributeSyntax Attribute, string Kind)> layers, int at)
    {
        int flatten = layers.FindLastIndex(at, l => l.Kind == "Flatten");
        if (flatten < 0 || layers.Take(flatten).Skip(1).Any(l => l.Kind is "Dense" or "Flatten"))
        {
            return null;
        }
        int firstDense = layers.FindIndex(at, l => l.Kind == "Dense");
        List<AttributeSyntax> positions = [.. layers.Select(l => l.Attribute)];
        List<AttributeSyntax> order = [.. positions];
        order.RemoveAt(flatten);
        order.Insert(firstDense < 0 ? order.Count : firstDense - 1, positions[flatten]);
        return NetworkSyntax.Reordered(declaration, positions, order);
    }

    /// <summary><c>[Input(1, s, s)]</c> or <c>[Input(3, s, s)]</c> for an <c>[Input(n)]</c> of n = s² or 3s².</summary>
    private static AttributeSyntax? ImageInput(SemanticModel model, AttributeSyntax input, CancellationToken cancellationToken)
    {
        if (model.GetConstantValue(input.ArgumentList!.Arguments[0].Expression, cancellationToken) is not { HasValue: true, Value: int size } || size < 1)
        {
            return null;
        }
        foreach (int channels in new[] { 1, 3 })
        {
            int side = (int)System.Math.Round(System.Math.Sqrt(size / (double)channels));
            if (channels * side * side == size && side > 1)
            {
                AttributeArgumentListSyntax arguments = SyntaxFactory.ParseAttributeArgumentList($"({channels}, {side}, {side})")!;
                return input.WithArgumentList(arguments.WithTriviaFrom(input.ArgumentList!));
            }
        }
        return null;
    }
}
