using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace NetGen.CodeFixes;

/// <summary>NG0103 on a convolution without padding: <c>PaddingMode = Padding.Same</c> pads the input so the output keeps
/// its size (divided by the stride), so it cannot be empty.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSamePaddingFix)), Shared]
public sealed class UseSamePaddingFix() : LayerAttributeFix("NG0103", Title)
{
    public const string Title = "Pad the input to keep its size (PaddingMode = Padding.Same)";

    protected override AttributeSyntax? Fixed(AttributeSyntax layer, string? kind)
        => kind == "Conv2D" && NetworkSyntax.Named(layer, "Padding") is null && NetworkSyntax.Named(layer, "PaddingMode") is null
            ? NetworkSyntax.WithNamed(layer, "PaddingMode", SyntaxFactory.ParseExpression("global::NetGen.Padding.Same").WithAdditionalAnnotations(Simplifier.Annotation))
            : null;
}
