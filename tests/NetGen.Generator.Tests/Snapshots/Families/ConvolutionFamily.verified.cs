// ConvolutionFamily: [Input(2, 7, 7)] [Conv2D(3, 3, Activation.ReLU, Padding = 1, Name = "same")] [Conv2D(2, 3, Stride = 2, Name = "strided")]

// ===== same (Conv2D): 3×3/1, padding 1, ReLU, HeNormal init
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(0, 54), global::NetGen.Init.HeNormal, global::NetGen.Activation.ReLU, 0.01f, fanIn: 18, fanOut: 27, random);
p.Slice(54, 3).Fill(0f);
// workspace Shards[training ? 228 : 0]: same: ∂w and ∂b of each shard of the batch
// --- forward step, Samples over n: same: Conv2D
NetKernels.Conv2D1Forward(ref Unsafe.Add(ref ws.Input.Reference, start * 98), ref Unsafe.Add(ref p, 0), ref Unsafe.Add(ref p, 54),
    ref Unsafe.Add(ref ws.Z1.Reference, start * 147), ref Unsafe.Add(ref ws.Columns.Reference, part * 8960), count);
// --- forward step, Samples over n: same: ReLU
global::NetGen.Kernels.ActivationKernels.ReLU(ws.Z1.Span.Slice(start * 147, count * 147), ws.A1.Span.Slice(start * 147, count * 147));
// --- backward step, Samples over n: same: ReLU'
global::NetGen.Kernels.ActivationKernels.ReLUBackward(ws.Z1.Span.Slice(start * 147, count * 147), ws.A1.Span.Slice(start * 147, count * 147),
    ws.G1.Span.Slice(start * 147, count * 147));
// --- backward step, WeightShards over 4: same: ∂w, ∂b per shard of the batch
for (int s = start; s < end; s++)
{
    int first = n * s / 4, last = n * (s + 1) / 4;
    ws.Shards1.Span.Slice(s * 54, 54).Clear();
    ws.Shards1.Span.Slice(216 + s * 3, 3).Clear();
    if (last > first)
    {
        NetKernels.Conv2D1BackwardWeights(ref Unsafe.Add(ref input, first * 98), ref Unsafe.Add(ref ws.G1.Reference, first * 147),
            ref Unsafe.Add(ref ws.Shards1.Reference, s * 54), ref Unsafe.Add(ref ws.Shards1.Reference, 216 + s * 3),
            ref Unsafe.Add(ref ws.Columns.Reference, part * 8960), last - first);
    }
}
// --- backward step, ShardSum over the whole batch: same: ∂w, ∂b += the shards in order
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(0, 54), ws.Shards1.Span, 4);
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(54, 3), ws.Shards1.Span.Slice(216), 4);
// --- kernels

/// <summary>same: Conv2D 2×7×7 → 3×7×7, kernel 3×3, padding 1, dilation 1: direct, on a 9×9 padded image.</summary>
private static readonly DirectConvolution s_conv2D1 = new(channels: 2, height: 7, width: 7, outChannels: 3, kernelHeight: 3, kernelWidth: 3, padding: 1,
    dilation: 1);

/// <summary>same: z = W ∗ x + bias.</summary>
public static void Conv2D1Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
    => s_conv2D1.Forward(ref x, ref weights, ref bias, ref z, ref columns, n);

/// <summary>same: ∂W += Σ dz·x, ∂bias += Σ dz over the samples in order.</summary>
public static void Conv2D1BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
    => s_conv2D1.BackwardWeights(ref x, ref dz, ref weightGradient, ref biasGradient, ref columns, n);

// ===== strided (Conv2D): 3×3/2, padding 0, Identity, GlorotUniform init
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(57, 54), global::NetGen.Init.GlorotUniform, global::NetGen.Activation.Identity, 0.01f, fanIn: 27, fanOut: 18, random);
p.Slice(111, 2).Fill(0f);
// workspace Shards[training ? 224 : 0]: strided: ∂w and ∂b of each shard of the batch
// --- forward step, Samples over n: strided: Conv2D
NetKernels.Conv2D2Forward(ref Unsafe.Add(ref ws.A1.Reference, start * 147), ref Unsafe.Add(ref p, 57), ref Unsafe.Add(ref p, 111),
    ref Unsafe.Add(ref ws.Z2.Reference, start * 18), ref Unsafe.Add(ref ws.Columns.Reference, part * 8960), count);
