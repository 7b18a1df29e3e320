using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>A fix that rewrites the one layer attribute its diagnostic points at (NetGen reports a layer's problems
/// there); fix-all rewrites each such attribute.</summary>
public abstract class LayerAttributeFix(string id, string title) : CodeFixProvider
{
    public sealed override ImmutableArray<string> FixableDiagnosticIds => [id];

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } layer
            || Fixed(layer, NetworkSyntax.KindOf(model, layer, context.CancellationToken)) is not { } fixedLayer)
        {
            return;
        }
        context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, layer, fixedLayer, cancellationToken), title),
            context.Diagnostics);
    }

    /// <summary>The layer attribute <paramref name="layer"/> (of NetGen kind <paramref name="kind"/>, e.g. <c>Conv2D</c>)
    /// as fixed, or null when the fix does not apply to it.</summary>
    protected abstract AttributeSyntax? Fixed(AttributeSyntax layer, string? kind);
}
