using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.Network;

/// <summary>
/// The parse step as the IDE runs it, once per keystroke. Every edit makes a new compilation, and binding a class's
/// attributes again (what <c>ForAttributeWithMetadataName</c> does for every [Network] class before any of our code runs)
/// is almost all of an unchanged edit's cost. So [Network] classes are found by syntax, and a class's
/// <see cref="ParseResult"/> is reused while nothing it was read from can have changed:
/// <list type="bullet">
/// <item>its declarations are the same nodes (an edited file is a new tree, so any edit to the class, or to another part of
/// a partial class, parses it again), and only this one carries attributes;</item>
/// <item>every name its attributes use — attribute names, and the left side of <c>Activation.ReLU</c> — looks up to the
/// same symbols, all from referenced assemblies. Compilations share those symbols while the references stay the same;
/// a symbol declared in source is new in every compilation, so a name that finds one (a user's own
/// <c>DenseAttribute</c>, an alias, a constant) makes the class parse every time;</item>
/// <item>every argument is a literal or such a member, so no value comes from another file.</item>
/// </list>
/// Anything else parses every time, exactly as before. Entries are keyed weakly on the class's node, so they go with
/// its tree.
/// </summary>
internal sealed class NetworkParseCache
{
    private const string NetworkName = "Network";
    private const string AttributeSuffix = "Attribute";

    private readonly ConditionalWeakTable<ClassDeclarationSyntax, Slot> _slots = new();
    private readonly ConditionalWeakTable<Compilation, ImmutableHashSet<string>> _globalAliases = new();

    /// <summary>How many classes were parsed in full (tests check that an unchanged edit parses none).</summary>
    public int FullParses => Volatile.Read(ref _fullParses);

    private int _fullParses;

    public static bool IsCandidate(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax { AttributeLists.Count: > 0 };

    /// <summary>The parse of the class at <paramref name="context"/>, or null when it carries no NetGen [Network].</summary>
    public ParseResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        SemanticModel model = context.SemanticModel;
        if (!MayCarryNetworkAttribute(declaration, model.Compilation)
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } symbol)
        {
            return null;
        }

        ImmutableArray<SyntaxReference> declarations = symbol.DeclaringSyntaxReferences;
        Slot slot = _slots.GetValue(declaration, static _ => new Slot());
        Entry? entry = slot.Entry;
        if (entry is not null && entry.StillHolds(declarations, model, cancellationToken))
        {
            return entry.Result;
        }

