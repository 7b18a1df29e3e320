using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>An element-wise function with a scalar and two vector forms; implemented by structs so calls specialize.</summary>
internal interface IUnaryOp
{
    float Invoke(float x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An activation's derivative f'(z) given the pre-activation z and the activation a = f(z).</summary>
internal interface IDerivativeOp
{
    float Invoke(float z, float a);
    Vector256<float> Invoke(Vector256<float> z, Vector256<float> a);
    Vector512<float> Invoke(Vector512<float> z, Vector512<float> a);
}

/// <summary>A loss summed element by element: each form returns the loss terms and sets the derivative of each term with
/// respect to its output.</summary>
internal interface ILossOp
{
    float Invoke(float output, float target, out float derivative);
    Vector256<float> Invoke(Vector256<float> output, Vector256<float> target, out Vector256<float> derivative);
    Vector512<float> Invoke(Vector512<float> output, Vector512<float> target, out Vector512<float> derivative);
}

/// <summary>
/// Drivers that run an op over spans with Vector512 where accelerated, else Vector256, else scalar. The tail that does
/// not fill a vector goes through the same vector op on a zero-padded copy, so an element's result never depends on
/// where it sits in the span — a sample gives bit-identical activations alone or anywhere in a batch.
/// </summary>
internal static class ElementWise
{
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> source, Span<float> destination)
        where TOp : struct, IUnaryOp
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }
        if (Vector512.IsHardwareAccelerated)
        {
            Map<TOp, Simd512>(op, source, destination);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Map<TOp, Simd256>(op, source, destination);
        }
        else
        {
            ref float src = ref MemoryMarshal.GetReference(source);
            ref float dst = ref MemoryMarshal.GetReference(destination);
            for (int i = 0; i < source.Length; i++)
            {
                Unsafe.Add(ref dst, i) = op.Invoke(Unsafe.Add(ref src, i));
            }
        }
    }

    /// <summary><c>delta[i] *= f'(z[i], a[i])</c>.</summary>
    public static void MultiplyByDerivative<TOp>(TOp op, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> delta)
        where TOp : struct, IDerivativeOp
    {
        if (z.Length != delta.Length || a.Length != delta.Length)
        {
            throw new ArgumentException("Pre-activation, activation and delta must have equal lengths.", nameof(delta));
        }
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float dr = ref MemoryMarshal.GetReference(delta);
        int length = delta.Length, i = 0;
        // Written out per width: through ISimdFloat the JIT no longer folds the load of delta into the multiply, and this
        // loop is short enough for that to cost 5–10 %.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> derivative = op.Invoke(Vector512.LoadUnsafe(ref zr, (nuint)i), Vector512.LoadUnsafe(ref ar, (nuint)i));
                (Vector512.LoadUnsafe(ref dr, (nuint)i) * derivative).StoreUnsafe(ref dr, (nuint)i);
            }
            if (i < length)
            {
                Span<float> zt = stackalloc float[Vector512<float>.Count], at = stackalloc float[Vector512<float>.Count], dt = stackalloc float[Vector512<float>.Count];
                z[i..].CopyTo(zt);
                a[i..].CopyTo(at);
                delta[i..].CopyTo(dt);
                (Vector512.Create((ReadOnlySpan<float>)dt) * op.Invoke(Vector512.Create((ReadOnlySpan<float>)zt), Vector512.Create((ReadOnlySpan<float>)at))).CopyTo(dt);
                dt[..(length - i)].CopyTo(delta[i..]);
            }
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> derivative = op.Invoke(Vector256.LoadUnsafe(ref zr, (nuint)i), Vector256.LoadUnsafe(ref ar, (nuint)i));
                (Vector256.LoadUnsafe(ref dr, (nuint)i) * derivative).StoreUnsafe(ref dr, (nuint)i);
            }
            if (i < length)
            {
                Span<float> zt = stackalloc float[Vector256<float>.Count], at = stackalloc float[Vector256<float>.Count], dt = stackalloc float[Vector256<float>.Count];
                z[i..].CopyTo(zt);
                a[i..].CopyTo(at);
                delta[i..].CopyTo(dt);
                (Vector256.Create((ReadOnlySpan<float>)dt) * op.Invoke(Vector256.Create((ReadOnlySpan<float>)zt), Vector256.Create((ReadOnlySpan<float>)at))).CopyTo(dt);
                dt[..(length - i)].CopyTo(delta[i..]);
            }
            return;
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref dr, i) *= op.Invoke(Unsafe.Add(ref zr, i), Unsafe.Add(ref ar, i));
        }
    }

    /// <summary>Writes <c>gradient[i] = scale · ∂term/∂output</c> for the first <paramref name="count"/> elements and returns
    /// the sum of the loss terms, accumulated in double.</summary>
    public static double SumLoss<TOp>(TOp op, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int count, float scale)
        where TOp : struct, ILossOp
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return SumLoss<TOp, Simd512>(op, outputs, targets, gradient, count, scale);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            return SumLoss<TOp, Simd256>(op, outputs, targets, gradient, count, scale);
        }
        ref float o = ref MemoryMarshal.GetReference(outputs);
        ref float t = ref MemoryMarshal.GetReference(targets);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += op.Invoke(Unsafe.Add(ref o, i), Unsafe.Add(ref t, i), out float derivative);
            Unsafe.Add(ref g, i) = derivative * scale;
        }
        return sum;
    }

    private static void Map<TOp, TVector>(TOp op, ReadOnlySpan<float> source, Span<float> destination)
        where TOp : struct, IUnaryOp
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int length = source.Length, i = 0;
        for (; i <= length - TVector.Count; i += TVector.Count)
        {
            TVector.Invoke(op, TVector.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }
        if (i < length)
        {
            Span<float> tail = stackalloc float[TVector.Count];
            source[i..].CopyTo(tail);
            TVector.Invoke(op, TVector.Create(tail)).CopyTo(tail);
            tail[..(length - i)].CopyTo(destination[i..]);
        }
    }

    private static double SumLoss<TOp, TVector>(TOp op, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> gradient, int count, float scale)
        where TOp : struct, ILossOp
        where TVector : struct, ISimdFloat<TVector>
    {
        ref float o = ref MemoryMarshal.GetReference(outputs);
        ref float t = ref MemoryMarshal.GetReference(targets);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        TVector factor = TVector.Create(scale);
        TVector lower = TVector.Zero, upper = TVector.Zero;
        for (; i <= count - TVector.Count; i += TVector.Count)
        {
            TVector terms = TVector.Invoke(op, TVector.LoadUnsafe(ref o, (nuint)i), TVector.LoadUnsafe(ref t, (nuint)i), out TVector derivative);
            (derivative * factor).StoreUnsafe(ref g, (nuint)i);
            TVector.AddWidened(terms, ref lower, ref upper);
        }
        if (i < count)
        {
            int rest = count - i;
            TVector terms = TVector.Invoke(op, PartialVectors.Load<TVector>(outputs, i, rest, 0f), PartialVectors.Load<TVector>(targets, i, rest, 0f), out TVector derivative);
            PartialVectors.Store(gradient, i, rest, derivative * factor);
            terms &= TVector.FirstLanes(rest);
            TVector.AddWidened(terms, ref lower, ref upper);
        }
        return TVector.SumWidened(lower, upper);
    }
}
