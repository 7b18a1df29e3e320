// DenseFamily: [Input(48)] [Dense(40, Activation.ReLU, Name = "fc")] [Dense(3, Name = "out")]

// ===== fc (Dense): ReLU, HeNormal init
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(0, 1920), global::NetGen.Init.HeNormal, global::NetGen.Activation.ReLU, 0.01f, fanIn: 48, fanOut: 40, random);
p.Slice(1920, 40).Fill(0f);
// --- forward step, Samples over n: fc: Dense and ReLU
NetKernels.Dense1Forward(ref Unsafe.Add(ref ws.Input.Reference, start * 48), ref Unsafe.Add(ref p, 0), ref Unsafe.Add(ref p, 1920),
    ref Unsafe.Add(ref ws.Z1.Reference, start * 40), ref Unsafe.Add(ref ws.A1.Reference, start * 40), count);
// --- backward step, Samples over n: fc: ReLU'
global::NetGen.Kernels.ActivationKernels.ReLUBackward(ws.Z1.Span.Slice(start * 40, count * 40), ws.A1.Span.Slice(start * 40, count * 40),
    ws.G1.Span.Slice(start * 40, count * 40));
// --- backward step, WeightPanels over 2: fc: ∂w, ∂b (per output panel)
if ((start > 0 || end < 2) && _threads.Count > 1)
{
    global::NetGen.Kernels.VectorOps.BringIntoCache(ws.Input.Span.Slice(0, n * 48));
    global::NetGen.Kernels.VectorOps.BringIntoCache(ws.G1.Span.Slice(0, n * 40));
}
NetKernels.Dense1BackwardWeights(ref input, ref ws.G1.Reference, ref Unsafe.Add(ref g, 0), ref Unsafe.Add(ref g, 1920), n, start, end);
// --- kernels

/// <summary>fc: z[n×40] = x[n×48] · Wᵀ + bias, a = ReLU(z); W packed in panels of 32 outputs.</summary>
public static void Dense1Forward(ref float x, ref float weights, ref float bias, ref float z, ref float a, int n)
{
    if (Vector512.IsHardwareAccelerated) Dense1ForwardVector512(ref x, ref weights, ref bias, ref z, ref a, n);
    else if (Vector256.IsHardwareAccelerated) Dense1ForwardVector256(ref x, ref weights, ref bias, ref z, ref a, n);
    else Dense1ForwardScalar(ref x, ref weights, ref bias, ref z, ref a, n);
}

private static void Dense1ForwardVector512(ref float x, ref float weights, ref float bias, ref float z, ref float a, int n)
{
    if (n == 1)
    {
        // z[0 …+32, 1 panels × 2 × Vector512] = bias + x · Wᵀ, a = ReLU(z)
        RegisterTile.Row512(1, 2, 48, 16, skipZeros: false,
            new(ref x, 0, 1), new(ref weights, 1536, 32), new(ref z, 32, 0),
            new(ref bias, 32, 0), new(ref a, 32, 0), 0f);
        // z[32 …+8, 1 × Vector256] = bias + x · Wᵀ, a = ReLU(z)
        RegisterTile.Row256(1, 1, 48, 0, skipZeros: false,
            new(ref x, 0, 1), new(ref Unsafe.Add(ref weights, 1536), 0, 8), new(ref Unsafe.Add(ref z, 32), 0, 0),
            new(ref Unsafe.Add(ref bias, 32), 0, 0), new(ref Unsafe.Add(ref a, 32), 0, 0), 0f);
        return;
    }
    for (int p = 0; p < 1; p++)
    {
        ref float wp = ref Unsafe.Add(ref weights, p * 1536);
        int j = p * 32;
        // z[:, j …+32, 2 × Vector512] = bias + x · Wᵀ, a = ReLU(z)
        RegisterTile.Gemm512(n, 8, 48, 2, 16,
            new(ref x, 48, 1), new(ref wp, 0, 32), new(ref Unsafe.Add(ref z, j), 40, 0),
            new(ref Unsafe.Add(ref bias, j), 0, 0), new(ref Unsafe.Add(ref a, j), 40, 0), 0f);
    }
    {
        ref float wp = ref Unsafe.Add(ref weights, 1536);
        // z[:, 32 …+8, 1 × Vector256] = bias + x · Wᵀ, a = ReLU(z)
        RegisterTile.Gemm256(n, 8, 48, 1, 0,
            new(ref x, 48, 1), new(ref wp, 0, 8), new(ref Unsafe.Add(ref z, 32), 40, 0),
            new(ref Unsafe.Add(ref bias, 32), 0, 0), new(ref Unsafe.Add(ref a, 32), 40, 0), 0f);
    }
}

