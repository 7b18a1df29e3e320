using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Kernels;

namespace NetGen.CompilerServices;

/// <summary>
/// The bias terms of generated layers: a bias added to channel planes, and the bias gradients (sums of the output
/// gradient over samples or pixels). Each sum adds its terms one by one in a fixed order, so the result has the same bits
/// on every vector width and for any split of the other work over threads.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BiasKernels
{
    /// <summary><c>sums[j] += Σ_s rows[s · columns + j]</c> over the <paramref name="count"/> rows, for each of the
    /// <paramref name="columns"/> columns (a dense layer's bias gradient: one row per sample). Each column adds the rows in
    /// order to its sum.</summary>
    public static void AddColumnSums(ref float rows, int count, int columns, ref float sums)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            j = AddColumnSums<Simd512>(ref rows, count, columns, ref sums, j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            j = AddColumnSums<Simd256>(ref rows, count, columns, ref sums, j);
        }
        for (; j < columns; j++)
        {
            float sum = Unsafe.Add(ref sums, j);
            for (int s = 0; s < count; s++)
            {
                sum += Unsafe.Add(ref rows, s * columns + j);
            }
            Unsafe.Add(ref sums, j) = sum;
        }
    }

    /// <summary>Columns from <paramref name="first"/> a whole vector at a time; returns the first column left.</summary>
    private static int AddColumnSums<TV>(ref float rows, int count, int columns, ref float sums, int first)
        where TV : struct, ISimdFloat<TV>
    {
        int j = first;
        for (; j + TV.Count <= columns; j += TV.Count)
        {
            TV sum = TV.LoadUnsafe(ref sums, (nuint)j);
            for (int s = 0; s < count; s++)
            {
                sum += TV.LoadUnsafe(ref rows, (nuint)(s * columns + j));
            }
            sum.StoreUnsafe(ref sums, (nuint)j);
        }
        return j;
    }

    /// <summary><c>z[c, :] += bias[c]</c> for each of the <paramref name="channels"/> planes of <paramref name="pixels"/>
    /// values.</summary>
    public static void AddChannelBias(ref float bias, ref float z, int channels, int pixels)
    {
        for (int c = 0; c < channels; c++)
        {
            float b = Unsafe.Add(ref bias, c);
            Span<float> plane = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref z, c * pixels), pixels);
            for (int p = 0; p < plane.Length; p++)
            {
                plane[p] += b;
            }
        }
    }

    /// <summary><c>sums[c] += Σ d[c, :]</c>: each plane's values added in order from zero, then to the sum.</summary>
    public static void AddChannelSums(ref float d, ref float sums, int channels, int pixels)
    {
        for (int c = 0; c < channels; c++)
        {
            float total = 0f;
            ReadOnlySpan<float> plane = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref d, c * pixels), pixels);
            for (int p = 0; p < plane.Length; p++)
            {
                total += plane[p];
            }
            Unsafe.Add(ref sums, c) += total;
        }
    }
}
