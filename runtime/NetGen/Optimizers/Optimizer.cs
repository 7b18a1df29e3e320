using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using NetGen.Kernels;
using NetGen.CompilerServices;

namespace NetGen.Optimizers;

/// <summary>
/// A learning rule: a layer-agnostic vectorized loop over a network's flat parameter and gradient spans, plus the
/// regularization applied in the same step. <see cref="Step(INetwork)"/> runs, in this order:
/// <list type="number">
/// <item>gradient clipping by value (<see cref="ClipValue"/>), then by global L2 norm (<see cref="ClipNorm"/>);</item>
/// <item>L2 (<c>g += λ·w</c>, the gradient of <c>(λ/2)‖w‖²</c>) and L1 (<c>g += λ·sign(w)</c>) weight decay on the tensors
/// <see cref="DecayBiases"/> selects;</item>
/// <item>the rule's own update (<see cref="Update"/>), with the step counter <see cref="StepCount"/> already advanced;</item>
/// <item>the max-norm constraint (<see cref="MaxNorm"/>) on every weight tensor.</item>
/// </list>
/// Clipping and decay rewrite the network's gradient buffer in place. State buffers are allocated on the first step and
/// the steps after it allocate nothing.
/// </summary>
public abstract class Optimizer
{
    private static readonly float[][] NoState = [];
    private float[][] _state = NoState;
    private float[] _decayMask = [];
    private float[] _rowNorms = [];
    private INetwork? _boundNetwork;
    private readonly BlockStep _blocks;
    private readonly FiniteCheck _finiteCheck = new();
    private bool _maskDecaysBiases;

    /// <summary>Sets the initial learning rate η.</summary>
    protected Optimizer(float learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        LearningRate = learningRate;
        _blocks = new BlockStep(this);
    }

    /// <summary>The rule's name, as written into checkpoints.</summary>
    public abstract string Name { get; }

    /// <summary>η for the next step. A <see cref="NetGen.Training.LearningRateSchedule"/> rewrites it before every step.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken so far (t of Adam's bias correction); advanced before <see cref="Update"/> runs.</summary>
    public long StepCount { get; private set; }

    /// <summary>λ of the L2 penalty <c>(λ/2)‖w‖²</c> added to the gradient as <c>λ·w</c> (default 0: off).</summary>
    public float L2 { get; set; }

    /// <summary>λ of the L1 penalty <c>λ‖w‖₁</c> added to the gradient as <c>λ·sign(w)</c>, sign(0) = 0 (default 0: off).</summary>
    public float L1 { get; set; }

    /// <summary>Whether L1, L2 and decoupled (AdamW) decay also shrink biases, normalization shifts and scales (γ, and the
    /// magnitudes g of weight-normalized layers) (default <see langword="false"/>: only <see cref="ParameterKind.Weight"/>
    /// tensors decay).</summary>
    public bool DecayBiases { get; set; }

    /// <summary>Max-norm constraint c: after each step every output unit's incoming weight vector (a row of a weight tensor in
    /// PyTorch layout, e.g. <c>fc1.weight[j, :]</c>) whose L2 norm exceeds c is rescaled to norm c (default 0: off).
    /// Biases are never constrained.</summary>
    public float MaxNorm { get; set; }

    /// <summary>Gradient clipping by norm: when the global L2 norm ‖g‖ of all gradients exceeds this value they are scaled by
    /// <c>ClipNorm / (‖g‖ + 1e−6)</c>, as PyTorch's <c>clip_grad_norm_</c> (default 0: off).</summary>
    public float ClipNorm { get; set; }

    /// <summary>Gradient clipping by value: every gradient is clamped into [−c, c] (default 0: off).</summary>
    public float ClipValue { get; set; }

    /// <summary>Parameters per block of the element-wise step (a multiple of every vector width; 16 KiB of floats).</summary>
    private const int ElementsPerBlock = 4096;

    /// <summary>Number of state buffers, each as long as the parameter buffer.</summary>
    protected abstract int StateSlots { get; }

