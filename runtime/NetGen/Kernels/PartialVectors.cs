using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// Loads and stores of the first <c>count</c> lanes of a vector at an offset of a span, for rows narrower than a vector
/// or the last chunk of a row (a 10-class row is one Vector512 with 6 spare lanes). Spare lanes are set to a fill value
/// on load, so a row's result never depends on what follows it in memory, and stores leave the memory past the row as
/// it was. Nothing outside the span is read or written: near its end the lanes go through a small buffer.
/// </summary>
internal static class PartialVectors
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(ReadOnlySpan<float> span, int start, int count, float fill)
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= Vector512<float>.Count)
        {
            return Vector512.LoadUnsafe(ref first, (nuint)start);
        }
        Vector512<float> lanes = start + Vector512<float>.Count <= span.Length
            ? Vector512.LoadUnsafe(ref first, (nuint)start)
            : BufferedLoad512(span.Slice(start, count));
        return Vector512.ConditionalSelect(FirstLanes512(count), lanes, Vector512.Create(fill));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store512(Span<float> span, int start, int count, Vector512<float> value)
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= Vector512<float>.Count)
        {
            value.StoreUnsafe(ref first, (nuint)start);
        }
        else if (start + Vector512<float>.Count <= span.Length)
        {
            // The lanes past the row are in this call's span (a later row): they are written back unchanged.
            StoreLanes(ref first, (nuint)start, FirstLanes512(count), value);
        }
        else
        {
            BufferedStore512(span.Slice(start, count), value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(ReadOnlySpan<float> span, int start, int count, float fill)
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= Vector256<float>.Count)
        {
            return Vector256.LoadUnsafe(ref first, (nuint)start);
        }
        Vector256<float> lanes = start + Vector256<float>.Count <= span.Length
            ? Vector256.LoadUnsafe(ref first, (nuint)start)
            : BufferedLoad256(span.Slice(start, count));
        return Vector256.ConditionalSelect(FirstLanes256(count), lanes, Vector256.Create(fill));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Span<float> span, int start, int count, Vector256<float> value)
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= Vector256<float>.Count)
        {
            value.StoreUnsafe(ref first, (nuint)start);
        }
        else if (start + Vector256<float>.Count <= span.Length)
        {
            StoreLanes(ref first, (nuint)start, FirstLanes256(count), value);
        }
        else
        {
            BufferedStore256(span.Slice(start, count), value);
        }
    }

    /// <summary>All bits set in lanes [0, count), clear in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FirstLanes512(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <inheritdoc cref="FirstLanes512(int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FirstLanes256(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>The largest lane (NaN lanes may be ignored; callers propagate NaN through their sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => MaxAcross(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    /// <inheritdoc cref="MaxAcross(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value)
    {
        Vector128<float> m = Vector128.MaxNative(value.GetLower(), value.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    /// <summary>The sum of the lanes, always in the same order (halves, then quarters, then pairs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Vector512<float> value) => SumAcross(value.GetLower() + value.GetUpper());

    /// <inheritdoc cref="SumAcross(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumAcross(Vector256<float> value)
    {
        Vector128<float> s = value.GetLower() + value.GetUpper();
        s += Vector128.Shuffle(s, Vector128.Create(2, 3, 0, 1));
        s += Vector128.Shuffle(s, Vector128.Create(1, 0, 3, 2));
        return s.ToScalar();
    }

    /// <summary>Stores the lanes selected by <paramref name="lanes"/> at <c>destination[offset..]</c> and writes the others
    /// back unchanged; the caller guarantees a whole vector from the offset lies in its span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(ref float destination, nuint offset, Vector512<float> lanes, Vector512<float> value) =>
        Vector512.ConditionalSelect(lanes, value, Vector512.LoadUnsafe(ref destination, offset)).StoreUnsafe(ref destination, offset);

    /// <inheritdoc cref="StoreLanes(ref float, nuint, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes(ref float destination, nuint offset, Vector256<float> lanes, Vector256<float> value) =>
        Vector256.ConditionalSelect(lanes, value, Vector256.LoadUnsafe(ref destination, offset)).StoreUnsafe(ref destination, offset);

    private static Vector512<float> BufferedLoad512(ReadOnlySpan<float> lanes)
    {
        Span<float> buffer = stackalloc float[Vector512<float>.Count];
        lanes.CopyTo(buffer);
        return Vector512.Create((ReadOnlySpan<float>)buffer);
    }

    private static void BufferedStore512(Span<float> lanes, Vector512<float> value)
    {
        Span<float> buffer = stackalloc float[Vector512<float>.Count];
        value.CopyTo(buffer);
        buffer[..lanes.Length].CopyTo(lanes);
    }

    private static Vector256<float> BufferedLoad256(ReadOnlySpan<float> lanes)
    {
        Span<float> buffer = stackalloc float[Vector256<float>.Count];
        lanes.CopyTo(buffer);
        return Vector256.Create((ReadOnlySpan<float>)buffer);
    }

    private static void BufferedStore256(Span<float> lanes, Vector256<float> value)
    {
        Span<float> buffer = stackalloc float[Vector256<float>.Count];
        value.CopyTo(buffer);
        buffer[..lanes.Length].CopyTo(lanes);
    }
}
