using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;
using static NetGen.Generator.Codegen.VectorPaths;

namespace NetGen.Generator.Layers.Dense;

/// <summary>
/// The dense-layer kernels over weights packed in panels of <see cref="DenseLayout.PanelWidth"/> outputs
/// (<see cref="DenseLayout"/>): register tiles of up to 6 rows × 2 vectors over one panel, the inputs cut into blocks
/// whose panel slice stays in L1, bias and rectifiers fused into the output pass, a separate single-sample path that
/// keeps a whole row of outputs in registers and skips zero inputs, and the input gradient through a transposed copy of
/// a block of weights on the stack. Every output element is reduced in the same order (sequential over the inputs, one
/// fused multiply-add each on the vector paths) whatever tile, tail or path computes it, so a sample gives the same bits
/// alone and at any position of any batch.
/// </summary>
internal static class DenseKernels
{
    public static string ForwardName(LayerPlan layer) => $"Dense{Num(layer.Index)}Forward";

    public static string BackwardWeightsName(LayerPlan layer) => $"Dense{Num(layer.Index)}BackwardWeights";

    public static string BackwardInputName(LayerPlan layer) => $"Dense{Num(layer.Index)}BackwardInput";

    public static void EmitForward(SourceWriter w, NetworkPlan plan, LayerPlan layer) => EmitPackedForward(w, layer, IsHot(plan, layer));

    public static void EmitBackwardWeights(SourceWriter w, LayerPlan layer) => EmitPackedBackwardWeights(w, layer);

    public static void EmitBackwardInput(SourceWriter w, NetworkPlan plan, LayerPlan layer) => EmitPackedBackwardInput(w, layer, IsHot(plan, layer));

    /// <summary>A layer whose product is at least this share (in per cent) of the network's forward work writes its
    /// short reductions out (<see cref="GemmCall.WriteOutShortReduction"/>).</summary>
    private const int HotLayerPercent = 5;

    /// <summary>Whether the layer's GEMMs are a large enough share of the pass that a runtime tile's call and setup on
    /// a short reduction would show in the network's time (a tiny network); elsewhere the call costs less than the
    /// written-out code it saves is worth.</summary>
    private static bool IsHot(NetworkPlan plan, LayerPlan layer) => layer.Flops * 100 >= plan.FlopsPerSample * HotLayerPercent;

    /// <summary>Accumulators one tile may keep in registers (rows × units): 16 of the 32 registers of AVX-512 (8 rows ×
    /// 2 vectors, whole tiles for the usual power-of-two batches), 12 of the 16 of AVX2 (6 rows × 2 vectors).</summary>
    private const int TileAccumulators512 = 16;

    private const int TileAccumulators256 = 12;

    private const int MaxTileRows = 8;

    /// <summary>Vector units side by side in one tile: 2 (32 floats of Vector512, 16 of Vector256).</summary>
    private const int VectorUnitsPerTile = 2;

    /// <summary>Columns side by side in one tile of the scalar path (a register tile holds at most two units).</summary>
    private const int ScalarUnitsPerTile = 2;

    /// <summary>Inputs per cache block of the forward GEMM (split evenly: 1024 → 2 × 512, 784 → 2 × 392). A panel's slice
    /// of one block (64 KiB at most) is read from L1 and L2 by every row tile of the batch while the block of x stays in
    /// L2. On 256 × 1024 × 1024, blocks of 128, 256, 384 and 512 inputs and no blocking measured within a few per cent of
    /// each other (128 the slowest); 512 keeps the passes over z few.</summary>
    private const int MaxBlockInputs = 512;

    /// <summary>The single-sample path skips zero inputs only in a layer of at least this many vectors of outputs; for
    /// narrower layers the mispredicted branches cost more than the multiply-adds they save.</summary>
    private const int ZeroSkipUnits = 4;

    /// <summary>Floats of the stack buffer holding a transposed block of weights for the input gradient (64 KiB).</summary>
    private const int MaxTransposedFloats = 16384;

    private static readonly string[] PathNames = ["Vector512", "Vector256", "Scalar"];

    /// <summary>Output panels of a dense layer's weights, the narrower last one included: the items its weight gradient
    /// splits over threads.</summary>
    public static int PanelCount(LayerPlan layer) => (layer.Outputs + DenseLayout.PanelWidth - 1) / DenseLayout.PanelWidth;

    /// <summary>Whether the forward kernel of dense layer <paramref name="layer"/> applies the activation itself
    /// (writing both z and a): the caller then passes the activation buffer after z and runs no separate activation
    /// pass. ReLU and Leaky ReLU are fused; other activations keep the runtime's pass.</summary>
    public static bool FusesActivation(LayerPlan layer)
        => layer.Activation is Activation.ReLU or Activation.LeakyReLU;

