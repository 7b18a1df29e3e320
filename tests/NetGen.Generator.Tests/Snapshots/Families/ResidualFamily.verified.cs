// ResidualFamily: [Input(6)] [Dense(6, Activation.ReLU, Name = "a")] [Dense(6, Name = "b")] [Residual("a", Activation.ReLU, Name = "skip")] [Dense(4, Name =
// "c")] [Residual("skip", Projection = true, Name = "projected")]

// ===== skip (Residual): + a, ReLU
// --- fields
// --- initialization
// --- forward step, Samples over n: skip: Residual
global::NetGen.Kernels.VectorOps.Add(ws.A2.Span.Slice(start * 6, count * 6), ws.A1.Span.Slice(start * 6, count * 6), ws.Z3.Span.Slice(start * 6, count * 6));
// --- forward step, Samples over n: skip: ReLU
global::NetGen.Kernels.ActivationKernels.ReLU(ws.Z3.Span.Slice(start * 6, count * 6), ws.A3.Span.Slice(start * 6, count * 6));
// --- backward step, Samples over n: skip: ReLU'
global::NetGen.Kernels.ActivationKernels.ReLUBackward(ws.Z3.Span.Slice(start * 6, count * 6), ws.A3.Span.Slice(start * 6, count * 6),
    ws.G3.Span.Slice(start * 6, count * 6));
// --- backward step, Samples over n: skip: Residual ∂x
ws.G3.Span.Slice(start * 6, count * 6).CopyTo(ws.G2.Span.Slice(start * 6, count * 6));
// --- backward step, Samples over n: skip: Residual ∂skip
ws.G3.Span.Slice(start * 6, count * 6).CopyTo(ws.G1.Span.Slice(start * 6, count * 6));
// --- kernels

// ===== projected (Residual): + skip through a dense projection
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(112, 24), global::NetGen.Init.GlorotUniform, global::NetGen.Activation.Identity, 0f, fanIn: 6, fanOut: 4, random);
p.Slice(136, 4).Fill(0f);
// workspace Projected[capacity * 4]: the projected skip
// --- forward step, Samples over n: projected: Residual
global::NetGen.Kernels.VectorOps.Add(ws.A4.Span.Slice(start * 4, count * 4), ws.Projected5.Span.Slice(start * 4, count * 4),
    ws.Z5.Span.Slice(start * 4, count * 4));
// --- backward step, Samples over n: projected: Residual ∂x
ws.G5.Span.Slice(start * 4, count * 4).CopyTo(ws.G4.Span.Slice(start * 4, count * 4));
// --- kernels

/// <summary>projected.projection: z[n×4] = x[n×6] · Wᵀ + bias; W packed in panels of 32 outputs.</summary>
public static void Dense5Forward(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (Vector512.IsHardwareAccelerated) Dense5ForwardVector512(ref x, ref weights, ref bias, ref z, n);
    else if (Vector256.IsHardwareAccelerated) Dense5ForwardVector256(ref x, ref weights, ref bias, ref z, n);
    else Dense5ForwardScalar(ref x, ref weights, ref bias, ref z, n);
}

private static void Dense5ForwardVector512(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (n == 1)
    {
        // z[0 …+4, 1 × Vector128] = bias + x · Wᵀ
        RegisterTile.Row128(1, 1, 6, 0, skipZeros: false,
            new(ref x, 0, 1), new(ref weights, 0, 4), new(ref z, 0, 0),
            new(ref bias, 0, 0), default, 0f);
        return;
    }
    ref float wp = ref weights;
    // z[:, 0 …+4, 1 × Vector128] = bias + x · Wᵀ
    {
        int r = 0;
        for (; r + 8 <= n; r += 8)
        {
            ref float ar = ref Unsafe.Add(ref x, r * 6);
            ref float cr = ref Unsafe.Add(ref z, r * 4);
            ref float sr = ref Unsafe.Add(ref bias, 0);
            Vector128<float> acc00 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc10 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc20 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc30 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc40 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc50 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc60 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc70 = Vector128.LoadUnsafe(ref sr);
            for (nint t = 0; t < 6; t++)
            {
                Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wp, t * 4));
                Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 6)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 18)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 30)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 36)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 42)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
            }
            Vector128.StoreUnsafe(acc00, ref cr);
            Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 4));
            Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 8));
            Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 12));
            Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 16));
            Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 20));
            Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 24));
            Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 28));
        }
        for (; r < n; r++)
        {
            ref float ar = ref Unsafe.Add(ref x, r * 6);
            ref float cr = ref Unsafe.Add(ref z, r * 4);
            ref float sr = ref Unsafe.Add(ref bias, 0);
            Vector128<float> acc00 = Vector128.LoadUnsafe(ref sr);
            for (nint t = 0; t < 6; t++)
            {
                Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wp, t * 4));
                Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
            }
            Vector128.StoreUnsafe(acc00, ref cr);
        }
    }
}

