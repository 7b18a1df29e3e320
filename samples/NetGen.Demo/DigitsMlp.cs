using NetGen;

namespace NetGen.Demo;

/// <summary>An MLP for the 8×8 UCI digits: 64 pixels → 64 ReLU units → 10 logits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(64)]
[Dense(64, Activation.ReLU, Name = "fc1")]
[Dense(10, Name = "fc2")]
public partial class DigitsMlp;