    /// <summary>One vector of output columns of a tile, or one column when <see cref="Kind"/> is null.</summary>
    /// <param name="Width">Width of the panel the columns belong to (its stride per input).</param>
    /// <param name="Stored">Offset of the first column from the panel reference, in the panel's input row.</param>
    /// <param name="Column">The first output column, as an expression.</param>
    /// <param name="Position">The literal part of <paramref name="Stored"/>: how far the unit lies from the first unit of its tile.</param>
    private sealed record Unit(VectorKind? Kind, int Width, AffineIndex Stored, AffineIndex Column, int Position = 0);

    /// <summary>A group of units computed together, optionally inside a loop over the panel.</summary>
    private sealed record PanelTile(string? Loop, Unit[] Units);

    /// <summary>The public kernel <paramref name="name"/>, which calls the path the machine accelerates (then runs
    /// <paramref name="epilogue"/>, the same on every path), and each path's body.</summary>
    private static void EmitPathDispatch(SourceWriter w, string name, string parameters, string arguments, Action<int> body, Action? epilogue = null)
    {
        w.Open($"public static void {name}({parameters})");
        for (int p = 0; p < Paths.Length; p++)
        {
            string condition = Paths[p].Condition;
            w.Line($"{(p == 0 ? $"if ({condition}) " : condition.Length > 0 ? $"else if ({condition}) " : "else ")}{name}{PathNames[p]}({arguments});");
        }
        epilogue?.Invoke();
        w.Close();
        for (int p = 0; p < Paths.Length; p++)
        {
            w.Line();
            w.Open($"private static void {name}{PathNames[p]}({parameters})");
            body(p);
            w.Close();
        }
    }

    private static void EmitPackedForward(SourceWriter w, LayerPlan layer, bool hot)
    {
        bool fused = FusesActivation(layer);
        string parameters = "ref float x, ref float weights, " + (layer.HasBias ? "ref float bias, " : "") + "ref float z, " + (fused ? "ref float a, " : "") + "int n";
        string arguments = "ref x, ref weights, " + (layer.HasBias ? "ref bias, " : "") + "ref z, " + (fused ? "ref a, " : "") + "n";
        string activation = fused ? $", a = {layer.Activation}(z)" : "";
        w.Line($"/// <summary>{layer.Name}: z[n×{Num(layer.Outputs)}] = x[n×{Num(layer.Inputs)}] · Wᵀ{(layer.HasBias ? " + bias" : "")}{activation}; W packed in panels of {Num(DenseLayout.PanelWidth)} outputs.</summary>");
        EmitPathDispatch(w, ForwardName(layer), parameters, arguments, path =>
        {
            VectorKind[] kinds = Paths[path].Kinds;
            if (kinds.Length > 0)
            {
                w.Open("if (n == 1)");
                EmitSingleRowForward(w, layer, kinds, hot);
                w.Line("return;");
                w.Close();
            }
            EmitBatchForward(w, layer, kinds, hot);
        });
    }

    /// <summary>The batch forward GEMM: for each block of inputs, for each panel, every row tile of the batch.</summary>
    private static void EmitBatchForward(SourceWriter w, LayerPlan layer, VectorKind[] kinds, bool hot)
    {
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int blocks = (inputs + MaxBlockInputs - 1) / MaxBlockInputs;
        int blockSize = (inputs + blocks - 1) / blocks;
        bool blocked = blocks > 1;
        if (blocked)
        {
            w.Open($"for (int k0 = 0; k0 < {Num(inputs)}; k0 += {Num(blockSize)})");
            w.Line(inputs % blockSize == 0 ? $"int kEnd = k0 + {Num(blockSize)};" : $"int kEnd = global::System.Math.Min(k0 + {Num(blockSize)}, {Num(inputs)});");
        }
        bool fused = FusesActivation(layer);
        string biasTerm = layer.HasBias ? "bias + " : "";
        string activation = fused ? $", a = {layer.Activation}(z){(blocked ? " after the last block" : "")}" : "";
        GemmCall Forward(Unit[] units)
        {
            Unit u = units[0];
            var bias = layer.HasBias ? new GemmOperand("bias", u.Column, 0, 0) : null;
            var z = new GemmOperand("z", u.Column, outputs, 0);
            return new GemmCall(
                $"z[:, {Describe(units)}] = {(blocked ? $"(k0 == 0 ? {(layer.HasBias ? "bias" : "0")} : z) + x[:, k0..kEnd)" : $"{biasTerm}x")} · Wᵀ{activation}",
                AffineIndex.Symbol("n"), TileRows(kinds, units), blocked ? AffineIndex.Symbol("kEnd") - AffineIndex.Symbol("k0") : AffineIndex.Of(inputs), u.Kind, kinds.Length > 0,
                units.Length, UnitOffset(units),
                A: new GemmOperand("x", blocked ? AffineIndex.Symbol("k0") : AffineIndex.Zero, inputs, 1),
                B: new GemmOperand("wp", (blocked ? AffineIndex.Symbol("k0", u.Width) : AffineIndex.Zero) + u.Stored, 0, u.Width),
                C: z)
            {
                Start = bias,
                StartCondition = blocked ? new IndexesEqual(AffineIndex.Symbol("k0"), AffineIndex.Zero) : null,
                OtherwiseStart = blocked ? z : null,
                Activated = fused ? new GemmOperand("a", u.Column, outputs, 0) : null,
                ActivationCondition = fused && blocked ? new IndexesEqual(AffineIndex.Symbol("kEnd"), AffineIndex.Of(inputs)) : null,
                Alpha = fused && layer.Activation == Activation.LeakyReLU ? layer.Alpha : 0f,
                WriteOutShortReduction = hot,
            };
        }
        bool narrow = HasNarrowColumns(layer, kinds);
        EmitPanels(w, layer, kinds, "wp", "weights", tile => Forward(tile.Units).Emit(w), narrow ? (_, _) => { } : null);
        if (blocked)
        {
            w.Close();
        }
        if (narrow)
        {
            EmitNarrowForward(w, layer, kinds, singleRow: false, hot);
        }
    }

