using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Optimizers;

/// <summary>
/// One optimizer's per-element update rule, written once per lane type: a parameter <c>p</c>, its gradient <c>g</c> and up
/// to two state values <c>a</c>, <c>b</c> of the same index. Structs implement it so that <see cref="StepKernel.Run"/>
/// specializes per rule, as the activation kernels do.
/// </summary>
internal interface IStepRule
{
    /// <summary>How many state buffers the rule reads and writes (0, 1 or 2).</summary>
    static abstract int States { get; }

    void Apply(ref float p, float g, ref float a, ref float b);

    void Apply(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> a, ref Vector256<float> b);

    void Apply(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> a, ref Vector512<float> b);
}

/// <summary>Runs an <see cref="IStepRule"/> over flat spans: Vector512 where accelerated, then Vector256, then scalar.</summary>
internal static class StepKernel
{
    /// <summary>
    /// Applies <paramref name="rule"/> to every element. With <paramref name="streamParameters"/> (the network runs on
    /// several threads, see <see cref="UpdateState.StreamParameters"/>) and 64-byte aligned parameters, the vector loops
    /// store the new parameters with non-temporal stores: every thread's forward pass read each parameter line, so a
    /// plain store must first take the line from the other cores' caches, while a non-temporal store only invalidates it
    /// (docs/decisions/0012-non-temporal-stores-at-one-thread.md). The values stored are the same either way.
    /// </summary>
    public static void Run<TRule>(in TRule rule, Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> stateA, Span<float> stateB,
        bool streamParameters = false)
        where TRule : struct, IStepRule
    {
        int length = parameters.Length;
        if (gradients.Length != length || (TRule.States > 0 && stateA.Length != length) || (TRule.States > 1 && stateB.Length != length))
        {
            throw new ArgumentException($"Parameters ({length}), gradients ({gradients.Length}) and optimizer state must have equal lengths.", nameof(gradients));
        }
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        // Unused state slots alias a local so every reference stays valid; rules never touch them.
        float unusedA = 0f, unusedB = 0f;
        ref float a = ref TRule.States > 0 ? ref MemoryMarshal.GetReference(stateA) : ref unusedA;
        ref float b = ref TRule.States > 1 ? ref MemoryMarshal.GetReference(stateB) : ref unusedB;
        TRule r = rule;
        // Both vector loops start at a multiple of 64 bytes from the first element, so an aligned start keeps every store aligned.
        bool stream = streamParameters && IsCacheLineAligned(ref p);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                Vector512<float> vp = Vector512.LoadUnsafe(ref p, at);
                Vector512<float> va = TRule.States > 0 ? Vector512.LoadUnsafe(ref a, at) : default;
                Vector512<float> vb = TRule.States > 1 ? Vector512.LoadUnsafe(ref b, at) : default;
                r.Apply(ref vp, Vector512.LoadUnsafe(ref g, at), ref va, ref vb);
                if (stream)
                {
                    StoreNonTemporal(vp, ref p, at);
                }
                else
                {
                    vp.StoreUnsafe(ref p, at);
                }
                if (TRule.States > 0)
                {
                    va.StoreUnsafe(ref a, at);
                }
                if (TRule.States > 1)
                {
                    vb.StoreUnsafe(ref b, at);
                }
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                nuint at = (nuint)i;
                Vector256<float> vp = Vector256.LoadUnsafe(ref p, at);
                Vector256<float> va = TRule.States > 0 ? Vector256.LoadUnsafe(ref a, at) : default;
                Vector256<float> vb = TRule.States > 1 ? Vector256.LoadUnsafe(ref b, at) : default;
                r.Apply(ref vp, Vector256.LoadUnsafe(ref g, at), ref va, ref vb);
                if (stream)
                {
                    StoreNonTemporal(vp, ref p, at);
                }
                else
                {
                    vp.StoreUnsafe(ref p, at);
                }
                if (TRule.States > 0)
                {
                    va.StoreUnsafe(ref a, at);
                }
                if (TRule.States > 1)
                {
                    vb.StoreUnsafe(ref b, at);
                }
            }
        }
        for (; i < length; i++)
        {
            float sa = 0f, sb = 0f;
            if (TRule.States > 0)
            {
                sa = Unsafe.Add(ref a, i);
            }
            if (TRule.States > 1)
            {
                sb = Unsafe.Add(ref b, i);
            }
            r.Apply(ref Unsafe.Add(ref p, i), Unsafe.Add(ref g, i), ref sa, ref sb);
            if (TRule.States > 0)
            {
                Unsafe.Add(ref a, i) = sa;
            }
            if (TRule.States > 1)
            {
                Unsafe.Add(ref b, i) = sb;
            }
        }
        if (stream && Sse.IsSupported)
        {
            // Non-temporal stores are weakly ordered: make them visible before the pool reports this block done.
            Sse.StoreFence();
        }
    }

    private static unsafe bool IsCacheLineAligned(ref float element) => (nuint)Unsafe.AsPointer(ref element) % 64 == 0;

    // The parameters live in a pinned AlignedBuffer when streaming is asked for (a network's parameters), and `fixed`
    // keeps any other span in place for the store.
    private static unsafe void StoreNonTemporal(Vector512<float> value, ref float origin, nuint at)
    {
        fixed (float* address = &Unsafe.Add(ref origin, at))
        {
            Vector512.StoreAlignedNonTemporal(value, address);
        }
    }

    private static unsafe void StoreNonTemporal(Vector256<float> value, ref float origin, nuint at)
    {
        fixed (float* address = &Unsafe.Add(ref origin, at))
        {
            Vector256.StoreAlignedNonTemporal(value, address);
        }
    }

    /// <summary>+1, −1 or 0 per lane.</summary>
    public static float Sign(float x) => x > 0f ? 1f : x < 0f ? -1f : 0f;

    public static Vector256<float> Sign(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero)
        - Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);

    public static Vector512<float> Sign(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero)
        - Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero);
}