// --- backward step, WeightShards over 4: strided: ∂w, ∂b per shard of the batch
for (int s = start; s < end; s++)
{
    int first = n * s / 4, last = n * (s + 1) / 4;
    ws.Shards2.Span.Slice(s * 54, 54).Clear();
    ws.Shards2.Span.Slice(216 + s * 2, 2).Clear();
    if (last > first)
    {
        NetKernels.Conv2D2BackwardWeights(ref Unsafe.Add(ref ws.A1.Reference, first * 147), ref Unsafe.Add(ref ws.G2.Reference, first * 18),
            ref Unsafe.Add(ref ws.Shards2.Reference, s * 54), ref Unsafe.Add(ref ws.Shards2.Reference, 216 + s * 2),
            ref Unsafe.Add(ref ws.Columns.Reference, part * 8960), last - first);
    }
}
// --- backward step, Samples over n: strided: ∂x
NetKernels.Conv2D2BackwardInput(ref Unsafe.Add(ref ws.G2.Reference, start * 18), ref Unsafe.Add(ref p, 57), ref Unsafe.Add(ref ws.G1.Reference, start * 147),
    ref Unsafe.Add(ref ws.Columns.Reference, part * 8960), count);
// --- backward step, ShardSum over the whole batch: strided: ∂w, ∂b += the shards in order
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(57, 54), ws.Shards2.Span, 4);
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(111, 2), ws.Shards2.Span.Slice(216), 4);
// --- kernels

/// <summary>strided: Conv2D 3×7×7 → 2×3×3, kernel 3×3, stride 2, padding 0, dilation 1.</summary>
public static void Conv2D2Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
{
    for (int s = 0; s < n; s++)
    {
        Conv2D2Im2Col(ref At(ref x, s * 147), ref columns);
        Conv2D2Gemm(ref weights, ref bias, ref columns, ref At(ref z, s * 18));
    }
}

/// <summary>Unrolls the 3×3 windows of a 3×7×7 image over a 3×3 grid into columns.</summary>
private static void Conv2D2Im2Col(ref float image, ref float columns)
{
    for (int c = 0; c < 3; c++)
    {
        int plane = c * 49;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
                int tap = (c * 3 + ky) * 3 + kx;
                for (int gy = 0; gy < 3; gy++)
                {
                    int iy = gy * 2 - 0 + ky * 1;
                    int row = tap * 9 + gy * 3;
                    if ((uint)iy >= 7u)
                    {
                        MemoryMarshal.CreateSpan(ref At(ref columns, row), 3).Clear();
                        continue;
                    }
                    for (int gx = 0; gx < 3; gx++)
                    {
                        int ix = gx * 2 - 0 + kx * 1;
                        if ((uint)ix < 7u)
                        {
                            At(ref columns, row + gx) = At(ref image, plane + iy * 7 + ix);
                        }
                        else
                        {
                            At(ref columns, row + gx) = 0f;
                        }
                    }
                }
            }
        }
    }
}