    /// <summary>Whether the last panel is narrower than any vector (1–3 columns) and the inputs hold at least one vector:
    /// those columns then run as dot products along the inputs (<see cref="EmitNarrowForward"/>).</summary>
    private static bool HasNarrowColumns(LayerPlan layer, VectorKind[] kinds)
    {
        int tail = layer.Outputs % DenseLayout.PanelWidth;
        return kinds.Length > 0 && tail > 0 && tail < kinds[kinds.Length - 1].Lanes && layer.Inputs >= kinds[kinds.Length - 1].Lanes
            && tail * layer.Inputs <= MaxTransposedFloats;
    }

    /// <summary>
    /// Forward of columns narrower than any vector (a layer of 1–3 outputs, or the last 1–3 of a panel): each is a dot
    /// product of a row of x with a column of W, vectors along the inputs (<see cref="DotCall"/>, the runtime's
    /// <c>DotTile</c>). The columns are first copied contiguous ([columns][inputs]) onto the stack. Each element's sum runs
    /// in an order fixed by the shapes, the same for a row alone (the single-sample path runs this code too) and at any
    /// position of a batch.
    /// </summary>
    private static void EmitNarrowForward(SourceWriter w, LayerPlan layer, VectorKind[] kinds, bool singleRow, bool hot)
    {
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int width = outputs % DenseLayout.PanelWidth, start = outputs - width;
        w.Open("");
        w.Line($"global::System.Span<float> columns = stackalloc float[{Num(width * inputs)}];");
        w.Line("ref float wc = ref MemoryMarshal.GetReference(columns);");
        w.Line($"ref float wn = ref {Loc("weights", Num(start * inputs))};");
        w.Open($"for (nint t = 0; t < {Num(inputs)}; t++)");
        for (int c = 0; c < width; c++)
        {
            w.Line($"{Loc("wc", Plus(Num(c * inputs), "t"))} = {Loc("wn", Plus($"t * {Num(width)}", c))};");
        }
        w.Close();
        bool fused = FusesActivation(layer);
        string activation = fused ? $", a = {layer.Activation}(z)" : "";
        new DotCall($"z[:, {Num(start)}..+{Num(width)}] = {(layer.HasBias ? "bias + " : "")}x · the columns{activation}",
            singleRow ? AffineIndex.Of(1) : AffineIndex.Symbol("n"), width, AffineIndex.Of(inputs), Array.Find(kinds, kind => kind.Lanes <= inputs) ?? kinds[kinds.Length - 1],
            A: new GemmOperand("x", AffineIndex.Zero, inputs, 1),
            B: new GemmOperand("wc", AffineIndex.Zero, inputs, 1),
            C: new GemmOperand("z", AffineIndex.Of(start), outputs, 1))
        {
            Start = layer.HasBias ? new GemmOperand("bias", AffineIndex.Of(start), 0, 1) : null,
            Activated = fused ? new GemmOperand("a", AffineIndex.Of(start), outputs, 1) : null,
            Alpha = fused && layer.Activation == Activation.LeakyReLU ? layer.Alpha : 0f,
            WriteOutShortReduction = hot,
        }.Emit(w);
        w.Close();
    }

