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

/// <summary>up: ConvTranspose2D 2×3×3 → 2×6×6, kernel 3×3, stride 2, padding 1, dilation 1: col2im from 18×9 columns.</summary>
private static readonly Im2ColConvolution s_convTranspose2D1 = new(channels: 2, height: 3, width: 3, outChannels: 2, outHeight: 6, outWidth: 6, kernelHeight: 3,
    kernelWidth: 3, stride: 2, padding: 1, dilation: 1, transposed: true);

/// <summary>up: z = W ∗ᵀ x + bias.</summary>
public static void ConvTranspose2D1Forward(ref float x, ref float weights, ref float bias, ref float z, ref float columns, int n)
    => s_convTranspose2D1.Forward(ref x, ref weights, ref bias, ref z, ref columns, n);

/// <summary>up: ∂W += Σ dz·x, ∂bias += Σ dz over the samples in order.</summary>
public static void ConvTranspose2D1BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, ref float columns, int n)
    => s_convTranspose2D1.BackwardWeights(ref x, ref dz, ref weightGradient, ref biasGradient, ref columns, n);