/// <summary>z[2×9] = W[2×27] · columns + bias.</summary>
private static void Conv2D2Gemm(ref float weights, ref float bias, ref float columns, ref float z)
{
    if (Vector256.IsHardwareAccelerated)
    {
        int r = 0;
        {
            var acc00 = Vector256.Create(At(ref bias, (r + 0)));
            var acc10 = Vector256.Create(At(ref bias, (r + 1)));
            for (int t = 0; t < 27; t++)
            {
                var b0 = Vector256.LoadUnsafe(ref columns, (nuint)(t * 9 + 0));
                var a0 = Vector256.Create(At(ref weights, (r + 0) * 27 + t));
                acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                var a1 = Vector256.Create(At(ref weights, (r + 1) * 27 + t));
                acc10 = Vector256.FusedMultiplyAdd(a1, b0, acc10);
            }
            Vector256.StoreUnsafe(acc00, ref z, (nuint)((r + 0) * 9 + 0));
            Vector256.StoreUnsafe(acc10, ref z, (nuint)((r + 1) * 9 + 0));
        }
        for (int j = 8; j < 9; j++)
        {
            float acc0 = At(ref bias, (r + 0));
            float acc1 = At(ref bias, (r + 1));
            for (int t = 0; t < 27; t++)
            {
                float bt = At(ref columns, t * 9 + j);
                acc0 += At(ref weights, (r + 0) * 27 + t) * bt;
                acc1 += At(ref weights, (r + 1) * 27 + t) * bt;
            }
            At(ref z, (r + 0) * 9 + j) = acc0;
            At(ref z, (r + 1) * 9 + j) = acc1;
        }
    }
    else
    {
        int r = 0;
        for (int j = 0; j < 9; j++)
        {
            float acc0 = At(ref bias, (r + 0));
            float acc1 = At(ref bias, (r + 1));
            for (int t = 0; t < 27; t++)
            {
                float bt = At(ref columns, t * 9 + j);
                acc0 += At(ref weights, (r + 0) * 27 + t) * bt;
                acc1 += At(ref weights, (r + 1) * 27 + t) * bt;
            }
            At(ref z, (r + 0) * 9 + j) = acc0;
            At(ref z, (r + 1) * 9 + j) = acc1;
        }
    }
}

/// <summary>Adds columns back onto a 3×7×7 image (the adjoint of im2col); the image is cleared first.</summary>
private static void Conv2D2Col2Im(ref float columns, ref float image)
{
    MemoryMarshal.CreateSpan(ref image, 147).Clear();
    for (int c = 0; c < 3; c++)
    {
        int plane = c * 49;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
                int tap = (c * 3 + ky) * 3 + kx;
                for (int gy = 0; gy < 3; gy++)
                {
                    int iy = gy * 2 - 0 + ky * 1;
                    int row = tap * 9 + gy * 3;
                    if ((uint)iy >= 7u)
                    {
                        continue;
                    }
                    for (int gx = 0; gx < 3; gx++)
                    {
                        int ix = gx * 2 - 0 + kx * 1;
                        if ((uint)ix < 7u)
                        {
                            At(ref image, plane + iy * 7 + ix) += At(ref columns, row + gx);
                        }
                    }
                }
            }
        }
    }
}

/// <summary>strided: ∂W += gradient of the weights, ∂bias += Σ over pixels, one sample at a time.</summary>
public static void Conv2D2BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
{
    for (int s = 0; s < n; s++)
    {
        Conv2D2Im2Col(ref At(ref x, s * 147), ref columns);
        Conv2D2WeightGemm(ref At(ref dz, s * 18), ref columns, ref weightGradient);
        BiasKernels.AddChannelSums(ref At(ref dz, s * 18), ref biasGradient, 2, 9);
    }
}