    /// <summary>Runs <paramref name="body"/> for each tile of the full panels (inside a loop over the panels, with the
    /// panel reference <paramref name="panelRef"/> and its first column <c>j</c>) and of the narrower last panel, or
    /// <paramref name="narrowTail"/> (width, first column) instead when one is given for the last panel.</summary>
    private static void EmitPanels(SourceWriter w, LayerPlan layer, VectorKind[] kinds, string panelRef, string buffer, Action<PanelTile> body,
        Action<int, int>? narrowTail = null, bool ranged = false)
    {
        int panelWidth = DenseLayout.PanelWidth;
        int panels = layer.Outputs / panelWidth, tail = layer.Outputs % panelWidth;
        // A tile's body declares no locals of its own outside a block, so only a loop over the panel needs braces.
        void EmitPanelTile(PanelTile tile)
        {
            if (tile.Loop is null)
            {
                body(tile);
                return;
            }
            w.Open(tile.Loop);
            body(tile);
            w.Close();
        }
        if (panels > 0)
        {
            // Ranged: only panels [panelStart, panelEnd) of the layer's PanelCount, the narrower last one counting as one.
            w.Open(ranged
                ? $"for (int p = panelStart; p < global::System.Math.Min(panelEnd, {Num(panels)}); p++)"
                : $"for (int p = 0; p < {Num(panels)}; p++)");
            w.Line($"ref float {panelRef} = ref Unsafe.Add(ref {buffer}, p * {Num(panelWidth * layer.Inputs)});");
            w.Line($"int j = p * {Num(panelWidth)};");
            foreach (PanelTile tile in FullPanelTiles(kinds))
            {
                EmitPanelTile(tile);
            }
            w.Close();
        }
        if (tail > 0)
        {
            // Without full panels the last panel's reference needs no block of its own (no loop declares one).
            bool block = ranged || panels > 0;
            if (block)
            {
                w.Open(ranged ? $"if (panelEnd > {Num(panels)})" : "");
            }
            w.Line(panels > 0
                ? $"ref float {panelRef} = ref Unsafe.Add(ref {buffer}, {Num(panels * panelWidth * layer.Inputs)});"
                : $"ref float {panelRef} = ref {buffer};");
            if (narrowTail is not null)
            {
                narrowTail(tail, panels * panelWidth);
            }
            else
            {
                foreach (PanelTile tile in TailTiles(kinds, tail, panels * panelWidth))
                {
                    EmitPanelTile(tile);
                }
            }
            if (block)
            {
                w.Close();
            }
        }
    }

    /// <summary>The tiles of one full panel: the widest vectors, two per tile, in a loop over the panel when it holds more.</summary>
    private static List<PanelTile> FullPanelTiles(VectorKind[] kinds)
    {
        int lanes = kinds.Length > 0 ? kinds[0].Lanes : 1;
        VectorKind? kind = kinds.Length > 0 ? kinds[0] : null;
        int perTile = kind is null ? ScalarUnitsPerTile : VectorUnitsPerTile;
        int step = perTile * lanes;
        bool loop = step < DenseLayout.PanelWidth;
        AffineIndex c = loop ? AffineIndex.Symbol("c") : AffineIndex.Zero;
        var units = new Unit[perTile];
        for (int q = 0; q < perTile; q++)
        {
            AffineIndex stored = c + q * lanes;
            units[q] = new Unit(kind, DenseLayout.PanelWidth, stored, AffineIndex.Symbol("j") + stored, q * lanes);
        }
        return [new PanelTile(loop ? $"for (int c = 0; c < {Num(DenseLayout.PanelWidth)}; c += {Num(step)})" : null, units)];
    }

    /// <summary>The units covering the last, narrower panel of <paramref name="width"/> columns starting at column
    /// <paramref name="start"/>: vectors of the widest kind that fits, the last one overlapping the one before (it computes
    /// the shared columns again, with the same operations), and single columns when no vector fits.</summary>
    private static List<Unit> TailUnits(VectorKind[] kinds, int width, int start)
    {
        var units = new List<Unit>();
        VectorKind? kind = Array.Find(kinds, k => k.Lanes <= width);
        if (kind is null)
        {
            for (int c = 0; c < width; c++)
            {
                units.Add(new Unit(null, width, AffineIndex.Of(c), AffineIndex.Of(start + c), c));
            }
            return units;
        }
        int count = (width + kind.Lanes - 1) / kind.Lanes;
        for (int q = 0; q < count; q++)
        {
            int offset = Math.Min(q * kind.Lanes, width - kind.Lanes);
            units.Add(new Unit(kind, width, AffineIndex.Of(offset), AffineIndex.Of(start + offset), offset));
        }
        return units;
    }

    /// <summary>Up to <see cref="MaxRowUnits"/> units of the widest kind that fits, evenly spaced over the last panel of
    /// <paramref name="width"/> columns (overlapping where they must), or single columns when no vector fits; null when no
    /// such spacing exists.</summary>
    private static Unit[]? EvenlySpacedUnits(VectorKind[] kinds, int width, int start)
    {
        VectorKind? kind = Array.Find(kinds, k => k.Lanes <= width);
        int lanes = kind?.Lanes ?? 1;
        for (int count = (width + lanes - 1) / lanes; count <= MaxRowUnits; count++)
        {
            if (count == 1 ? width == lanes : (width - lanes) % (count - 1) == 0)
            {
                int spacing = count == 1 ? 0 : (width - lanes) / (count - 1);
                return Enumerable.Range(0, count).Select(q => new Unit(kind, width, AffineIndex.Of(q * spacing), AffineIndex.Of(start + q * spacing), q * spacing)).ToArray();
            }
        }
        return null;
    }

    /// <summary>Units per group the runtime's single-sample kernel takes.</summary>
    private const int MaxRowUnits = 4;

