using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Codegen;

/// <summary>
/// An index or extent of the kernel model: a literal plus integer multiples of the kernel's symbols (its loop variables,
/// the batch size <c>n</c>), kept as terms so that a backend can fold, compare and render it in its own syntax. Terms keep
/// the order they were first added in; two indexes are equal when they have the same terms and constant.
/// </summary>
internal sealed class AffineIndex : IEquatable<AffineIndex>
{
    private readonly (string Symbol, int Coefficient)[] _terms;

    private AffineIndex((string Symbol, int Coefficient)[] terms, int constant)
    {
        _terms = terms;
        Constant = constant;
    }

    public static AffineIndex Zero { get; } = new([], 0);

    /// <summary>The literal <paramref name="value"/>.</summary>
    public static AffineIndex Of(int value) => new([], value);

    /// <summary><paramref name="coefficient"/> times the symbol <paramref name="name"/>.</summary>
    public static AffineIndex Symbol(string name, int coefficient = 1) => coefficient == 0 ? Zero : new([(name, coefficient)], 0);

    /// <summary>The symbols with their coefficients, none of them 0.</summary>
    public IReadOnlyList<(string Symbol, int Coefficient)> Terms => _terms;

    public int Constant { get; }

    /// <summary>The value when the index has no symbol, else null.</summary>
    public int? Literal => _terms.Length == 0 ? Constant : null;

    public static AffineIndex operator +(AffineIndex left, AffineIndex right)
    {
        var terms = new List<(string Symbol, int Coefficient)>(left._terms);
        foreach ((string symbol, int coefficient) in right._terms)
        {
            int at = terms.FindIndex(term => term.Symbol == symbol);
            if (at < 0)
            {
                terms.Add((symbol, coefficient));
            }
            else
            {
                terms[at] = (symbol, terms[at].Coefficient + coefficient);
            }
        }
        return new([.. terms.Where(term => term.Coefficient != 0)], left.Constant + right.Constant);
    }

    public static AffineIndex operator +(AffineIndex left, int right) => new(left._terms, left.Constant + right);

    public static AffineIndex operator -(AffineIndex left, AffineIndex right) => left + right * -1;

    public static AffineIndex operator *(AffineIndex index, int factor)
        => factor == 0 ? Zero : new([.. index._terms.Select(term => (term.Symbol, term.Coefficient * factor))], index.Constant * factor);

    public static AffineIndex Add(AffineIndex left, AffineIndex right) => left + right;

    public static AffineIndex Multiply(AffineIndex index, int factor) => index * factor;

    public static AffineIndex Subtract(AffineIndex left, AffineIndex right) => left - right;

    /// <summary>The index as a C# expression: <c>j + c + 16</c>, <c>kEnd - k0</c>, <c>r * 784</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach ((string symbol, int coefficient) in _terms)
        {
            int magnitude = Math.Abs(coefficient);
            string term = magnitude == 1 ? symbol : $"{symbol} * {Num(magnitude)}";
            text.Append(text.Length == 0 ? (coefficient < 0 ? "-" + term : term) : (coefficient < 0 ? " - " : " + ") + term);
        }
        if (text.Length == 0)
        {
            return Num(Constant);
        }
        if (Constant != 0)
        {
            text.Append(Constant < 0 ? " - " : " + ").Append(Num(Math.Abs((long)Constant)));
        }
        return text.ToString();
    }

    public bool Equals(AffineIndex? other)
        => other is not null && Constant == other.Constant && _terms.SequenceEqual(other._terms);

    public override bool Equals(object? obj) => Equals(obj as AffineIndex);

    public override int GetHashCode() => ToString().GetHashCode();
}

/// <summary>A condition of the kernel model: two indexes are equal (<c>k0 == 0</c>: the first block of inputs).</summary>
internal sealed record IndexesEqual(AffineIndex Left, AffineIndex Right)
{
    public override string ToString() => $"{Left} == {Right}";
}