    /// <summary>One full step on <paramref name="network"/>'s gradients: clipping, decay, the update rule, max-norm. The
    /// element-wise parts run on the network's <see cref="INetwork.Threads"/>, each thread on its own blocks of parameters
    /// (every element is computed alike whichever thread takes it, so the result does not depend on the thread count).</summary>
    public void Step(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Bind(network);
        Span<float> parameters = network.Parameters;
        Span<float> gradients = network.Gradients;
        float clipScale = 1f;
        bool clipInBlocks = ClipValue > 0f;
        if (ClipNorm > 0f)
        {
            // The norm needs every clipped gradient first: clip here, in one pass, and scale in the blocks.
            if (clipInBlocks)
            {
                VectorOps.Clamp(gradients, -ClipValue, ClipValue);
                clipInBlocks = false;
            }
            double norm = Math.Sqrt(VectorOps.SumOfSquares(gradients));
            if (norm > ClipNorm)
            {
                clipScale = (float)(ClipNorm / (norm + 1e-6));
            }
        }
        PrepareState(parameters.Length);
        _blocks.Prepare(network, clipInBlocks, clipScale);
        NetworkEngine.Of(network).RunOnThreads(_blocks, BlockCount(parameters.Length));
        if (MaxNorm > 0f)
        {
            ApplyMaxNorm(network.Tensors, parameters);
        }
    }

    /// <summary>
    /// <see cref="Step(INetwork)"/> if every gradient and every parameter of <paramref name="network"/> is finite; otherwise
    /// changes nothing (not even <see cref="StepCount"/>) and returns <see langword="false"/>. The check runs on the
    /// network's threads over the same blocks as the update, so each thread reads the values it then updates.
    /// </summary>
    public bool TryStep(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _finiteCheck.Prepare(network);
        NetworkEngine.Of(network).RunOnThreads(_finiteCheck, BlockCount(network.ParameterCount));
        if (!_finiteCheck.AllFinite)
        {
            return false;
        }
        Step(network);
        return true;
    }

