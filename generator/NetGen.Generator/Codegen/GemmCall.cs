using System;
using System.Collections.Generic;
using System.Linq;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.VectorPaths;

namespace NetGen.Generator.Codegen;

/// <summary>
/// One operand of a <see cref="GemmCall"/>: its element at (row i, step t) is <c>Reference[Offset + i·Row + t·Step]</c>.
/// Strides are literals; the offset an <see cref="AffineIndex"/> of the kernel's loop variables (a panel's first column,
/// a block's first input).
/// </summary>
internal sealed record GemmOperand(string Reference, AffineIndex Offset, int Row, int Step)
{
    /// <summary>The operand as the argument of the runtime's <c>RegisterTile</c>: a <c>TileOperand</c>.</summary>
    public string Argument
        => $"new({(Offset.Literal == 0 ? $"ref {Reference}" : $"ref Unsafe.Add(ref {Reference}, {Offset})")}, {Num(Row)}, {Num(Step)})";
}

/// <summary>
/// A register-tiled broadcast GEMM over whole rows: <c>C[i, q] (start)= Σ_t A[i, t] · B[t, q]</c> for i &lt; <see cref="Rows"/>,
/// units q &lt; <see cref="Units"/> (one vector of <see cref="Kind"/>, or one column when it is null) and t &lt;
/// <see cref="Inner"/>; unit q of B and C lies <see cref="UnitOffset"/>·q floats after unit 0. The accumulators start from
/// <see cref="Start"/> (zero when null); <see cref="Activated"/>, when given, receives ReLU or Leaky ReLU
/// (<see cref="Alpha"/>) of the results. The CPU backend emits it as one call of the runtime's <c>RegisterTile</c>, whose
/// tiles of <see cref="TileRows"/> rows keep the accumulators in registers.
/// </summary>
internal sealed record GemmCall(
    string Summary,
    AffineIndex Rows,
    int TileRows,
    AffineIndex Inner,
    VectorKind? Kind,
    bool FusedScalars,
    int Units,
    int UnitOffset,
    GemmOperand A,
    GemmOperand B,
    GemmOperand C)
{
    /// <summary>Where the accumulators start (laid out as C); null: zero. With <see cref="StartCondition"/>, the start when
    /// the condition holds (the first block of inputs), <see cref="OtherwiseStart"/> when it does not.</summary>
    public GemmOperand? Start { get; init; }

    public IndexesEqual? StartCondition { get; init; }

    public GemmOperand? OtherwiseStart { get; init; }

    public GemmOperand? Activated { get; init; }

    /// <summary>When the activation is written (the last block of inputs); null: always.</summary>
    public IndexesEqual? ActivationCondition { get; init; }

    public float Alpha { get; init; }

    /// <summary>The runtime entry point for the unit type.</summary>
    public string Method => Kind?.Lanes switch
    {
        16 => "Gemm512",
        8 => "Gemm256",
        4 => "Gemm128",
        null => FusedScalars ? "GemmFusedScalar" : "GemmScalar",
        _ => throw new InvalidOperationException($"No register tile for {Kind.Name} of {Kind.Lanes} lanes."),
    };

    /// <summary>Reductions shorter than this many steps are written out with literal strides when
    /// <see cref="WriteOutShortReduction"/> says so: a runtime tile's setup (one call, its row references) would be a
    /// large share of so little work.</summary>
    public const int ShortestRuntimeReduction = 32;

    /// <summary>Whether a reduction shorter than <see cref="ShortestRuntimeReduction"/> is written out: worth its code
    /// where the GEMM is a large share of the pass (the kernel decides); true unless told otherwise.</summary>
    public bool WriteOutShortReduction { get; init; } = true;

    /// <summary>Whether <see cref="Emit"/> writes the tiles out instead of calling the runtime.</summary>
    public bool WrittenOut => WriteOutShortReduction && Inner.Literal is int steps && steps < ShortestRuntimeReduction;

    public void Emit(SourceWriter w)
    {
        if (WrittenOut)
        {
            EmitWrittenOut(w);
            return;
        }
        string start = StartCondition is not null
            ? $"{StartCondition} ? {Start?.Argument ?? "default"} : {OtherwiseStart?.Argument ?? "default"}"
            : Start?.Argument ?? "default";
        string activated = Activated is null ? "default"
            : ActivationCondition is null ? Activated.Argument
            : $"{ActivationCondition} ? {Activated.Argument} : default";
        w.Line($"// {Summary}");
        w.Line($"RegisterTile.{Method}({Rows}, {Num(TileRows)}, {Inner}, {Num(Units)}, {Num(UnitOffset)},");
        w.Line($"    {A.Argument}, {B.Argument}, {C.Argument},");
        w.Line($"    {start}, {activated}, {Float(Alpha)});");
    }

    /// <summary>The same GEMM with literal strides: tiles of <see cref="TileRows"/> rows, then the rows left one at a time
    /// (a short reduction's tail is cheap), each tile row on one line.</summary>
    private void EmitWrittenOut(SourceWriter w)
    {
        w.Line($"// {Summary}");
        w.Open("");
        w.Line("int r = 0;");
        if (TileRows > 1)
        {
            w.Open($"for (; r + {Num(TileRows)} <= {Rows}; r += {Num(TileRows)})");
            EmitTile(w, TileRows);
            w.Close();
        }
        w.Open($"for (; r < {Rows}; r++)");
        EmitTile(w, 1);
        w.Close();
        w.Close();
    }

    private void EmitTile(SourceWriter w, int rows)
    {
        string type = Kind?.Of ?? "float";
        string Load(string location) => Kind is null ? location : $"{Kind.Type}.LoadUnsafe(ref {location})";
        string Store(string value, string location) => Kind is null ? $"{location} = {value};" : $"{Kind.Type}.StoreUnsafe({value}, ref {location});";
        string Acc(int i, int q) => $"acc{Num(i)}{Num(q)}";
        string Row(int i, Func<int, string> unit) => string.Join(" ", Enumerable.Range(0, Units).Select(unit));
        // One reference per operand at the tile's first row, so that every element below is a literal offset from it.
        var rowsOf = new Dictionary<GemmOperand, string>();
        string RowRef(GemmOperand o, string name)
        {
            if (!rowsOf.TryGetValue(o, out string? reference))
            {
                reference = name;
                rowsOf[o] = name;
                w.Line($"ref float {name} = ref Unsafe.Add(ref {o.Reference}, {o.Offset + AffineIndex.Symbol("r", o.Row)});");
            }
            return reference;
        }
        string At(GemmOperand o, string name, int i, int q, AffineIndex? step = null)
        {
            string reference = RowRef(o, name);
            AffineIndex index = (step ?? AffineIndex.Zero) + (i * o.Row + q * UnitOffset);
            return index.Literal == 0 ? reference : $"Unsafe.Add(ref {reference}, {index})";
        }
        string StartOf(GemmOperand? o, string name, int i, int q) => o is null ? (Kind is null ? "0f" : $"{Kind.Of}.Zero") : Load(At(o, name, i, q));
        AffineIndex aStep = AffineIndex.Symbol("t", A.Step);
        RowRef(A, "ar");
        RowRef(C, "cr");
        for (int i = 0; i < rows; i++)
        {
            w.Line($"{type} {string.Join(", ", Enumerable.Range(0, Units).Select(q => StartCondition is null
                ? $"{Acc(i, q)} = {StartOf(Start, "sr", i, q)}"
                : $"{Acc(i, q)} = {StartCondition} ? {StartOf(Start, "sr", i, q)} : {StartOf(OtherwiseStart, "or", i, q)}"))};");
        }
        w.Open($"for (nint t = 0; t < {Inner}; t++)");
        w.Line($"{type} {string.Join(", ", Enumerable.Range(0, Units).Select(q => $"b{Num(q)} = {Load($"Unsafe.Add(ref {B.Reference}, {B.Offset + AffineIndex.Symbol("t", B.Step) + q * UnitOffset})")}"))};");
        for (int i = 0; i < rows; i++)
        {
            string a = At(A, "ar", i, 0, aStep);
            w.Line($"{type} a{Num(i)} = {(Kind is null ? a : $"{Kind.Type}.Create({a})")}; "
                + Row(i, q => $"{Acc(i, q)} = {MultiplyAdd($"a{Num(i)}", $"b{Num(q)}", Acc(i, q))};"));
        }
        w.Close();
        for (int i = 0; i < rows; i++)
        {
            w.Line(Row(i, q => Store(Acc(i, q), At(C, "cr", i, q))));
        }
        if (Activated is not null)
        {
            if (ActivationCondition is not null)
            {
                w.Open($"if ({ActivationCondition})");
            }
            for (int i = 0; i < rows; i++)
            {
                w.Line(Row(i, q => Store(LeakyRelu(Acc(i, q)), At(Activated, "hr", i, q))));
            }
            if (ActivationCondition is not null)
            {
                w.Close();
            }
        }
    }

    private string MultiplyAdd(string a, string b, string acc) => Kind is not null
        ? $"{Kind.Type}.FusedMultiplyAdd({a}, {b}, {acc})"
        : FusedScalars ? $"global::System.MathF.FusedMultiplyAdd({a}, {b}, {acc})" : $"{acc} + {a} * {b}";

    /// <summary>z ≥ 0 ? z : α·z, the expression of the runtime's <c>RegisterTile</c> and activation pass.</summary>
    private string LeakyRelu(string v) => Kind is null
        ? $"{v} >= 0f ? {v} : {Float(Alpha)} * {v}"
        : $"{Kind.Type}.ConditionalSelect({Kind.Type}.GreaterThanOrEqual({v}, {Kind.Of}.Zero), {v}, {v} * {Float(Alpha)})";
}