private static void Dense1ForwardVector256(ref float x, ref float weights, ref float bias, ref float z, ref float a, int n)
{
    if (n == 1)
    {
        // z[0 …+32, 1 panels × 4 × Vector256] = bias + x · Wᵀ, a = ReLU(z), skipping zero inputs
        RegisterTile.Row256(1, 4, 48, 8, skipZeros: true,
            new(ref x, 0, 1), new(ref weights, 1536, 32), new(ref z, 32, 0),
            new(ref bias, 32, 0), new(ref a, 32, 0), 0f);
        // z[32 …+8, 1 × Vector256] = bias + x · Wᵀ, a = ReLU(z), skipping zero inputs
        RegisterTile.Row256(1, 1, 48, 0, skipZeros: true,
            new(ref x, 0, 1), new(ref Unsafe.Add(ref weights, 1536), 0, 8), new(ref Unsafe.Add(ref z, 32), 0, 0),
            new(ref Unsafe.Add(ref bias, 32), 0, 0), new(ref Unsafe.Add(ref a, 32), 0, 0), 0f);
        return;
    }
    for (int p = 0; p < 1; p++)
    {
        ref float wp = ref Unsafe.Add(ref weights, p * 1536);
        int j = p * 32;
        for (int c = 0; c < 32; c += 16)
        {
            // z[:, j + c …+16, 2 × Vector256] = bias + x · Wᵀ, a = ReLU(z)
            RegisterTile.Gemm256(n, 6, 48, 2, 8,
                new(ref x, 48, 1), new(ref Unsafe.Add(ref wp, c), 0, 32), new(ref Unsafe.Add(ref z, j + c), 40, 0),
                new(ref Unsafe.Add(ref bias, j + c), 0, 0), new(ref Unsafe.Add(ref a, j + c), 40, 0), 0f);
        }
    }
    {
        ref float wp = ref Unsafe.Add(ref weights, 1536);
        // z[:, 32 …+8, 1 × Vector256] = bias + x · Wᵀ, a = ReLU(z)
        RegisterTile.Gemm256(n, 8, 48, 1, 0,
            new(ref x, 48, 1), new(ref wp, 0, 8), new(ref Unsafe.Add(ref z, 32), 40, 0),
            new(ref Unsafe.Add(ref bias, 32), 0, 0), new(ref Unsafe.Add(ref a, 32), 40, 0), 0f);
    }
}

private static void Dense1ForwardScalar(ref float x, ref float weights, ref float bias, ref float z, ref float a, int n)
{
    for (int p = 0; p < 1; p++)
    {
        ref float wp = ref Unsafe.Add(ref weights, p * 1536);
        int j = p * 32;
        for (int c = 0; c < 32; c += 2)
        {
            // z[:, j + c …+2, 2 × float] = bias + x · Wᵀ, a = ReLU(z)
            RegisterTile.GemmScalar(n, 1, 48, 2, 1,
                new(ref x, 48, 1), new(ref Unsafe.Add(ref wp, c), 0, 32), new(ref Unsafe.Add(ref z, j + c), 40, 0),
                new(ref Unsafe.Add(ref bias, j + c), 0, 0), new(ref Unsafe.Add(ref a, j + c), 40, 0), 0f);
        }
    }
    {
        ref float wp = ref Unsafe.Add(ref weights, 1536);
        for (int c = 0; c < 8; c += 2)
        {
            // z[:, c + 32 …+2, 2 × float] = bias + x · Wᵀ, a = ReLU(z)
            RegisterTile.GemmScalar(n, 1, 48, 2, 1,
                new(ref x, 48, 1), new(ref Unsafe.Add(ref wp, c), 0, 8), new(ref Unsafe.Add(ref z, c + 32), 40, 0),
                new(ref Unsafe.Add(ref bias, c + 32), 0, 0), new(ref Unsafe.Add(ref a, c + 32), 40, 0), 0f);
        }
    }
}

