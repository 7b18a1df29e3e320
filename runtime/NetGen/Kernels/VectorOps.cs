using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        ref float d = ref MemoryMarshal.GetReference(destination);
        ref float s = ref MemoryMarshal.GetReference(source);
        int i = 0, length = destination.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var factor = Vector512.Create(scale);
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref s, (nuint)i), factor, Vector512.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var factor = Vector256.Create(scale);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref s, (nuint)i), factor, Vector256.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            destination[i] += scale * source[i];
        }
    }

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
