using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0009: removes Softmax from a hidden layer (its activation becomes the default, identity).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveHiddenSoftmaxFix)), Shared]
public sealed class RemoveHiddenSoftmaxFix : CodeFixProvider
{
    public const string Title = "Remove Softmax from this hidden layer";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0009"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        AttributeArgumentSyntax? softmax = NetworkSyntax.AttributeAt(root, context.Span)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Softmax" });
        if (softmax is null)
        {
            return;
        }
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => Task.FromResult(
                context.Document.WithSyntaxRoot(root.RemoveNode(softmax, SyntaxRemoveOptions.KeepNoTrivia)!)), Title),
            context.Diagnostics);
    }
}
