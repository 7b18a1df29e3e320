using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Codegen;

/// <summary>
/// Register-tiled products shared by the kernels of dense layers and convolutions: the dispatch over the Vector512,
/// Vector256 and scalar paths (the JIT keeps only the one the machine accelerates), the broadcast GEMM (weights in
/// PyTorch's layout as the broadcast operand) and dot products.
/// </summary>
internal static class RegisterTiles
{
    private const int RowTile = 4;

    /// <summary>Up to this many literal rows form a single register tile (6 rows × 2 vectors = 12 accumulators).</summary>
    private const int WholeTileRows = 6;

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

    internal enum AccumulatorStart
    {
        /// <summary>Start from the bias of each column (dense layers: one bias per output).</summary>
        Bias,
        /// <summary>Start from the bias of each row (convolutions: one bias per output channel).</summary>
        RowBias,
        Zero,
        Accumulate,
    }

    private enum BlockKind
    {
        Loop,
        Vector,
        Scalar,
    }

    private sealed record ColumnBlock(BlockKind Kind, int Start, int End, VectorKind? Vector);

    /// <summary>Dot products dx(r, k) (+)= Σⱼ dz(r, j) · W(k, j); row-major with strides outputs/inputs unless the index
    /// functions say otherwise.</summary>
    internal sealed record DotSpec(string Rows, int Inputs, int Outputs, string Dz, string Weights, string Dx, bool Accumulate)
    {
        /// <summary>(r, j) → index into dz.</summary>
        public Func<string, string, string>? DzIndex { get; init; }

        /// <summary>(k, j) → index into the weights.</summary>
        public Func<string, string, string>? WIndex { get; init; }

        public string DzAt(string r, string j) => DzIndex?.Invoke(r, j) ?? $"{r} * {Num(Outputs)} + {j}";

        public string WAt(string k, string j) => WIndex?.Invoke(k, j) ?? $"{k} * {Num(Outputs)} + {j}";

        public string DxAt(string r, string k) => $"{r} * {Num(Inputs)} + {k}";
    }

    /// <summary>One broadcast GEMM: C[rows × columns] (init)= Σₜ A(row, t) · B(t, :). B and C are row-major with row stride
    /// <see cref="Columns"/> unless <see cref="BIndex"/>/<see cref="CIndex"/> say otherwise (a direct convolution reads B
    /// through a table of tap offsets and writes C rows with the stride of an image).</summary>
    internal sealed record GemmSpec(string Rows, string Inner, int Columns, string A, Func<string, string, string> AIndex, string B, string C, AccumulatorStart Init)
    {
        /// <summary>(t, column) → index into B.</summary>
        public Func<string, string, string>? BIndex { get; init; }

        /// <summary>(row, column) → index into C.</summary>
        public Func<string, string, string>? CIndex { get; init; }

        public string BAt(string t, string column) => BIndex?.Invoke(t, column) ?? $"{t} * {Num(Columns)} + {column}";

        public string CAt(string row, string column) => CIndex?.Invoke(row, column) ?? $"{row} * {Num(Columns)} + {column}";
    }

    /// <summary>
    /// One block per dispatch path, each with <paramref name="body"/> for its vector kinds. A path whose code is the same
    /// as the next path's is left out: a machine that accelerates Vector512 accelerates Vector256 too, so it runs the
    /// same code under the next condition (pooling, for one, uses Vector256 on both). When every path has the same code,
    /// it is written once, unconditionally.
    /// </summary>
    internal static void EmitPaths(SourceWriter w, Action<VectorKind[]> body)
    {
        string[] bodies = Paths.Select(path => w.Capture(() => body(path.Kinds))).ToArray();
        var kept = Enumerable.Range(0, Paths.Length).Where(p => p == Paths.Length - 1 || bodies[p] != bodies[p + 1]).ToList();
        if (kept.Count == 1)
        {
            body(Paths[Paths.Length - 1].Kinds);
            return;
        }
        for (int i = 0; i < kept.Count; i++)
        {
            string condition = Paths[kept[i]].Condition;
            w.Open(i == 0 ? $"if ({condition})" : i < kept.Count - 1 ? $"else if ({condition})" : "else");
            w.Raw(bodies[kept[i]]);
            w.Close();
        }
    }

    /// <summary>C[rows × columns] (init)= Σₜ A(row, t) · B[t, :], B and C with row stride <paramref name="columns"/>.</summary>
    internal static void EmitBroadcastGemm(SourceWriter w, VectorKind[] kinds, string rows, string inner, int columns,
        string a, Func<string, string, string> aIndex, string b, string c, AccumulatorStart init)
        => EmitBroadcastGemm(w, kinds, new GemmSpec(rows, inner, columns, a, aIndex, b, c, init));

