using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0013: replaces a residual's unknown source with the nearest existing name, which the diagnostic carries
/// (its "did you mean" name, in the property <c>Suggestion</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseNearestNameFix)), Shared]
public sealed class UseNearestNameFix : CodeFixProvider
{
    public const string SuggestionProperty = "Suggestion";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0013"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(SuggestionProperty, out string? name) || name is null
                || NetworkSyntax.AttributeAt(root, diagnostic.Location.SourceSpan)?.ArgumentList?.Arguments.FirstOrDefault() is not
                    { NameEquals: null, NameColon: null, Expression: LiteralExpressionSyntax source })
            {
                continue;
            }
            string title = $"Use '{name}'";
            LiteralExpressionSyntax replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)).WithTriviaFrom(source);
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, source, replacement, cancellationToken), nameof(UseNearestNameFix)),
                diagnostic);
        }
    }
}
