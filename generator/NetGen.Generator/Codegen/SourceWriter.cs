using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Codegen;

/// <summary>Writes indented C# (4 spaces). Blocks must close: <see cref="ToString"/> asserts the indent is back at 0.</summary>
internal sealed class SourceWriter
{
    /// <summary>The longest line generated code should have, indentation included.</summary>
    public const int MaxLineLength = 160;

    private StringBuilder _builder = new();
    private int _indent;

    /// <summary>Columns of indentation of the next line.</summary>
    public int Indent => _indent * 4;

    /// <summary>Writes <paramref name="text"/> at the current indent; a line longer than <see cref="MaxLineLength"/> is
    /// wrapped (<see cref="Wrap"/>).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        // A line of a raw block brings its own indentation beyond the writer's; its continuations keep it.
        int own = text.Length - text.TrimStart(' ').Length;
        foreach (string line in Wrap(text.Substring(own), MaxLineLength - Indent - own))
        {
            _builder.Append(' ', _indent * 4 + own).Append(line).Append('\n');
        }
        return this;
    }

    /// <summary>
    /// A line cut to lines of at most <paramref name="width"/> characters where it can be: a comment at spaces, each
    /// piece with the comment's prefix; a trailing comment onto a line of its own before the code; statements apart; a
    /// statement after the opening parenthesis of its outermost call and after the commas between arguments and between
    /// declarators, the continuations indented one level. A piece with no such place stays whole.
    /// </summary>
    internal static List<string> Wrap(string text, int width)
    {
        if (text.Length <= width)
        {
            return [text];
        }
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            int space = trimmed.IndexOf(' ');
            string prefix = space < 0 ? trimmed : trimmed.Substring(0, space + 1);
            return Pack([.. trimmed.Substring(prefix.Length).Split(' ').Select(word => (word, " "))], prefix, prefix, width);
        }
        var statements = new List<string>();
        var pieces = new List<(string Text, string Before)>();
        // Commas split at the outermost depth they occur at: between a call's arguments, not inside one of them.
        int commaDepth = OutermostCommaDepth(text);
        int depth = 0, start = 0, statement = 0;
        string before = "";
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                i = EndOfString(text, i);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                // A trailing comment goes before the code it describes.
                List<string> lines = Wrap(text.Substring(i), width);
                lines.AddRange(Wrap(text.Substring(0, i).TrimEnd(), width));
                return lines;
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
                if (c == '(' && depth == 1 && commaDepth != 0 && pieces.Count == statement)
                {
                    pieces.Add((text.Substring(start, i + 1 - start), before));
                    (start, before) = (i + 1, "");
                }
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == ',' && depth == commaDepth && i + 1 < text.Length && text[i + 1] == ' ')
            {
                pieces.Add((text.Substring(start, i + 1 - start), before));
                (start, before) = (i + 2, " ");
            }
            else if (c == ';' && depth == 0 && i + 1 < text.Length && text[i + 1] == ' ')
            {
                pieces.Add((text.Substring(start, i + 1 - start), before));
                statements.AddRange(Pack(pieces.Skip(statement), "", "    ", width));
                statement = pieces.Count;
                (start, before) = (i + 2, "");
            }
        }
        pieces.Add((text.Substring(start), before));
        statements.AddRange(Pack(pieces.Skip(statement), "", "    ", width));
        return statements;
    }

    /// <summary>The index of the quote that closes the string literal (regular or interpolated) opened at
    /// <paramref name="quote"/>; generated code escapes quotes inside a literal as \".</summary>
    private static int EndOfString(string text, int quote)
    {
        int i = quote + 1;
        for (; i < text.Length && text[i] != '"'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
        }
        return i;
    }

    /// <summary>The least bracket depth (at most 1) at which a comma followed by a space stands in the code part of
    /// <paramref name="text"/>, or -1 when none does.</summary>
    private static int OutermostCommaDepth(string text)
    {
        int depth = 0, outermost = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                i = EndOfString(text, i);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                break;
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == ',' && depth <= 1 && i + 1 < text.Length && text[i + 1] == ' ' && (outermost < 0 || depth < outermost))
            {
                outermost = depth;
            }
        }
        return outermost;
    }

    /// <summary>Joins the pieces, each after its separator, into lines of at most <paramref name="width"/> characters (a
    /// piece longer than that gets a line of its own), the first line after <paramref name="first"/>, the others after
    /// <paramref name="rest"/>.</summary>
    private static List<string> Pack(IEnumerable<(string Text, string Before)> pieces, string first, string rest, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder(first);
        bool empty = true;
        foreach ((string piece, string before) in pieces)
        {
            if (!empty && line.Length + before.Length + piece.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(rest);
                empty = true;
            }
            line.Append(empty ? "" : before).Append(piece);
            empty = false;
        }
        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>The text <paramref name="write"/> writes one level deeper (a block's body), returned instead of written,
    /// so that a caller can compare bodies before writing them (<see cref="Raw"/>).</summary>
    public string Capture(Action write)
    {
        StringBuilder saved = _builder;
        int indent = _indent;
        _builder = new StringBuilder();
        _indent++;
        try
        {
            write();
            if (_indent != indent + 1)
            {
                throw new InvalidOperationException("Unbalanced block in captured generated source.");
            }
            return _builder.ToString();
        }
        finally
        {
            _builder = saved;
            _indent = indent;
        }
    }

    /// <summary>Writes text captured by <see cref="Capture"/> inside a block opened at the same indent.</summary>
    public SourceWriter Raw(string text)
    {
        _builder.Append(text);
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