    /// <summary>The bare update rule on raw spans (no clipping, no L1/L2, no max-norm; AdamW's decoupled decay applies to
    /// every element). For tests and for callers that manage their own buffers.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException($"{parameters.Length} parameters but {gradients.Length} gradients.", nameof(gradients));
        }
        if (_boundNetwork is not null && _decayMask.Length != parameters.Length)
        {
            throw new ArgumentException($"The optimizer is bound to a network of {_decayMask.Length} parameters; got {parameters.Length}.", nameof(parameters));
        }
        PrepareState(parameters.Length);
        Update(parameters, gradients, new UpdateState(_state, default, 0, parameters.Length));
    }

    /// <summary>Forgets all state (buffers, step count), as a freshly constructed optimizer.</summary>
    public void Reset()
    {
        _state = NoState;
        StepCount = 0;
        ResetCore();
    }

    /// <summary>Applies the rule to every element of <paramref name="parameters"/>, a block of the network's parameters
    /// (and the same block of gradients and of <paramref name="state"/>); <see cref="StepCount"/> already counts this step.
    /// Blocks may run on several threads at once: an implementation must treat every element alike and change no field.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, UpdateState state);

    /// <summary>Fills freshly allocated state (zero by default; per-parameter step sizes start at η).</summary>
    protected virtual void InitializeState()
    {
    }

    /// <summary>Clears scalar state a subclass keeps beyond the buffers.</summary>
    protected virtual void ResetCore()
    {
    }

    /// <summary>State buffer <paramref name="slot"/>.</summary>
    protected Span<float> State(int slot) => _state[slot];

    /// <summary>Allocates the state buffers on the first step and advances <see cref="StepCount"/>.</summary>
    private void PrepareState(int parameterCount)
    {
        if (_state.Length != StateSlots || (StateSlots > 0 && _state[0].Length != parameterCount))
        {
            if (_state.Length != 0 && StateSlots > 0)
            {
                throw new InvalidOperationException($"{Name} holds state for {_state[0].Length} parameters; this step has {parameterCount}. Call Reset() to reuse it for another network.");
            }
            _state = new float[StateSlots][];
            for (int i = 0; i < StateSlots; i++)
            {
                _state[i] = new float[parameterCount];
            }
            InitializeState();
        }
        StepCount++;
    }

    /// <summary>The element-wise part of <see cref="Step(INetwork)"/> over blocks of <see cref="ElementsPerBlock"/>
    /// parameters: clipping by value, the clip-by-norm scale, L2 and L1 decay, the rule.</summary>
    private sealed class BlockStep(Optimizer optimizer) : NetGen.Concurrency.IPartitionedWork
    {
        private INetwork? _network;
        private bool _clip;
        private float _scale = 1f;
        private bool _stream;

        public void Prepare(INetwork network, bool clip, float scale) => (_network, _clip, _scale, _stream) = (network, clip, scale, network.Threads > 1);

        public void Run(int step, int part, int start, int end)
        {
            INetwork network = _network!;
            int first = start * ElementsPerBlock;
            int length = Math.Min(end * ElementsPerBlock, network.ParameterCount) - first;
            Span<float> parameters = network.Parameters.Slice(first, length);
            Span<float> gradients = network.Gradients.Slice(first, length);
            ReadOnlySpan<float> mask = optimizer._decayMask.AsSpan(first, length);
            if (_clip)
            {
                VectorOps.Clamp(gradients, -optimizer.ClipValue, optimizer.ClipValue);
            }
            if (_scale != 1f)
            {
                VectorOps.Scale(gradients, _scale);
            }
            if (optimizer.L2 != 0f)
            {
                VectorOps.AddScaledMasked(gradients, parameters, mask, optimizer.L2);
            }
            if (optimizer.L1 != 0f)
            {
                VectorOps.AddScaledSignMasked(gradients, parameters, mask, optimizer.L1);
            }
            optimizer.Update(parameters, gradients, new UpdateState(optimizer._state, mask, first, length, _stream));
        }
    }

    private static int BlockCount(int parameterCount) => (parameterCount + ElementsPerBlock - 1) / ElementsPerBlock;

    /// <summary>Whether the gradients and parameters of blocks <c>[start, end)</c> are all finite, for <see cref="TryStep"/>.</summary>
    private sealed class FiniteCheck : NetGen.Concurrency.IPartitionedWork
    {
        private INetwork? _network;
        private volatile bool _nonFinite;

        public bool AllFinite => !_nonFinite;

        public void Prepare(INetwork network) => (_network, _nonFinite) = (network, false);

        public void Run(int step, int part, int start, int end)
        {
            INetwork network = _network!;
            int first = start * ElementsPerBlock;
            int length = Math.Min(end * ElementsPerBlock, network.ParameterCount) - first;
            if (!VectorOps.AllFinite(network.Gradients.Slice(first, length)) || !VectorOps.AllFinite(network.Parameters.Slice(first, length)))
            {
                _nonFinite = true;
            }
        }
    }

    private void Bind(INetwork network)
    {
        if (ReferenceEquals(network, _boundNetwork) && _maskDecaysBiases == DecayBiases)
        {
            return;
        }
        IReadOnlyList<ParameterTensor> tensors = network.Tensors;
        var mask = new float[network.ParameterCount];
        int longestRows = 0;
        foreach (ParameterTensor tensor in tensors)
        {
            if (tensor.Kind == ParameterKind.Weight || DecayBiases)
            {
                mask.AsSpan(tensor.Offset, tensor.Length).Fill(1f);
            }
            if (tensor.Kind == ParameterKind.Weight && tensor.Shape.Count >= 2)
            {
                longestRows = Math.Max(longestRows, tensor.Shape[0]);
            }
        }
        _decayMask = mask;
        _rowNorms = new float[longestRows];
        _boundNetwork = network;
        _maskDecaysBiases = DecayBiases;
    }

    private void ApplyMaxNorm(IReadOnlyList<ParameterTensor> tensors, Span<float> parameters)
    {
        for (int t = 0; t < tensors.Count; t++)
        {
            ParameterTensor tensor = tensors[t];
            if (tensor.Kind != ParameterKind.Weight || tensor.Shape.Count < 2)
            {
                continue;
            }
            int rows = tensor.Shape[0];
            int rowLength = tensor.Length / rows;
            Span<float> data = tensor.Slice(parameters);
            Span<float> norms = _rowNorms.AsSpan(0, rows);
            if (tensor.PanelWidth > 0)
            {
                // Stored in panels of PanelWidth output units, each [in][panel width]: unit r of a panel is the strided
                // column r; accumulate all columns of a panel at once, stored row by stored row.
                norms.Clear();
                for (int panelStart = 0; panelStart < rows; panelStart += tensor.PanelWidth)
                {
                    int width = Math.Min(tensor.PanelWidth, rows - panelStart);
                    Span<float> panel = data.Slice(panelStart * rowLength, width * rowLength);
                    Span<float> panelNorms = norms.Slice(panelStart, width);
                    for (int c = 0; c < rowLength; c++)
                    {
                        Span<float> stored = panel.Slice(c * width, width);
                        for (int r = 0; r < width; r++)
                        {
                            panelNorms[r] += stored[r] * stored[r];
                        }
                    }
                }
                for (int r = 0; r < rows; r++)
                {
                    float norm = MathF.Sqrt(norms[r]);
                    norms[r] = norm > MaxNorm ? MaxNorm / norm : 1f;
                }
                for (int panelStart = 0; panelStart < rows; panelStart += tensor.PanelWidth)
                {
                    int width = Math.Min(tensor.PanelWidth, rows - panelStart);
                    Span<float> panel = data.Slice(panelStart * rowLength, width * rowLength);
                    Span<float> panelNorms = norms.Slice(panelStart, width);
                    for (int c = 0; c < rowLength; c++)
                    {
                        Span<float> stored = panel.Slice(c * width, width);
                        for (int r = 0; r < width; r++)
                        {
                            stored[r] *= panelNorms[r];
                        }
                    }
                }
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    Span<float> row = data.Slice(r * rowLength, rowLength);
                    double norm = Math.Sqrt(VectorOps.SumOfSquares(row));
                    if (norm > MaxNorm)
                    {
                        VectorOps.Scale(row, (float)(MaxNorm / norm));
                    }
                }
            }
        }
    }

    /// <summary>Writes the rule's name, step count, learning rate, scalar state and every state buffer.</summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Name);
        writer.Write(StepCount);
        writer.Write(LearningRate);
        WriteScalars(writer);
        writer.Write(_state.Length);
        writer.Write(_state.Length == 0 ? 0 : _state[0].Length);
        foreach (float[] buffer in _state)
        {
            writer.Write(MemoryMarshal.AsBytes(buffer.AsSpan()));
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote; the rule's name must match. A state that does not fit is an
    /// <see cref="InvalidDataException"/> and leaves the optimizer as it was.</summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ReadState(reader, parameterCount: -1);
    }

    /// <summary>As <see cref="ReadState(BinaryReader)"/>; with a <paramref name="parameterCount"/> of 0 or more the state
    /// buffers must be that long and the state must end where the reader's stream ends (a checkpoint's optimizer section).
    /// Everything is read and checked before anything changes; should a subclass's <see cref="ReadScalars"/> be followed by
    /// a failure, its scalars are put back from what <see cref="WriteScalars"/> wrote before.</summary>
    internal void ReadState(BinaryReader reader, int parameterCount)
    {
        string name = BinaryData.ReadString(reader, "The saved optimizer state's rule");
        if (name != Name)
        {
            throw new InvalidDataException($"The saved optimizer state belongs to {name}; this optimizer is {Name}.");
        }
        long steps = reader.ReadInt64();
        if (steps < 0)
        {
            throw new InvalidDataException($"The saved {Name} state has taken {steps} steps.");
        }
        float learningRate = reader.ReadSingle();
        if (!(learningRate >= 0f && float.IsFinite(learningRate)))
        {
            throw new InvalidDataException($"The saved {Name} state has the learning rate {learningRate}.");
        }
        byte[] scalarsBefore = ScalarState();
        try
        {
            ReadScalars(reader);
            int slots = reader.ReadInt32();
            if (slots != 0 && slots != StateSlots)
            {
                throw new InvalidDataException($"{Name} keeps {StateSlots} state buffers; the saved state has {slots}.");
            }
            int length = BinaryData.ReadCount(reader, Math.Max(1, slots) * sizeof(float), $"The saved {Name} state buffers");
            if (slots == 0 ? length != 0 : parameterCount >= 0 && length != parameterCount)
            {
                throw new InvalidDataException(slots == 0
                    ? $"The saved {Name} state has no buffers but gives them a length of {length}."
                    : $"The saved {Name} state buffers hold {length} values; the network has {parameterCount} parameters.");
            }
            var state = new float[slots][];
            for (int i = 0; i < slots; i++)
            {
                state[i] = new float[length];
                BinaryData.ReadExactly(reader, MemoryMarshal.AsBytes(state[i].AsSpan()));
            }
            if (parameterCount >= 0 && reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException($"The saved {Name} state is followed by {reader.BaseStream.Length - reader.BaseStream.Position} bytes it does not use.");
            }
            _state = slots == 0 ? NoState : state;
            StepCount = steps;
            LearningRate = learningRate;
        }
        catch
        {
            using var before = new BinaryReader(new MemoryStream(scalarsBefore));
            ReadScalars(before);
            throw;
        }
    }

    /// <summary>What <see cref="WriteScalars"/> writes now.</summary>
    private byte[] ScalarState()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WriteScalars(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Writes scalar state beyond the buffers (none by default).</summary>
    protected virtual void WriteScalars(BinaryWriter writer)
    {
    }

    /// <summary>Reads what <see cref="WriteScalars"/> wrote.</summary>
    protected virtual void ReadScalars(BinaryReader reader)
    {
    }
}

