using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Data;

/// <summary>Vectorized conversions between 8-bit pixels and floats, used by every image reader and writer.</summary>
internal static class PixelConversion
{
    /// <summary><c>destination[i] = source[i] · scale</c>.</summary>
    // Called once per file over millions of bytes: compile it optimized at once instead of running tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToSingle(ReadOnlySpan<byte> source, Span<float> destination, float scale)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }
        ref byte s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int i = 0, length = source.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            var factor = Vector256.Create(scale);
            for (; i <= length - 16; i += 16)
            {
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref s, (nuint)i);
                (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(bytes);
                Vector256<int> a = Vector256.Create(Vector128.WidenLower(low), Vector128.WidenUpper(low)).AsInt32();
                Vector256<int> b = Vector256.Create(Vector128.WidenLower(high), Vector128.WidenUpper(high)).AsInt32();
                (Vector256.ConvertToSingle(a) * factor).StoreUnsafe(ref d, (nuint)i);
                (Vector256.ConvertToSingle(b) * factor).StoreUnsafe(ref d, (nuint)(i + 8));
            }
        }
        for (; i < length; i++)
        {
            destination[i] = source[i] * scale;
        }
    }

    /// <summary><c>destination[i] = round(source[i] · scale)</c>, clamped to 0–255; NaN becomes 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToByte(ReadOnlySpan<float> source, Span<byte> destination, float scale)
    {
        for (int i = 0; i < source.Length; i++)
        {
            float v = MathF.Round(source[i] * scale);
            destination[i] = v >= 255f ? (byte)255 : v > 0f ? (byte)v : (byte)0;
        }
    }
}
