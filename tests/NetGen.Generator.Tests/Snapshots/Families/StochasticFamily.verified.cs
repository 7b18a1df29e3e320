// StochasticFamily: [Input(6)] [Dense(6)] [Dropout(0.5f, Name = "drop")] [AlphaDropout(0.1f, Name = "alpha")] [GaussianNoise(0.1f, Name = "noise")] [Dense(2)]

// ===== drop (Dropout): drop probability 0.5
// --- fields
// --- initialization
// workspace Mask[training ? capacity * 6 : 0]: the factor each value was multiplied by in the last training pass
// --- forward step, Whole over the whole batch: drop: Dropout
if (mode != global::NetGen.NetworkMode.Inference)
{
    global::NetGen.Kernels.StochasticKernels.Dropout(ws.A1.Span.Slice(0, n * 6), ws.Z2.Span.Slice(0, n * 6), ws.Mask2.Span.Slice(0, n * 6), 0.5f, _random);
}
else
{
    ws.A1.Span.Slice(0, n * 6).CopyTo(ws.Z2.Span.Slice(0, n * 6));
}
// --- backward step, Samples over n: drop: Dropout ∂x
if (mode != global::NetGen.NetworkMode.Inference) global::NetGen.Kernels.VectorOps.Multiply(ws.G2.Span.Slice(start * 6, count * 6),
    ws.Mask2.Span.Slice(start * 6, count * 6), ws.G1.Span.Slice(start * 6, count * 6));
else ws.G2.Span.Slice(start * 6, count * 6).CopyTo(ws.G1.Span.Slice(start * 6, count * 6));
// --- kernels

// ===== alpha (AlphaDropout): drop probability 0.1
// --- fields
// --- initialization
// workspace Mask[training ? capacity * 6 : 0]: the factor each value was multiplied by in the last training pass
// --- forward step, Whole over the whole batch: alpha: AlphaDropout
if (mode != global::NetGen.NetworkMode.Inference)
{
    global::NetGen.Kernels.StochasticKernels.AlphaDropout(ws.A2.Span.Slice(0, n * 6), ws.Z3.Span.Slice(0, n * 6), ws.Mask3.Span.Slice(0, n * 6), 0.1f, _random);
}
else
{
    ws.A2.Span.Slice(0, n * 6).CopyTo(ws.Z3.Span.Slice(0, n * 6));
}
// --- backward step, Samples over n: alpha: AlphaDropout ∂x
if (mode != global::NetGen.NetworkMode.Inference) global::NetGen.Kernels.VectorOps.Multiply(ws.G3.Span.Slice(start * 6, count * 6),
    ws.Mask3.Span.Slice(start * 6, count * 6), ws.G2.Span.Slice(start * 6, count * 6));
else ws.G3.Span.Slice(start * 6, count * 6).CopyTo(ws.G2.Span.Slice(start * 6, count * 6));
// --- kernels

// ===== noise (GaussianNoise): σ = 0.1
// --- fields
// --- initialization
// --- forward step, Whole over the whole batch: noise: GaussianNoise
if (mode != global::NetGen.NetworkMode.Inference)
{
    global::NetGen.Kernels.StochasticKernels.GaussianNoise(ws.A3.Span.Slice(0, n * 6), ws.Z4.Span.Slice(0, n * 6), 0.1f, _random);
}
else
{
    ws.A3.Span.Slice(0, n * 6).CopyTo(ws.Z4.Span.Slice(0, n * 6));
}
// --- backward step, Samples over n: noise: GaussianNoise ∂x
ws.G4.Span.Slice(start * 6, count * 6).CopyTo(ws.G3.Span.Slice(start * 6, count * 6));
// --- kernels
