using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0004: moves the one [Input] to the first layer position; the other layers keep their order, and every
/// position keeps its line and spacing.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveInputFirstFix)), Shared]
public sealed class MoveInputFirstFix : CodeFixProvider
{
    public const string Title = "Move [Input] to the first layer";

    public override ImmutableArray<string> FixableDiagnosticIds => ["NG0004"];

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))!;
        if (NetworkSyntax.AttributeAt(root, context.Span) is not { } input
            || input.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration)
        {
            return;
        }
        List<(AttributeSyntax Attribute, string Kind)> layers = NetworkSyntax.Layers(model, declaration, context.CancellationToken);
        if (layers.Count(l => l.Kind == "Input") != 1 || layers[0].Attribute == input)
        {
            return; // Two inputs: which one goes first is the user's choice.
        }
        List<AttributeSyntax> positions = [.. layers.Select(l => l.Attribute)];
        ClassDeclarationSyntax fixedDeclaration = NetworkSyntax.Reordered(declaration, positions, [input, .. positions.Where(a => a != input)]);
        context.RegisterCodeFix(
            CodeAction.Create(Title, cancellationToken => NetworkSyntax.ReplaceAsync(context.Document, declaration, fixedDeclaration, cancellationToken), Title),
            context.Diagnostics);
    }
}
