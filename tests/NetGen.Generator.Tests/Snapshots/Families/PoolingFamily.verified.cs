// PoolingFamily: [Input(2, 8, 8)] [Conv2D(2, 1, Activation.ReLU)] [MaxPool2D(2, Name = "max")] [AvgPool2D(2, Name = "avg")] [GlobalAvgPool2D(Name = "global")]

// ===== max (MaxPool2D): 2×2/2, padding 0
// --- fields
// --- initialization
// --- forward step, Samples over n: max: MaxPool2D
NetKernels.MaxPool2D2Forward(ref Unsafe.Add(ref ws.A1.Reference, start * 128), ref Unsafe.Add(ref ws.Z2.Reference, start * 32), count);
// --- backward step, Samples over n: max: MaxPool2D ∂x and conv1: ReLU'
NetKernels.MaxPool2D2BackwardInput(ref Unsafe.Add(ref ws.A1.Reference, start * 128), ref Unsafe.Add(ref ws.Z1.Reference, start * 128),
    ref Unsafe.Add(ref ws.G2.Reference, start * 32), ref Unsafe.Add(ref ws.G1.Reference, start * 128), count);
// --- kernels

/// <summary>max: max pooling 2×8×8 → 2×4×4, window 2×2, stride 2, padding 0; ties keep the first maximum in row-major order.</summary>
public static void MaxPool2D2Forward(ref float x, ref float z, int n)
{
    if (Vector256.IsHardwareAccelerated)
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 4; oy++)
            {
                ref float top = ref At(ref x, plane * 64 + oy * 16);
                ref float bottom = ref At(ref top, 8);
                ref float output = ref At(ref z, plane * 16 + oy * 4);
                int ox = 0;
                for (; ox < 4; ox += 4)
                {
                    var top0 = Vector256.LoadUnsafe(ref top, (nuint)(2 * ox));
                    var top1 = Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(top0), 32));
                    var bottom0 = Vector256.LoadUnsafe(ref bottom, (nuint)(2 * ox));
                    var bottom1 = Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(bottom0), 32));
                    var best = top0;
                    best = Vector256.ConditionalSelect(Vector256.GreaterThan(top1, best), top1, best);
                    best = Vector256.ConditionalSelect(Vector256.GreaterThan(bottom0, best), bottom0, best);
                    best = Vector256.ConditionalSelect(Vector256.GreaterThan(bottom1, best), bottom1, best);
                    Vector128.StoreUnsafe(Vector128.AsSingle(Vector256.GetLower(Vector256.Narrow(Vector256.AsUInt64(best), Vector256.AsUInt64(best)))),
                        ref output, (nuint)ox);
                }
            }
        }
    }
    else
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 4; oy++)
            {
                ref float top = ref At(ref x, plane * 64 + oy * 16);
                ref float bottom = ref At(ref top, 8);
                ref float output = ref At(ref z, plane * 16 + oy * 4);
                int ox = 0;
                for (; ox < 4; ox++)
                {
                    float a = At(ref top, 2 * ox), b = At(ref top, 2 * ox + 1), c = At(ref bottom, 2 * ox), d = At(ref bottom, 2 * ox + 1);
                    float best = a;
                    best = b > best ? b : best;
                    best = c > best ? c : best;
                    best = d > best ? d : best;
                    At(ref output, ox) = best;
                }
            }
        }
    }
}

