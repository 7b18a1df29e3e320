// NormalizationFamily: [Input(4, 3, 3)] [Conv2D(4, 1)] [BatchNorm(Activation.ReLU, Name = "bn")] [GroupNorm(2, Name = "gn")] [Flatten] [LayerNorm(Name = "ln")]
// [Dense(2)]

// ===== bn (BatchNorm): ε = 1E-05, momentum 0.1, ReLU
// --- fields
// --- initialization
p.Slice(20, 4).Fill(1f);
p.Slice(24, 4).Clear();
_state.Span.Slice(0, 4).Clear();
_state.Span.Slice(4, 4).Fill(1f);
// workspace Mean[4]: the mean per feature the last pass normalized with
// workspace InverseStd[4]: 1/√(σ² + ε) per feature of the last pass
// --- forward step, Items over 4: bn: BatchNorm (per channel)
global::NetGen.Kernels.NormalizationKernels.BatchNormForward(ws.A1.Span.Slice(0, n * 36), ws.Z2.Span.Slice(0, n * 36), n, 4, 9, _parameters.Span.Slice(20, 4),
    _parameters.Span.Slice(24, 4), _state.Span.Slice(0, 4), _state.Span.Slice(4, 4), ws.Mean2.Span, ws.InverseStd2.Span, 1E-05f, 0.1f,
    batchStatistics: mode == global::NetGen.NetworkMode.Training, "bn", start, end);
// --- forward step, Samples over n: bn: ReLU
global::NetGen.Kernels.ActivationKernels.ReLU(ws.Z2.Span.Slice(start * 36, count * 36), ws.A2.Span.Slice(start * 36, count * 36));
// --- backward step, Samples over n: bn: ReLU'
global::NetGen.Kernels.ActivationKernels.ReLUBackward(ws.Z2.Span.Slice(start * 36, count * 36), ws.A2.Span.Slice(start * 36, count * 36),
    ws.G2.Span.Slice(start * 36, count * 36));
// --- backward step, Items over 4: bn: BatchNorm (per channel)
global::NetGen.Kernels.NormalizationKernels.BatchNormBackward(ws.A1.Span.Slice(0, n * 36), ws.G2.Span.Slice(0, n * 36), ws.G1.Span.Slice(0, n * 36), n, 4, 9,
    _parameters.Span.Slice(20, 4), ws.Mean2.Span, ws.InverseStd2.Span, _gradients.Span.Slice(20, 4), _gradients.Span.Slice(24, 4),
    batchStatistics: mode == global::NetGen.NetworkMode.Training, start, end);
// --- kernels

// ===== gn (GroupNorm): 2 groups, ε = 1E-05
// --- fields
// --- initialization
p.Slice(28, 4).Fill(1f);
p.Slice(32, 4).Clear();
// workspace Mean[capacity * 2]: the mean per sample and group
// workspace InverseStd[capacity * 2]: 1/√(σ² + ε) per sample and group
// --- forward step, Samples over n: gn: GroupNorm
global::NetGen.Kernels.NormalizationKernels.GroupNormForward(ws.A2.Span.Slice(start * 36, count * 36), ws.Z3.Span.Slice(start * 36, count * 36), count, 4, 9, 2,
    _parameters.Span.Slice(28, 4), _parameters.Span.Slice(32, 4), ws.Mean3.Span.Slice(start * 2, count * 2), ws.InverseStd3.Span.Slice(start * 2, count * 2),
    1E-05f);
// --- backward step, Items over 4: gn: GroupNorm ∂γ, ∂β
global::NetGen.Kernels.NormalizationKernels.GroupNormParameterGradients(ws.A2.Span.Slice(0, n * 36), ws.G3.Span.Slice(0, n * 36), n, 4, 9, 2,
    ws.Mean3.Span.Slice(0, n * 2), ws.InverseStd3.Span.Slice(0, n * 2), _gradients.Span.Slice(28, 4), _gradients.Span.Slice(32, 4), start, end);
// --- backward step, Samples over n: gn: GroupNorm ∂x
global::NetGen.Kernels.NormalizationKernels.GroupNormBackward(ws.A2.Span.Slice(start * 36, count * 36), ws.G3.Span.Slice(start * 36, count * 36),
    ws.G2.Span.Slice(start * 36, count * 36), count, 4, 9, 2, _parameters.Span.Slice(28, 4), ws.Mean3.Span.Slice(start * 2, count * 2),
    ws.InverseStd3.Span.Slice(start * 2, count * 2));
// --- kernels

// ===== ln (LayerNorm): ε = 1E-05
// --- fields
// --- initialization
p.Slice(36, 36).Fill(1f);
p.Slice(72, 36).Clear();
// workspace Mean[capacity * 1]: the mean per sample and group
// workspace InverseStd[capacity * 1]: 1/√(σ² + ε) per sample and group
// --- forward step, Samples over n: ln: LayerNorm
global::NetGen.Kernels.NormalizationKernels.GroupNormForward(ws.A3.Span.Slice(start * 36, count * 36), ws.Z5.Span.Slice(start * 36, count * 36), count, 36, 1,
    1, _parameters.Span.Slice(36, 36), _parameters.Span.Slice(72, 36), ws.Mean5.Span.Slice(start * 1, count * 1),
    ws.InverseStd5.Span.Slice(start * 1, count * 1), 1E-05f);
// --- backward step, Items over 36: ln: LayerNorm ∂γ, ∂β
global::NetGen.Kernels.NormalizationKernels.GroupNormParameterGradients(ws.A3.Span.Slice(0, n * 36), ws.G5.Span.Slice(0, n * 36), n, 36, 1, 1,
    ws.Mean5.Span.Slice(0, n * 1), ws.InverseStd5.Span.Slice(0, n * 1), _gradients.Span.Slice(36, 36), _gradients.Span.Slice(72, 36), start, end);
// --- backward step, Samples over n: ln: LayerNorm ∂x
global::NetGen.Kernels.NormalizationKernels.GroupNormBackward(ws.A3.Span.Slice(start * 36, count * 36), ws.G5.Span.Slice(start * 36, count * 36),
    ws.G3.Span.Slice(start * 36, count * 36), count, 36, 1, 1, _parameters.Span.Slice(36, 36), ws.Mean5.Span.Slice(start * 1, count * 1),
    ws.InverseStd5.Span.Slice(start * 1, count * 1));
// --- kernels