        Interlocked.Increment(ref _fullParses);
        ParseResult? result = CarriesNetworkAttribute(symbol, declaration, cancellationToken)
            ? NetworkParser.Parse(symbol, declaration, cancellationToken)
            : null;
        slot.Entry = Entry.TryCreate(result, declaration, declarations, model, cancellationToken);
        return result;
    }

    /// <summary>Syntax only: an attribute named Network or NetworkAttribute, or an alias whose target is named so.</summary>
    private bool MayCarryNetworkAttribute(ClassDeclarationSyntax declaration, Compilation compilation)
    {
        ImmutableHashSet<string>? aliases = null;
        foreach (AttributeListSyntax list in declaration.AttributeLists)
        {
            foreach (AttributeSyntax attribute in list.Attributes)
            {
                string name = RightmostName(attribute.Name);
                if (NamesNetworkAttribute(name))
                {
                    return true;
                }
                aliases ??= GlobalAliases(compilation);
                if (aliases.Contains(name) || IsLocalNetworkAlias(name, declaration))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool NamesNetworkAttribute(string name) => name is NetworkName or NetworkName + AttributeSuffix;

    private static string RightmostName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => "",
    };

    private static bool IsNetworkAlias(UsingDirectiveSyntax directive, string name)
        => directive.Alias?.Name.Identifier.ValueText == name && directive.Name is { } target && NamesNetworkAttribute(RightmostName(target));

    private static bool IsLocalNetworkAlias(string name, SyntaxNode node)
    {
        for (SyntaxNode? scope = node.Parent; scope is not null; scope = scope.Parent)
        {
            SyntaxList<UsingDirectiveSyntax> usings = scope switch
            {
                BaseNamespaceDeclarationSyntax ns => ns.Usings,
                CompilationUnitSyntax unit => unit.Usings,
                _ => default,
            };
            if (usings.Any(u => IsNetworkAlias(u, name)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The names of <c>global using X = ….NetworkAttribute;</c> anywhere in the compilation, found once per
    /// compilation and only when a class has an attribute of another name.</summary>
    private ImmutableHashSet<string> GlobalAliases(Compilation compilation)
        => _globalAliases.GetValue(compilation, static c => c.SyntaxTrees
            .SelectMany(tree => ((CompilationUnitSyntax)tree.GetRoot()).Usings)
            .Where(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && u.Alias is not null && u.Name is { } target && NamesNetworkAttribute(RightmostName(target)))
            .Select(u => u.Alias!.Name.Identifier.ValueText)
            .ToImmutableHashSet(StringComparer.Ordinal));

    /// <summary>What ForAttributeWithMetadataName checks: NetGen's [Network] is applied on this declaration.</summary>
    private static bool CarriesNetworkAttribute(INamedTypeSymbol symbol, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
        => symbol.GetAttributes().Any(a =>
            a.AttributeClass is { Name: NetworkName + AttributeSuffix, ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } }
            && a.ApplicationSyntaxReference is { } reference
            && reference.SyntaxTree == declaration.SyntaxTree
            && declaration.Span.Contains(reference.Span)
            && reference.GetSyntax(cancellationToken) is not null);

    /// <summary>Holds a class's latest entry; replaced whole, so readers on other threads see one entry or the other.</summary>
    private sealed class Slot
    {
        private Entry? _entry;

        public Entry? Entry
        {
            get => Volatile.Read(ref _entry);
            set => Volatile.Write(ref _entry, value);
        }
    }

    private sealed class Entry
    {
        private readonly (SyntaxTree Tree, TextSpan Span)[] _declarations;
        private readonly (int Position, string Name, ImmutableArray<ISymbol> Symbols)[] _lookups;

        private Entry(ParseResult? result, (SyntaxTree, TextSpan)[] declarations, (int, string, ImmutableArray<ISymbol>)[] lookups)
        {
            Result = result;
            _declarations = declarations;
            _lookups = lookups;
        }

        public ParseResult? Result { get; }

        /// <summary>An entry for <paramref name="result"/>, or null when the class's attributes could mean something
        /// else in a compilation whose other files differ.</summary>
        public static Entry? TryCreate(ParseResult? result, ClassDeclarationSyntax declaration, ImmutableArray<SyntaxReference> declarations,
            SemanticModel model, CancellationToken cancellationToken)
        {
            // Attributes on another part of a partial class bind in that file's scope, and a nested class's in its
            // container's: those classes parse every time.
            if (declaration.Parent is TypeDeclarationSyntax
                || declarations.Any(d => IsOtherPartWithAttributes(d, declaration, cancellationToken))
                || NamesUsed(declaration) is not { } names)
            {
                return null;
            }
            int position = declaration.AttributeLists[0].SpanStart;
            var lookups = new (int, string, ImmutableArray<ISymbol>)[names.Count];
            int i = 0;
            foreach (string name in names)
            {
                ImmutableArray<ISymbol> symbols = model.LookupSymbols(position, container: null, name);
                if (!symbols.All(symbol => IsFromReference(symbol, model.Compilation)))
                {
                    return null;
                }
                lookups[i++] = (position, name, symbols);
            }
            return new Entry(result, [.. declarations.Select(d => (d.SyntaxTree, d.Span))], lookups);
        }

        public bool StillHolds(ImmutableArray<SyntaxReference> declarations, SemanticModel model, CancellationToken cancellationToken)
        {
            if (declarations.Length != _declarations.Length)
            {
                return false;
            }
            for (int i = 0; i < declarations.Length; i++)
            {
                if (declarations[i].SyntaxTree != _declarations[i].Tree || declarations[i].Span != _declarations[i].Span)
                {
                    return false;
                }
            }
            foreach ((int position, string name, ImmutableArray<ISymbol> symbols) in _lookups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!model.LookupSymbols(position, container: null, name).SequenceEqual(symbols, SymbolEqualityComparer.Default))
                {
                    return false;
                }
            }
            return true;
        }

        private static bool IsOtherPartWithAttributes(SyntaxReference part, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
            => (part.SyntaxTree != declaration.SyntaxTree || part.Span != declaration.Span)
                && part.GetSyntax(cancellationToken) is TypeDeclarationSyntax { AttributeLists.Count: > 0 };

        /// <summary>A type or member of a referenced assembly: the same object in every compilation that shares the
        /// reference, and a new one when the reference changes. (A namespace merges source and references, and an alias
        /// is source, so neither qualifies.)</summary>
        private static bool IsFromReference(ISymbol symbol, Compilation compilation)
            => symbol.Kind is not SymbolKind.Namespace and not SymbolKind.Alias
                && symbol.ContainingAssembly is { } assembly
                && !SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly);

        /// <summary>Every name the class's attributes look up, or null when an attribute or argument is not of the
        /// self-contained forms (a simple attribute name; literals, and <c>Type.Member</c>).</summary>
        private static SortedSet<string>? NamesUsed(ClassDeclarationSyntax declaration)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (AttributeSyntax attribute in declaration.AttributeLists.SelectMany(l => l.Attributes))
            {
                if (attribute.Name is not IdentifierNameSyntax { Identifier.ValueText: var name })
                {
                    return null;
                }
                names.Add(name);
                names.Add(name + AttributeSuffix);
                foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
                {
                    switch (argument.Expression)
                    {
                        case LiteralExpressionSyntax:
                        case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression or (int)SyntaxKind.UnaryPlusExpression, Operand: LiteralExpressionSyntax }:
                            break;
                        case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Expression: IdentifierNameSyntax type, Name: IdentifierNameSyntax }:
                            names.Add(type.Identifier.ValueText);
                            break;
                        default:
                            return null;
                    }
                }
            }
            return names;
        }
    }
}
