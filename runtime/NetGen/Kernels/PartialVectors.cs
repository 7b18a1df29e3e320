using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    public static TVector Load<TVector>(ReadOnlySpan<float> span, int start, int count, float fill)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= TVector.Count)
        {
            return TVector.LoadUnsafe(ref first, (nuint)start);
        }
        TVector lanes = start + TVector.Count <= span.Length
            ? TVector.LoadUnsafe(ref first, (nuint)start)
            : BufferedLoad<TVector>(span.Slice(start, count));
        return TVector.ConditionalSelect(TVector.FirstLanes(count), lanes, TVector.Create(fill));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TVector>(Span<float> span, int start, int count, TVector value)
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float first = ref MemoryMarshal.GetReference(span);
        if (count >= TVector.Count)
        {
            value.StoreUnsafe(ref first, (nuint)start);
        }
        else if (start + TVector.Count <= span.Length)
        {
            // The lanes past the row are in this call's span (a later row): they are written back unchanged.
            StoreLanes(ref first, (nuint)start, TVector.FirstLanes(count), value);
        }
        else
        {
            BufferedStore(span.Slice(start, count), value);
        }
    }

    /// <summary>Stores the lanes selected by <paramref name="lanes"/> at <c>destination[offset..]</c> and writes the others
    /// back unchanged; the caller guarantees a whole vector from the offset lies in its span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLanes<TVector>(ref float destination, nuint offset, TVector lanes, TVector value)
        where TVector : struct, ISimdFloat<TVector> =>
        TVector.ConditionalSelect(lanes, value, TVector.LoadUnsafe(ref destination, offset)).StoreUnsafe(ref destination, offset);

    private static TVector BufferedLoad<TVector>(ReadOnlySpan<float> lanes)
        where TVector : struct, ISimdFloat<TVector>
    {
        Span<float> buffer = stackalloc float[TVector.Count];
        lanes.CopyTo(buffer);
        return TVector.Create(buffer);
    }

    private static void BufferedStore<TVector>(Span<float> lanes, TVector value)
        where TVector : struct, ISimdFloat<TVector>
    {
        Span<float> buffer = stackalloc float[TVector.Count];
        value.CopyTo(buffer);
        buffer[..lanes.Length].CopyTo(lanes);
    }
}
