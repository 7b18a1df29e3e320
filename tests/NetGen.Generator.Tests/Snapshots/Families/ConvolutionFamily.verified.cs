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
public static void Conv2D1Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
{
    ref float grid = ref At(ref columns, 176);
    for (int s = 0; s < n; s++)
    {
        Conv2D1Pad(ref At(ref x, s * 98), ref columns);
        Conv2D1Grid(ref weights, ref bias, ref columns, ref grid);
        Conv2D1Crop(ref grid, ref At(ref z, s * 147));
    }
}

/// <summary>Copies a 2×7×7 image into a zero-padded 2×9×9 one (channel stride 81); the slack after it is zeroed too.</summary>
private static void Conv2D1Pad(ref float image, ref float padded)
{
    Clear(ref padded, 176);
    for (int c = 0; c < 2; c++)
    {
        for (int y = 0; y < 7; y++)
        {
            Copy(ref At(ref image, (c * 7 + y) * 7), ref At(ref padded, c * 81 + (y + 1) * 9 + 1), 7);
        }
    }
}

/// <summary>Copies the valid 7×7 positions of each channel of the grid (row stride 9) into z.</summary>
private static void Conv2D1Crop(ref float grid, ref float z)
{
    for (int o = 0; o < 3; o++)
    {
        for (int y = 0; y < 7; y++)
        {
            Copy(ref At(ref grid, o * 64 + y * 9), ref At(ref z, (o * 7 + y) * 7), 7);
        }
    }
}