/// <summary>max: routes each gradient to its window's maximum, found again from x as forward found it, where the source's z there is ≥ 0 (its ReLU's
/// derivative, applied here).</summary>
public static void MaxPool2D2BackwardInput(ref float x, ref float sourceZ, ref float dz, ref float dx, int n)
{
    if (Vector256.IsHardwareAccelerated)
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 4; oy++)
            {
                ref float top = ref At(ref x, plane * 64 + oy * 16);
                ref float bottom = ref At(ref top, 8);
                ref float gradient = ref At(ref dz, plane * 16 + oy * 4);
                ref float dxTop = ref At(ref dx, plane * 64 + oy * 16);
                ref float dxBottom = ref At(ref dxTop, 8);
                ref float zTop = ref At(ref sourceZ, plane * 64 + oy * 16);
                ref float zBottom = ref At(ref zTop, 8);
                int ox = 0;
                for (; ox < 4; ox += 4)
                {
                    var top0 = Vector256.LoadUnsafe(ref top, (nuint)(2 * ox));
                    var top1 = Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(top0), 32));
                    var bottom0 = Vector256.LoadUnsafe(ref bottom, (nuint)(2 * ox));
                    var bottom1 = Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(bottom0), 32));
                    var best = top0;
                    var take1 = Vector256.GreaterThan(top1, best);
                    best = Vector256.ConditionalSelect(take1, top1, best);
                    var take2 = Vector256.GreaterThan(bottom0, best);
                    best = Vector256.ConditionalSelect(take2, bottom0, best);
                    var take3 = Vector256.AsUInt64(Vector256.GreaterThan(bottom1, best));
                    // The gradient in the even lanes; the window element taken last gets it.
                    var gradientHalf = Vector128.ToVector256Unsafe(Vector128.LoadUnsafe(ref gradient, (nuint)ox));
                    var g = Vector256.WidenLower(Vector256.AsUInt32(gradientHalf));
                    var zTop0 = Vector256.LoadUnsafe(ref zTop, (nuint)(2 * ox));
                    var zBottom0 = Vector256.LoadUnsafe(ref zBottom, (nuint)(2 * ox));
                    var zTaken = Vector256.ConditionalSelect(take1, Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(zTop0), 32)), zTop0);
                    zTaken = Vector256.ConditionalSelect(take2, zBottom0, zTaken);
                    zTaken = Vector256.ConditionalSelect(Vector256.AsSingle(take3),
                        Vector256.AsSingle(Vector256.ShiftRightLogical(Vector256.AsUInt64(zBottom0), 32)), zTaken);
                    g &= Vector256.AsUInt64(Vector256.GreaterThanOrEqual(zTaken, Vector256<float>.Zero));
                    var later = Vector256.AsUInt64(take2) | take3;
                    var first = Vector256.AndNot(g, Vector256.AsUInt64(take1) | later);
                    var second = Vector256.AndNot(Vector256.AsUInt64(take1), later) & g;
                    var third = Vector256.AndNot(Vector256.AsUInt64(take2), take3) & g;
                    var fourth = take3 & g;
                    Vector256.StoreUnsafe(Vector256.AsSingle(first | Vector256.ShiftLeft(second, 32)), ref dxTop, (nuint)(2 * ox));
                    Vector256.StoreUnsafe(Vector256.AsSingle(third | Vector256.ShiftLeft(fourth, 32)), ref dxBottom, (nuint)(2 * ox));
                }
            }
        }
    }
    else
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 4; oy++)
            {
                ref float top = ref At(ref x, plane * 64 + oy * 16);
                ref float bottom = ref At(ref top, 8);
                ref float gradient = ref At(ref dz, plane * 16 + oy * 4);
                ref float dxTop = ref At(ref dx, plane * 64 + oy * 16);
                ref float dxBottom = ref At(ref dxTop, 8);
                ref float zTop = ref At(ref sourceZ, plane * 64 + oy * 16);
                ref float zBottom = ref At(ref zTop, 8);
                int ox = 0;
                for (; ox < 4; ox++)
                {
                    float a = At(ref top, 2 * ox), b = At(ref top, 2 * ox + 1), c = At(ref bottom, 2 * ox), d = At(ref bottom, 2 * ox + 1);
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
                        best = d;
                        taken = 3;
                    }
                    float zTaken = taken switch { 0 => At(ref zTop, 2 * ox), 1 => At(ref zTop, 2 * ox + 1), 2 => At(ref zBottom, 2 * ox),
                        _ => At(ref zBottom, 2 * ox + 1) };
                    float g = zTaken >= 0f ? At(ref gradient, ox) : 0f;
                    At(ref dxTop, 2 * ox) = taken == 0 ? g : 0f;
                    At(ref dxTop, 2 * ox + 1) = taken == 1 ? g : 0f;
                    At(ref dxBottom, 2 * ox) = taken == 2 ? g : 0f;
                    At(ref dxBottom, 2 * ox + 1) = taken == 3 ? g : 0f;
                }
            }
        }
    }
}

// ===== avg (AvgPool2D): 2×2/2, padding 0
// --- fields
// --- initialization
// --- forward step, Samples over n: avg: AvgPool2D
NetKernels.AvgPool2D3Forward(ref Unsafe.Add(ref ws.A2.Reference, start * 32), ref Unsafe.Add(ref ws.Z3.Reference, start * 8), count);
// --- backward step, Samples over n: avg: AvgPool2D ∂x
NetKernels.AvgPool2D3BackwardInput(ref Unsafe.Add(ref ws.G3.Reference, start * 8), ref Unsafe.Add(ref ws.G2.Reference, start * 32), count);
// --- kernels

