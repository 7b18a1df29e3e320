// TransposedConvolutionFamily: [Input(2, 3, 3)] [ConvTranspose2D(2, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1, Name = "up")]

// ===== up (ConvTranspose2D): 3×3/2, padding 1, output padding 1, Tanh, GlorotUniform init
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(0, 36), global::NetGen.Init.GlorotUniform, global::NetGen.Activation.Tanh, 0.01f, fanIn: 18, fanOut: 18, random);
p.Slice(36, 2).Fill(0f);
// workspace Shards[training ? 152 : 0]: up: ∂w and ∂b of each shard of the batch
// --- forward step, Samples over n: up: ConvTranspose2D
NetKernels.ConvTranspose2D1Forward(ref Unsafe.Add(ref ws.Input.Reference, start * 18), ref Unsafe.Add(ref p, 0), ref Unsafe.Add(ref p, 36),
    ref Unsafe.Add(ref ws.Z1.Reference, start * 72), ref Unsafe.Add(ref ws.Columns.Reference, part * 162), count);
// --- forward step, Samples over n: up: Tanh
global::NetGen.Kernels.ActivationKernels.Tanh(ws.Z1.Span.Slice(start * 72, count * 72), ws.A1.Span.Slice(start * 72, count * 72));
// --- backward step, Samples over n: up: Tanh'
global::NetGen.Kernels.ActivationKernels.TanhBackward(ws.Z1.Span.Slice(start * 72, count * 72), ws.A1.Span.Slice(start * 72, count * 72),
    ws.G1.Span.Slice(start * 72, count * 72));
// --- backward step, WeightShards over 4: up: ∂w, ∂b per shard of the batch
for (int s = start; s < end; s++)
{
    int first = n * s / 4, last = n * (s + 1) / 4;
    ws.Shards1.Span.Slice(s * 36, 36).Clear();
    ws.Shards1.Span.Slice(144 + s * 2, 2).Clear();
    if (last > first)
    {
        NetKernels.ConvTranspose2D1BackwardWeights(ref Unsafe.Add(ref input, first * 18), ref Unsafe.Add(ref ws.G1.Reference, first * 72),
            ref Unsafe.Add(ref ws.Shards1.Reference, s * 36), ref Unsafe.Add(ref ws.Shards1.Reference, 144 + s * 2),
            ref Unsafe.Add(ref ws.Columns.Reference, part * 162), last - first);
    }
}
// --- backward step, ShardSum over the whole batch: up: ∂w, ∂b += the shards in order
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(0, 36), ws.Shards1.Span, 4);
global::NetGen.Kernels.VectorOps.AddShards(_gradients.Span.Slice(36, 2), ws.Shards1.Span.Slice(144), 4);
// --- kernels

/// <summary>up: ConvTranspose2D 2×3×3 → 2×6×6, kernel 3×3, stride 2, padding 1, dilation 1.</summary>
public static void ConvTranspose2D1Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
{
    for (int s = 0; s < n; s++)
    {
        ConvTranspose2D1ColumnGemm(ref weights, ref At(ref x, s * 18), ref columns);
        ConvTranspose2D1Col2Im(ref columns, ref At(ref z, s * 72));
        BiasKernels.AddChannelBias(ref bias, ref At(ref z, s * 72), 2, 36);
    }
}