    private static List<PanelTile> TailTiles(VectorKind[] kinds, int width, int start)
    {
        if (kinds.Length == 0)
        {
            return ScalarTailTiles(width, start);
        }
        List<Unit> units = TailUnits(kinds, width, start);
        int perTile = units[0].Kind is null ? ScalarUnitsPerTile : VectorUnitsPerTile;
        // Grouped from the end, so the overlapping last unit shares a tile with the unit it overlaps: both then read C
        // before either writes it, which accumulating tiles (gradients, later cache blocks) need.
        var tiles = new List<PanelTile>();
        int first = units.Count % perTile;
        if (first > 0)
        {
            tiles.Add(new PanelTile(null, units.Take(first).ToArray()));
        }
        for (int q = first; q < units.Count; q += perTile)
        {
            tiles.Add(new PanelTile(null, units.Skip(q).Take(perTile).ToArray()));
        }
        return tiles;
    }

    /// <summary>The scalar path's last panel: a loop over pairs of columns, then the remaining column.</summary>
    private static List<PanelTile> ScalarTailTiles(int width, int start)
    {
        var tiles = new List<PanelTile>();
        int looped = width / ScalarUnitsPerTile * ScalarUnitsPerTile;
        if (looped > 0)
        {
            bool loop = looped > ScalarUnitsPerTile;
            AffineIndex c = loop ? AffineIndex.Symbol("c") : AffineIndex.Zero;
            Unit[] units = Enumerable.Range(0, ScalarUnitsPerTile)
                .Select(q => new Unit(null, width, c + q, c + (start + q), q))
                .ToArray();
            tiles.Add(new PanelTile(loop ? $"for (int c = 0; c < {Num(looped)}; c += {Num(ScalarUnitsPerTile)})" : null, units));
        }
        if (looped < width)
        {
            tiles.Add(new PanelTile(null, Enumerable.Range(looped, width - looped).Select(c => new Unit(null, width, AffineIndex.Of(c), AffineIndex.Of(start + c), c)).ToArray()));
        }
        return tiles;
    }

    /// <summary>Rows per register tile; the scalar path, a fallback, keeps one row per tile and its code short.</summary>
    private static int TileRows(VectorKind[] kinds, Unit[] units) => kinds.Length == 0 ? 1
        : Math.Min(MaxTileRows, Math.Max(1, (kinds[0] == V512 ? TileAccumulators512 : TileAccumulators256) / units.Length));

    /// <summary>
    /// The single-sample forward (<see cref="RowGemmCall"/>): the full panels in one call whose chunks keep up to twelve
    /// output vectors in registers across the whole reduction (the runtime's <c>RegisterTile.Row…</c>), then the last panel (in one call
    /// where its units can be evenly spaced).
    /// Inputs that are exactly 0 are skipped when the layer has at least <see cref="ZeroSkipUnits"/> vectors of outputs:
    /// FMA(0, w, acc) = acc whenever w is finite and acc is not −0 (the bias is not −0), so the result is bit-identical to
    /// the batch path, which multiplies them; only a non-finite weight meeting a zero input differs (NaN there, the sum
    /// here).
    /// </summary>
    private static void EmitSingleRowForward(SourceWriter w, LayerPlan layer, VectorKind[] kinds, bool hot)
    {
        int panelWidth = DenseLayout.PanelWidth;
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int panels = outputs / panelWidth, tail = outputs % panelWidth;
        bool fused = FusesActivation(layer);
        string activation = fused ? $", a = {layer.Activation}(z)" : "";
        RowGemmCall Row(string columns, int groups, Unit[] units, int bOffset, int groupStride, bool skipZeros)
        {
            Unit u = units[0];
            return new RowGemmCall($"z[{columns}] = {(layer.HasBias ? "bias + " : "")}x · Wᵀ{activation}{(skipZeros ? ", skipping zero inputs" : "")}",
                groups, AffineIndex.Of(inputs), u.Kind, units.Length, UnitOffset(units), skipZeros,
                A: new GemmOperand("x", AffineIndex.Zero, 0, 1),
                B: new GemmOperand("weights", u.Stored + bOffset, groupStride, u.Width),
                C: new GemmOperand("z", u.Column, groupStride == 0 ? 0 : panelWidth, 0))
            {
                Start = layer.HasBias ? new GemmOperand("bias", u.Column, groupStride == 0 ? 0 : panelWidth, 0) : null,
                Activated = fused ? new GemmOperand("a", u.Column, groupStride == 0 ? 0 : panelWidth, 0) : null,
                Alpha = fused && layer.Activation == Activation.LeakyReLU ? layer.Alpha : 0f,
            };
        }
        // A layer of at least ZeroSkipUnits vectors of outputs skips zero inputs in every call: its inputs are as sparse
        // for the last panel as for the others.
        bool skipZeros = outputs / kinds[0].Lanes >= ZeroSkipUnits;
        if (panels > 0)
        {
            VectorKind widest = kinds[0];
            int unitsPerPanel = panelWidth / widest.Lanes;
            Unit[] units = Enumerable.Range(0, unitsPerPanel)
                .Select(q => new Unit(widest, panelWidth, AffineIndex.Of(q * widest.Lanes), AffineIndex.Of(q * widest.Lanes), q * widest.Lanes))
                .ToArray();
            Row($"0 …+{Num(panels * panelWidth)}, {Num(panels)} panels × {Num(unitsPerPanel)} × {widest.Name}", panels, units, 0, panelWidth * inputs, skipZeros)
                .Emit(w);
        }
        if (tail > 0 && !HasNarrowColumns(layer, kinds))
        {
            // Each call is one pass over the inputs, whose cost hardly depends on how many accumulators it feeds: the
            // last panel in one call when its units can be evenly spaced.
            if (EvenlySpacedUnits(kinds, tail, panels * panelWidth) is { } units)
            {
                Row(Describe(units), 1, units, panels * panelWidth * inputs, 0, skipZeros).Emit(w);
            }
            else
            {
                foreach (PanelTile tile in TailTiles(kinds, tail, panels * panelWidth))
                {
                    Row(Describe(tile.Units), 1, tile.Units, panels * panelWidth * inputs, 0, skipZeros).Emit(w);
                }
            }
        }
        else if (tail > 0)
        {
            EmitNarrowForward(w, layer, kinds, singleRow: true, hot);
        }
    }

