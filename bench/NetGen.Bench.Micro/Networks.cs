using NetGen;

namespace NetGen.Bench.Micro;

/// <summary>One 784 → 128 ReLU dense layer (the first layer of the peer's MLP), trainable so its backward pass exists.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(784)]
[Dense(128, Activation.ReLU, Name = "fc1")]
public partial class Dense784x128;

/// <summary>LeNet-5's first convolution alone: 1×28×28 → 6×28×28, 5×5, padding 2, ReLU.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Activation.ReLU, Padding = 2, Name = "c1")]
public partial class LeNetConv1;

/// <summary>LeNet-5's second convolution alone: 6×14×14 → 16×10×10, 5×5, ReLU.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(6, 14, 14)]
[Conv2D(16, 5, Activation.ReLU, Name = "c2")]
public partial class LeNetConv2;

/// <summary>LeNet-5's first convolution before a global average pooling, so backward costs the convolution's gradients and
/// little else (a loss over 6 values per sample; the pooling's backward fills the gradient planes).</summary>
[Network(Loss = Loss.SquaredError)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Activation.ReLU, Padding = 2, Name = "c1")]
[GlobalAvgPool2D]
public partial class LeNetConv1Training;

/// <summary>LeNet-5's second convolution behind a 1×1 convolution, so its backward pass also computes the input gradient
/// (the 1×1 layer adds 6·6·196 multiply-adds per sample, 3 % of the 5×5 layer's), before a global average pooling.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(6, 14, 14)]
[Conv2D(6, 1, Bias = false, Name = "pre")]
[Conv2D(16, 5, Activation.ReLU, Name = "c2")]
[GlobalAvgPool2D]
public partial class LeNetConv2Training;

/// <summary>LeNet-5's first max pooling (6×28×28 → 6×14×14) behind a 1×1 convolution from one channel.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(1, 28, 28)]
[Conv2D(6, 1, Bias = false, Name = "pre")]
[MaxPool2D(2)]
public partial class LeNetPool1;

/// <summary><see cref="LeNetPool1"/> before a global average pooling, so backward routes through the max pooling at the
/// cost of a loss over 6 values per sample.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(1, 28, 28)]
[Conv2D(6, 1, Bias = false, Name = "pre")]
[MaxPool2D(2)]
[GlobalAvgPool2D]
public partial class LeNetPool1Training;