/// <summary>fc: ∂W += dzᵀ · x into the packed layout for output panels [panelStart, panelEnd) of 2, and ∂bias += Σ dz with the first panel; each element
/// accumulates over the samples in order, so any split of the panels over threads gives the same bits.</summary>
public static void Dense1BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart, int panelEnd)
{
    if (Vector512.IsHardwareAccelerated) Dense1BackwardWeightsVector512(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else if (Vector256.IsHardwareAccelerated) Dense1BackwardWeightsVector256(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else Dense1BackwardWeightsScalar(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    if (panelStart == 0)
    {
        BiasKernels.AddColumnSums(ref dz, n, 40, ref biasGradient);
    }
}

private static void Dense1BackwardWeightsVector512(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    for (int p = panelStart; p < global::System.Math.Min(panelEnd, 1); p++)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, p * 1536);
        int j = p * 32;
        // ∂W[j …+32, 2 × Vector512] += xᵀ · dz over the batch
        RegisterTile.Gemm512(48, 8, n, 2, 16,
            new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, j), 0, 40), new(ref gp, 32, 0),
            new(ref gp, 32, 0), default, 0f);
    }
    if (panelEnd > 1)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, 1536);
        // ∂W[32 …+8, 1 × Vector256] += xᵀ · dz over the batch
        RegisterTile.Gemm256(48, 8, n, 1, 0,
            new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, 32), 0, 40), new(ref gp, 8, 0),
            new(ref gp, 8, 0), default, 0f);
    }
}

private static void Dense1BackwardWeightsVector256(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    for (int p = panelStart; p < global::System.Math.Min(panelEnd, 1); p++)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, p * 1536);
        int j = p * 32;
        for (int c = 0; c < 32; c += 16)
        {
            // ∂W[j + c …+16, 2 × Vector256] += xᵀ · dz over the batch
            RegisterTile.Gemm256(48, 6, n, 2, 8,
                new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, j + c), 0, 40), new(ref Unsafe.Add(ref gp, c), 32, 0),
                new(ref Unsafe.Add(ref gp, c), 32, 0), default, 0f);
        }
    }
    if (panelEnd > 1)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, 1536);
        // ∂W[32 …+8, 1 × Vector256] += xᵀ · dz over the batch
        RegisterTile.Gemm256(48, 8, n, 1, 0,
            new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, 32), 0, 40), new(ref gp, 8, 0),
            new(ref gp, 8, 0), default, 0f);
    }
}

private static void Dense1BackwardWeightsScalar(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    for (int p = panelStart; p < global::System.Math.Min(panelEnd, 1); p++)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, p * 1536);
        int j = p * 32;
        for (int c = 0; c < 32; c += 2)
        {
            // ∂W[j + c …+2, 2 × float] += xᵀ · dz over the batch
            RegisterTile.GemmScalar(48, 1, n, 2, 1,
                new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, j + c), 0, 40), new(ref Unsafe.Add(ref gp, c), 32, 0),
                new(ref Unsafe.Add(ref gp, c), 32, 0), default, 0f);
        }
    }
    if (panelEnd > 1)
    {
        ref float gp = ref Unsafe.Add(ref weightGradient, 1536);
        for (int c = 0; c < 8; c += 2)
        {
            // ∂W[c + 32 …+2, 2 × float] += xᵀ · dz over the batch
            RegisterTile.GemmScalar(48, 1, n, 2, 1,
                new(ref x, 1, 48), new(ref Unsafe.Add(ref dz, c + 32), 0, 40), new(ref Unsafe.Add(ref gp, c), 8, 0),
                new(ref Unsafe.Add(ref gp, c), 8, 0), default, 0f);
        }
    }
}

// ===== out (Dense): Identity, GlorotUniform init
// --- fields
// --- initialization
global::NetGen.Initializers.Fill(p.Slice(1960, 120), global::NetGen.Init.GlorotUniform, global::NetGen.Activation.Identity, 0.01f, fanIn: 40, fanOut: 3,
    random);
p.Slice(2080, 3).Fill(0f);
// --- forward step, Samples over n: out: Dense
NetKernels.Dense2Forward(ref Unsafe.Add(ref ws.A1.Reference, start * 40), ref Unsafe.Add(ref p, 1960), ref Unsafe.Add(ref p, 2080),
    ref Unsafe.Add(ref ws.Z2.Reference, start * 3), count);
// --- backward step, WeightPanels over 1: out: ∂w, ∂b (per output panel)
NetKernels.Dense2BackwardWeights(ref ws.A1.Reference, ref ws.G2.Reference, ref Unsafe.Add(ref g, 1960), ref Unsafe.Add(ref g, 2080), n, start, end);
// --- backward step, Samples over n: out: ∂x
NetKernels.Dense2BackwardInput(ref Unsafe.Add(ref ws.G2.Reference, start * 3), ref Unsafe.Add(ref p, 1960), ref Unsafe.Add(ref ws.G1.Reference, start * 40),
    count);
// --- kernels

