using NetGen;

namespace NetGen.Samples.FashionMnist;

/// <summary>An MLP for Fashion-MNIST: 784 pixels → 256 ReLU units → 10 logits (203,530 parameters).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(256, Activation.ReLU, Name = "fc1")]
[Dense(10, Name = "fc2")]
public partial class FashionMlp;
