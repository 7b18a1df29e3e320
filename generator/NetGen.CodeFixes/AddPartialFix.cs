using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0001: makes the network class <c>partial</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialFix)), Shared]
public sealed class AddPartialFix : CodeFixProvider
{
    public const string Title = "Make the network class partial";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0001"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (root.FindToken(context.Span.Start).Parent is not ClassDeclarationSyntax declaration)
        {
            return;
        }
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, declaration, Partial(declaration), cancellationToken), Title),
            context.Diagnostics);
    }

    /// <summary><paramref name="declaration"/> with <c>partial</c> as its last modifier, right before <c>class</c>.</summary>
    private static ClassDeclarationSyntax Partial(ClassDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count == 0)
        {
            // The trivia before 'class' (a line break after the attributes, indentation) now goes before 'partial'.
            return declaration
                .WithKeyword(declaration.Keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(declaration.Keyword.LeadingTrivia)));
        }
        return declaration.AddModifiers(partial);
    }
}