/// <summary>out: z[n×3] = x[n×40] · Wᵀ + bias; W packed in panels of 32 outputs.</summary>
public static void Dense2Forward(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (Vector512.IsHardwareAccelerated) Dense2ForwardVector512(ref x, ref weights, ref bias, ref z, n);
    else if (Vector256.IsHardwareAccelerated) Dense2ForwardVector256(ref x, ref weights, ref bias, ref z, n);
    else Dense2ForwardScalar(ref x, ref weights, ref bias, ref z, n);
}

private static void Dense2ForwardVector512(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (n == 1)
    {
        {
            global::System.Span<float> columns = stackalloc float[120];
            ref float wc = ref MemoryMarshal.GetReference(columns);
            ref float wn = ref weights;
            for (nint t = 0; t < 40; t++)
            {
                Unsafe.Add(ref wc, t) = Unsafe.Add(ref wn, t * 3);
                Unsafe.Add(ref wc, 40 + t) = Unsafe.Add(ref wn, t * 3 + 1);
                Unsafe.Add(ref wc, 80 + t) = Unsafe.Add(ref wn, t * 3 + 2);
            }
            // z[:, 0..+3] = bias + x · the columns
            DotTile.Products512(1, 3, 40,
                new(ref x, 40, 1), new(ref wc, 40, 1), new(ref z, 3, 1),
                new(ref bias, 0, 1), default, 0f);
        }
        return;
    }
    ref float wp = ref weights;
    {
        global::System.Span<float> columns = stackalloc float[120];
        ref float wc = ref MemoryMarshal.GetReference(columns);
        ref float wn = ref weights;
        for (nint t = 0; t < 40; t++)
        {
            Unsafe.Add(ref wc, t) = Unsafe.Add(ref wn, t * 3);
            Unsafe.Add(ref wc, 40 + t) = Unsafe.Add(ref wn, t * 3 + 1);
            Unsafe.Add(ref wc, 80 + t) = Unsafe.Add(ref wn, t * 3 + 2);
        }
        // z[:, 0..+3] = bias + x · the columns
        DotTile.Products512(n, 3, 40,
            new(ref x, 40, 1), new(ref wc, 40, 1), new(ref z, 3, 1),
            new(ref bias, 0, 1), default, 0f);
    }
}

private static void Dense2ForwardVector256(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    if (n == 1)
    {
        {
            global::System.Span<float> columns = stackalloc float[120];
            ref float wc = ref MemoryMarshal.GetReference(columns);
            ref float wn = ref weights;
            for (nint t = 0; t < 40; t++)
            {
                Unsafe.Add(ref wc, t) = Unsafe.Add(ref wn, t * 3);
                Unsafe.Add(ref wc, 40 + t) = Unsafe.Add(ref wn, t * 3 + 1);
                Unsafe.Add(ref wc, 80 + t) = Unsafe.Add(ref wn, t * 3 + 2);
            }
            // z[:, 0..+3] = bias + x · the columns
            DotTile.Products256(1, 3, 40,
                new(ref x, 40, 1), new(ref wc, 40, 1), new(ref z, 3, 1),
                new(ref bias, 0, 1), default, 0f);
        }
        return;
    }
    ref float wp = ref weights;
    {
        global::System.Span<float> columns = stackalloc float[120];
        ref float wc = ref MemoryMarshal.GetReference(columns);
        ref float wn = ref weights;
        for (nint t = 0; t < 40; t++)
        {
            Unsafe.Add(ref wc, t) = Unsafe.Add(ref wn, t * 3);
            Unsafe.Add(ref wc, 40 + t) = Unsafe.Add(ref wn, t * 3 + 1);
            Unsafe.Add(ref wc, 80 + t) = Unsafe.Add(ref wn, t * 3 + 2);
        }
        // z[:, 0..+3] = bias + x · the columns
        DotTile.Products256(n, 3, 40,
            new(ref x, 40, 1), new(ref wc, 40, 1), new(ref z, 3, 1),
            new(ref bias, 0, 1), default, 0f);
    }
}

private static void Dense2ForwardScalar(ref float x, ref float weights, ref float bias, ref float z, int n)
{
    ref float wp = ref weights;
    // z[:, 0 …+2, 2 × float] = bias + x · Wᵀ
    RegisterTile.GemmScalar(n, 1, 40, 2, 1,
        new(ref x, 40, 1), new(ref wp, 0, 3), new(ref z, 3, 0),
        new(ref bias, 0, 0), default, 0f);
    // z[:, 2 …+1, 1 × float] = bias + x · Wᵀ
    RegisterTile.GemmScalar(n, 1, 40, 1, 0,
        new(ref x, 40, 1), new(ref Unsafe.Add(ref wp, 2), 0, 3), new(ref Unsafe.Add(ref z, 2), 3, 0),
        new(ref Unsafe.Add(ref bias, 2), 0, 0), default, 0f);
}

