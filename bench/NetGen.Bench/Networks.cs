using NetGen;

namespace NetGen.Bench;

/// <summary>SimpleChains' README workload: 24 → 8 tanh → 2 with a squared-error loss (NetGen's is ½‖y − t‖² averaged over the
/// batch, PyTorch's <c>mse_loss</c> also averages over the 2 outputs; the timing is what is compared).</summary>
[Network(Loss = Loss.SquaredError)]
[Input(24)]
[Dense(8, Activation.Tanh)]
[Dense(2)]
public partial class TinyNet;

/// <summary>One 1024 → 1024 dense layer (with bias, no activation), as <c>nn.Linear(1024, 1024)</c> in the peer.</summary>
[Network(Loss = Loss.None)]
[Input(1024)]
[Dense(1024, Name = "l")]
public partial class Dense1024;

/// <summary>The peer's MLP: 784 → 128 ReLU → 10 logits.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU, Name = "fc1")]
[Dense(10, Name = "fc2")]
public partial class Mlp;

/// <summary>The peer's LeNet-5: conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU, max-pool 2, 400 → 120 ReLU → 84 ReLU → 10.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Activation.ReLU, Padding = 2, Name = "c1")]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.ReLU, Name = "c2")]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU, Name = "f1")]
[Dense(84, Activation.ReLU, Name = "f2")]
[Dense(10, Name = "f3")]
public partial class LeNet5;
