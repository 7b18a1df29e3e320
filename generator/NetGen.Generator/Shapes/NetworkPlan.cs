using NetGen.Generator.Model;

namespace NetGen.Generator.Shapes;

/// <summary>A dense layer with every size, offset and default resolved. Holds no source locations, so a comment edit
/// leaves the plan equal and the emitted file cached.</summary>
internal sealed record DenseLayerPlan(
    int Index,
    string Name,
    int Inputs,
    int Outputs,
    bool HasBias,
    Activation Activation,
    float Alpha,
    Init Init,
    float InitScale,
    float BiasInit,
    int WeightOffset,
    int BiasOffset,
    long Flops)
{
    public int WeightCount => Inputs * Outputs;

    public int ParameterCount => WeightCount + (HasBias ? Outputs : 0);

    /// <summary>Identity layers need no separate activation buffer: a = z.</summary>
    public bool ActivationIsIdentity => Activation == Activation.Identity;
}

/// <summary>Everything the emitter needs to write one network, and nothing it doesn't.</summary>
internal sealed record NetworkPlan(
    string? Namespace,
    string TypeName,
    Loss Loss,
    int InputSize,
    int OutputSize,
    int ParameterCount,
    long FlopsPerSample,
    int MaxLayerWidth,
    EquatableArray<DenseLayerPlan> Layers)
{
    public DenseLayerPlan OutputLayer => Layers[Layers.Count - 1];

    public bool IsTrainable => Loss != Loss.None;
}

/// <summary>Shape inference's answer: a plan when the network is valid, and every diagnostic found.</summary>
internal sealed record InferenceResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);