/// <summary>out: ∂W += dzᵀ · x into the packed layout for output panels [panelStart, panelEnd) of 1, and ∂bias += Σ dz with the first panel; each element
/// accumulates over the samples in order, so any split of the panels over threads gives the same bits.</summary>
public static void Dense2BackwardWeights(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart, int panelEnd)
{
    if (Vector512.IsHardwareAccelerated) Dense2BackwardWeightsVector512(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else if (Vector256.IsHardwareAccelerated) Dense2BackwardWeightsVector256(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    else Dense2BackwardWeightsScalar(ref x, ref dz, ref weightGradient, ref biasGradient, n, panelStart, panelEnd);
    if (panelStart == 0)
    {
        BiasKernels.AddColumnSums(ref dz, n, 3, ref biasGradient);
    }
}

private static void Dense2BackwardWeightsVector512(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        global::System.Span<float> transposed = stackalloc float[48];
        ref float lanes = ref MemoryMarshal.GetReference(transposed);
        for (int k = 0; k < 32; k += 16)
        {
            ref float xk = ref Unsafe.Add(ref x, k);
            ref float gk = ref Unsafe.Add(ref gp, k * 3);
            for (int l = 0; l < 16; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref lanes, c * 16 + l) = Unsafe.Add(ref gk, l * 3 + c);
                }
            }
            // ∂W[k..+16, 0..+3]ᵀ += dzᵀ · x over the batch
            RegisterTile.Gemm512(3, 3, n, 1, 16,
                new(ref dz, 1, 3), new(ref xk, 0, 40), new(ref lanes, 16, 0),
                new(ref lanes, 16, 0), default, 0f);
            for (int l = 0; l < 16; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref gk, l * 3 + c) = Unsafe.Add(ref lanes, c * 16 + l);
                }
            }
        }
        {
            ref float xk = ref Unsafe.Add(ref x, 32);
            ref float gk = ref Unsafe.Add(ref gp, 96);
            for (int l = 0; l < 8; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref lanes, c * 8 + l) = Unsafe.Add(ref gk, l * 3 + c);
                }
            }
            // ∂W[k..+8, 0..+3]ᵀ += dzᵀ · x over the batch
            RegisterTile.Gemm256(3, 3, n, 1, 8,
                new(ref dz, 1, 3), new(ref xk, 0, 40), new(ref lanes, 8, 0),
                new(ref lanes, 8, 0), default, 0f);
            for (int l = 0; l < 8; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref gk, l * 3 + c) = Unsafe.Add(ref lanes, c * 8 + l);
                }
            }
        }
    }
}

private static void Dense2BackwardWeightsVector256(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        global::System.Span<float> transposed = stackalloc float[24];
        ref float lanes = ref MemoryMarshal.GetReference(transposed);
        for (int k = 0; k < 40; k += 8)
        {
            ref float xk = ref Unsafe.Add(ref x, k);
            ref float gk = ref Unsafe.Add(ref gp, k * 3);
            for (int l = 0; l < 8; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref lanes, c * 8 + l) = Unsafe.Add(ref gk, l * 3 + c);
                }
            }
            // ∂W[k..+8, 0..+3]ᵀ += dzᵀ · x over the batch
            RegisterTile.Gemm256(3, 3, n, 1, 8,
                new(ref dz, 1, 3), new(ref xk, 0, 40), new(ref lanes, 8, 0),
                new(ref lanes, 8, 0), default, 0f);
            for (int l = 0; l < 8; l++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Unsafe.Add(ref gk, l * 3 + c) = Unsafe.Add(ref lanes, c * 8 + l);
                }
            }
        }
    }
}

private static void Dense2BackwardWeightsScalar(ref float x, ref float dz, ref float weightGradient, ref float biasGradient, int n, int panelStart,
    int panelEnd)
{
    if (panelEnd > 0)
    {
        ref float gp = ref weightGradient;
        // ∂W[0 …+2, 2 × float] += xᵀ · dz over the batch
        RegisterTile.GemmScalar(40, 1, n, 2, 1,
            new(ref x, 1, 40), new(ref dz, 0, 3), new(ref gp, 3, 0),
            new(ref gp, 3, 0), default, 0f);
        // ∂W[2 …+1, 1 × float] += xᵀ · dz over the batch
        RegisterTile.GemmScalar(40, 1, n, 1, 0,
            new(ref x, 1, 40), new(ref Unsafe.Add(ref dz, 2), 0, 3), new(ref Unsafe.Add(ref gp, 2), 3, 0),
            new(ref Unsafe.Add(ref gp, 2), 3, 0), default, 0f);
    }
}