private static void Dense5ForwardVector256(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (n == 1)
    {
        // z[0 …+4, 1 × Vector128] = bias + x · Wᵀ
        RegisterTile.Row128(1, 1, 6, 0, skipZeros: false,
            new(ref x, 0, 1), new(ref weights, 0, 4), new(ref z, 0, 0),
            new(ref bias, 0, 0), default, 0f);
        return;
    }
    ref float wp = ref weights;
    // z[:, 0 …+4, 1 × Vector128] = bias + x · Wᵀ
    {
        int r = 0;
        for (; r + 8 <= n; r += 8)
        {
            ref float ar = ref Unsafe.Add(ref x, r * 6);
            ref float cr = ref Unsafe.Add(ref z, r * 4);
            ref float sr = ref Unsafe.Add(ref bias, 0);
            Vector128<float> acc00 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc10 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc20 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc30 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc40 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc50 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc60 = Vector128.LoadUnsafe(ref sr);
            Vector128<float> acc70 = Vector128.LoadUnsafe(ref sr);
            for (nint t = 0; t < 6; t++)
            {
                Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wp, t * 4));
                Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 6)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 18)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 30)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 36)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 42)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
            }
            Vector128.StoreUnsafe(acc00, ref cr);
            Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 4));
            Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 8));
            Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 12));
            Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 16));
            Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 20));
            Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 24));
            Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 28));
        }
        for (; r < n; r++)
        {
            ref float ar = ref Unsafe.Add(ref x, r * 6);
            ref float cr = ref Unsafe.Add(ref z, r * 4);
            ref float sr = ref Unsafe.Add(ref bias, 0);
            Vector128<float> acc00 = Vector128.LoadUnsafe(ref sr);
            for (nint t = 0; t < 6; t++)
            {
                Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wp, t * 4));
                Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
            }
            Vector128.StoreUnsafe(acc00, ref cr);
        }
    }
}

private static void Dense5ForwardScalar(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    ref float wp = ref weights;
    for (int c = 0; c < 4; c += 2)
    {
        // z[:, c …+2, 2 × float] = bias + x · Wᵀ
        {
            int r = 0;
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref x, r * 6);
                ref float cr = ref Unsafe.Add(ref z, c + r * 4);
                ref float sr = ref Unsafe.Add(ref bias, c);
                float acc00 = sr, acc01 = Unsafe.Add(ref sr, 1);
                for (nint t = 0; t < 6; t++)
                {
                    float b0 = Unsafe.Add(ref wp, c + t * 4), b1 = Unsafe.Add(ref wp, c + t * 4 + 1);
                    float a0 = Unsafe.Add(ref ar, t); acc00 = acc00 + a0 * b0; acc01 = acc01 + a0 * b1;
                }
                cr = acc00; Unsafe.Add(ref cr, 1) = acc01;
            }
        }
    }
}

/// <summary>projected.projection: ∂W += dzᵀ · x into the packed layout for output panels [panelStart, panelEnd) of 1, and ∂bias += Σ dz with the first panel;
/// each element accumulates over the samples in order, so any split of the panels over threads gives the same bits.</summary>
public static void Dense5BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart, int panelEnd)
{
    if (Vector512.IsHardwareAccelerated) Dense5BackwardWeightsVector512(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else if (Vector256.IsHardwareAccelerated) Dense5BackwardWeightsVector256(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else Dense5BackwardWeightsScalar(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    if (panelStart == 0)
    {
        BiasKernels.AddColumnSums(ref dz, n, 4, ref biasGradient);
    }
}

private static void Dense5BackwardWeightsVector512(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        // ∂W[0 …+4, 1 × Vector128] += xᵀ · dz over the batch
        RegisterTile.Gemm128(6, 8, n, 1, 0,
            new(ref x, 1, 6), new(ref dz, 0, 4), new(ref gp, 4, 0),
            new(ref gp, 4, 0), default, 0f);
    }
}

private static void Dense5BackwardWeightsVector256(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        // ∂W[0 …+4, 1 × Vector128] += xᵀ · dz over the batch
        RegisterTile.Gemm128(6, 8, n, 1, 0,
            new(ref x, 1, 6), new(ref dz, 0, 4), new(ref gp, 4, 0),
            new(ref gp, 4, 0), default, 0f);
    }
}

private static void Dense5BackwardWeightsScalar(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        for (int c = 0; c < 4; c += 2)
        {
            // ∂W[c …+2, 2 × float] += xᵀ · dz over the batch
            RegisterTile.GemmScalar(6, 1, n, 2, 1,
                new(ref x, 1, 6), new(ref Unsafe.Add(ref dz, c), 0, 4), new(ref Unsafe.Add(ref gp, c), 4, 0),
                new(ref Unsafe.Add(ref gp, c), 4, 0), default, 0f);
        }
    }
}

