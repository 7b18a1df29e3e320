using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0104: a residual whose sizes differ learns a projection of the skipped output (<c>Projection = true</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddProjectionFix)), Shared]
public sealed class AddProjectionFix : CodeFixProvider
{
    public const string Title = "Project the skipped output to the sum's shape (Projection = true)";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0104"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } residual)
        {
            return;
        }
        AttributeSyntax projected = NetworkSyntax.WithNamed(residual, "Projection", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, residual, projected, cancellationToken), Title),
            context.Diagnostics);
    }
}
