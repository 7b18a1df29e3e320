using NetGen;

namespace NetGen.Samples.LeNet;

/// <summary>
/// LeNet-5 for 28×28 images (the first convolution pads by 2, as for LeCun's 32×32 input), with ReLU and max pooling as
/// in the PyTorch peer. Layer names match that peer's state_dict (c1, c2, f1, f2, f3), so weights round-trip.
/// </summary>
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