/// <summary>The 3 output channels on the grid, 18 taps each.</summary>
private static void Conv2D1Grid(ref float weights, ref float bias, ref float padded, ref float grid)
{
    if (Vector512.IsHardwareAccelerated)
    {
        {
            const int r = 0;
            {
                const int j = 0;
                var acc0_0 = Vector512.Create(At(ref bias, r));
                var acc0_1 = Vector512.Create(At(ref bias, r));
                var acc0_2 = Vector512.Create(At(ref bias, r));
                var acc0_3 = Vector512.Create(At(ref bias, r));
                var acc1_0 = Vector512.Create(At(ref bias, r + 1));
                var acc1_1 = Vector512.Create(At(ref bias, r + 1));
                var acc1_2 = Vector512.Create(At(ref bias, r + 1));
                var acc1_3 = Vector512.Create(At(ref bias, r + 1));
                var acc2_0 = Vector512.Create(At(ref bias, r + 2));
                var acc2_1 = Vector512.Create(At(ref bias, r + 2));
                var acc2_2 = Vector512.Create(At(ref bias, r + 2));
                var acc2_3 = Vector512.Create(At(ref bias, r + 2));
                for (int c = 0; c < 2; c++)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        ref float source = ref At(ref padded, j + c * 81 + ky * 9);
                        ref float tap = ref At(ref weights, r * 18 + (c * 3 + ky) * 3);
                        for (int kx = 0; kx < 3; kx++)
                        {
                            ref float shifted = ref At(ref source, kx);
                            ref float weight = ref At(ref tap, kx);
                            var b0 = Vector512.LoadUnsafe(ref shifted);
                            var b1 = Vector512.LoadUnsafe(ref shifted, 16);
                            var b2 = Vector512.LoadUnsafe(ref shifted, 32);
                            var b3 = Vector512.LoadUnsafe(ref shifted, 48);
                            var a0 = Vector512.Create(At(ref weight, 0));
                            acc0_0 = Vector512.FusedMultiplyAdd(a0, b0, acc0_0);
                            acc0_1 = Vector512.FusedMultiplyAdd(a0, b1, acc0_1);
                            acc0_2 = Vector512.FusedMultiplyAdd(a0, b2, acc0_2);
                            acc0_3 = Vector512.FusedMultiplyAdd(a0, b3, acc0_3);
                            var a1 = Vector512.Create(At(ref weight, 18));
                            acc1_0 = Vector512.FusedMultiplyAdd(a1, b0, acc1_0);
                            acc1_1 = Vector512.FusedMultiplyAdd(a1, b1, acc1_1);
                            acc1_2 = Vector512.FusedMultiplyAdd(a1, b2, acc1_2);
                            acc1_3 = Vector512.FusedMultiplyAdd(a1, b3, acc1_3);
                            var a2 = Vector512.Create(At(ref weight, 36));
                            acc2_0 = Vector512.FusedMultiplyAdd(a2, b0, acc2_0);
                            acc2_1 = Vector512.FusedMultiplyAdd(a2, b1, acc2_1);
                            acc2_2 = Vector512.FusedMultiplyAdd(a2, b2, acc2_2);
                            acc2_3 = Vector512.FusedMultiplyAdd(a2, b3, acc2_3);
                        }
                    }
                }
                ref float output = ref At(ref grid, r * 64 + j);
                Vector512.StoreUnsafe(acc0_0, ref output);
                Vector512.StoreUnsafe(acc0_1, ref output, 16);
                Vector512.StoreUnsafe(acc0_2, ref output, 32);
                Vector512.StoreUnsafe(acc0_3, ref output, 48);
                Vector512.StoreUnsafe(acc1_0, ref output, 64);
                Vector512.StoreUnsafe(acc1_1, ref output, 80);
                Vector512.StoreUnsafe(acc1_2, ref output, 96);
                Vector512.StoreUnsafe(acc1_3, ref output, 112);
                Vector512.StoreUnsafe(acc2_0, ref output, 128);
                Vector512.StoreUnsafe(acc2_1, ref output, 144);
                Vector512.StoreUnsafe(acc2_2, ref output, 160);
                Vector512.StoreUnsafe(acc2_3, ref output, 176);
            }
        }
    }
    else if (Vector256.IsHardwareAccelerated)
    {
        {
            const int r = 0;
            for (int j = 0; j < 48; j += 24)
            {
                var acc0_0 = Vector256.Create(At(ref bias, r));
                var acc0_1 = Vector256.Create(At(ref bias, r));
                var acc0_2 = Vector256.Create(At(ref bias, r));
                var acc1_0 = Vector256.Create(At(ref bias, r + 1));
                var acc1_1 = Vector256.Create(At(ref bias, r + 1));
                var acc1_2 = Vector256.Create(At(ref bias, r + 1));
                var acc2_0 = Vector256.Create(At(ref bias, r + 2));
                var acc2_1 = Vector256.Create(At(ref bias, r + 2));
                var acc2_2 = Vector256.Create(At(ref bias, r + 2));
                for (int c = 0; c < 2; c++)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        ref float source = ref At(ref padded, j + c * 81 + ky * 9);
                        ref float tap = ref At(ref weights, r * 18 + (c * 3 + ky) * 3);
                        for (int kx = 0; kx < 3; kx++)
                        {
                            ref float shifted = ref At(ref source, kx);
                            ref float weight = ref At(ref tap, kx);
                            var b0 = Vector256.LoadUnsafe(ref shifted);
                            var b1 = Vector256.LoadUnsafe(ref shifted, 8);
                            var b2 = Vector256.LoadUnsafe(ref shifted, 16);
                            var a0 = Vector256.Create(At(ref weight, 0));
                            acc0_0 = Vector256.FusedMultiplyAdd(a0, b0, acc0_0);
                            acc0_1 = Vector256.FusedMultiplyAdd(a0, b1, acc0_1);
                            acc0_2 = Vector256.FusedMultiplyAdd(a0, b2, acc0_2);
                            var a1 = Vector256.Create(At(ref weight, 18));
                            acc1_0 = Vector256.FusedMultiplyAdd(a1, b0, acc1_0);
                            acc1_1 = Vector256.FusedMultiplyAdd(a1, b1, acc1_1);
                            acc1_2 = Vector256.FusedMultiplyAdd(a1, b2, acc1_2);
                            var a2 = Vector256.Create(At(ref weight, 36));
                            acc2_0 = Vector256.FusedMultiplyAdd(a2, b0, acc2_0);
                            acc2_1 = Vector256.FusedMultiplyAdd(a2, b1, acc2_1);
                            acc2_2 = Vector256.FusedMultiplyAdd(a2, b2, acc2_2);
                        }
                    }
                }
                ref float output = ref At(ref grid, r * 64 + j);
                Vector256.StoreUnsafe(acc0_0, ref output);
                Vector256.StoreUnsafe(acc0_1, ref output, 8);
                Vector256.StoreUnsafe(acc0_2, ref output, 16);
                Vector256.StoreUnsafe(acc1_0, ref output, 64);
                Vector256.StoreUnsafe(acc1_1, ref output, 72);
                Vector256.StoreUnsafe(acc1_2, ref output, 80);
                Vector256.StoreUnsafe(acc2_0, ref output, 128);
                Vector256.StoreUnsafe(acc2_1, ref output, 136);
                Vector256.StoreUnsafe(acc2_2, ref output, 144);
            }
            {
                const int j = 48;
                var acc0_0 = Vector256.Create(At(ref bias, r));
                var acc0_1 = Vector256.Create(At(ref bias, r));
                var acc1_0 = Vector256.Create(At(ref bias, r + 1));
                var acc1_1 = Vector256.Create(At(ref bias, r + 1));
                var acc2_0 = Vector256.Create(At(ref bias, r + 2));
                var acc2_1 = Vector256.Create(At(ref bias, r + 2));
                for (int c = 0; c < 2; c++)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        ref float source = ref At(ref padded, j + c * 81 + ky * 9);
                        ref float tap = ref At(ref weights, r * 18 + (c * 3 + ky) * 3);
                        for (int kx = 0; kx < 3; kx++)
                        {
                            ref float shifted = ref At(ref source, kx);
                            ref float weight = ref At(ref tap, kx);
                            var b0 = Vector256.LoadUnsafe(ref shifted);
                            var b1 = Vector256.LoadUnsafe(ref shifted, 8);
                            var a0 = Vector256.Create(At(ref weight, 0));
                            acc0_0 = Vector256.FusedMultiplyAdd(a0, b0, acc0_0);
                            acc0_1 = Vector256.FusedMultiplyAdd(a0, b1, acc0_1);
                            var a1 = Vector256.Create(At(ref weight, 18));
                            acc1_0 = Vector256.FusedMultiplyAdd(a1, b0, acc1_0);
                            acc1_1 = Vector256.FusedMultiplyAdd(a1, b1, acc1_1);
                            var a2 = Vector256.Create(At(ref weight, 36));
                            acc2_0 = Vector256.FusedMultiplyAdd(a2, b0, acc2_0);
                            acc2_1 = Vector256.FusedMultiplyAdd(a2, b1, acc2_1);
                        }
                    }
                }
                ref float output = ref At(ref grid, r * 64 + j);
                Vector256.StoreUnsafe(acc0_0, ref output);
                Vector256.StoreUnsafe(acc0_1, ref output, 8);
                Vector256.StoreUnsafe(acc1_0, ref output, 64);
                Vector256.StoreUnsafe(acc1_1, ref output, 72);
                Vector256.StoreUnsafe(acc2_0, ref output, 128);
                Vector256.StoreUnsafe(acc2_1, ref output, 136);
            }
        }
    }
    else
    {
        for (int r = 0; r < 3; r++)
        {
            for (int j = 0; j < 63; j++)
            {
                float acc = At(ref bias, r);
                for (int c = 0; c < 2; c++)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        for (int kx = 0; kx < 3; kx++)
                        {
                            acc += At(ref weights, r * 18 + (c * 3 + ky) * 3 + kx) * At(ref padded, j + c * 81 + ky * 9 + kx);
                        }
                    }
                }
                At(ref grid, r * 64 + j) = acc;
            }
        }
    }
}

