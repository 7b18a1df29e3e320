using System;
using System.Text;

namespace NetGen.Generator.Codegen;

/// <summary>Writes indented C# (4 spaces). Blocks must close: <see cref="ToString"/> asserts the indent is back at 0.</summary>
internal sealed class SourceWriter
{
    /// <summary>The longest line generated code should have, indentation included.</summary>
    public const int MaxLineLength = 160;

    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Columns of indentation of the next line.</summary>
    public int Indent => _indent * 4;

    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
        return this;
    }

    /// <summary>Writes each line of a multi-line block (a raw string literal) at the current indent.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (none when empty: a bare block) and an opening brace, and indents.</summary>
    public SourceWriter Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        if (_indent < 0)
        {
            throw new InvalidOperationException("Unbalanced block in generated source.");
        }
        return Line("}" + suffix);
    }

    public override string ToString()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException($"Generated source ended at indent {_indent}, not 0.");
        }
        return _builder.ToString();
    }
}
