using NetGen.Generator.Codegen;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The kernel model's indexes: terms merge and cancel, literals fold, and the C# rendering reads as written.</summary>
public sealed class AffineIndexTests
{
    [Fact]
    public void Terms_merge_in_the_order_first_added_and_render_as_CSharp()
    {
        AffineIndex index = AffineIndex.Symbol("j") + AffineIndex.Symbol("c") + 16 + AffineIndex.Symbol("j", 2);
        Assert.Equal("j * 3 + c + 16", index.ToString());
        Assert.Null(index.Literal);
        Assert.Equal("kEnd - k0", (AffineIndex.Symbol("kEnd") - AffineIndex.Symbol("k0")).ToString());
        Assert.Equal("-k0 - 4", ((AffineIndex.Symbol("k0") + 4) * -1).ToString());
        Assert.Equal("r * 784", AffineIndex.Symbol("r", 784).ToString());
    }

    [Fact]
    public void Cancelled_symbols_leave_a_literal()
    {
        AffineIndex index = AffineIndex.Symbol("k0", 32) + 5 - AffineIndex.Symbol("k0", 32);
        Assert.Equal(5, index.Literal);
        Assert.Equal("5", index.ToString());
        Assert.Equal(AffineIndex.Zero, AffineIndex.Symbol("t", 0));
        Assert.Equal("0", AffineIndex.Zero.ToString());
    }

    [Fact]
    public void Equal_indexes_are_equal_and_hash_alike()
    {
        AffineIndex a = AffineIndex.Symbol("c") + 8, b = AffineIndex.Of(8) + AffineIndex.Symbol("c");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, AffineIndex.Symbol("c") + 16);
        Assert.Equal("k0 == 0", new IndexesEqual(AffineIndex.Symbol("k0"), AffineIndex.Zero).ToString());
    }
}