/// <summary>Unrolls the 3×3 windows of a 2×6×6 image over a 3×3 grid into columns.</summary>
private static void ConvTranspose2D1Im2Col(ref float image, ref float columns)
{
    for (int c = 0; c < 2; c++)
    {
        int plane = c * 36;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
                int tap = (c * 3 + ky) * 3 + kx;
                for (int gy = 0; gy < 3; gy++)
                {
                    int iy = gy * 2 - 1 + ky * 1;
                    int row = tap * 9 + gy * 3;
                    if ((uint)iy >= 6u)
                    {
                        MemoryMarshal.CreateSpan(ref At(ref columns, row), 3).Clear();
                        continue;
                    }
                    for (int gx = 0; gx < 3; gx++)
                    {
                        int ix = gx * 2 - 1 + kx * 1;
                        if ((uint)ix < 6u)
                        {
                            At(ref columns, row + gx) = At(ref image, plane + iy * 6 + ix);
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

/// <summary>columns[18×9] = Wᵀ · x with W [2×18].</summary>
private static void ConvTranspose2D1ColumnGemm(ref float weights, ref float x, ref float columns)
{
    if (Vector256.IsHardwareAccelerated)
    {
        int r = 0;
        for (; r + 4 <= 18; r += 4)
        {
            {
                var acc00 = Vector256<float>.Zero;
                var acc10 = Vector256<float>.Zero;
                var acc20 = Vector256<float>.Zero;
                var acc30 = Vector256<float>.Zero;
                for (int t = 0; t < 2; t++)
                {
                    var b0 = Vector256.LoadUnsafe(ref x, (nuint)(t * 9 + 0));
                    var a0 = Vector256.Create(At(ref weights, t * 18 + (r + 0)));
                    acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                    var a1 = Vector256.Create(At(ref weights, t * 18 + (r + 1)));
                    acc10 = Vector256.FusedMultiplyAdd(a1, b0, acc10);
                    var a2 = Vector256.Create(At(ref weights, t * 18 + (r + 2)));
                    acc20 = Vector256.FusedMultiplyAdd(a2, b0, acc20);
                    var a3 = Vector256.Create(At(ref weights, t * 18 + (r + 3)));
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
                    float bt = At(ref x, t * 9 + j);
                    acc0 += At(ref weights, t * 18 + (r + 0)) * bt;
                    acc1 += At(ref weights, t * 18 + (r + 1)) * bt;
                    acc2 += At(ref weights, t * 18 + (r + 2)) * bt;
                    acc3 += At(ref weights, t * 18 + (r + 3)) * bt;
                }
                At(ref columns, (r + 0) * 9 + j) = acc0;
                At(ref columns, (r + 1) * 9 + j) = acc1;
                At(ref columns, (r + 2) * 9 + j) = acc2;
                At(ref columns, (r + 3) * 9 + j) = acc3;
            }
        }
        for (; r < 18; r++)
        {
            {
                var acc00 = Vector256<float>.Zero;
                for (int t = 0; t < 2; t++)
                {
                    var b0 = Vector256.LoadUnsafe(ref x, (nuint)(t * 9 + 0));
                    var a0 = Vector256.Create(At(ref weights, t * 18 + r));
                    acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector256.StoreUnsafe(acc00, ref columns, (nuint)(r * 9 + 0));
            }
            for (int j = 8; j < 9; j++)
            {
                float acc0 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref x, t * 9 + j);
                    acc0 += At(ref weights, t * 18 + r) * bt;
                }
                At(ref columns, r * 9 + j) = acc0;
            }
        }
    }
    else
    {
        int r = 0;
        for (; r + 4 <= 18; r += 4)
        {
            for (int j = 0; j < 9; j++)
            {
                float acc0 = 0f;
                float acc1 = 0f;
                float acc2 = 0f;
                float acc3 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref x, t * 9 + j);
                    acc0 += At(ref weights, t * 18 + (r + 0)) * bt;
                    acc1 += At(ref weights, t * 18 + (r + 1)) * bt;
                    acc2 += At(ref weights, t * 18 + (r + 2)) * bt;
                    acc3 += At(ref weights, t * 18 + (r + 3)) * bt;
                }
                At(ref columns, (r + 0) * 9 + j) = acc0;
                At(ref columns, (r + 1) * 9 + j) = acc1;
                At(ref columns, (r + 2) * 9 + j) = acc2;
                At(ref columns, (r + 3) * 9 + j) = acc3;
            }
        }
        for (; r < 18; r++)
        {
            for (int j = 0; j < 9; j++)
            {
                float acc0 = 0f;
                for (int t = 0; t < 2; t++)
                {
                    float bt = At(ref x, t * 9 + j);
                    acc0 += At(ref weights, t * 18 + r) * bt;
                }
                At(ref columns, r * 9 + j) = acc0;
            }
        }
    }
}

/// <summary>Adds columns back onto a 2×6×6 image (the adjoint of im2col); the image is cleared first.</summary>
private static void ConvTranspose2D1Col2Im(ref float columns, ref float image)
{
    MemoryMarshal.CreateSpan(ref image, 72).Clear();
    for (int c = 0; c < 2; c++)
    {
        int plane = c * 36;
        for (int ky = 0; ky < 3; ky++)
        {
            for (int kx = 0; kx < 3; kx++)
            {
                int tap = (c * 3 + ky) * 3 + kx;
                for (int gy = 0; gy < 3; gy++)
                {
                    int iy = gy * 2 - 1 + ky * 1;
                    int row = tap * 9 + gy * 3;
                    if ((uint)iy >= 6u)
                    {
                        continue;
                    }
                    for (int gx = 0; gx < 3; gx++)
                    {
                        int ix = gx * 2 - 1 + kx * 1;
                        if ((uint)ix < 6u)
                        {
                            At(ref image, plane + iy * 6 + ix) += At(ref columns, row + gx);
                        }
                    }
                }
            }
        }
    }
}

/// <summary>up: ∂W += gradient of the weights, ∂bias += Σ over pixels, one sample at a time.</summary>
public static void ConvTranspose2D1BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
{
    for (int s = 0; s < n; s++)
    {
        ConvTranspose2D1Im2Col(ref At(ref dz, s * 72), ref columns);
        ConvTranspose2D1WeightGemm(ref At(ref x, s * 18), ref columns, ref weightGradient);
        BiasKernels.AddChannelSums(ref At(ref dz, s * 72), ref biasGradient, 2, 36);
    }
}

/// <summary>∂W[2×18] += d · columnsᵀ, dot products along the 9 pixels.</summary>
private static void ConvTranspose2D1WeightGemm(ref float d, ref float columns, ref float weightGradient)
{
    if (Vector256.IsHardwareAccelerated)
    {
        int r = 0;
        for (; r + 2 <= 2; r += 2)
        {
            int k = 0;
            for (; k + 4 <= 18; k += 4)
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
                At(ref weightGradient, (r + 0) * 18 + (k + 0)) += sum00;
                At(ref weightGradient, (r + 0) * 18 + (k + 1)) += sum01;
                At(ref weightGradient, (r + 0) * 18 + (k + 2)) += sum02;
                At(ref weightGradient, (r + 0) * 18 + (k + 3)) += sum03;
                At(ref weightGradient, (r + 1) * 18 + (k + 0)) += sum10;
                At(ref weightGradient, (r + 1) * 18 + (k + 1)) += sum11;
                At(ref weightGradient, (r + 1) * 18 + (k + 2)) += sum12;
                At(ref weightGradient, (r + 1) * 18 + (k + 3)) += sum13;
            }
            for (; k < 18; k++)
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
                At(ref weightGradient, (r + 0) * 18 + k) += sum00;
                At(ref weightGradient, (r + 1) * 18 + k) += sum10;
            }
        }
        for (; r < 2; r++)
        {
            int k = 0;
            for (; k + 4 <= 18; k += 4)
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
                At(ref weightGradient, r * 18 + (k + 0)) += sum00;
                At(ref weightGradient, r * 18 + (k + 1)) += sum01;
                At(ref weightGradient, r * 18 + (k + 2)) += sum02;
                At(ref weightGradient, r * 18 + (k + 3)) += sum03;
            }
            for (; k < 18; k++)
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
                At(ref weightGradient, r * 18 + k) += sum00;
            }
        }
    }
    else
    {
        int r = 0;
        for (; r + 2 <= 2; r += 2)
        {
            int k = 0;
            for (; k + 4 <= 18; k += 4)
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
                At(ref weightGradient, (r + 0) * 18 + (k + 0)) += sum00;
                At(ref weightGradient, (r + 0) * 18 + (k + 1)) += sum01;
                At(ref weightGradient, (r + 0) * 18 + (k + 2)) += sum02;
                At(ref weightGradient, (r + 0) * 18 + (k + 3)) += sum03;
                At(ref weightGradient, (r + 1) * 18 + (k + 0)) += sum10;
                At(ref weightGradient, (r + 1) * 18 + (k + 1)) += sum11;
                At(ref weightGradient, (r + 1) * 18 + (k + 2)) += sum12;
                At(ref weightGradient, (r + 1) * 18 + (k + 3)) += sum13;
            }
            for (; k < 18; k++)
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
                At(ref weightGradient, (r + 0) * 18 + k) += sum00;
                At(ref weightGradient, (r + 1) * 18 + k) += sum10;
            }
        }
        for (; r < 2; r++)
        {
            int k = 0;
            for (; k + 4 <= 18; k += 4)
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
                At(ref weightGradient, r * 18 + (k + 0)) += sum00;
                At(ref weightGradient, r * 18 + (k + 1)) += sum01;
                At(ref weightGradient, r * 18 + (k + 2)) += sum02;
                At(ref weightGradient, r * 18 + (k + 3)) += sum03;
            }
            for (; k < 18; k++)
            {
                float sum00 = 0f;
                for (int j = 0; j < 9; j++)
                {
                    float d0 = At(ref d, r * 9 + j);
                    float w0 = At(ref columns, k * 9 + j);
                    sum00 += d0 * w0;
                }
                At(ref weightGradient, r * 18 + k) += sum00;
            }
        }
    }
}
