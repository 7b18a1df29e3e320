namespace NetGen;

/// <summary>The training objective of a network. The reported loss is the mean over the batch of the per-sample loss below.</summary>
public enum Loss
{
    /// <summary>No loss: an inference-only network (perceptron-style Sign/Step outputs are allowed). <c>Backward</c> throws.</summary>
    None = 0,
    /// <summary>Per sample <c>½ Σₒ (aₒ − yₒ)²</c>. The ½ makes the output gradient exactly <c>a − y</c>
    /// (PyTorch's <c>MSELoss</c> has no ½ and averages over outputs too).</summary>
    SquaredError = 1,
    /// <summary>Binary cross-entropy <c>−Σₒ [y ln σ(z) + (1 − y) ln(1 − σ(z))]</c>, fused with a Sigmoid output layer and
    /// computed from the logit <c>z</c> in the stable form <c>max(z,0) − z·y + ln(1 + e^−|z|)</c>; output gradient <c>σ(z) − y</c>.</summary>
    BinaryCrossEntropy = 2,
    /// <summary>Categorical cross-entropy <c>−Σₒ yₒ ln sₒ</c>, fused with a Softmax output layer and computed with log-sum-exp;
    /// output gradient <c>(Σy)·s − y</c>, i.e. <c>s − y</c> for one-hot targets.</summary>
    CrossEntropy = 3,
    /// <summary>Cross-entropy on logits: the output layer has no activation and the softmax is part of the loss (as PyTorch's
    /// <c>CrossEntropyLoss</c>); otherwise identical to <see cref="CrossEntropy"/>. Outputs of the network are logits.</summary>
    SoftmaxCrossEntropy = 4,
    /// <summary>Hinge loss per output <c>Σₒ max(0, 1 − yₒ·aₒ)</c> with targets in {−1, +1}; subgradient 0 at the hinge.</summary>
    Hinge = 5,
}