/// <summary>
/// The single-sample GEMM over weights in groups (a dense layer's panels): <c>C[g, q] (start)= Σ_t A[t] · B[g, t, q]</c>
/// for groups g &lt; <see cref="Groups"/>, units q &lt; <see cref="Units"/> and t &lt; <see cref="Inner"/>, where
/// <c>A[t]</c> is one contiguous row (a step of 1), <c>B[g, t, q] = B[g·B.Row + t·B.Step + q·UnitOffset]</c> and
/// <c>C[g, q] = C[g·C.Row + q·UnitOffset]</c>. A whole row of outputs stays in registers across the reduction (the runtime's chunks of eight
/// accumulators), so the multiply-adds of one step are independent; with <see cref="SkipZeros"/> the steps whose A is 0
/// are skipped. The CPU backend emits one call of the runtime's <c>RegisterTile.Row…</c>.
/// </summary>
internal sealed record RowGemmCall(
    string Summary,
    int Groups,
    AffineIndex Inner,
    VectorKind? Kind,
    int Units,
    int UnitOffset,
    bool SkipZeros,
    GemmOperand A,
    GemmOperand B,
    GemmOperand C)
{
    public GemmOperand? Start { get; init; }

    public GemmOperand? Activated { get; init; }

    public float Alpha { get; init; }

    /// <summary>The runtime entry point for the unit type (scalar units are fused: the single-sample path runs only beside
    /// vector paths).</summary>
    public string Method => Kind?.Lanes switch
    {
        16 => "Row512",
        8 => "Row256",
        4 => "Row128",
        null => "RowFusedScalar",
        _ => throw new InvalidOperationException($"No single-sample kernel for {Kind.Name} of {Kind.Lanes} lanes."),
    };

    public void Emit(SourceWriter w)
    {
        w.Line($"// {Summary}");
        w.Line($"RegisterTile.{Method}({Num(Groups)}, {Num(Units)}, {Inner}, {Num(UnitOffset)}, skipZeros: {(SkipZeros ? "true" : "false")},");
        w.Line($"    {A.Argument}, {B.Argument}, {C.Argument},");
        w.Line($"    {Start?.Argument ?? "default"}, {Activated?.Argument ?? "default"}, {Float(Alpha)});");
    }
}

