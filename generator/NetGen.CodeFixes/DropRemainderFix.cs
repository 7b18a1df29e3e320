using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0202 when the stride or padding is deliberate: <c>DropRemainder = true</c> says the unread rows and columns
/// are meant to be dropped, and the warning stays quiet.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DropRemainderFix)), Shared]
public sealed class DropRemainderFix : CodeFixProvider
{
    public const string Title = "Drop the remainder on purpose (DropRemainder = true)";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0202"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } layer
            || NetworkSyntax.KindOf(model, layer, context.CancellationToken) is not ("Conv2D" or "MaxPool2D" or "AvgPool2D"))
        {
            return;
        }
        AttributeSyntax intended = NetworkSyntax.WithNamed(layer, "DropRemainder", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, layer, intended, cancellationToken), Title),
            context.Diagnostics);
    }
}