/// <summary>projected.projection: dx[n×6] = dz[n×4] · W, through a transposed copy of each block of inputs' weights.</summary>
public static void Dense5BackwardInput(ref float dz, ref float weights, ref float dx, int n)
{
    if (Vector512.IsHardwareAccelerated) Dense5BackwardInputVector512(ref dz, ref weights, ref dx, n);
    else if (Vector256.IsHardwareAccelerated) Dense5BackwardInputVector256(ref dz, ref weights, ref dx, n);
    else Dense5BackwardInputScalar(ref dz, ref weights, ref dx, n);
}

private static void Dense5BackwardInputVector512(ref float dz, ref float weights, ref float dx, int n)
{
    global::System.Span<float> transposed = stackalloc float[16];
    ref float wt = ref MemoryMarshal.GetReference(transposed);
    {
        int k = 0;
        {
            ref float wk = ref Unsafe.Add(ref weights, k * 4);
            ref float wtp = ref wt;
            for (int c = 0; c < 4; c++)
            {
                Vector128<float> transposedColumn = Vector128.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 4 + c), Unsafe.Add(ref wk, 8 + c),
                    Unsafe.Add(ref wk, 12 + c));
                Vector128.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 4));
            }
        }
        // dx[:, k …+4) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 6);
                Vector128<float> acc00 = Vector128<float>.Zero;
                Vector128<float> acc10 = Vector128<float>.Zero;
                Vector128<float> acc20 = Vector128<float>.Zero;
                Vector128<float> acc30 = Vector128<float>.Zero;
                Vector128<float> acc40 = Vector128<float>.Zero;
                Vector128<float> acc50 = Vector128<float>.Zero;
                Vector128<float> acc60 = Vector128<float>.Zero;
                Vector128<float> acc70 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                    Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 4)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                    Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 8)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                    Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                    Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 16)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                    Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 20)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                    Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                    Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 28)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
                Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 6));
                Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 12));
                Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 18));
                Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 24));
                Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 30));
                Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 36));
                Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 42));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 6);
                Vector128<float> acc00 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
            }
        }
    }
    {
        {
            ref float wk = ref Unsafe.Add(ref weights, 2 * 4);
            ref float wtp = ref wt;
            for (int c = 0; c < 4; c++)
            {
                Vector128<float> transposedColumn = Vector128.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 4 + c), Unsafe.Add(ref wk, 8 + c),
                    Unsafe.Add(ref wk, 12 + c));
                Vector128.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 4));
            }
        }
        // dx[:, 2 …+4) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, r * 6 + 2);
                Vector128<float> acc00 = Vector128<float>.Zero;
                Vector128<float> acc10 = Vector128<float>.Zero;
                Vector128<float> acc20 = Vector128<float>.Zero;
                Vector128<float> acc30 = Vector128<float>.Zero;
                Vector128<float> acc40 = Vector128<float>.Zero;
                Vector128<float> acc50 = Vector128<float>.Zero;
                Vector128<float> acc60 = Vector128<float>.Zero;
                Vector128<float> acc70 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                    Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 4)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                    Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 8)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                    Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                    Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 16)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                    Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 20)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                    Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                    Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 28)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
                Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 6));
                Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 12));
                Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 18));
                Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 24));
                Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 30));
                Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 36));
                Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 42));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, r * 6 + 2);
                Vector128<float> acc00 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
            }
        }
    }
}

