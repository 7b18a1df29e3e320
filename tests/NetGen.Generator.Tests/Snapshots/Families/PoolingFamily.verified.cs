// PoolingFamily: [Input(2, 8, 8)] [Conv2D(2, 1, Activation.ReLU)] [MaxPool2D(2, Name = "max")] [AvgPool2D(3, Stride = 1, Padding = 1, Name = "window")]
// [AvgPool2D(2, Name = "avg")] [GlobalAvgPool2D(Name = "global")]

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

// ===== window (AvgPool2D): 3×3/1, padding 1
// --- fields
// --- initialization
// --- forward step, Samples over n: window: AvgPool2D
NetKernels.AvgPool2D3Forward(ref Unsafe.Add(ref ws.A2.Reference, start * 32), ref Unsafe.Add(ref ws.Z3.Reference, start * 32), count);
// --- backward step, Samples over n: window: AvgPool2D ∂x
NetKernels.AvgPool2D3BackwardInput(ref Unsafe.Add(ref ws.G3.Reference, start * 32), ref Unsafe.Add(ref ws.G2.Reference, start * 32), count);
// --- kernels

/// <summary>window: average pooling 2×4×4 → 2×4×4, window 3×3, stride 1, padding 1.</summary>
private static readonly WindowPooling s_avgPool2D3 = new(channels: 2, height: 4, width: 4, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1);

/// <summary>window: the mean of each window.</summary>
public static void AvgPool2D3Forward(ref float x, ref float z, int n)
    => s_avgPool2D3.AverageForward(ref x, ref z, n);

/// <summary>window: spreads each gradient evenly over its window.</summary>
public static void AvgPool2D3BackwardInput(ref float dz, ref float dx, int n)
    => s_avgPool2D3.AverageBackward(ref dz, ref dx, n);

// ===== avg (AvgPool2D): 2×2/2, padding 0
// --- fields
// --- initialization
// --- forward step, Samples over n: avg: AvgPool2D
NetKernels.AvgPool2D4Forward(ref Unsafe.Add(ref ws.A3.Reference, start * 32), ref Unsafe.Add(ref ws.Z4.Reference, start * 8), count);
// --- backward step, Samples over n: avg: AvgPool2D ∂x
NetKernels.AvgPool2D4BackwardInput(ref Unsafe.Add(ref ws.G4.Reference, start * 8), ref Unsafe.Add(ref ws.G3.Reference, start * 32), count);
// --- kernels

/// <summary>avg: average pooling 2×4×4 → 2×2×2, window 2×2, stride 2, padding 0.</summary>
public static void AvgPool2D4Forward(ref float x, ref float z, int n)
    => PairPooling.AverageForward(ref x, ref z, n * 2, 4, 4);

/// <summary>avg: spreads each gradient evenly over its window.</summary>
public static void AvgPool2D4BackwardInput(ref float dz, ref float dx, int n)
    => PairPooling.AverageBackward(ref dz, ref dx, n * 2, 4, 4);

// ===== global (GlobalAvgPool2D): 
// --- fields
// --- initialization
// --- forward step, Samples over n: global: GlobalAvgPool2D
NetKernels.GlobalAvgPool2D5Forward(ref Unsafe.Add(ref ws.A4.Reference, start * 8), ref Unsafe.Add(ref ws.Z5.Reference, start * 2), count);
// --- backward step, Samples over n: global: GlobalAvgPool2D ∂x
NetKernels.GlobalAvgPool2D5BackwardInput(ref Unsafe.Add(ref ws.G5.Reference, start * 2), ref Unsafe.Add(ref ws.G4.Reference, start * 8), count);
// --- kernels

/// <summary>global: one window over each channel's 2×2 pixels.</summary>
private static readonly WindowPooling s_globalAvgPool2D5 = WindowPooling.Global(channels: 2, height: 2, width: 2);

/// <summary>global: the mean of each channel.</summary>
public static void GlobalAvgPool2D5Forward(ref float x, ref float z, int n) => s_globalAvgPool2D5.AverageForward(ref x, ref z, n);

/// <summary>global: every pixel of a channel gets an equal share of its gradient.</summary>
public static void GlobalAvgPool2D5BackwardInput(ref float dz, ref float dx, int n) => s_globalAvgPool2D5.AverageBackward(ref dz, ref dx, n);