/// <summary>same: ∂W += Σ dz·x, ∂bias += Σ dz, over chunks of 22 samples; every element of ∂W sums the whole batch in the same order whatever the range of its
/// rows.</summary>
public static void Conv2D1BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
{
    ref float partials = ref At(ref columns, 8096);
    Clear(ref partials, 864);
    for (int first = 0; first < n; first += 22)
    {
        int count = global::System.Math.Min(22, n - first);
        for (int i = 0; i < count; i++)
        {
            ref float sample = ref At(ref columns, i * 368);
            Conv2D1Pad(ref At(ref x, (first + i) * 98), ref sample);
            Conv2D1Expand(ref At(ref dz, (first + i) * 147), ref At(ref sample, 176));
        }
        Conv2D1WeightChunk(ref columns, count, ref weightGradient, ref partials, ref biasGradient);
    }
    Conv2D1AddPartialSums(ref partials, ref weightGradient);
}

/// <summary>Spreads dz over the grid (row stride 9), with 0 at every unused position.</summary>
private static void Conv2D1Expand(ref float dz, ref float grid)
{
    for (int o = 0; o < 3; o++)
    {
        for (int y = 0; y < 7; y++)
        {
            ref float row = ref At(ref grid, o * 64 + y * 9);
            Copy(ref At(ref dz, (o * 7 + y) * 7), ref row, 7);
            Clear(ref At(ref row, 7), 2);
        }
        Clear(ref At(ref grid, o * 64 + 63), 1);
    }
}