/// <summary>The per-parameter state buffers of an <see cref="Optimizer"/> over the block of parameters one
/// <see cref="Optimizer.Update"/> call gets.</summary>
public readonly ref struct UpdateState
{
    private readonly float[][] _buffers;
    private readonly int _first;
    private readonly int _length;

    internal UpdateState(float[][] buffers, ReadOnlySpan<float> decayMask, int first, int length, bool streamParameters = false)
    {
        _buffers = buffers;
        DecayMask = decayMask;
        _first = first;
        _length = length;
        StreamParameters = streamParameters;
    }

    /// <summary>State buffer <paramref name="slot"/> over this block.</summary>
    public Span<float> this[int slot] => _buffers[slot].AsSpan(_first, _length);

    /// <summary>The weight-decay mask over this block: 1 where decay applies, 0 where it does not; empty (meaning all
    /// ones) when the optimizer steps raw spans.</summary>
    public ReadOnlySpan<float> DecayMask { get; }

    /// <summary>Whether the network runs on several threads, whose next forward pass each reads every parameter this block
    /// writes: the built-in rules with state (all but plain <see cref="Sgd"/>, whose update is one vector operation) then
    /// store the parameters past the cache (non-temporal stores; the same values), which on two cores costs less than
    /// taking each line back from the other core's cache first.</summary>
    public bool StreamParameters { get; }
}

