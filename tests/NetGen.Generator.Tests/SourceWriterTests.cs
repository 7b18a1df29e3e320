using NetGen.Generator.Codegen;
using Xunit;

namespace NetGen.Generator.Tests;

public sealed class SourceWriterTests
{
    [Fact]
    public void A_short_line_stays_whole()
        => Assert.Equal(["Kernels.Forward(ref x, ref z, n);"], SourceWriter.Wrap("Kernels.Forward(ref x, ref z, n);", 40));

    [Fact]
    public void Code_wraps_after_the_call_and_between_its_arguments()
        => Assert.Equal(
            ["Kernels.Forward(ref Unsafe.Add(ref x, start * 784),", "    ref Unsafe.Add(ref p, 0), n);"],
            SourceWriter.Wrap("Kernels.Forward(ref Unsafe.Add(ref x, start * 784), ref Unsafe.Add(ref p, 0), n);", 56));

    [Fact]
    public void A_trailing_comment_goes_before_the_code()
        => Assert.Equal(["// fc1: x · Wᵀ + bias", "Forward(ref x, ref z,", "    n);"], SourceWriter.Wrap("Forward(ref x, ref z, n); // fc1: x · Wᵀ + bias", 22));

    [Fact]
    public void A_string_is_never_cut()
        => Assert.Equal(["Throw(", "    \"a, b, c, d\");"], SourceWriter.Wrap("Throw(\"a, b, c, d\");", 19));

    [Fact]
    public void Statements_and_declarators_wrap_apart()
        => Assert.Equal(["var a = F(x), b = F(y);", "Store(a);"], SourceWriter.Wrap("var a = F(x), b = F(y); Store(a);", 24));

    [Fact]
    public void A_comment_wraps_at_spaces_keeping_its_prefix()
        => Assert.Equal(["/// <summary>One two three", "/// four.</summary>"], SourceWriter.Wrap("/// <summary>One two three four.</summary>", 26));

    [Fact]
    public void Wrapped_lines_keep_the_indent()
    {
        var w = new SourceWriter();
        w.Open("class C");
        w.Line("// " + new string('x', 100) + " " + new string('y', 100));
        w.Close();
        Assert.Equal("class C\n{\n    // " + new string('x', 100) + "\n    // " + new string('y', 100) + "\n}\n", w.ToString());
    }

    /// <summary>A line of a raw block (a raw string literal) brings indentation of its own; its continuations keep it
    /// and indent one level more, and the width counts it.</summary>
    [Fact]
    public void A_raw_line_keeps_its_own_indentation_when_wrapped()
    {
        var w = new SourceWriter();
        w.Open("class C");
        w.Lines("    throw new Exception(\"" + new string('x', 100) + "\", \"" + new string('y', 40) + "\");");
        w.Close();
        Assert.Equal("class C\n{\n        throw new Exception(\"" + new string('x', 100) + "\",\n            \"" + new string('y', 40) + "\");\n}\n",
            w.ToString());
    }

    /// <summary>A body captured for comparison comes back one level deeper and leaves the writer as it was.</summary>
    [Fact]
    public void Capture_returns_a_block_body_without_writing_it()
    {
        var w = new SourceWriter();
        w.Open("class C");
        string body = w.Capture(() => w.Line("int x;"));
        w.Raw(body);
        w.Close();
        Assert.Equal("        int x;\n", body);
        Assert.Equal("class C\n{\n        int x;\n}\n", w.ToString());
    }
}
