// FlattenFamily: [Input(2, 3, 3)] [Conv2D(2, 1)] [Flatten(Name = "flat")] [Dense(2)]

// ===== flatten1 (Flatten): 
// --- fields
// --- initialization
// --- kernels
