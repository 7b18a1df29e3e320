using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0202 when the stride or padding is deliberate: <c>DropRemainder = true</c> says the unread rows and columns
/// are meant to be dropped, and the warning stays quiet.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DropRemainderFix)), Shared]
public sealed class DropRemainderFix() : LayerAttributeFix("NG0202", Title)
{
    public const string Title = "Drop the remainder on purpose (DropRemainder = true)";

    protected override AttributeSyntax? Fixed(AttributeSyntax layer, string? kind)
        => kind is "Conv2D" or "MaxPool2D" or "AvgPool2D"
            ? NetworkSyntax.WithNamed(layer, "DropRemainder", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))
            : null;
}