/// <summary>∂W[2×27] += d · columnsᵀ, dot products along the 9 pixels.</summary>
private static void Conv2D2WeightGemm(ref float d, ref float columns, ref float weightGradient)
{
    if (Vector256.IsHardwareAccelerated)
    {
        int r = 0;
        for (; r + 2 <= 2; r += 2)
        {
            int k = 0;
            for (; k + 4 <= 27; k += 4)
            {
                var acc00 = Vector256<float>.Zero;
                var acc01 = Vector256<float>.Zero;
                var acc02 = Vector256<float>.Zero;
                var acc03 = Vector256<float>.Zero;
                var acc10 = Vector256<float>.Zero;
                var acc11 = Vector256<float>.Zero;
                var acc12 = Vector256<float>.Zero;
                var acc13 = Vector256<float>.Zero;
                {
                    int j = 0;
                    var d0 = Vector256.LoadUnsafe(ref d, (nuint)((r + 0) * 9 + j));
                    var d1 = Vector256.LoadUnsafe(ref d, (nuint)((r + 1) * 9 + j));
                    var w0 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 0) * 9 + j));
                    acc00 = Vector256.FusedMultiplyAdd(d0, w0, acc00);
                    acc10 = Vector256.FusedMultiplyAdd(d1, w0, acc10);
                    var w1 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 1) * 9 + j));
                    acc01 = Vector256.FusedMultiplyAdd(d0, w1, acc01);
                    acc11 = Vector256.FusedMultiplyAdd(d1, w1, acc11);
                    var w2 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 2) * 9 + j));
                    acc02 = Vector256.FusedMultiplyAdd(d0, w2, acc02);
                    acc12 = Vector256.FusedMultiplyAdd(d1, w2, acc12);
                    var w3 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 3) * 9 + j));
                    acc03 = Vector256.FusedMultiplyAdd(d0, w3, acc03);
                    acc13 = Vector256.FusedMultiplyAdd(d1, w3, acc13);
                }
                float sum00 = Vector256.Sum(acc00);
                float sum01 = Vector256.Sum(acc01);
                float sum02 = Vector256.Sum(acc02);
                float sum03 = Vector256.Sum(acc03);
                float sum10 = Vector256.Sum(acc10);
                float sum11 = Vector256.Sum(acc11);
                float sum12 = Vector256.Sum(acc12);
                float sum13 = Vector256.Sum(acc13);
                for (int j = 8; j < 9; j++)
                {
                    float d0 = At(ref d, (r + 0) * 9 + j);
                    float d1 = At(ref d, (r + 1) * 9 + j);
                    float w0 = At(ref columns, (k + 0) * 9 + j);
                    sum00 += d0 * w0;
                    sum10 += d1 * w0;
                    float w1 = At(ref columns, (k + 1) * 9 + j);
                    sum01 += d0 * w1;
                    sum11 += d1 * w1;
                    float w2 = At(ref columns, (k + 2) * 9 + j);
                    sum02 += d0 * w2;
                    sum12 += d1 * w2;
                    float w3 = At(ref columns, (k + 3) * 9 + j);
                    sum03 += d0 * w3;
                    sum13 += d1 * w3;
                }
                At(ref weightGradient, (r + 0) * 27 + (k + 0)) += sum00;
                At(ref weightGradient, (r + 0) * 27 + (k + 1)) += sum01;
                At(ref weightGradient, (r + 0) * 27 + (k + 2)) += sum02;
                At(ref weightGradient, (r + 0) * 27 + (k + 3)) += sum03;
                At(ref weightGradient, (r + 1) * 27 + (k + 0)) += sum10;
                At(ref weightGradient, (r + 1) * 27 + (k + 1)) += sum11;
                At(ref weightGradient, (r + 1) * 27 + (k + 2)) += sum12;
                At(ref weightGradient, (r + 1) * 27 + (k + 3)) += sum13;
            }
            for (; k < 27; k++)
            {
                var acc00 = Vector256<float>.Zero;
                var acc10 = Vector256<float>.Zero;
                {
                    int j = 0;
                    var d0 = Vector256.LoadUnsafe(ref d, (nuint)((r + 0) * 9 + j));
                    var d1 = Vector256.LoadUnsafe(ref d, (nuint)((r + 1) * 9 + j));
                    var w0 = Vector256.LoadUnsafe(ref columns, (nuint)(k * 9 + j));
                    acc00 = Vector256.FusedMultiplyAdd(d0, w0, acc00);
                    acc10 = Vector256.FusedMultiplyAdd(d1, w0, acc10);
                }
                float sum00 = Vector256.Sum(acc00);
                float sum10 = Vector256.Sum(acc10);
                for (int j = 8; j < 9; j++)
                {
                    float d0 = At(ref d, (r + 0) * 9 + j);
                    float d1 = At(ref d, (r + 1) * 9 + j);
                    float w0 = At(ref columns, k * 9 + j);
                    sum00 += d0 * w0;
                    sum10 += d1 * w0;
                }
                At(ref weightGradient, (r + 0) * 27 + k) += sum00;
                At(ref weightGradient, (r + 1) * 27 + k) += sum10;
            }
        }
        for (; r < 2; r++)
        {
            int k = 0;
            for (; k + 4 <= 27; k += 4)
            {
                var acc00 = Vector256<float>.Zero;
                var acc01 = Vector256<float>.Zero;
                var acc02 = Vector256<float>.Zero;
                var acc03 = Vector256<float>.Zero;
                {
                    int j = 0;
                    var d0 = Vector256.LoadUnsafe(ref d, (nuint)(r * 9 + j));
                    var w0 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 0) * 9 + j));
                    acc00 = Vector256.FusedMultiplyAdd(d0, w0, acc00);
                    var w1 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 1) * 9 + j));
                    acc01 = Vector256.FusedMultiplyAdd(d0, w1, acc01);
                    var w2 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 2) * 9 + j));
                    acc02 = Vector256.FusedMultiplyAdd(d0, w2, acc02);
                    var w3 = Vector256.LoadUnsafe(ref columns, (nuint)((k + 3) * 9 + j));
                    acc03 = Vector256.FusedMultiplyAdd(d0, w3, acc03);
                }
                float sum00 = Vector256.Sum(acc00);
                float sum01 = Vector256.Sum(acc01);
                float sum02 = Vector256.Sum(acc02);
                float sum03 = Vector256.Sum(acc03);
                for (int j = 8; j < 9; j++)
                {
                    float d0 = At(ref d, r * 9 + j);
                    float w0 = At(ref columns, (k + 0) * 9 + j);
                    sum00 += d0 * w0;
                    float w1 = At(ref columns, (k + 1) * 9 + j);
                    sum01 += d0 * w1;
                    float w2 = At(ref columns, (k + 2) * 9 + j);
                    sum02 += d0 * w2;
                    float w3 = At(ref columns, (k + 3) * 9 + j);
                    sum03 += d0 * w3;
                }
                At(ref weightGradient, r * 27 + (k + 0)) += sum00;
                At(ref weightGradient, r * 27 + (k + 1)) += sum01;
                At(ref weightGradient, r * 27 + (k + 2)) += sum02;
                At(ref weightGradient, r * 27 + (k + 3)) += sum03;
            }
            for (; k < 27; k++)
            {
                var acc00 = Vector256<float>.Zero;
                {
                    int j = 0;
                    var d0 = Vector256.LoadUnsafe(ref d, (nuint)(r * 9 + j));
                    var w0 = Vector256.LoadUnsafe(ref columns, (nuint)(k * 9 + j));
                    acc00 = Vector256.FusedMultiplyAdd(d0, w0, acc00);
                }
                float sum00 = Vector256.Sum(acc00);
                for (int j = 8; j < 9; j++)
                {
                    float d0 = At(ref d, r * 9 + j);
                    float w0 = At(ref columns, k * 9 + j);
                    sum00 += d0 * w0;
                }
                At(ref weightGradient, r * 27 + k) += sum00;
            }
        }
    }
    else
    {
        int r = 0;
        for (; r + 2 <= 2; r += 2)
        {
            int k = 0;
            for (; k + 4 <= 27; k += 4)
            {
                float sum00 = 0f;
                float sum01 = 0f;
                float sum02 = 0f;
                float sum03 = 0f;
                float sum10 = 0f;
                float sum11 = 0f;
                float sum12 = 0f;
                float sum13 = 0f;
                for (int j = 0; j < 9; j++)
                {
                    float d0 = At(ref d, (r + 0) * 9 + j);
                    float d1 = At(ref d, (r + 1) * 9 + j);
                    float w0 = At(ref columns, (k + 0) * 9 + j);
                    sum00 += d0 * w0;
                    sum10 += d1 * w0;
                    float w1 = At(ref columns, (k + 1) * 9 + j);
                    sum01 += d0 * w1;
                    sum11 += d1 * w1;
                    float w2 = At(ref columns, (k + 2) * 9 + j);
                    sum02 += d0 * w2;
                    sum12 += d1 * w2;
                    float w3 = At(ref columns, (k + 3) * 9 + j);
                    sum03 += d0 * w3;
                    sum13 += d1 * w3;
                }
                At(ref weightGradient, (r + 0) * 27 + (k + 0)) += sum00;
                At(ref weightGradient, (r + 0) * 27 + (k + 1)) += sum01;
                At(ref weightGradient, (r + 0) * 27 + (k + 2)) += sum02;
                At(ref weightGradient, (r + 0) * 27 + (k + 3)) += sum03;
                At(ref weightGradient, (r + 1) * 27 + (k + 0)) += sum10;
                At(ref weightGradient, (r + 1) * 27 + (k + 1)) += sum11;
                At(ref weightGradient, (r + 1) * 27 + (k + 2)) += sum12;
                At(ref weightGradient, (r + 1) * 27 + (k + 3)) += sum13;
            }
            for (; k < 27; k++)
            {
                float sum00 = 0f;
                float sum10 = 0f;
                for (int j = 0; j < 9; j++)
                {
                    float d0 = At(ref d, (r + 0) * 9 + j);
                    float d1 = At(ref d, (r + 1) * 9 + j);
                    float w0 = At(ref columns, k * 9 + j);
                    sum00 += d0 * w0;
                    sum10 += d1 * w0;
                }
                At(ref weightGradient, (r + 0) * 27 + k) += sum00;
                At(ref weightGradient, (r + 1) * 27 + k) += sum10;
            }
        }
        for (; r < 2; r++)
        {
            int k = 0;
            for (; k + 4 <= 27; k += 4)
            {
                float sum00 = 0f;
                float sum01 = 0f;
                float sum02 = 0f;
                float sum03 = 0f;
                for (int j = 0; j < 9; j++)
                {
                    float d0 = At(ref d, r * 9 + j);
                    float w0 = At(ref columns, (k + 0) * 9 + j);
                    sum00 += d0 * w0;
                    float w1 = At(ref columns, (k + 1) * 9 + j);
                    sum01 += d0 * w1;
                    float w2 = At(ref columns, (k + 2) * 9 + j);
                    sum02 += d0 * w2;
                    float w3 = At(ref columns, (k + 3) * 9 + j);
                    sum03 += d0 * w3;
                }
                At(ref weightGradient, r * 27 + (k + 0)) += sum00;
                At(ref weightGradient, r * 27 + (k + 1)) += sum01;
                At(ref weightGradient, r * 27 + (k + 2)) += sum02;
                At(ref weightGradient, r * 27 + (k + 3)) += sum03;
            }
            for (; k < 27; k++)
            {
                float sum00 = 0f;
                for (int j = 0; j < 9; j++)
                {
                    float d0 = At(ref d, r * 9 + j);
                    float w0 = At(ref columns, k * 9 + j);
                    sum00 += d0 * w0;
                }
                At(ref weightGradient, r * 27 + k) += sum00;
            }
        }
    }
}