/// <summary>
/// Dot products along contiguous rows: <c>C[i, q] = start[i, q] + Σ_t A[i, t] · B[q, t]</c> for rows i &lt;
/// <see cref="Rows"/>, columns q &lt; <see cref="Columns"/> and t &lt; <see cref="Inner"/>, where A and B step by 1 along
/// t (<c>A[i, t] = A[i·A.Row + t]</c>, <c>B[q, t] = B[q·B.Row + t]</c>) and <c>C[i, q] = C[i·C.Row + q·C.Step]</c>;
/// <see cref="Activated"/>, when given, receives ReLU or Leaky ReLU (<see cref="Alpha"/>) of the results. The CPU backend
/// emits one call of the runtime's <c>DotTile</c>, whose partial sums run in vectors of <see cref="Kind"/>.
/// </summary>
internal sealed record DotCall(
    string Summary,
    AffineIndex Rows,
    int Columns,
    AffineIndex Inner,
    VectorKind? Kind,
    GemmOperand A,
    GemmOperand B,
    GemmOperand C)
{
    public GemmOperand? Start { get; init; }

    public GemmOperand? Activated { get; init; }

    public float Alpha { get; init; }

    /// <summary>The runtime entry point for the unit type.</summary>
    public string Method => Kind?.Lanes switch
    {
        16 => "Products512",
        8 => "Products256",
        4 => "Products128",
        null => "ProductsScalar",
        _ => throw new InvalidOperationException($"No dot-product tile for {Kind.Name} of {Kind.Lanes} lanes."),
    };

    /// <summary>Whether a reduction shorter than <see cref="GemmCall.ShortestRuntimeReduction"/> is written out (the
    /// kernel decides, as for <see cref="GemmCall"/>); true unless told otherwise.</summary>
    public bool WriteOutShortReduction { get; init; } = true;

    /// <summary>Whether <see cref="Emit"/> writes the tiles out instead of calling the runtime: a short literal reduction
    /// in vectors, where a call's setup would be a large share of the work.</summary>
    public bool WrittenOut => WriteOutShortReduction && Kind is not null && Inner.Literal is int steps && steps < GemmCall.ShortestRuntimeReduction;

    public void Emit(SourceWriter w)
    {
        w.Line($"// {Summary}");
        if (WrittenOut)
        {
            EmitWrittenOut(w);
            return;
        }
        w.Line($"DotTile.{Method}({Rows}, {Num(Columns)}, {Inner},");
        w.Line($"    {A.Argument}, {B.Argument}, {C.Argument},");
        w.Line($"    {Start?.Argument ?? "default"}, {Activated?.Argument ?? "default"}, {Float(Alpha)});");
    }

    /// <summary>The runtime's tiles with literal strides, the same operations in the same order: tiles of 4 rows (2 with
    /// 4 columns), then 2, then 1; per element vector partial sums, their horizontal sum, the last elements one fused
    /// multiply-add each, then the start.</summary>
    private void EmitWrittenOut(SourceWriter w)
    {
        VectorKind kind = Kind!;
        int steps = Inner.Literal!.Value, full = steps / kind.Lanes * kind.Lanes;
        for (int q = 0; q < Columns; q += 4)
        {
            int columns = Math.Min(4, Columns - q);
            if (Rows.Literal is int literalRows)
            {
                for (int r = 0, rows; r < literalRows; r += rows)
                {
                    rows = columns < 4 && literalRows - r >= 4 ? 4 : literalRows - r >= 2 ? 2 : 1;
                    w.Open("");
                    EmitTile(w, kind, AffineIndex.Of(r), rows, q, columns, full, steps);
                    w.Close();
                }
                continue;
            }
            w.Open("");
            w.Line("int r = 0;");
            foreach (int rows in columns < 4 ? new[] { 4, 2 } : [2])
            {
                w.Open($"for (; r + {Num(rows)} <= {Rows}; r += {Num(rows)})");
                EmitTile(w, kind, AffineIndex.Symbol("r"), rows, q, columns, full, steps);
                w.Close();
            }
            w.Open($"if (r < {Rows})");
            EmitTile(w, kind, AffineIndex.Symbol("r"), 1, q, columns, full, steps);
            w.Close();
            w.Close();
        }
    }

    /// <summary>One tile's statements, in the block the caller opened.</summary>
    private void EmitTile(SourceWriter w, VectorKind kind, AffineIndex row, int rows, int q, int columns, int full, int steps)
    {
        string Ref(string reference, AffineIndex index) => index.Literal == 0 ? $"ref {reference}" : $"ref Unsafe.Add(ref {reference}, {index})";
        w.Line($"ref float ar = {Ref(A.Reference, A.Offset + row * A.Row)};");
        w.Line($"ref float br = {Ref(B.Reference, B.Offset + q * B.Row)};");
        string Acc(int i, int j) => $"acc{Num(i)}{Num(j)}";
        string Sum(int i, int j) => $"s{Num(i)}{Num(j)}";
        IEnumerable<(int I, int J)> Elements() => Enumerable.Range(0, rows).SelectMany(i => Enumerable.Range(0, columns).Select(j => (i, j)));
        if (full > 0)
        {
            w.Line($"{kind.Of} {string.Join(", ", Elements().Select(e => $"{Acc(e.I, e.J)} = {kind.Of}.Zero"))};");
            // One vector of the reduction needs no loop: its offsets are literals.
            bool loop = full > kind.Lanes;
            AffineIndex t = loop ? AffineIndex.Symbol("t") : AffineIndex.Zero;
            string Offset(AffineIndex index) => index.Literal is int literal ? $"(nuint){Num(literal)}" : $"(nuint)({index})";
            if (loop)
            {
                w.Open($"for (nint t = 0; t < {Num(full)}; t += {Num(kind.Lanes)})");
            }
            for (int j = 0; j < columns; j++)
            {
                w.Line($"{kind.Of} w{Num(j)} = {kind.Type}.LoadUnsafe(ref br, {Offset(t + j * B.Row)});");
            }
            for (int i = 0; i < rows; i++)
            {
                w.Line($"{kind.Of} x{Num(i)} = {kind.Type}.LoadUnsafe(ref ar, {Offset(t + i * A.Row)}); "
                    + string.Join(" ", Enumerable.Range(0, columns).Select(j => $"{Acc(i, j)} = {kind.Type}.FusedMultiplyAdd(x{Num(i)}, w{Num(j)}, {Acc(i, j)});")));
            }
            if (loop)
            {
                w.Close();
            }
        }
        foreach ((int i, int j) in Elements())
        {
            w.Line($"float {Sum(i, j)} = {(full > 0 ? $"{kind.Type}.Sum({Acc(i, j)})" : "0f")};");
            for (int t = full; t < steps; t++)
            {
                w.Line($"{Sum(i, j)} = global::System.MathF.FusedMultiplyAdd(Unsafe.Add(ref ar, {Num(i * A.Row + t)}), Unsafe.Add(ref br, {Num(j * B.Row + t)}), {Sum(i, j)});");
            }
            AffineIndex at(GemmOperand o) => o.Offset + row * o.Row + (i * o.Row + (q + j) * o.Step);
            string value = Start is null ? Sum(i, j) : $"Unsafe.Add(ref {Start.Reference}, {at(Start)}) + {Sum(i, j)}";
            w.Line($"Unsafe.Add(ref {C.Reference}, {at(C)}) = {value};");
            if (Activated is not null)
            {
                string v = $"Unsafe.Add(ref {C.Reference}, {at(C)})";
                w.Line($"Unsafe.Add(ref {Activated.Reference}, {at(Activated)}) = {v} >= 0f ? {v} : {Float(Alpha)} * {v};");
            }
        }
    }
}
