using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0009: removes Softmax from a hidden layer (its activation becomes the default, identity).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveHiddenSoftmaxFix)), Shared]
public sealed class RemoveHiddenSoftmaxFix() : LayerAttributeFix("NG0009", Title)
{
    public const string Title = "Remove Softmax from this hidden layer";

    protected override AttributeSyntax? Fixed(AttributeSyntax layer, string? kind)
        => layer.ArgumentList?.Arguments.FirstOrDefault(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Softmax" }) is { } softmax
            ? layer.RemoveNode(softmax, SyntaxRemoveOptions.KeepNoTrivia)
            : null;
}