/// <summary>Little helpers for binary state files.</summary>
internal static class BinaryData
{
    /// <summary>Reads a count of <paramref name="itemSize"/>-byte items and checks it before anything is allocated for
    /// it: not negative and, on a stream that knows its length, no more items than the bytes left can hold. A corrupted
    /// count is then an <see cref="InvalidDataException"/> (<paramref name="what"/> names the file and field), not an
    /// allocation of gigabytes.</summary>
    public static int ReadCount(BinaryReader reader, int itemSize, string what) => CheckCount(reader, reader.ReadInt32(), itemSize, what);

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> wrote it (a 7-bit encoded byte count, then UTF-8),
    /// its length checked like <see cref="ReadCount"/>; a malformed length is an <see cref="InvalidDataException"/>.</summary>
    public static string ReadString(BinaryReader reader, string what)
    {
        int length;
        try
        {
            length = reader.Read7BitEncodedInt();
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{what}: a malformed string length (the file is corrupted).");
        }
        byte[] bytes = new byte[CheckCount(reader, length, 1, what)];
        ReadExactly(reader, bytes);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>As <see cref="ReadCount"/> for a count already read.</summary>
    public static int CheckCount(BinaryReader reader, int count, int itemSize, string what)
    {
        Stream stream = reader.BaseStream;
        long left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (count < 0 || (long)count * itemSize > left)
        {
            throw new InvalidDataException(count < 0
                ? $"{what}: a count of {count} (the file is corrupted)."
                : $"{what}: {count} items of {itemSize} bytes, but {left} bytes are left (the file is corrupted or truncated).");
        }
        return count;
    }

    /// <summary>Fills <paramref name="destination"/>; an <see cref="EndOfStreamException"/> when the stream ends first.</summary>
    public static void ReadExactly(BinaryReader reader, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = reader.Read(destination);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ends {destination.Length} bytes early.");
            }
            destination = destination[read..];
        }
    }
}