    private static void EmitPackedBackwardWeights(SourceWriter w, LayerPlan layer)
    {
        string biasParameter = layer.HasBias ? ", ref float biasGradient" : "";
        string biasArgument = layer.HasBias ? ", ref biasGradient" : "";
        w.Line($"/// <summary>{layer.Name}: ∂W += dzᵀ · x into the packed layout for output panels [panelStart, panelEnd) of {Num(PanelCount(layer))}{(layer.HasBias ? ", and ∂bias += Σ dz with the first panel" : "")}; each element accumulates over the samples in order, so any split of the panels over threads gives the same bits.</summary>");
        EmitPathDispatch(w, BackwardWeightsName(layer), $"ref float x, ref float dz, ref float weightGradient{biasParameter}, int n, int panelStart, int panelEnd", $"ref x, ref dz, ref weightGradient{biasArgument}, n, panelStart, panelEnd", path =>
        {
            VectorKind[] kinds = Paths[path].Kinds;
            int inputs = layer.Inputs, outputs = layer.Outputs;
            // Rows are the inputs k ≥ firstInput: ∂W[k, columns] += Σ_t x[t, k] · dz[t, columns] over the samples t.
            GemmCall WeightGradient(Unit[] units, int firstInput)
            {
                Unit u = units[0];
                var gradient = new GemmOperand("gp", u.Stored + firstInput * u.Width, u.Width, 0);
                return new GemmCall(
                    $"∂W[{(firstInput == 0 ? "" : $"{Num(firstInput)}.., ")}{Describe(units)}] += xᵀ · dz over the batch",
                    AffineIndex.Of(inputs - firstInput), TileRows(kinds, units), AffineIndex.Symbol("n"), u.Kind, kinds.Length > 0, units.Length,
                    UnitOffset(units),
                    A: new GemmOperand("x", AffineIndex.Of(firstInput), 1, inputs),
                    B: new GemmOperand("dz", u.Column, 0, outputs),
                    C: gradient)
                {
                    Start = gradient,
                };
            }
            // Only columns no vector fits take the transposed pass; wider tails run tiles of overlapping units, as the
            // forward does.
            bool narrow = kinds.Length > 0 && outputs % DenseLayout.PanelWidth < kinds[kinds.Length - 1].Lanes;
            EmitPanels(w, layer, kinds, "gp", "weightGradient", tile => WeightGradient(tile.Units, 0).Emit(w),
                narrow ? (width, start) => EmitNarrowWeightGradient(w, layer, kinds, width, start, WeightGradient) : null, ranged: true);
        }, layer.HasBias ? () =>
        {
            w.Open("if (panelStart == 0)");
            w.Line($"BiasKernels.AddColumnSums(ref dz, n, {Num(layer.Outputs)}, ref biasGradient);");
            w.Close();
        } : null);
    }

