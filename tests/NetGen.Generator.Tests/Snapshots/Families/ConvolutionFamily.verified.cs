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

/// <summary>strided: Conv2D 3×7×7 → 2×3×3, kernel 3×3, stride 2, padding 0, dilation 1: im2col into 27×9 columns.</summary>
private static readonly Im2ColConvolution s_conv2D2 = new(channels: 3, height: 7, width: 7, outChannels: 2, outHeight: 3, outWidth: 3, kernelHeight: 3,
    kernelWidth: 3, stride: 2, padding: 0, dilation: 1, transposed: false);

/// <summary>strided: z = W ∗ x + bias.</summary>
public static void Conv2D2Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
    => s_conv2D2.Forward(ref x, ref weights, ref bias, ref z, ref columns, n);

/// <summary>strided: ∂W += Σ dz·x, ∂bias += Σ dz over the samples in order.</summary>
public static void Conv2D2BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
    => s_conv2D2.BackwardWeights(ref x, ref dz, ref weightGradient, ref biasGradient, ref columns, n);

/// <summary>strided: dx from dz.</summary>
public static void Conv2D2BackwardInput(ref float dz, ref float weights, ref float dx, ref float columns, int n)
    => s_conv2D2.BackwardInput(ref dz, ref weights, ref dx, ref columns, n);
