// LocalResponseNormFamily: [Input(4, 3, 3)] [Conv2D(4, 1)] [LocalResponseNorm(3, Name = "lrn")]

// ===== lrn (LocalResponseNorm): size 3, α = 0.0001 (divided by the size), β = 0.75, k = 1
// --- fields
// --- initialization
// workspace Denominator[capacity * 36]: k + (α/n)·Σ a² per value, for backward
// --- forward step, Samples over n: lrn: LocalResponseNorm
global::NetGen.Kernels.NormalizationKernels.LocalResponseNormForward(ws.A1.Span.Slice(start * 36, count * 36), ws.Z2.Span.Slice(start * 36, count * 36),
    ws.Denominator2.Span.Slice(start * 36, count * 36), count, 4, 9, 3, 0.0001f, 0.75f, 1f);
// --- backward step, Samples over n: lrn: LocalResponseNorm ∂x
global::NetGen.Kernels.NormalizationKernels.LocalResponseNormBackward(ws.A1.Span.Slice(start * 36, count * 36),
    ws.Denominator2.Span.Slice(start * 36, count * 36), ws.G2.Span.Slice(start * 36, count * 36), ws.G1.Span.Slice(start * 36, count * 36), count, 4, 9, 3,
    0.0001f, 0.75f);
// --- kernels
