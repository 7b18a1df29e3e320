using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0104: a residual whose sizes differ learns a projection of the skipped output (<c>Projection = true</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddProjectionFix)), Shared]
public sealed class AddProjectionFix() : LayerAttributeFix("NG0104", Title)
{
    public const string Title = "Project the skipped output to the sum's shape (Projection = true)";

    protected override AttributeSyntax? Fixed(AttributeSyntax layer, string? kind)
        => kind == "Residual" ? NetworkSyntax.WithNamed(layer, "Projection", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)) : null;
}
