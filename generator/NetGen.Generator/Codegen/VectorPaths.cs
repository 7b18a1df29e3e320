using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Codegen;

/// <summary>
/// The dispatch over vector widths that generated kernels are written out for: the Vector512, Vector256 and scalar
/// paths (the JIT keeps only the one the machine accelerates), and the vector kinds each path may use.
/// </summary>
internal static class VectorPaths
{
    internal sealed record VectorKind(string Name, int Lanes)
    {
        /// <summary>The static class of this width's operations (the generated file imports System.Runtime.Intrinsics).</summary>
        public string Type => Name;

        public string Of => $"{Name}<float>";
    }

    internal static readonly VectorKind V512 = new("Vector512", 16);
    private static readonly VectorKind V256 = new("Vector256", 8);
    private static readonly VectorKind V128 = new("Vector128", 4);

    /// <summary>The widest vectors each dispatch path may use, widest first; the scalar path uses none.</summary>
    internal static readonly (string Condition, VectorKind[] Kinds)[] Paths =
    [
        ("Vector512.IsHardwareAccelerated", [V512, V256, V128]),
        ("Vector256.IsHardwareAccelerated", [V256, V128]),
        ("", []),
    ];

    /// <summary>Opens <c>for (int index = first; index &lt; end; index += step)</c>, or a block that sets the index once when
    /// the loop would run once (a generated loop never runs a single time).</summary>
    internal static void OpenLoop(SourceWriter w, string index, int end, int step, int first = 0)
    {
        if (end - first <= step)
        {
            w.Open("");
            w.Line($"int {index} = {Num(first)};");
            return;
        }
        w.Open($"for (int {index} = {Num(first)}; {index} < {Num(end)}; {index} += {Num(step)})");
    }
}
