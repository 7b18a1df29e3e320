using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace NetGen.CodeFixes;

/// <summary>NG0103 on a convolution without padding: <c>PaddingMode = Padding.Same</c> pads the input so the output keeps
/// its size (divided by the stride), so it cannot be empty.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSamePaddingFix)), Shared]
public sealed class UseSamePaddingFix : CodeFixProvider
{
    public const string Title = "Pad the input to keep its size (PaddingMode = Padding.Same)";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0103"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } convolution
            || NetworkSyntax.KindOf(model, convolution, context.CancellationToken) != "Conv2D"
            || NetworkSyntax.Named(convolution, "Padding") is not null
            || NetworkSyntax.Named(convolution, "PaddingMode") is not null)
        {
            return;
        }
        ExpressionSyntax same = SyntaxFactory.ParseExpression("global::NetGen.Padding.Same").WithAdditionalAnnotations(Simplifier.Annotation);
        AttributeSyntax padded = NetworkSyntax.WithNamed(convolution, "PaddingMode", same);
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, convolution, padded, cancellationToken), Title),
            context.Diagnostics);
    }
}