/// <summary>avg: average pooling 2×4×4 → 2×2×2, window 2×2, stride 2, padding 0.</summary>
public static void AvgPool2D3Forward(ref float x, ref float z, int n)
{
    if (Vector256.IsHardwareAccelerated)
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 2; oy++)
            {
                ref float top = ref At(ref x, plane * 16 + oy * 8);
                ref float bottom = ref At(ref top, 4);
                ref float output = ref At(ref z, plane * 4 + oy * 2);
                int ox = 0;
                for (; ox < 2; ox += 2)
                {
                    var top0 = Vector128.LoadUnsafe(ref top, (nuint)(2 * ox));
                    var top1 = Vector128.AsSingle(Vector128.ShiftRightLogical(Vector128.AsUInt64(top0), 32));
                    var bottom0 = Vector128.LoadUnsafe(ref bottom, (nuint)(2 * ox));
                    var bottom1 = Vector128.AsSingle(Vector128.ShiftRightLogical(Vector128.AsUInt64(bottom0), 32));
                    var best = (top0 + top1 + bottom0 + bottom1) * Vector128.Create(0.25f);
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref At(ref output, ox)),
                        Vector128.ToScalar(Vector128.AsUInt64(Vector128.Narrow(Vector128.AsUInt64(best), Vector128.AsUInt64(best)))));
                }
            }
        }
    }
    else
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 2; oy++)
            {
                ref float top = ref At(ref x, plane * 16 + oy * 8);
                ref float bottom = ref At(ref top, 4);
                ref float output = ref At(ref z, plane * 4 + oy * 2);
                int ox = 0;
                for (; ox < 2; ox++)
                {
                    float a = At(ref top, 2 * ox), b = At(ref top, 2 * ox + 1), c = At(ref bottom, 2 * ox), d = At(ref bottom, 2 * ox + 1);
                    At(ref output, ox) = (a + b + c + d) * 0.25f;
                }
            }
        }
    }
}

/// <summary>avg: spreads each gradient evenly over its window.</summary>
public static void AvgPool2D3BackwardInput(ref float dz, ref float dx, int n)
{
    if (Vector256.IsHardwareAccelerated)
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 2; oy++)
            {
                ref float top = ref At(ref dx, plane * 16 + oy * 8);
                ref float bottom = ref At(ref top, 4);
                ref float gradient = ref At(ref dz, plane * 4 + oy * 2);
                ref float dxTop = ref top;
                ref float dxBottom = ref bottom;
                int ox = 0;
                for (; ox < 2; ox += 2)
                {
                    var half = Vector128.AsSingle(
                        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref At(ref gradient, ox)))));
                    var quarter = half * Vector128.Create(0.25f);
                    var share = Vector128.WidenLower(Vector128.AsUInt32(quarter));
                    var both = share | Vector128.ShiftLeft(share, 32);
                    Vector128.StoreUnsafe(Vector128.AsSingle(both), ref dxTop, (nuint)(2 * ox));
                    Vector128.StoreUnsafe(Vector128.AsSingle(both), ref dxBottom, (nuint)(2 * ox));
                }
            }
        }
    }
    else
    {
        for (int plane = 0; plane < n * 2; plane++)
        {
            for (int oy = 0; oy < 2; oy++)
            {
                ref float top = ref At(ref dx, plane * 16 + oy * 8);
                ref float bottom = ref At(ref top, 4);
                ref float gradient = ref At(ref dz, plane * 4 + oy * 2);
                ref float dxTop = ref top;
                ref float dxBottom = ref bottom;
                int ox = 0;
                for (; ox < 2; ox++)
                {
                    float share = At(ref gradient, ox) * 0.25f;
                    At(ref dxTop, 2 * ox) = share;
                    At(ref dxTop, 2 * ox + 1) = share;
                    At(ref dxBottom, 2 * ox) = share;
                    At(ref dxBottom, 2 * ox + 1) = share;
                }
            }
        }
    }
}

// ===== global (GlobalAvgPool2D): 
// --- fields
// --- initialization
// --- forward step, Samples over n: global: GlobalAvgPool2D
NetKernels.GlobalAvgPool2D4Forward(ref Unsafe.Add(ref ws.A3.Reference, start * 8), ref Unsafe.Add(ref ws.Z4.Reference, start * 2), count);
// --- backward step, Samples over n: global: GlobalAvgPool2D ∂x
NetKernels.GlobalAvgPool2D4BackwardInput(ref Unsafe.Add(ref ws.G4.Reference, start * 2), ref Unsafe.Add(ref ws.G3.Reference, start * 8), count);
// --- kernels

/// <summary>global: mean of each channel over its 4 pixels.</summary>
public static void GlobalAvgPool2D4Forward(ref float x, ref float z, int n)
{
    for (int sc = 0; sc < n * 2; sc++)
    {
        float sum = 0f;
        for (int p = 0; p < 4; p++)
        {
            sum += At(ref x, sc * 4 + p);
        }
        At(ref z, sc) = sum * 0.25f;
    }
}

/// <summary>global: every pixel of a channel gets 1/4 of its gradient.</summary>
public static void GlobalAvgPool2D4BackwardInput(ref float dz, ref float dx, int n)
{
    for (int sc = 0; sc < n * 2; sc++)
    {
        MemoryMarshal.CreateSpan(ref At(ref dx, sc * 4), 4).Fill(At(ref dz, sc) * 0.25f);
    }
}
