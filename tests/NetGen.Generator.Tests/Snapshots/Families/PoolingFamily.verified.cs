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
    => PairPooling.MaxForward(ref x, ref z, n * 2, 8, 8);

/// <summary>max: routes each gradient to its window's maximum, found again from x as forward found it, where the source's z there is ≥ 0 (its ReLU's
/// derivative, applied here).</summary>
public static void MaxPool2D2BackwardInput(ref float x, ref float sourceZ, ref float dz, ref float dx, int n)
    => PairPooling.MaxBackward(ref x, ref sourceZ, ref dz, ref dx, n * 2, 8, 8);

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
    => PairPooling.AverageForward(ref x, ref z, n * 2, 4, 4);

/// <summary>avg: spreads each gradient evenly over its window.</summary>
public static void AvgPool2D3BackwardInput(ref float dz, ref float dx, int n)
    => PairPooling.AverageBackward(ref dz, ref dx, n * 2, 4, 4);

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