/// <summary>strided: dx from dz.</summary>
public static void Conv2D2BackwardInput(ref float dz, ref float weights, ref float dx, ref float columns, int n)
{
    for (int s = 0; s < n; s++)
    {
        Conv2D2InputGemm(ref weights, ref At(ref dz, s * 18), ref columns);
        Conv2D2Col2Im(ref columns, ref At(ref dx, s * 147));
    }
}

/// <summary>columns[27×9] = Wᵀ · dz.</summary>
private static void Conv2D2InputGemm(ref float weights, ref float dz, ref float columns)
{
    if (Vector256.IsHardwareAccelerated)
    {
        int r = 0;
        for (; r + 4 <= 27; r += 4)
        {
            {
                var acc00 = Vector256<float>.Zero;
                var acc10 = Vector256<float>.Zero;
                var acc20 = Vector256<float>.Zero;
                var acc30 = Vector256<float>.Zero;
                for (int t = 0; t < 2; t++)
                {
                    var b0 = Vector256.LoadUnsafe(ref dz, (nuint)(t * 9 + 0));
                    var a0 = Vector256.Create(At(ref weights, t * 27 + (r + 0)));
                    acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                    var a1 = Vector256.Create(At(ref weights, t * 27 + (r + 1)));
                    acc10 = Vector256.FusedMultiplyAdd(a1, b0, acc10);
                    var a2 = Vector256.Create(At(ref weights, t * 27 + (r + 2)));
                    acc20 = Vector256.FusedMultiplyAdd(a2, b0, acc20);
                    var a3 = Vector256.Create(At(ref weights, t * 27 + (r + 3)));
                    acc30 = Vector256.FusedMultiplyAdd(a3, b0, acc30);
                }
                Vector256.StoreUnsafe(acc00, ref columns, (nuint)((r + 0) * 9 + 0));
                Vector256.StoreUnsafe(acc10, ref columns, (nuint)((r + 1) * 9 + 0));
                Vector256.StoreUnsafe(acc20, ref columns, (nuint)((r + 2) * 9 + 0));
                Vector256.StoreUnsafe(acc30, ref columns, (nuint)((r + 3) * 9 + 0));
            }
            for (int j = 8; j < 9; j++)
            {
                float acc0 = 0f;
                float acc1 = 0f;
                float acc2 = 0f;
                float acc3 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref dz, t * 9 + j);
                    acc0 += At(ref weights, t * 27 + (r + 0)) * bt;
                    acc1 += At(ref weights, t * 27 + (r + 1)) * bt;
                    acc2 += At(ref weights, t * 27 + (r + 2)) * bt;
                    acc3 += At(ref weights, t * 27 + (r + 3)) * bt;
                }
                At(ref columns, (r + 0) * 9 + j) = acc0;
                At(ref columns, (r + 1) * 9 + j) = acc1;
                At(ref columns, (r + 2) * 9 + j) = acc2;
                At(ref columns, (r + 3) * 9 + j) = acc3;
            }
        }
        for (; r < 27; r++)
        {
            {
                var acc00 = Vector256<float>.Zero;
                for (int t = 0; t < 2; t++)
                {
                    var b0 = Vector256.LoadUnsafe(ref dz, (nuint)(t * 9 + 0));
                    var a0 = Vector256.Create(At(ref weights, t * 27 + r));
                    acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector256.StoreUnsafe(acc00, ref columns, (nuint)(r * 9 + 0));
            }
            for (int j = 8; j < 9; j++)
            {
                float acc0 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref dz, t * 9 + j);
                    acc0 += At(ref weights, t * 27 + r) * bt;
                }
                At(ref columns, r * 9 + j) = acc0;
            }
        }
    }
    else
    {
        int r = 0;
        for (; r + 4 <= 27; r += 4)
        {
            for (int j = 0; j < 9; j++)
            {
                float acc0 = 0f;
                float acc1 = 0f;
                float acc2 = 0f;
                float acc3 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref dz, t * 9 + j);
                    acc0 += At(ref weights, t * 27 + (r + 0)) * bt;
                    acc1 += At(ref weights, t * 27 + (r + 1)) * bt;
                    acc2 += At(ref weights, t * 27 + (r + 2)) * bt;
                    acc3 += At(ref weights, t * 27 + (r + 3)) * bt;
                }
                At(ref columns, (r + 0) * 9 + j) = acc0;
                At(ref columns, (r + 1) * 9 + j) = acc1;
                At(ref columns, (r + 2) * 9 + j) = acc2;
                At(ref columns, (r + 3) * 9 + j) = acc3;
            }
        }
        for (; r < 27; r++)
        {
            for (int j = 0; j < 9; j++)
            {
                float acc0 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref dz, t * 9 + j);
                    acc0 += At(ref weights, t * 27 + r) * bt;
                }
                At(ref columns, r * 9 + j) = acc0;
            }
        }
    }
}