    /// <summary>
    /// Weight gradients of a last panel narrower than any vector (a layer of 1–3 outputs, or the last 1–3 columns of a
    /// panel): vectors run along the inputs instead, since a row of x is contiguous, with one accumulator per column and a
    /// broadcast of dz. The accumulators start from the stored gradient (gathered) and go back to it (scattered), so each
    /// element still accumulates over the samples in order. The last inputs (fewer than the narrowest vector) use the
    /// ordinary tiles.
    /// </summary>
    private static void EmitNarrowWeightGradient(SourceWriter w, LayerPlan layer, VectorKind[] kinds, int width, int start,
        Func<Unit[], int, GemmCall> tile)
    {
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int k = 0;
        if (inputs >= kinds[kinds.Length - 1].Lanes)
        {
            // The accumulators' lanes run along the inputs; they pass to and from the packed gradient through this block.
            w.Line($"global::System.Span<float> transposed = stackalloc float[{Num(kinds[0].Lanes * width)}];");
            w.Line("ref float lanes = ref MemoryMarshal.GetReference(transposed);");
        }
        foreach (VectorKind kind in kinds)
        {
            int end = k + (inputs - k) / kind.Lanes * kind.Lanes;
            if (end == k)
            {
                continue;
            }
            bool loop = end - k > kind.Lanes;
            w.Open(loop ? $"for (int k = {Num(k)}; k < {Num(end)}; k += {Num(kind.Lanes)})" : "");
            w.Line($"ref float xk = ref Unsafe.Add(ref x, {(loop ? "k" : Num(k))});");
            w.Line($"ref float gk = ref Unsafe.Add(ref gp, {(loop ? $"k * {Num(width)}" : Num(k * width))});");
            void Transpose(string from, string to)
            {
                w.Open($"for (int l = 0; l < {Num(kind.Lanes)}; l++)");
                w.Open($"for (int c = 0; c < {Num(width)}; c++)");
                w.Line($"{to} = {from};");
                w.Close();
                w.Close();
            }
            Transpose($"Unsafe.Add(ref gk, l * {Num(width)} + c)", $"Unsafe.Add(ref lanes, c * {Num(kind.Lanes)} + l)");
            // Row c of the tile is column start + c: lanes[c, :] += Σ_t dz[t, start + c] · x[t, k..].
            var transposed = new GemmOperand("lanes", AffineIndex.Zero, kind.Lanes, 0);
            new GemmCall($"∂W[k..+{Num(kind.Lanes)}, {Num(start)}..+{Num(width)}]ᵀ += dzᵀ · x over the batch",
                AffineIndex.Of(width), width, AffineIndex.Symbol("n"), kind, FusedScalars: true, Units: 1, UnitOffset: kind.Lanes,
                A: new GemmOperand("dz", AffineIndex.Of(start), 1, outputs),
                B: new GemmOperand("xk", AffineIndex.Zero, 0, inputs),
                C: transposed)
            {
                Start = transposed,
            }.Emit(w);
            Transpose($"Unsafe.Add(ref lanes, c * {Num(kind.Lanes)} + l)", $"Unsafe.Add(ref gk, l * {Num(width)} + c)");
            w.Close();
            k = end;
        }
        if (k < inputs)
        {
            foreach (PanelTile tail in TailTiles(kinds, width, start))
            {
                tile(tail.Units, k).Emit(w);
            }
        }
    }

    private static void EmitPackedBackwardInput(SourceWriter w, LayerPlan layer, bool hot)
    {
        w.Line($"/// <summary>{layer.Name}: dx[n×{Num(layer.Inputs)}] = dz[n×{Num(layer.Outputs)}] · W, through a transposed copy of each block of inputs' weights.</summary>");
        EmitPathDispatch(w, BackwardInputName(layer), "ref float dz, ref float weights, ref float dx, int n", "ref dz, ref weights, ref dx, n", path =>
        {
            VectorKind[] kinds = Paths[path].Kinds;
            VectorKind? kind = Array.Find(kinds, k => k.Lanes <= layer.Inputs && k.Lanes * layer.Outputs <= MaxTransposedFloats);
            if (kind is null)
            {
                EmitScalarBackwardInput(w, layer);
            }
            else
            {
                EmitTransposedBackwardInput(w, layer, kind, hot);
            }
        });
    }