/// <summary>out: dx[n×40] = dz[n×3] · W, through a transposed copy of each block of inputs' weights.</summary>
public static void Dense2BackwardInput(ref float dz, ref float weights, ref float dx, int n)
{
    if (Vector512.IsHardwareAccelerated) Dense2BackwardInputVector512(ref dz, ref weights, ref dx, n);
    else if (Vector256.IsHardwareAccelerated) Dense2BackwardInputVector256(ref dz, ref weights, ref dx, n);
    else Dense2BackwardInputScalar(ref dz, ref weights, ref dx, n);
}

private static void Dense2BackwardInputVector512(ref float dz, ref float weights, ref float dx, int n)
{
    global::System.Span<float> transposed = stackalloc float[48];
    ref float wt = ref MemoryMarshal.GetReference(transposed);
    for (int k = 0; k < 32; k += 16)
    {
        {
            ref float wk = ref Unsafe.Add(ref weights, k * 3);
            ref float wtp = ref wt;
            for (int c = 0; c < 3; c++)
            {
                Vector512<float> transposedColumn = Vector512.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 3 + c), Unsafe.Add(ref wk, 6 + c),
                    Unsafe.Add(ref wk, 9 + c), Unsafe.Add(ref wk, 12 + c), Unsafe.Add(ref wk, 15 + c), Unsafe.Add(ref wk, 18 + c), Unsafe.Add(ref wk, 21 + c),
                    Unsafe.Add(ref wk, 24 + c), Unsafe.Add(ref wk, 27 + c), Unsafe.Add(ref wk, 30 + c), Unsafe.Add(ref wk, 33 + c), Unsafe.Add(ref wk, 36 + c),
                    Unsafe.Add(ref wk, 39 + c), Unsafe.Add(ref wk, 42 + c), Unsafe.Add(ref wk, 45 + c));
                Vector512.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 16));
            }
        }
        // dx[:, k …+16) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 40);
                Vector512<float> acc00 = Vector512<float>.Zero;
                Vector512<float> acc10 = Vector512<float>.Zero;
                Vector512<float> acc20 = Vector512<float>.Zero;
                Vector512<float> acc30 = Vector512<float>.Zero;
                Vector512<float> acc40 = Vector512<float>.Zero;
                Vector512<float> acc50 = Vector512<float>.Zero;
                Vector512<float> acc60 = Vector512<float>.Zero;
                Vector512<float> acc70 = Vector512<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector512<float> b0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, t * 16));
                    Vector512<float> a0 = Vector512.Create(Unsafe.Add(ref ar, t)); acc00 = Vector512.FusedMultiplyAdd(a0, b0, acc00);
                    Vector512<float> a1 = Vector512.Create(Unsafe.Add(ref ar, t + 3)); acc10 = Vector512.FusedMultiplyAdd(a1, b0, acc10);
                    Vector512<float> a2 = Vector512.Create(Unsafe.Add(ref ar, t + 6)); acc20 = Vector512.FusedMultiplyAdd(a2, b0, acc20);
                    Vector512<float> a3 = Vector512.Create(Unsafe.Add(ref ar, t + 9)); acc30 = Vector512.FusedMultiplyAdd(a3, b0, acc30);
                    Vector512<float> a4 = Vector512.Create(Unsafe.Add(ref ar, t + 12)); acc40 = Vector512.FusedMultiplyAdd(a4, b0, acc40);
                    Vector512<float> a5 = Vector512.Create(Unsafe.Add(ref ar, t + 15)); acc50 = Vector512.FusedMultiplyAdd(a5, b0, acc50);
                    Vector512<float> a6 = Vector512.Create(Unsafe.Add(ref ar, t + 18)); acc60 = Vector512.FusedMultiplyAdd(a6, b0, acc60);
                    Vector512<float> a7 = Vector512.Create(Unsafe.Add(ref ar, t + 21)); acc70 = Vector512.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector512.StoreUnsafe(acc00, ref cr);
                Vector512.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 40));
                Vector512.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 80));
                Vector512.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 120));
                Vector512.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 160));
                Vector512.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 200));
                Vector512.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 240));
                Vector512.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 280));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 40);
                Vector512<float> acc00 = Vector512<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector512<float> b0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, t * 16));
                    Vector512<float> a0 = Vector512.Create(Unsafe.Add(ref ar, t)); acc00 = Vector512.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector512.StoreUnsafe(acc00, ref cr);
            }
        }
    }
    {
        {
            ref float wk = ref Unsafe.Add(ref weights, 24 * 3);
            ref float wtp = ref wt;
            for (int c = 0; c < 3; c++)
            {
                Vector512<float> transposedColumn = Vector512.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 3 + c), Unsafe.Add(ref wk, 6 + c),
                    Unsafe.Add(ref wk, 9 + c), Unsafe.Add(ref wk, 12 + c), Unsafe.Add(ref wk, 15 + c), Unsafe.Add(ref wk, 18 + c), Unsafe.Add(ref wk, 21 + c),
                    Unsafe.Add(ref wk, 24 + c), Unsafe.Add(ref wk, 27 + c), Unsafe.Add(ref wk, 30 + c), Unsafe.Add(ref wk, 33 + c), Unsafe.Add(ref wk, 36 + c),
                    Unsafe.Add(ref wk, 39 + c), Unsafe.Add(ref wk, 42 + c), Unsafe.Add(ref wk, 45 + c));
                Vector512.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 16));
            }
        }
        // dx[:, 24 …+16) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, r * 40 + 24);
                Vector512<float> acc00 = Vector512<float>.Zero;
                Vector512<float> acc10 = Vector512<float>.Zero;
                Vector512<float> acc20 = Vector512<float>.Zero;
                Vector512<float> acc30 = Vector512<float>.Zero;
                Vector512<float> acc40 = Vector512<float>.Zero;
                Vector512<float> acc50 = Vector512<float>.Zero;
                Vector512<float> acc60 = Vector512<float>.Zero;
                Vector512<float> acc70 = Vector512<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector512<float> b0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, t * 16));
                    Vector512<float> a0 = Vector512.Create(Unsafe.Add(ref ar, t)); acc00 = Vector512.FusedMultiplyAdd(a0, b0, acc00);
                    Vector512<float> a1 = Vector512.Create(Unsafe.Add(ref ar, t + 3)); acc10 = Vector512.FusedMultiplyAdd(a1, b0, acc10);
                    Vector512<float> a2 = Vector512.Create(Unsafe.Add(ref ar, t + 6)); acc20 = Vector512.FusedMultiplyAdd(a2, b0, acc20);
                    Vector512<float> a3 = Vector512.Create(Unsafe.Add(ref ar, t + 9)); acc30 = Vector512.FusedMultiplyAdd(a3, b0, acc30);
                    Vector512<float> a4 = Vector512.Create(Unsafe.Add(ref ar, t + 12)); acc40 = Vector512.FusedMultiplyAdd(a4, b0, acc40);
                    Vector512<float> a5 = Vector512.Create(Unsafe.Add(ref ar, t + 15)); acc50 = Vector512.FusedMultiplyAdd(a5, b0, acc50);
                    Vector512<float> a6 = Vector512.Create(Unsafe.Add(ref ar, t + 18)); acc60 = Vector512.FusedMultiplyAdd(a6, b0, acc60);
                    Vector512<float> a7 = Vector512.Create(Unsafe.Add(ref ar, t + 21)); acc70 = Vector512.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector512.StoreUnsafe(acc00, ref cr);
                Vector512.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 40));
                Vector512.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 80));
                Vector512.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 120));
                Vector512.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 160));
                Vector512.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 200));
                Vector512.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 240));
                Vector512.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 280));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, r * 40 + 24);
                Vector512<float> acc00 = Vector512<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector512<float> b0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, t * 16));
                    Vector512<float> a0 = Vector512.Create(Unsafe.Add(ref ar, t)); acc00 = Vector512.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector512.StoreUnsafe(acc00, ref cr);
            }
        }
    }
}