    /// <summary>The broadcast-FMA GEMM: each step broadcasts one A value per row of the tile and multiplies it into
    /// vectors of B along the columns. A literal row count of at most <see cref="WholeTileRows"/> is one tile (small
    /// convolutions: every output channel at once); otherwise tiles of <see cref="RowTile"/> rows and a one-row tail.</summary>
    internal static void EmitBroadcastGemm(SourceWriter w, VectorKind[] kinds, GemmSpec spec)
    {
        List<ColumnBlock> blocks = PlanColumns(spec.Columns, kinds);
        w.Line("int r = 0;");
        if (int.TryParse(spec.Rows, NumberStyles.None, CultureInfo.InvariantCulture, out int literalRows) && literalRows <= WholeTileRows)
        {
            EmitColumnBlocks(w, blocks, literalRows, spec);
            return;
        }
        w.Open($"for (; r + {RowTile} <= {spec.Rows}; r += {RowTile})");
        EmitColumnBlocks(w, blocks, RowTile, spec);
        w.Close();
        w.Open($"for (; r < {spec.Rows}; r++)");
        EmitColumnBlocks(w, blocks, 1, spec);
        w.Close();
    }

    private static void EmitColumnBlocks(SourceWriter w, List<ColumnBlock> blocks, int rowTile, GemmSpec spec)
    {
        foreach (ColumnBlock block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Loop:
                    int lanes = block.Vector!.Lanes;
                    OpenLoop(w, "j", block.End, 2 * lanes, block.Start);
                    EmitVectorTile(w, block.Vector, rowTile, ["j", $"j + {Num(lanes)}"], spec);
                    w.Close();
                    break;
                case BlockKind.Vector:
                    w.Open("");
                    EmitVectorTile(w, block.Vector!, rowTile, [Num(block.Start)], spec);
                    w.Close();
                    break;
                default:
                    w.Open($"for (int j = {Num(block.Start)}; j < {Num(block.End)}; j++)");
                    EmitScalarTile(w, rowTile, spec);
                    w.Close();
                    break;
            }
        }
    }

    private static void EmitVectorTile(SourceWriter w, VectorKind v, int rowTile, string[] columnStarts, GemmSpec spec)
    {
        for (int r = 0; r < rowTile; r++)
        {
            for (int q = 0; q < columnStarts.Length; q++)
            {
                string initial = spec.Init switch
                {
                    AccumulatorStart.Bias => $"{v.Type}.LoadUnsafe(ref bias, (nuint)({columnStarts[q]}))",
                    AccumulatorStart.RowBias => $"{v.Type}.Create(At(ref bias, {Row(r, rowTile)}))",
                    AccumulatorStart.Zero => $"{v.Of}.Zero",
                    _ => $"{v.Type}.LoadUnsafe(ref {spec.C}, (nuint)({spec.CAt(Row(r, rowTile), columnStarts[q])}))",
                };
                w.Line($"var acc{r}{q} = {initial};");
            }
        }
        w.Open($"for (int t = 0; t < {spec.Inner}; t++)");
        for (int q = 0; q < columnStarts.Length; q++)
        {
            w.Line($"var b{q} = {v.Type}.LoadUnsafe(ref {spec.B}, (nuint)({spec.BAt("t", columnStarts[q])}));");
        }
        for (int r = 0; r < rowTile; r++)
        {
            w.Line($"var a{r} = {v.Type}.Create(At(ref {spec.A}, {spec.AIndex(Row(r, rowTile), "t")}));");
            for (int q = 0; q < columnStarts.Length; q++)
            {
                w.Line($"acc{r}{q} = {v.Type}.FusedMultiplyAdd(a{r}, b{q}, acc{r}{q});");
            }
        }
        w.Close();
        for (int r = 0; r < rowTile; r++)
        {
            for (int q = 0; q < columnStarts.Length; q++)
            {
                w.Line($"{v.Type}.StoreUnsafe(acc{r}{q}, ref {spec.C}, (nuint)({spec.CAt(Row(r, rowTile), columnStarts[q])}));");
            }
        }
    }

    private static void EmitScalarTile(SourceWriter w, int rowTile, GemmSpec spec)
    {
        for (int r = 0; r < rowTile; r++)
        {
            string initial = spec.Init switch
            {
                AccumulatorStart.Bias => "At(ref bias, j)",
                AccumulatorStart.RowBias => $"At(ref bias, {Row(r, rowTile)})",
                AccumulatorStart.Zero => "0f",
                _ => $"At(ref {spec.C}, {spec.CAt(Row(r, rowTile), "j")})",
            };
            w.Line($"float acc{r} = {initial};");
        }
        w.Open($"for (int t = 0; t < {spec.Inner}; t++)");
        w.Line($"float bt = At(ref {spec.B}, {spec.BAt("t", "j")});");
        for (int r = 0; r < rowTile; r++)
        {
            w.Line($"acc{r} += At(ref {spec.A}, {spec.AIndex(Row(r, rowTile), "t")}) * bt;");
        }
        w.Close();
        for (int r = 0; r < rowTile; r++)
        {
            w.Line($"At(ref {spec.C}, {spec.CAt(Row(r, rowTile), "j")}) = acc{r};");
        }
    }

    /// <summary>dx[r, k] (+)= Σⱼ dz[r, j] · W[k, j] for r &lt; rows, k &lt; inputs, j &lt; outputs: tiles of 2 rows × 4
    /// inputs, vectors along j.</summary>
    internal static void EmitDotProducts(SourceWriter w, VectorKind[] kinds, string rows, int inputs, int outputs, string dz, string weights, string dx, bool accumulate)
        => EmitDotProducts(w, kinds, new DotSpec(rows, inputs, outputs, dz, weights, dx, accumulate));

    internal static void EmitDotProducts(SourceWriter w, VectorKind[] kinds, DotSpec spec)
    {
        VectorKind? v = Array.Find(kinds, k => k.Lanes <= spec.Outputs);
        int full = v is null ? 0 : spec.Outputs / v.Lanes * v.Lanes;
        w.Line("int r = 0;");
        foreach (int rowTile in new[] { 2, 1 })
        {
            w.Open(rowTile == 2 ? $"for (; r + 2 <= {spec.Rows}; r += 2)" : $"for (; r < {spec.Rows}; r++)");
            w.Line("int k = 0;");
            foreach (int inputTile in new[] { 4, 1 })
            {
                w.Open(inputTile == 4 ? $"for (; k + 4 <= {Num(spec.Inputs)}; k += 4)" : $"for (; k < {Num(spec.Inputs)}; k++)");
                EmitDotTile(w, v, full, rowTile, inputTile, spec);
                w.Close();
            }
            w.Close();
        }
    }

    private static void EmitDotTile(SourceWriter w, VectorKind? v, int full, int rowTile, int inputTile, DotSpec spec)
    {
        if (v is not null && full > 0)
        {
            for (int r = 0; r < rowTile; r++)
            {
                for (int q = 0; q < inputTile; q++)
                {
                    w.Line($"var acc{r}{q} = {v.Of}.Zero;");
                }
            }
            OpenLoop(w, "j", full, v.Lanes);
            for (int r = 0; r < rowTile; r++)
            {
                w.Line($"var d{r} = {v.Type}.LoadUnsafe(ref {spec.Dz}, (nuint)({spec.DzAt(Row(r, rowTile), "j")}));");
            }
            for (int q = 0; q < inputTile; q++)
            {
                w.Line($"var w{q} = {v.Type}.LoadUnsafe(ref {spec.Weights}, (nuint)({spec.WAt(Input(q, inputTile), "j")}));");
                for (int r = 0; r < rowTile; r++)
                {
                    w.Line($"acc{r}{q} = {v.Type}.FusedMultiplyAdd(d{r}, w{q}, acc{r}{q});");
                }
            }
            w.Close();
        }
        for (int r = 0; r < rowTile; r++)
        {
            for (int q = 0; q < inputTile; q++)
            {
                w.Line(v is not null && full > 0 ? $"float sum{r}{q} = {v.Type}.Sum(acc{r}{q});" : $"float sum{r}{q} = 0f;");
            }
        }
        if (full < spec.Outputs)
        {
            w.Open($"for (int j = {Num(full)}; j < {Num(spec.Outputs)}; j++)");
            for (int r = 0; r < rowTile; r++)
            {
                w.Line($"float d{r} = At(ref {spec.Dz}, {spec.DzAt(Row(r, rowTile), "j")});");
            }
            for (int q = 0; q < inputTile; q++)
            {
                w.Line($"float w{q} = At(ref {spec.Weights}, {spec.WAt(Input(q, inputTile), "j")});");
                for (int r = 0; r < rowTile; r++)
                {
                    w.Line($"sum{r}{q} += d{r} * w{q};");
                }
            }
            w.Close();
        }
        for (int r = 0; r < rowTile; r++)
        {
            for (int q = 0; q < inputTile; q++)
            {
                w.Line($"At(ref {spec.Dx}, {spec.DxAt(Row(r, rowTile), Input(q, inputTile))}) {(spec.Accumulate ? "+=" : "=")} sum{r}{q};");
            }
        }
    }

    /// <summary>Column blocks for one path: a loop over tiles of two widest vectors, then at most one vector of each
    /// width that still fits, then scalar columns.</summary>
    private static List<ColumnBlock> PlanColumns(int columns, VectorKind[] kinds)
    {
        var blocks = new List<ColumnBlock>();
        int j = 0;
        if (kinds.Length > 0)
        {
            int tile = 2 * kinds[0].Lanes;
            int loopEnd = columns / tile * tile;
            if (loopEnd > 0)
            {
                blocks.Add(new ColumnBlock(BlockKind.Loop, 0, loopEnd, kinds[0]));
                j = loopEnd;
            }
            foreach (VectorKind v in kinds)
            {
                if (columns - j >= v.Lanes)
                {
                    blocks.Add(new ColumnBlock(BlockKind.Vector, j, j + v.Lanes, v));
                    j += v.Lanes;
                }
            }
        }
        if (j < columns)
        {
            blocks.Add(new ColumnBlock(BlockKind.Scalar, j, columns, null));
        }
        return blocks;
    }

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

    private static string Row(int r, int rowTile) => rowTile == 1 ? "r" : $"(r + {Num(r)})";

    private static string Input(int q, int inputTile) => inputTile == 1 ? "k" : $"(k + {Num(q)})";
}
