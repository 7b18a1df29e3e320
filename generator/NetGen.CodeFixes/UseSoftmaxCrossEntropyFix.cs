using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0101 for <c>Loss.CrossEntropy</c> on an output without Softmax: the outputs are logits, so the loss becomes
/// <c>Loss.SoftmaxCrossEntropy</c>, which applies the softmax inside the loss.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSoftmaxCrossEntropyFix)), Shared]
public sealed class UseSoftmaxCrossEntropyFix : CodeFixProvider
{
    public const string Title = "Train the logits with Loss.SoftmaxCrossEntropy";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0101"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } output
            || output.ArgumentList?.Arguments.Any(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Softmax" }) == true
            || CrossEntropyLoss(root, model, output, context.CancellationToken) is not { } loss)
        {
            return;
        }
        MemberAccessExpressionSyntax softmaxLoss = loss.WithName(SyntaxFactory.IdentifierName("SoftmaxCrossEntropy").WithTriviaFrom(loss.Name));
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, loss, softmaxLoss, cancellationToken), Title),
            context.Diagnostics);
    }

    /// <summary>The <c>Loss.CrossEntropy</c> expression of the [Network] attribute of the class that <paramref name="layer"/>
    /// is written on, or null for any other loss.</summary>
    private static MemberAccessExpressionSyntax? CrossEntropyLoss(SyntaxNode root, SemanticModel model, AttributeSyntax layer, CancellationToken cancellationToken)
    {
        if (layer.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "NetworkAttribute", ContainingNamespace.Name: "NetGen" }
                && attribute.ApplicationSyntaxReference?.SyntaxTree == root.SyntaxTree
                && root.FindNode(attribute.ApplicationSyntaxReference.Span) is AttributeSyntax network
                && NetworkSyntax.Named(network, "Loss")?.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CrossEntropy" } loss)
            {
                return loss;
            }
        }
        return null;
    }
}