private static void Dense2BackwardInputVector256(ref float dz, ref float weights, ref float dx, int n)
{
    global::System.Span<float> transposed = stackalloc float[24];
    ref float wt = ref MemoryMarshal.GetReference(transposed);
    for (int k = 0; k < 40; k += 8)
    {
        {
            ref float wk = ref Unsafe.Add(ref weights, k * 3);
            ref float wtp = ref wt;
            for (int c = 0; c < 3; c++)
            {
                Vector256<float> transposedColumn = Vector256.Create(Unsafe.Add(ref wk, c), Unsafe.Add(ref wk, 3 + c), Unsafe.Add(ref wk, 6 + c),
                    Unsafe.Add(ref wk, 9 + c), Unsafe.Add(ref wk, 12 + c), Unsafe.Add(ref wk, 15 + c), Unsafe.Add(ref wk, 18 + c), Unsafe.Add(ref wk, 21 + c));
                Vector256.StoreUnsafe(transposedColumn, ref Unsafe.Add(ref wtp, c * 8));
            }
        }
        // dx[:, k …+8) = dz · the transposed block
        {
            int r = 0;
            for (; r + 8 <= n; r += 8)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 40);
                Vector256<float> acc00 = Vector256<float>.Zero;
                Vector256<float> acc10 = Vector256<float>.Zero;
                Vector256<float> acc20 = Vector256<float>.Zero;
                Vector256<float> acc30 = Vector256<float>.Zero;
                Vector256<float> acc40 = Vector256<float>.Zero;
                Vector256<float> acc50 = Vector256<float>.Zero;
                Vector256<float> acc60 = Vector256<float>.Zero;
                Vector256<float> acc70 = Vector256<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector256<float> b0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref wt, t * 8));
                    Vector256<float> a0 = Vector256.Create(Unsafe.Add(ref ar, t)); acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                    Vector256<float> a1 = Vector256.Create(Unsafe.Add(ref ar, t + 3)); acc10 = Vector256.FusedMultiplyAdd(a1, b0, acc10);
                    Vector256<float> a2 = Vector256.Create(Unsafe.Add(ref ar, t + 6)); acc20 = Vector256.FusedMultiplyAdd(a2, b0, acc20);
                    Vector256<float> a3 = Vector256.Create(Unsafe.Add(ref ar, t + 9)); acc30 = Vector256.FusedMultiplyAdd(a3, b0, acc30);
                    Vector256<float> a4 = Vector256.Create(Unsafe.Add(ref ar, t + 12)); acc40 = Vector256.FusedMultiplyAdd(a4, b0, acc40);
                    Vector256<float> a5 = Vector256.Create(Unsafe.Add(ref ar, t + 15)); acc50 = Vector256.FusedMultiplyAdd(a5, b0, acc50);
                    Vector256<float> a6 = Vector256.Create(Unsafe.Add(ref ar, t + 18)); acc60 = Vector256.FusedMultiplyAdd(a6, b0, acc60);
                    Vector256<float> a7 = Vector256.Create(Unsafe.Add(ref ar, t + 21)); acc70 = Vector256.FusedMultiplyAdd(a7, b0, acc70);
                }
                Vector256.StoreUnsafe(acc00, ref cr);
                Vector256.StoreUnsafe(acc10, ref Unsafe.Add(ref cr, 40));
                Vector256.StoreUnsafe(acc20, ref Unsafe.Add(ref cr, 80));
                Vector256.StoreUnsafe(acc30, ref Unsafe.Add(ref cr, 120));
                Vector256.StoreUnsafe(acc40, ref Unsafe.Add(ref cr, 160));
                Vector256.StoreUnsafe(acc50, ref Unsafe.Add(ref cr, 200));
                Vector256.StoreUnsafe(acc60, ref Unsafe.Add(ref cr, 240));
                Vector256.StoreUnsafe(acc70, ref Unsafe.Add(ref cr, 280));
            }
            for (; r < n; r++)
            {
                ref float ar = ref Unsafe.Add(ref dz, r * 3);
                ref float cr = ref Unsafe.Add(ref dx, k + r * 40);
                Vector256<float> acc00 = Vector256<float>.Zero;
                for (nint t = 0; t < 3; t++)
                {
                    Vector256<float> b0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref wt, t * 8));
                    Vector256<float> a0 = Vector256.Create(Unsafe.Add(ref ar, t)); acc00 = Vector256.FusedMultiplyAdd(a0, b0, acc00);
                }
                Vector256.StoreUnsafe(acc00, ref cr);
            }
        }
    }
}

private static void Dense2BackwardInputScalar(ref float dz, ref float weights, ref float dx, int n)
{
    for (int r = 0; r < n; r++)
    {
        ref float dzr = ref Unsafe.Add(ref dz, r * 3);
        for (int k = 0; k < 40; k++)
        {
            float sum = 0f;
            {
                ref float wk = ref Unsafe.Add(ref weights, 0 + k * 3);
                for (int c = 0; c < 3; c++)
                {
                    sum += Unsafe.Add(ref dzr, c) * Unsafe.Add(ref wk, c);
                }
            }
            Unsafe.Add(ref dx, r * 40 + k) = sum;
        }
    }
}