/// <summary>Adds the gradient of 3×18 weights over the samples of a chunk (padded image, then dz on the grid, 368 floats each).</summary>
private static void Conv2D1WeightChunk(ref float chunk, int count, ref float weightGradient, ref float partials, ref float biasGradient)
{
    if (Vector512.IsHardwareAccelerated)
    {
        {
            const int r = 0;
            for (int c = 0; c < 2; c++)
            {
                for (int ky = 0; ky < 3; ky++)
                {
                    {
                        const int kx = 0;
                        var acc0_0 = Vector512<float>.Zero;
                        var acc0_1 = Vector512<float>.Zero;
                        var acc0_2 = Vector512<float>.Zero;
                        var acc1_0 = Vector512<float>.Zero;
                        var acc1_1 = Vector512<float>.Zero;
                        var acc1_2 = Vector512<float>.Zero;
                        var acc2_0 = Vector512<float>.Zero;
                        var acc2_1 = Vector512<float>.Zero;
                        var acc2_2 = Vector512<float>.Zero;
                        for (int i = 0; i < count; i++)
                        {
                            ref float sample = ref At(ref chunk, i * 368);
                            ref float source = ref At(ref sample, c * 81 + ky * 9 + kx);
                            ref float gradient = ref At(ref sample, 176 + r * 64);
                            for (int j = 0; j < 64; j += 16)
                            {
                                ref float dz = ref At(ref gradient, j);
                                ref float x = ref At(ref source, j);
                                var d0 = Vector512.LoadUnsafe(ref dz);
                                var d1 = Vector512.LoadUnsafe(ref dz, 64);
                                var d2 = Vector512.LoadUnsafe(ref dz, 128);
                                var x0 = Vector512.LoadUnsafe(ref x);
                                acc0_0 = Vector512.FusedMultiplyAdd(d0, x0, acc0_0);
                                acc1_0 = Vector512.FusedMultiplyAdd(d1, x0, acc1_0);
                                acc2_0 = Vector512.FusedMultiplyAdd(d2, x0, acc2_0);
                                var x1 = Vector512.LoadUnsafe(ref x, 1);
                                acc0_1 = Vector512.FusedMultiplyAdd(d0, x1, acc0_1);
                                acc1_1 = Vector512.FusedMultiplyAdd(d1, x1, acc1_1);
                                acc2_1 = Vector512.FusedMultiplyAdd(d2, x1, acc2_1);
                                var x2 = Vector512.LoadUnsafe(ref x, 2);
                                acc0_2 = Vector512.FusedMultiplyAdd(d0, x2, acc0_2);
                                acc1_2 = Vector512.FusedMultiplyAdd(d1, x2, acc1_2);
                                acc2_2 = Vector512.FusedMultiplyAdd(d2, x2, acc2_2);
                            }
                        }
                        ref float partial0_0 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial0_0) + acc0_0, ref partial0_0);
                        ref float partial0_1 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx + 1) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial0_1) + acc0_1, ref partial0_1);
                        ref float partial0_2 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx + 2) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial0_2) + acc0_2, ref partial0_2);
                        ref float partial1_0 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial1_0) + acc1_0, ref partial1_0);
                        ref float partial1_1 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx + 1) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial1_1) + acc1_1, ref partial1_1);
                        ref float partial1_2 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx + 2) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial1_2) + acc1_2, ref partial1_2);
                        ref float partial2_0 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial2_0) + acc2_0, ref partial2_0);
                        ref float partial2_1 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx + 1) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial2_1) + acc2_1, ref partial2_1);
                        ref float partial2_2 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx + 2) * 16);
                        Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref partial2_2) + acc2_2, ref partial2_2);
                    }
                }
            }
        }
        {
            const int r = 0;
            var sum0 = Vector512<float>.Zero;
            var sum1 = Vector512<float>.Zero;
            var sum2 = Vector512<float>.Zero;
            for (int i = 0; i < count; i++)
            {
                ref float gradient = ref At(ref chunk, i * 368 + 176 + r * 64);
                for (int j = 0; j < 64; j += 16)
                {
                    ref float dz = ref At(ref gradient, j);
                    sum0 += Vector512.LoadUnsafe(ref dz);
                    sum1 += Vector512.LoadUnsafe(ref dz, 64);
                    sum2 += Vector512.LoadUnsafe(ref dz, 128);
                }
            }
            At(ref biasGradient, r) += Vector512.Sum(sum0);
            At(ref biasGradient, r + 1) += Vector512.Sum(sum1);
            At(ref biasGradient, r + 2) += Vector512.Sum(sum2);
        }
    }
    else if (Vector256.IsHardwareAccelerated)
    {
        {
            const int r = 0;
            for (int c = 0; c < 2; c++)
            {
                for (int ky = 0; ky < 3; ky++)
                {
                    {
                        const int kx = 0;
                        var acc0_0 = Vector256<float>.Zero;
                        var acc0_1 = Vector256<float>.Zero;
                        var acc0_2 = Vector256<float>.Zero;
                        var acc1_0 = Vector256<float>.Zero;
                        var acc1_1 = Vector256<float>.Zero;
                        var acc1_2 = Vector256<float>.Zero;
                        var acc2_0 = Vector256<float>.Zero;
                        var acc2_1 = Vector256<float>.Zero;
                        var acc2_2 = Vector256<float>.Zero;
                        for (int i = 0; i < count; i++)
                        {
                            ref float sample = ref At(ref chunk, i * 368);
                            ref float source = ref At(ref sample, c * 81 + ky * 9 + kx);
                            ref float gradient = ref At(ref sample, 176 + r * 64);
                            for (int j = 0; j < 64; j += 8)
                            {
                                ref float dz = ref At(ref gradient, j);
                                ref float x = ref At(ref source, j);
                                var d0 = Vector256.LoadUnsafe(ref dz);
                                var d1 = Vector256.LoadUnsafe(ref dz, 64);
                                var d2 = Vector256.LoadUnsafe(ref dz, 128);
                                var x0 = Vector256.LoadUnsafe(ref x);
                                acc0_0 = Vector256.FusedMultiplyAdd(d0, x0, acc0_0);
                                acc1_0 = Vector256.FusedMultiplyAdd(d1, x0, acc1_0);
                                acc2_0 = Vector256.FusedMultiplyAdd(d2, x0, acc2_0);
                                var x1 = Vector256.LoadUnsafe(ref x, 1);
                                acc0_1 = Vector256.FusedMultiplyAdd(d0, x1, acc0_1);
                                acc1_1 = Vector256.FusedMultiplyAdd(d1, x1, acc1_1);
                                acc2_1 = Vector256.FusedMultiplyAdd(d2, x1, acc2_1);
                                var x2 = Vector256.LoadUnsafe(ref x, 2);
                                acc0_2 = Vector256.FusedMultiplyAdd(d0, x2, acc0_2);
                                acc1_2 = Vector256.FusedMultiplyAdd(d1, x2, acc1_2);
                                acc2_2 = Vector256.FusedMultiplyAdd(d2, x2, acc2_2);
                            }
                        }
                        ref float partial0_0 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial0_0) + acc0_0, ref partial0_0);
                        ref float partial0_1 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx + 1) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial0_1) + acc0_1, ref partial0_1);
                        ref float partial0_2 = ref At(ref partials, ((r) * 18 + (c * 3 + ky) * 3 + kx + 2) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial0_2) + acc0_2, ref partial0_2);
                        ref float partial1_0 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial1_0) + acc1_0, ref partial1_0);
                        ref float partial1_1 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx + 1) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial1_1) + acc1_1, ref partial1_1);
                        ref float partial1_2 = ref At(ref partials, ((r + 1) * 18 + (c * 3 + ky) * 3 + kx + 2) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial1_2) + acc1_2, ref partial1_2);
                        ref float partial2_0 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial2_0) + acc2_0, ref partial2_0);
                        ref float partial2_1 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx + 1) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial2_1) + acc2_1, ref partial2_1);
                        ref float partial2_2 = ref At(ref partials, ((r + 2) * 18 + (c * 3 + ky) * 3 + kx + 2) * 8);
                        Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref partial2_2) + acc2_2, ref partial2_2);
                    }
                }
            }
        }
        {
            const int r = 0;
            var sum0 = Vector256<float>.Zero;
            var sum1 = Vector256<float>.Zero;
            var sum2 = Vector256<float>.Zero;
            for (int i = 0; i < count; i++)
            {
                ref float gradient = ref At(ref chunk, i * 368 + 176 + r * 64);
                for (int j = 0; j < 64; j += 8)
                {
                    ref float dz = ref At(ref gradient, j);
                    sum0 += Vector256.LoadUnsafe(ref dz);
                    sum1 += Vector256.LoadUnsafe(ref dz, 64);
                    sum2 += Vector256.LoadUnsafe(ref dz, 128);
                }
            }
            At(ref biasGradient, r) += Vector256.Sum(sum0);
            At(ref biasGradient, r + 1) += Vector256.Sum(sum1);
            At(ref biasGradient, r + 2) += Vector256.Sum(sum2);
        }
    }
    else
    {
        for (int i = 0; i < count; i++)
        {
            ref float sample = ref At(ref chunk, i * 368);
            for (int o = 0; o < 3; o++)
            {
                ref float gradient = ref At(ref sample, 176 + o * 64);
                for (int c = 0; c < 2; c++)
                {
                    for (int ky = 0; ky < 3; ky++)
                    {
                        for (int kx = 0; kx < 3; kx++)
                        {
                            ref float source = ref At(ref sample, c * 81 + ky * 9 + kx);
                            float sum = 0f;
                            for (int j = 0; j < 63; j++)
                            {
                                sum += At(ref gradient, j) * At(ref source, j);
                            }
                            At(ref weightGradient, o * 18 + (c * 3 + ky) * 3 + kx) += sum;
                        }
                    }
                }
                float total = 0f;
                for (int j = 0; j < 63; j++)
                {
                    total += At(ref gradient, j);
                }
                At(ref biasGradient, o) += total;
            }
        }
    }
}

/// <summary>Adds the partial sums of the 54 weights, where this path kept them.</summary>
private static void Conv2D1AddPartialSums(ref float partials, ref float weightGradient)
{
    if (Vector512.IsHardwareAccelerated)
    {
        for (int e = 0; e < 54; e++)
        {
            At(ref weightGradient, e) += Vector512.Sum(Vector512.LoadUnsafe(ref partials, (nuint)(e * 16)));
        }
    }
    else if (Vector256.IsHardwareAccelerated)
    {
        for (int e = 0; e < 54; e++)
        {
            At(ref weightGradient, e) += Vector256.Sum(Vector256.LoadUnsafe(ref partials, (nuint)(e * 8)));
        }
    }
    else
    {
    }
}

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
