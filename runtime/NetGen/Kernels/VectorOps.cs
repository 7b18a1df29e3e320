using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>Vectorized loops over flat spans, shared by optimizers and training code.</summary>
public static class VectorOps
{
    /// <summary><c>destination[i] += scale · source[i]</c> (axpy): a plain gradient-descent step with scale = −η.</summary>
    public static void AddScaled(Span<float> destination, ReadOnlySpan<float> source, float scale)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Spans differ in length: destination {destination.Length}, source {source.Length}.", nameof(source));
        }
        int i = 0, length = destination.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            i = AddScaled<Simd512>(destination, source, scale, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = AddScaled<Simd256>(destination, source, scale, i);
        }
        for (; i < length; i++)
        {
            destination[i] += scale * source[i];
        }
    }

    /// <summary>The whole vectors of <see cref="AddScaled(Span{float}, ReadOnlySpan{float}, float)"/> from
    /// <paramref name="i"/> on; returns where they end. (Each vector kernel below has this form: the widest accelerated
    /// width, then Vector256 for the rest, then the scalar loop.)</summary>
    private static int AddScaled<TVector>(Span<float> destination, ReadOnlySpan<float> source, float scale, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(source);
        TVector factor = TVector.Create(scale);
        for (; i <= destination.Length - TVector.Count; i += TVector.Count)
        {
            TVector.FusedMultiplyAdd(TVector.LoadUnsafe(ref s, (nuint)i), factor, TVector.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary><c>destination[i] = a[i] + b[i]</c> (a residual connection's sum).</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        => Combine(a, b, destination, multiply: false);

    /// <summary><c>destination[i] = a[i] · b[i]</c> (a gradient through a dropout mask).</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
        => Combine(a, b, destination, multiply: true);

    private static void Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool multiply)
    {
        if (a.Length != destination.Length || b.Length != destination.Length)
        {
            throw new ArgumentException($"Spans differ in length: {a.Length}, {b.Length} and destination {destination.Length}.", nameof(destination));
        }
        int i = 0, length = destination.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            i = Combine<Simd512>(a, b, destination, multiply, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = Combine<Simd256>(a, b, destination, multiply, i);
        }
        for (; i < length; i++)
        {
            destination[i] = multiply ? a[i] * b[i] : a[i] + b[i];
        }
    }

    private static int Combine<TVector>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool multiply, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        ref float d = ref MemoryMarshal.GetReference(destination);
        for (; i <= destination.Length - TVector.Count; i += TVector.Count)
        {
            TVector u = TVector.LoadUnsafe(ref x, (nuint)i), v = TVector.LoadUnsafe(ref y, (nuint)i);
            (multiply ? u * v : u + v).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary><c>destination[i] += ((shards[0][i] + shards[1][i]) + shards[2][i]) + …</c> for <paramref name="count"/>
    /// shards laid end to end in <paramref name="shards"/>, each as long as <paramref name="destination"/>: the fixed-order
    /// reduction of per-shard gradients.</summary>
    public static void AddShards(Span<float> destination, ReadOnlySpan<float> shards, int count)
    {
        int length = destination.Length;
        if (count < 1 || shards.Length < (long)count * length)
        {
            throw new ArgumentException($"{count} shards of {length} floats need {(long)count * length}; the span has {shards.Length}.", nameof(shards));
        }
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            i = AddShards<Simd512>(destination, shards, count, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = AddShards<Simd256>(destination, shards, count, i);
        }
        for (; i < length; i++)
        {
            float sum = shards[i];
            for (int k = 1; k < count; k++)
            {
                sum += shards[k * length + i];
            }
            destination[i] += sum;
        }
    }

    private static int AddShards<TVector>(Span<float> destination, ReadOnlySpan<float> shards, int count, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(shards);
        int length = destination.Length;
        for (; i <= length - TVector.Count; i += TVector.Count)
        {
            TVector sum = TVector.LoadUnsafe(ref s, (nuint)i);
            for (int k = 1; k < count; k++)
            {
                sum += TVector.LoadUnsafe(ref s, (nuint)(k * length + i));
            }
            (TVector.LoadUnsafe(ref d, (nuint)i) + sum).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary>
    /// Reads one float of every cache line of <paramref name="values"/>, front to back, and changes nothing: rows that
    /// another core wrote are then in this core's cache before a kernel reads them in a strided order. The hardware prefetches a sequential read of such
    /// rows; a kernel that reads a few floats of every sample's row in turn waits for each line instead (the dense weight
    /// gradient over panels of outputs, whose every panel reads the whole batch).
    /// </summary>
    public static void BringIntoCache(ReadOnlySpan<float> values) => _ = ReadEveryLine(values);

    /// <summary>
    /// Asks the hardware to start loading every cache line of <paramref name="values"/> (a software prefetch: returns at
    /// once, changes nothing, and does nothing where the instruction is not available). The trainer's gather prefetches
    /// the rows two samples ahead, so that the memory latency of each shuffled row overlaps the copying of the rows before.
    /// </summary>
    public static unsafe void Prefetch(ReadOnlySpan<float> values)
    {
        if (!Sse.IsSupported || values.IsEmpty)
        {
            return;
        }
        fixed (float* first = values)
        {
            byte* last = (byte*)(first + values.Length - 1);
            for (byte* line = (byte*)first; line <= last; line += 64)
            {
                Sse.Prefetch0(line);
            }
            // A span that does not start on a line ends on one the loop may have stepped over.
            Sse.Prefetch0(last);
        }
    }

    /// <summary>One float of every 64-byte line (reads 64 bytes apart touch every line but, when the span does not start
    /// on a line, possibly the last: the last float is read too); the sum is returned only so that the reads cannot be left
    /// out.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float ReadEveryLine(ReadOnlySpan<float> values)
    {
        const int FloatsPerLine = 16;
        if (values.IsEmpty)
        {
            return 0;
        }
        ref float first = ref MemoryMarshal.GetReference(values);
        float sum = Unsafe.Add(ref first, values.Length - 1);
        for (int i = 0; i < values.Length; i += FloatsPerLine)
        {
            sum += Unsafe.Add(ref first, i);
        }
        return sum;
    }

    /// <summary><c>values[i] *= factor</c>.</summary>
    public static void Scale(Span<float> values, float factor)
    {
        int i = 0, length = values.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            i = Scale<Simd512>(values, factor, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = Scale<Simd256>(values, factor, i);
        }
        for (; i < length; i++)
        {
            values[i] *= factor;
        }
    }

    private static int Scale<TVector>(Span<float> values, float factor, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float d = ref MemoryMarshal.GetReference(values);
        TVector f = TVector.Create(factor);
        for (; i <= values.Length - TVector.Count; i += TVector.Count)
        {
            (TVector.LoadUnsafe(ref d, (nuint)i) * f).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary>Clamps every value into [<paramref name="min"/>, <paramref name="max"/>] (gradient clipping by value).</summary>
    public static void Clamp(Span<float> values, float min, float max)
    {
        int i = 0, length = values.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            i = Clamp<Simd512>(values, min, max, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = Clamp<Simd256>(values, min, max, i);
        }
        for (; i < length; i++)
        {
            values[i] = MathF.Min(MathF.Max(values[i], min), max);
        }
    }

    private static int Clamp<TVector>(Span<float> values, float min, float max, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float d = ref MemoryMarshal.GetReference(values);
        TVector lo = TVector.Create(min), hi = TVector.Create(max);
        for (; i <= values.Length - TVector.Count; i += TVector.Count)
        {
            TVector.Min(TVector.Max(TVector.LoadUnsafe(ref d, (nuint)i), lo), hi).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary>Σ values[i]², accumulated in single precision per lane and summed in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        int i = 0, length = values.Length;
        double total = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            total += SumOfSquares<Simd512>(values, ref i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            total += SumOfSquares<Simd256>(values, ref i);
        }
        for (; i < length; i++)
        {
            total += values[i] * (double)values[i];
        }
        return total;
    }

    /// <summary>The float sum of squares of the whole vectors from <paramref name="i"/> on, which it moves past them.</summary>
    private static float SumOfSquares<TVector>(ReadOnlySpan<float> values, ref int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float s = ref MemoryMarshal.GetReference(values);
        int j = i;
        TVector acc = TVector.Zero;
        for (; j <= values.Length - TVector.Count; j += TVector.Count)
        {
            TVector v = TVector.LoadUnsafe(ref s, (nuint)j);
            acc += v * v;
        }
        i = j;
        return TVector.Sum(acc);
    }

    /// <summary>True when every value is finite (no NaN, no ±∞).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x·0 is 0 for finite x and NaN for NaN or ±∞, so one NaN anywhere poisons the sum. Four sums, not one: a single
        // running sum waits an addition's latency per vector, which made this check half again as slow (it runs over
        // every gradient and parameter before each TryStep). Written out per width: through ISimdFloat the JIT no longer
        // folds the loads into the multiplies, which costs about 5 % here.
        ref float s = ref MemoryMarshal.GetReference(values);
        int i = 0, length = values.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            const int Width = 16;
            Vector512<float> zero = Vector512<float>.Zero, a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            for (; i <= length - 4 * Width; i += 4 * Width)
            {
                a0 += Vector512.LoadUnsafe(ref s, (nuint)i) * zero;
                a1 += Vector512.LoadUnsafe(ref s, (nuint)(i + Width)) * zero;
                a2 += Vector512.LoadUnsafe(ref s, (nuint)(i + 2 * Width)) * zero;
                a3 += Vector512.LoadUnsafe(ref s, (nuint)(i + 3 * Width)) * zero;
            }
            for (; i <= length - Width; i += Width)
            {
                a0 += Vector512.LoadUnsafe(ref s, (nuint)i) * zero;
            }
            if (Vector512.Sum((a0 + a1) + (a2 + a3)) != 0f)
            {
                return false;
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            const int Width = 8;
            Vector256<float> zero = Vector256<float>.Zero, a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            for (; i <= length - 4 * Width; i += 4 * Width)
            {
                a0 += Vector256.LoadUnsafe(ref s, (nuint)i) * zero;
                a1 += Vector256.LoadUnsafe(ref s, (nuint)(i + Width)) * zero;
                a2 += Vector256.LoadUnsafe(ref s, (nuint)(i + 2 * Width)) * zero;
                a3 += Vector256.LoadUnsafe(ref s, (nuint)(i + 3 * Width)) * zero;
            }
            for (; i <= length - Width; i += Width)
            {
                a0 += Vector256.LoadUnsafe(ref s, (nuint)i) * zero;
            }
            if (Vector256.Sum((a0 + a1) + (a2 + a3)) != 0f)
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>destination[i] += scale · mask[i] · source[i]</c>; an empty <paramref name="mask"/> means all ones.
    /// L2 weight decay (gradient += λ·w) and decoupled decay (w −= ηλ·w) are this loop.</summary>
    public static void AddScaledMasked(Span<float> destination, ReadOnlySpan<float> source, ReadOnlySpan<float> mask, float scale)
    {
        if (mask.IsEmpty)
        {
            AddScaled(destination, source, scale);
            return;
        }
        if (source.Length != destination.Length || mask.Length != destination.Length)
        {
            throw new ArgumentException($"Spans differ in length: destination {destination.Length}, source {source.Length}, mask {mask.Length}.", nameof(source));
        }
        int i = 0, length = destination.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            i = AddScaledMasked<Simd512>(destination, source, mask, scale, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            i = AddScaledMasked<Simd256>(destination, source, mask, scale, i);
        }
        for (; i < length; i++)
        {
            destination[i] += scale * mask[i] * source[i];
        }
    }

    private static int AddScaledMasked<TVector>(Span<float> destination, ReadOnlySpan<float> source, ReadOnlySpan<float> mask, float scale, int i)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float m = ref MemoryMarshal.GetReference(mask);
        TVector f = TVector.Create(scale);
        for (; i <= destination.Length - TVector.Count; i += TVector.Count)
        {
            (TVector.LoadUnsafe(ref d, (nuint)i) + f * TVector.LoadUnsafe(ref m, (nuint)i) * TVector.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        return i;
    }

    /// <summary><c>destination[i] += scale · mask[i] · sign(source[i])</c> with sign(0) = 0; an empty <paramref name="mask"/>
    /// means all ones. L1 weight decay (gradient += λ·sign(w)) is this loop.</summary>
    public static void AddScaledSignMasked(Span<float> destination, ReadOnlySpan<float> source, ReadOnlySpan<float> mask, float scale)
    {
        if (source.Length != destination.Length || (!mask.IsEmpty && mask.Length != destination.Length))
        {
            throw new ArgumentException($"Spans differ in length: destination {destination.Length}, source {source.Length}, mask {mask.Length}.", nameof(source));
        }
        Span<float> chunkSigns = stackalloc float[SignChunk];
        for (int start = 0; start < destination.Length; start += SignChunk)
        {
            int count = Math.Min(SignChunk, destination.Length - start);
            Span<float> signs = chunkSigns[..count];
            ReadOnlySpan<float> chunk = source.Slice(start, count);
            for (int i = 0; i < count; i++)
            {
                float x = chunk[i];
                signs[i] = x > 0f ? 1f : x < 0f ? -1f : 0f;
            }
            AddScaledMasked(destination.Slice(start, count), signs, mask.IsEmpty ? mask : mask.Slice(start, count), scale);
        }
    }

    private const int SignChunk = 256;

    /// <summary>Index of the largest value (the first on ties): the predicted class of a row of scores.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("ArgMax of an empty span.", nameof(values));
        }
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