private static void Dense5BackwardInputVector256(ref float dz, ref float weights, ref float dx, int n)
{
    global::System.Span<float> transposed = stackalloc float[16];
    ref float wt = ref MemoryMarshal.GetReference(transposed);
    {
        int k = 0;
        {
            ref float wk = ref Unsafe.Add(ref weights, k * 4);
            ref float wtp = ref wt;
            for (int c = 0; c < 4; c++)
            {
                Vector128<float> transposedColumn = Vector128.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 4 + c), Unsafe.Add(ref wk, 8 + c),
                    Unsafe.Add(ref wk, 12 + c));
                Vector128.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 4));
            }
        }
        // dx[:, k …+4) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 6);
                Vector128<float> acc00 = Vector128<float>.Zero;
                Vector128<float> acc10 = Vector128<float>.Zero;
                Vector128<float> acc20 = Vector128<float>.Zero;
                Vector128<float> acc30 = Vector128<float>.Zero;
                Vector128<float> acc40 = Vector128<float>.Zero;
                Vector128<float> acc50 = Vector128<float>.Zero;
                Vector128<float> acc60 = Vector128<float>.Zero;
                Vector128<float> acc70 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                    Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 4)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                    Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 8)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                    Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                    Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 16)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                    Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 20)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                    Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                    Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 28)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
                Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 6));
                Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 12));
                Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 18));
                Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 24));
                Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 30));
                Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 36));
                Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 42));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 6);
                Vector128<float> acc00 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
            }
        }
    }
    {
        {
            ref float wk = ref Unsafe.Add(ref weights, 2 * 4);
            ref float wtp = ref wt;
            for (int c = 0; c < 4; c++)
            {
                Vector128<float> transposedColumn = Vector128.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 4 + c), Unsafe.Add(ref wk, 8 + c),
                    Unsafe.Add(ref wk, 12 + c));
                Vector128.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 4));
            }
        }
        // dx[:, 2 …+4) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, r * 6 + 2);
                Vector128<float> acc00 = Vector128<float>.Zero;
                Vector128<float> acc10 = Vector128<float>.Zero;
                Vector128<float> acc20 = Vector128<float>.Zero;
                Vector128<float> acc30 = Vector128<float>.Zero;
                Vector128<float> acc40 = Vector128<float>.Zero;
                Vector128<float> acc50 = Vector128<float>.Zero;
                Vector128<float> acc60 = Vector128<float>.Zero;
                Vector128<float> acc70 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                    Vector128<float> a1 = Vector128.Create(Unsafe.Add(ref ar, t + 4)); acc10 = Vector128.FusedMultiplyAdd(a1, b0, acc10);
                    Vector128<float> a2 = Vector128.Create(Unsafe.Add(ref ar, t + 8)); acc20 = Vector128.FusedMultiplyAdd(a2, b0, acc20);
                    Vector128<float> a3 = Vector128.Create(Unsafe.Add(ref ar, t + 12)); acc30 = Vector128.FusedMultiplyAdd(a3, b0, acc30);
                    Vector128<float> a4 = Vector128.Create(Unsafe.Add(ref ar, t + 16)); acc40 = Vector128.FusedMultiplyAdd(a4, b0, acc40);
                    Vector128<float> a5 = Vector128.Create(Unsafe.Add(ref ar, t + 20)); acc50 = Vector128.FusedMultiplyAdd(a5, b0, acc50);
                    Vector128<float> a6 = Vector128.Create(Unsafe.Add(ref ar, t + 24)); acc60 = Vector128.FusedMultiplyAdd(a6, b0, acc60);
                    Vector128<float> a7 = Vector128.Create(Unsafe.Add(ref ar, t + 28)); acc70 = Vector128.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
                Vector128.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 6));
                Vector128.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 12));
                Vector128.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 18));
                Vector128.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 24));
                Vector128.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 30));
                Vector128.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 36));
                Vector128.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 42));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 4);
                ref float cr = ref Unsafe.Add(ref dx, r * 6 + 2);
                Vector128<float> acc00 = Vector128<float>.Zero;
                for (nint t = 0; t < 4; t++)
                {
                    Vector128<float> b0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref wt, t * 4));
                    Vector128<float> a0 = Vector128.Create(Unsafe.Add(ref ar, t)); acc00 = Vector128.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector128.StoreUnsafe(acc00, ref cr);
            }
        }
    }
}

private static void Dense5BackwardInputScalar(ref float dz, ref float weights, ref float dx, int n)
{
    for (int r = 0; r < n; r++)
    {
        ref float dzr = ref Unsafe.Add(ref dz, r * 4);
        for (int k = 0; k < 6; k++)
        {
            float sum = 0f;
            {
                ref float wk = ref Unsafe.Add(ref weights, 0 + k * 4);
                for (int c = 0; c < 4; c++)
                {
                    sum += Unsafe.Add(ref dzr, c) * Unsafe.Add(ref wk, c);
                }
            }
            Unsafe.Add(ref dx, r * 6 + k) = sum;
        }
    }
}
