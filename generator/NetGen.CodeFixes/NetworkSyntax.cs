using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.CodeFixes;

/// <summary>What the code fixes read and write of a network class: its attributes, told apart by the NetGen type they
/// bind to, and named arguments written as a person writes them.</summary>
internal static class NetworkSyntax
{
    /// <summary>The attribute a diagnostic points at (NetGen reports layer problems at the layer's attribute).</summary>
    public static AttributeSyntax? AttributeAt(SyntaxNode root, TextSpan span)
        => root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();

    /// <summary>The NetGen attribute type <paramref name="attribute"/> binds to, without "Attribute" (<c>Dense</c>), or
    /// null for another attribute.</summary>
    public static string? KindOf(SemanticModel model, AttributeSyntax attribute, CancellationToken cancellationToken)
        => model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is { ContainingNamespace.Name: "NetGen" } type
            && type.ContainingNamespace.ContainingNamespace.IsGlobalNamespace && type.Name.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? type.Name.Substring(0, type.Name.Length - "Attribute".Length)
            : null;

    /// <summary>The layer attributes of <paramref name="declaration"/> in source order — every NetGen attribute but
    /// [Network] — with their kinds.</summary>
    public static List<(AttributeSyntax Attribute, string Kind)> Layers(SemanticModel model, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
        => [.. declaration.AttributeLists.SelectMany(list => list.Attributes)
            .Select(attribute => (Attribute: attribute, Kind: KindOf(model, attribute, cancellationToken)))
            .Where(layer => layer.Kind is not null and not "Network")
            .Select(layer => (layer.Attribute, layer.Kind!))];

    /// <summary><paramref name="declaration"/> with its layer attributes in the order <paramref name="order"/>: the
    /// layer at each position of <paramref name="layers"/> is replaced by the one at the same index of the order, so
    /// every position keeps its line, spacing and attribute list.</summary>
    public static ClassDeclarationSyntax Reordered(ClassDeclarationSyntax declaration, IReadOnlyList<AttributeSyntax> layers, IReadOnlyList<AttributeSyntax> order)
    {
        var placed = new Dictionary<AttributeSyntax, AttributeSyntax>();
        for (int i = 0; i < layers.Count; i++)
        {
            placed.Add(layers[i], order[i]);
        }
        return declaration.ReplaceNodes(layers, (original, _) => placed[original].WithTriviaFrom(original));
    }

    /// <summary>The named argument <paramref name="name"/> of <paramref name="attribute"/>, if written.</summary>
    public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name)
        => attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary><paramref name="attribute"/> with <c>name = value</c> as its last argument, or the value replaced if the
    /// argument is written.</summary>
    public static AttributeSyntax WithNamed(AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        if (Named(attribute, name) is { } existing)
        {
            return attribute.ReplaceNode(existing, existing.WithExpression(value.WithTriviaFrom(existing.Expression)));
        }
        AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name), SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)),
            null,
            value);
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments;
        var separators = arguments.GetSeparators().ToList();
        if (arguments.Count > 0)
        {
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        }
        return attribute.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(arguments.Add(argument), separators)));
    }

    /// <summary>Replaces <paramref name="oldNode"/> with <paramref name="newNode"/> in <paramref name="document"/>.</summary>
    public static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
    }
}