    /// <summary>
    /// dx = dz · W with vectors along the inputs: for each block of <c>lanes</c> inputs, the block's weights are copied
    /// transposed ([outputs][lanes]) into a stack buffer, then every row tile of the batch is a broadcast GEMM over it
    /// (dz broadcast, one contiguous vector of weights per output). The last block overlaps the one before when the
    /// inputs are not a multiple of the lanes; it writes the shared elements again with the same values.
    /// </summary>
    private static void EmitTransposedBackwardInput(SourceWriter w, LayerPlan layer, VectorKind kind, bool hot)
    {
        int inputs = layer.Inputs, outputs = layer.Outputs, lanes = kind.Lanes;
        int panelWidth = DenseLayout.PanelWidth;
        int panels = outputs / panelWidth, tail = outputs % panelWidth;
        w.Line($"global::System.Span<float> transposed = stackalloc float[{Num(outputs * lanes)}];");
        w.Line("ref float wt = ref MemoryMarshal.GetReference(transposed);");

        void Block(AffineIndex k)
        {
            // wt[o * lanes + l] = W[o, k + l]: column c of a panel holds output o = its first output + c.
            void CopyPanel(string panelStart, int width, string transposedStart)
            {
                w.Line($"ref float wk = ref Unsafe.Add(ref weights, {Plus(panelStart, $"{k} * {Num(width)}")});");
                w.Line($"ref float wtp = ref {Loc("wt", transposedStart)};");
                w.Open($"for (int c = 0; c < {Num(width)}; c++)");
                string column = string.Join(", ", Enumerable.Range(0, lanes).Select(l => Loc("wk", Plus(Num(l * width), "c"))));
                w.Line($"{kind.Of} transposedColumn = {kind.Type}.Create({column});");
                w.Line($"{kind.Type}.StoreUnsafe(transposedColumn, ref {Loc("wtp", $"c * {Num(lanes)}")});");
                w.Close();
            }
            if (panels > 0)
            {
                w.Open($"for (int p = 0; p < {Num(panels)}; p++)");
                CopyPanel($"p * {Num(panelWidth * inputs)}", panelWidth, $"p * {Num(panelWidth * lanes)}");
                w.Close();
            }
            if (tail > 0)
            {
                w.Open("");
                CopyPanel(Num(panels * panelWidth * inputs), tail, Num(panels * panelWidth * lanes));
                w.Close();
            }
            new GemmCall($"dx[:, {k} …+{Num(lanes)}) = dz · the transposed block", AffineIndex.Symbol("n"), MaxTileRows, AffineIndex.Of(outputs), kind, true, 1, 0,
                A: new GemmOperand("dz", AffineIndex.Zero, outputs, 1),
                B: new GemmOperand("wt", AffineIndex.Zero, 0, lanes),
                C: new GemmOperand("dx", k, inputs, 0)) { WriteOutShortReduction = hot }.Emit(w);
        }
        int full = inputs / lanes * lanes;
        OpenLoop(w, "k", full, lanes);
        Block(AffineIndex.Symbol("k"));
        w.Close();
        if (full < inputs)
        {
            w.Open("");
            Block(AffineIndex.Of(inputs - lanes));
            w.Close();
        }
    }

    /// <summary>The scalar input gradient: one sum per element, along the packed outputs.</summary>
    private static void EmitScalarBackwardInput(SourceWriter w, LayerPlan layer)
    {
        int inputs = layer.Inputs, outputs = layer.Outputs;
        int panelWidth = DenseLayout.PanelWidth;
        int panels = outputs / panelWidth, tail = outputs % panelWidth;
        w.Open("for (int r = 0; r < n; r++)");
        w.Line($"ref float dzr = ref Unsafe.Add(ref dz, r * {Num(outputs)});");
        w.Open($"for (int k = 0; k < {Num(inputs)}; k++)");
        w.Line("float sum = 0f;");
        if (panels > 0)
        {
            w.Open($"for (int p = 0; p < {Num(panels)}; p++)");
            w.Line($"ref float wk = ref Unsafe.Add(ref weights, p * {Num(panelWidth * inputs)} + k * {Num(panelWidth)});");
            w.Line($"ref float dzp = ref Unsafe.Add(ref dzr, p * {Num(panelWidth)});");
            w.Open($"for (int c = 0; c < {Num(panelWidth)}; c++)");
            w.Line($"sum += {Loc("dzp", "c")} * {Loc("wk", "c")};");
            w.Close();
            w.Close();
        }
        if (tail > 0)
        {
            w.Open("");
            w.Line($"ref float wk = ref Unsafe.Add(ref weights, {Num(panels * panelWidth * inputs)} + k * {Num(tail)});");
            w.Open($"for (int c = 0; c < {Num(tail)}; c++)");
            w.Line($"sum += {Loc("dzr", Plus(Num(panels * panelWidth), "c"))} * {Loc("wk", "c")};");
            w.Close();
            w.Close();
        }
        w.Line($"{Loc("dx", $"r * {Num(inputs)} + k")} = sum;");
        w.Close();
        w.Close();
    }

    /// <summary>How far each unit of a tile lies from the one before (0 for a tile of one unit); a tile's units are evenly spaced.</summary>
    private static int UnitOffset(IReadOnlyList<Unit> units) => units.Count >= 2 ? units[1].Position - units[0].Position : 0;

    /// <summary>The columns of a tile's units, for its comment: "j + c …+16 (2 × Vector256)".</summary>
    private static string Describe(IReadOnlyList<Unit> units)
    {
        int lanes = units[0].Kind?.Lanes ?? 1;
        int span = units[units.Count - 1].Position - units[0].Position + lanes;
        return $"{units[0].Column} …+{Num(span)}, {Num(units.Count)} × {units[0].Kind?.Name ?? "float"}";
    }

    /// <summary>The element <c>base[index]</c> as an assignable expression.</summary>
    private static string Loc(string reference, string index) => index == "0" ? reference : $"Unsafe.Add(ref {reference}, {index})";

    /// <summary>Joins the non-zero terms of a sum, adding literal terms together.</summary>
    private static string Plus(string term, int literal) => Plus(term, Num(literal));

    private static string Plus(string left, string right)
    {
        if (left == "0")
        {
            return right;
        }
        if (right == "0")
        {
            return left;
        }
        bool leftLiteral = int.TryParse(left, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int a);
        bool rightLiteral = int.TryParse(right, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int b);
        return leftLiteral && rightLiteral ? Num(a + b) : $"{left} + {right}";
    }
}
