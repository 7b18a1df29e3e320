using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// Pooling with 2×2 windows, stride 2 and no padding over <c>planes</c> images of <c>height × width</c> (an odd last row
/// or column is in no window), the kernels the generated code calls. A vector of 2h inputs of one row holds h windows'
/// left and right elements in the even and odd lanes of its 64-bit halves, so h outputs take two loads, a shift and the
/// window's three comparisons or sums; rows run in vectors of 256 bits (on AVX-512 too: there the 64-bit shifts and
/// narrowing of 512 bits cost more than they save), then at most one of 128 bits, then one window in 64 bits.
/// </summary>
/// <remarks>
/// Max pooling keeps the first maximum of a window in row-major order (ties and NaNs keep the earlier element), as
/// PyTorch does; its backward finds the maximum again from the input, the same way, and can apply the derivative of the
/// ReLU before the pooling from that layer's z (the gradient passes where z ≥ 0). The average is
/// <c>(a + b + c + d)·0.25</c>, summed in that order.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PairPooling
{
    /// <summary>z = the maximum of each window.</summary>
    public static void MaxForward(ref float x, ref float z, int planes, int height, int width)
        => Forward<Maximum>(ref x, ref z, planes, height, width);

    /// <summary>z = the mean of each window.</summary>
    public static void AverageForward(ref float x, ref float z, int planes, int height, int width)
        => Forward<Mean>(ref x, ref z, planes, height, width);

    /// <summary>dx = dz routed to each window's first maximum in x, 0 elsewhere; where <paramref name="sourceZ"/> is not a
    /// null reference, only where the pre-activation of the ReLU that produced x is ≥ 0 there.</summary>
    public static void MaxBackward(ref float x, ref float sourceZ, ref float dz, ref float dx, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        ClearUncovered(ref dx, planes, height, width);
        bool relu = !Unsafe.IsNullRef(ref sourceZ);
        for (int plane = 0; plane < planes; plane++)
        {
            nint first = (nint)plane * height * width;
            ref float gradient = ref Unsafe.Add(ref dz, (nint)plane * outHeight * outWidth);
            for (int oy = 0; oy < outHeight; oy++, first += 2 * width, gradient = ref Unsafe.Add(ref gradient, outWidth))
            {
                var rows = new Rows(ref Unsafe.Add(ref x, first), width);
                var targets = new Rows(ref Unsafe.Add(ref dx, first), width);
                var sources = relu ? new Rows(ref Unsafe.Add(ref sourceZ, first), width) : default;
                int ox = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; ox + 4 <= outWidth; ox += 4)
                    {
                        MaxBackwardWindows<Vector256<float>, Pairs256>(rows, sources, ref gradient, targets, ox, relu);
                    }
                    if (ox + 2 <= outWidth)
                    {
                        MaxBackwardWindows<Vector128<float>, Pairs128>(rows, sources, ref gradient, targets, ox, relu);
                        ox += 2;
                    }
                    if (ox < outWidth)
                    {
                        MaxBackwardWindows<Vector128<float>, OnePair>(rows, sources, ref gradient, targets, ox, relu);
                        ox++;
                    }
                }
                for (; ox < outWidth; ox++)
                {
                    float a = rows.TopAt(2 * ox), b = rows.TopAt(2 * ox + 1), c = rows.BottomAt(2 * ox), d = rows.BottomAt(2 * ox + 1);
                    float best = a;
                    int taken = 0;
                    if (b > best)
                    {
                        best = b;
                        taken = 1;
                    }
                    if (c > best)
                    {
                        best = c;
                        taken = 2;
                    }
                    if (d > best)
                    {
                        taken = 3;
                    }
                    float g = Unsafe.Add(ref gradient, ox);
                    if (relu)
                    {
                        float zTaken = taken switch
                        {
                            0 => sources.TopAt(2 * ox),
                            1 => sources.TopAt(2 * ox + 1),
                            2 => sources.BottomAt(2 * ox),
                            _ => sources.BottomAt(2 * ox + 1),
                        };
                        g = zTaken >= 0f ? g : 0f;
                    }
                    targets.TopAt(2 * ox) = taken == 0 ? g : 0f;
                    targets.TopAt(2 * ox + 1) = taken == 1 ? g : 0f;
                    targets.BottomAt(2 * ox) = taken == 2 ? g : 0f;
                    targets.BottomAt(2 * ox + 1) = taken == 3 ? g : 0f;
                }
            }
        }
    }

    /// <summary>dx = a quarter of each window's gradient at each of its elements.</summary>
    public static void AverageBackward(ref float dz, ref float dx, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        ClearUncovered(ref dx, planes, height, width);
        for (int plane = 0; plane < planes; plane++)
        {
            ref float top = ref Unsafe.Add(ref dx, (nint)plane * height * width);
            ref float gradient = ref Unsafe.Add(ref dz, (nint)plane * outHeight * outWidth);
            for (int oy = 0; oy < outHeight; oy++, top = ref Unsafe.Add(ref top, 2 * width), gradient = ref Unsafe.Add(ref gradient, outWidth))
            {
                var targets = new Rows(ref top, width);
                int ox = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; ox + 4 <= outWidth; ox += 4)
                    {
                        SpreadWindows<Vector256<float>, Pairs256>(ref gradient, targets, ox);
                    }
                    if (ox + 2 <= outWidth)
                    {
                        SpreadWindows<Vector128<float>, Pairs128>(ref gradient, targets, ox);
                        ox += 2;
                    }
                    if (ox < outWidth)
                    {
                        SpreadWindows<Vector128<float>, OnePair>(ref gradient, targets, ox);
                        ox++;
                    }
                }
                for (; ox < outWidth; ox++)
                {
                    float share = Unsafe.Add(ref gradient, ox) * 0.25f;
                    targets.TopAt(2 * ox) = share;
                    targets.TopAt(2 * ox + 1) = share;
                    targets.BottomAt(2 * ox) = share;
                    targets.BottomAt(2 * ox + 1) = share;
                }
            }
        }
    }

    private static void Forward<TWindow>(ref float x, ref float z, int planes, int height, int width)
        where TWindow : struct, IWindow
    {
        int outHeight = height / 2, outWidth = width / 2;
        for (int plane = 0; plane < planes; plane++)
        {
            ref float top = ref Unsafe.Add(ref x, (nint)plane * height * width);
            ref float output = ref Unsafe.Add(ref z, (nint)plane * outHeight * outWidth);
            for (int oy = 0; oy < outHeight; oy++, top = ref Unsafe.Add(ref top, 2 * width), output = ref Unsafe.Add(ref output, outWidth))
            {
                var rows = new Rows(ref top, width);
                int ox = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; ox + 4 <= outWidth; ox += 4)
                    {
                        ForwardWindows<Vector256<float>, Pairs256, TWindow>(rows, ref output, ox);
                    }
                    if (ox + 2 <= outWidth)
                    {
                        ForwardWindows<Vector128<float>, Pairs128, TWindow>(rows, ref output, ox);
                        ox += 2;
                    }
                    if (ox < outWidth)
                    {
                        ForwardWindows<Vector128<float>, OnePair, TWindow>(rows, ref output, ox);
                        ox++;
                    }
                }
                for (; ox < outWidth; ox++)
                {
                    Unsafe.Add(ref output, ox) = TWindow.Of(rows.TopAt(2 * ox), rows.TopAt(2 * ox + 1), rows.BottomAt(2 * ox), rows.BottomAt(2 * ox + 1));
                }
            }
        }
    }

    /// <summary>Where the input has an odd last row or column, those elements are in no window: their gradient is 0.</summary>
    private static void ClearUncovered(ref float dx, int planes, int height, int width)
    {
        if (height % 2 != 0 || width % 2 != 0)
        {
            MemoryMarshal.CreateSpan(ref dx, planes * height * width).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardWindows<TV, TPairs, TWindow>(scoped in Rows rows, ref float output, int ox)
        where TV : struct
        where TPairs : struct, IPairs<TV>
        where TWindow : struct, IWindow
    {
        TV top0 = TPairs.Load(ref rows.TopAt(2 * ox)), bottom0 = TPairs.Load(ref rows.BottomAt(2 * ox));
        TV top1 = TPairs.OddToEven(top0), bottom1 = TPairs.OddToEven(bottom0);
        TPairs.StoreEven(TWindow.Of<TV, TPairs>(top0, top1, bottom0, bottom1), ref Unsafe.Add(ref output, ox));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxBackwardWindows<TV, TPairs>(scoped in Rows rows, scoped in Rows sources, ref float gradient, scoped in Rows targets, int ox,
        bool relu)
        where TV : struct
        where TPairs : struct, IPairs<TV>
    {
        TV top0 = TPairs.Load(ref rows.TopAt(2 * ox)), bottom0 = TPairs.Load(ref rows.BottomAt(2 * ox));
        TV top1 = TPairs.OddToEven(top0), bottom1 = TPairs.OddToEven(bottom0);
        TV best = top0;
        TV take1 = TPairs.GreaterThan(top1, best);
        best = TPairs.Select(take1, top1, best);
        TV take2 = TPairs.GreaterThan(bottom0, best);
        best = TPairs.Select(take2, bottom0, best);
        TV take3 = TPairs.GreaterThan(bottom1, best);
        // The gradient in the even lanes; the window element taken last gets it.
        TV g = TPairs.Widen(TPairs.LoadHalf(ref Unsafe.Add(ref gradient, ox)));
        if (relu)
        {
            // The source's z at the element taken, by the same choices; the gradient passes where it is ≥ 0.
            TV zTop0 = TPairs.Load(ref sources.TopAt(2 * ox)), zBottom0 = TPairs.Load(ref sources.BottomAt(2 * ox));
            TV zTaken = TPairs.Select(take1, TPairs.OddToEven(zTop0), zTop0);
            zTaken = TPairs.Select(take2, zBottom0, zTaken);
            zTaken = TPairs.Select(take3, TPairs.OddToEven(zBottom0), zTaken);
            g = TPairs.And(g, TPairs.NotNegative(zTaken));
        }
        TV later = TPairs.Or(take2, take3);
        TV first = TPairs.AndNot(g, TPairs.Or(take1, later));
        TV second = TPairs.And(TPairs.AndNot(take1, later), g);
        TV third = TPairs.And(TPairs.AndNot(take2, take3), g);
        TV fourth = TPairs.And(take3, g);
        TPairs.Store(TPairs.Or(first, TPairs.EvenToOdd(second)), ref targets.TopAt(2 * ox));
        TPairs.Store(TPairs.Or(third, TPairs.EvenToOdd(fourth)), ref targets.BottomAt(2 * ox));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SpreadWindows<TV, TPairs>(ref float gradient, scoped in Rows targets, int ox)
        where TV : struct
        where TPairs : struct, IPairs<TV>
    {
        TV share = TPairs.Widen(TPairs.Quarter(TPairs.LoadHalf(ref Unsafe.Add(ref gradient, ox))));
        TV both = TPairs.Or(share, TPairs.EvenToOdd(share));
        TPairs.Store(both, ref targets.TopAt(2 * ox));
        TPairs.Store(both, ref targets.BottomAt(2 * ox));
    }

    /// <summary>The two input rows of one output row.</summary>
    private readonly ref struct Rows(ref float top, int width)
    {
        private readonly ref float _top = ref top;
        private readonly int _width = width;

        public ref float TopAt(int index) => ref Unsafe.Add(ref _top, index);

        public ref float BottomAt(int index) => ref Unsafe.Add(ref _top, _width + index);
    }

    /// <summary>What a window computes from its four elements, in scalars and in vectors of windows.</summary>
    private interface IWindow
    {
        static abstract float Of(float a, float b, float c, float d);

        static abstract TV Of<TV, TPairs>(TV top0, TV top1, TV bottom0, TV bottom1)
            where TV : struct
            where TPairs : struct, IPairs<TV>;
    }

    private readonly struct Maximum : IWindow
    {
        public static float Of(float a, float b, float c, float d)
        {
            float best = a;
            best = b > best ? b : best;
            best = c > best ? c : best;
            return d > best ? d : best;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Of<TV, TPairs>(TV top0, TV top1, TV bottom0, TV bottom1)
            where TV : struct
            where TPairs : struct, IPairs<TV>
        {
            TV best = top0;
            best = TPairs.Select(TPairs.GreaterThan(top1, best), top1, best);
            best = TPairs.Select(TPairs.GreaterThan(bottom0, best), bottom0, best);
            return TPairs.Select(TPairs.GreaterThan(bottom1, best), bottom1, best);
        }
    }

    private readonly struct Mean : IWindow
    {
        public static float Of(float a, float b, float c, float d) => (a + b + c + d) * 0.25f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Of<TV, TPairs>(TV top0, TV top1, TV bottom0, TV bottom1)
            where TV : struct
            where TPairs : struct, IPairs<TV>
            => TPairs.Quarter(TPairs.Add(TPairs.Add(TPairs.Add(top0, top1), bottom0), bottom1));
    }

    /// <summary>A vector of h windows: 2h floats of a row, each window's pair one 64-bit lane.</summary>
    private interface IPairs<TV>
        where TV : struct
    {
        /// <summary>2h floats from <paramref name="row"/>.</summary>
        static abstract TV Load(ref float row);

        /// <summary>2h floats at <paramref name="row"/>.</summary>
        static abstract void Store(TV pairs, ref float row);

        /// <summary>h floats in the low half (the rest undefined).</summary>
        static abstract TV LoadHalf(ref float source);

        /// <summary>The even lanes as h floats at <paramref name="target"/>.</summary>
        static abstract void StoreEven(TV pairs, ref float target);

        /// <summary>Each odd lane moved to the even lane below it, the odd lanes 0.</summary>
        static abstract TV OddToEven(TV pairs);

        /// <summary>Each even lane moved to the odd lane above it, the even lanes 0.</summary>
        static abstract TV EvenToOdd(TV pairs);

        /// <summary>The h floats of the low half in the even lanes, the odd lanes 0.</summary>
        static abstract TV Widen(TV half);

        static abstract TV GreaterThan(TV left, TV right);

        /// <summary>All ones where the lane is ≥ 0.</summary>
        static abstract TV NotNegative(TV value);

        static abstract TV Select(TV mask, TV whereSet, TV whereClear);

        static abstract TV And(TV left, TV right);

        static abstract TV Or(TV left, TV right);

        /// <summary><paramref name="left"/> &amp; ~<paramref name="right"/>.</summary>
        static abstract TV AndNot(TV left, TV right);

        static abstract TV Add(TV left, TV right);

        static abstract TV Quarter(TV value);
    }

    /// <summary>Four windows in 256 bits.</summary>
    private readonly struct Pairs256 : IPairs<Vector256<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float row) => Vector256.LoadUnsafe(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> pairs, ref float row) => pairs.StoreUnsafe(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> LoadHalf(ref float source) => Vector128.LoadUnsafe(ref source).ToVector256Unsafe();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreEven(Vector256<float> pairs, ref float target)
            => Vector256.Narrow(pairs.AsUInt64(), pairs.AsUInt64()).GetLower().AsSingle().StoreUnsafe(ref target);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> OddToEven(Vector256<float> pairs) => Vector256.ShiftRightLogical(pairs.AsUInt64(), 32).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> EvenToOdd(Vector256<float> pairs) => Vector256.ShiftLeft(pairs.AsUInt64(), 32).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Widen(Vector256<float> half) => Vector256.WidenLower(half.AsUInt32()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> GreaterThan(Vector256<float> left, Vector256<float> right) => Vector256.GreaterThan(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> NotNegative(Vector256<float> value) => Vector256.GreaterThanOrEqual(value, Vector256<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whereSet, Vector256<float> whereClear)
            => Vector256.ConditionalSelect(mask, whereSet, whereClear);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> And(Vector256<float> left, Vector256<float> right) => left & right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Or(Vector256<float> left, Vector256<float> right) => left | right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> AndNot(Vector256<float> left, Vector256<float> right) => Vector256.AndNot(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Quarter(Vector256<float> value) => value * Vector256.Create(0.25f);
    }

    /// <summary>Two windows in 128 bits.</summary>
    private readonly struct Pairs128 : IPairs<Vector128<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float row) => Vector128.LoadUnsafe(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> pairs, ref float row) => pairs.StoreUnsafe(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> LoadHalf(ref float source) => Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref source))).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreEven(Vector128<float> pairs, ref float target)
            => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref target), Vector128.Narrow(pairs.AsUInt64(), pairs.AsUInt64()).AsUInt64().ToScalar());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> OddToEven(Vector128<float> pairs) => Vector128.ShiftRightLogical(pairs.AsUInt64(), 32).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> EvenToOdd(Vector128<float> pairs) => Vector128.ShiftLeft(pairs.AsUInt64(), 32).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Widen(Vector128<float> half) => Vector128.WidenLower(half.AsUInt32()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> GreaterThan(Vector128<float> left, Vector128<float> right) => Vector128.GreaterThan(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> NotNegative(Vector128<float> value) => Vector128.GreaterThanOrEqual(value, Vector128<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whereSet, Vector128<float> whereClear)
            => Vector128.ConditionalSelect(mask, whereSet, whereClear);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> And(Vector128<float> left, Vector128<float> right) => left & right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Or(Vector128<float> left, Vector128<float> right) => left | right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> AndNot(Vector128<float> left, Vector128<float> right) => Vector128.AndNot(left, right);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Quarter(Vector128<float> value) => value * Vector128.Create(0.25f);
    }

    /// <summary>One window in the low 64 bits of a Vector128 (the odd last output of a row), read and written as 64-bit or
    /// 32-bit values so nothing outside the window is touched.</summary>
    private readonly struct OnePair : IPairs<Vector128<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float row) => Pairs128.LoadHalf(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> pairs, ref float row)
            => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref row), pairs.AsUInt64().ToScalar());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> LoadHalf(ref float source) => Vector128.CreateScalarUnsafe(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreEven(Vector128<float> pairs, ref float target) => target = pairs.ToScalar();

        public static Vector128<float> OddToEven(Vector128<float> pairs) => Pairs128.OddToEven(pairs);

        public static Vector128<float> EvenToOdd(Vector128<float> pairs) => Pairs128.EvenToOdd(pairs);

        public static Vector128<float> Widen(Vector128<float> half) => Pairs128.Widen(half);

        public static Vector128<float> GreaterThan(Vector128<float> left, Vector128<float> right) => Pairs128.GreaterThan(left, right);

        public static Vector128<float> NotNegative(Vector128<float> value) => Pairs128.NotNegative(value);

        public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whereSet, Vector128<float> whereClear)
            => Pairs128.Select(mask, whereSet, whereClear);

        public static Vector128<float> And(Vector128<float> left, Vector128<float> right) => left & right;

        public static Vector128<float> Or(Vector128<float> left, Vector128<float> right) => left | right;

        public static Vector128<float> AndNot(Vector128<float> left, Vector128<float> right) => Vector128.AndNot(left, right);

        public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

        public static Vector128<float> Quarter(Vector128<float> value) => Pairs128.Quarter(value);
    }
}
