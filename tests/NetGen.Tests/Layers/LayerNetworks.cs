using NetGen;

// Small networks around each normalization, dropout, noise and residual layer. Every layer under test sits between
// parameterized layers, so a check of the parameter gradients also checks the gradient the layer passes back. Widths
// are odd so vector tails are exercised.
namespace NetGen.Tests.Layers;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(7, Activation.Tanh)]
[BatchNorm(Activation.Tanh, Name = "bn")]
[Dense(3)]
public partial class DenseBatchNorm;

[Network(Loss = Loss.SquaredError)]
[Input(2, 5, 5)]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[BatchNorm(Momentum = 0.3f, Name = "bn")]
[Flatten]
[Dense(3)]
public partial class ConvBatchNorm;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(7, Activation.Tanh)]
[BatchNorm(Affine = false, Epsilon = 1e-3f, Name = "bn")]
[Dense(3)]
public partial class PlainBatchNorm;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[LayerNorm(Activation.Tanh, Name = "ln")]
[Dense(3)]
public partial class DenseLayerNorm;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 4)]
[Conv2D(3, 3, Activation.Tanh, Padding = 1)]
[LayerNorm(Name = "ln")]
[Flatten]
[Dense(3)]
public partial class ConvLayerNorm;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 4)]
[Conv2D(6, 3, Activation.Tanh, Padding = 1)]
[GroupNorm(3, Activation.Tanh, Name = "gn")]
[Flatten]
[Dense(3)]
public partial class ConvGroupNorm;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 4)]
[Conv2D(7, 3, Activation.Tanh, Padding = 1)]
[LocalResponseNorm(3, Alpha = 0.5f, Beta = 0.75f, K = 2f, Name = "lrn")]
[Flatten]
[Dense(3)]
public partial class ConvLocalResponseNorm;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dropout(0.4f, Name = "drop")]
[Dense(3)]
public partial class DenseDropout;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.SELU)]
[AlphaDropout(0.2f, Name = "drop")]
[Dense(3)]
public partial class DenseAlphaDropout;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[GaussianNoise(0.3f, Name = "noise")]
[Dense(3)]
public partial class DenseNoise;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(7, Activation.Tanh, WeightNorm = true, Name = "fc1")]
[Dense(3, WeightNorm = true, Name = "fc2")]
public partial class DenseWeightNorm;

[Network(Loss = Loss.SquaredError)]
[Input(2, 5, 5)]
[Conv2D(3, 3, Activation.Tanh, WeightNorm = true, Name = "c1")]
[Flatten]
[Dense(3)]
public partial class ConvWeightNorm;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh, Name = "h1")]
[Dense(9, Activation.Tanh)]
[Residual("h1", Activation.Tanh, Name = "res")]
[Dense(3)]
public partial class DenseResidual;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(4, Activation.Tanh)]
[Residual("input", Projection = true, Name = "res")]
[Dense(3)]
public partial class DenseProjectedResidual;

[Network(Loss = Loss.SquaredError)]
[Input(2, 7, 7)]
[Conv2D(3, 3, Activation.Tanh, Padding = 1, Name = "c1")]
[Conv2D(4, 3, Activation.Tanh, Padding = 1, Stride = 2)]
[Residual("c1", Activation.Tanh, Projection = true, Name = "res")]
[Flatten]
[Dense(3)]
public partial class ConvProjectedResidual;

/// <summary>Two skips from the same layer and a skip of the very layer before: the gradient of h1 has three
/// contributions.</summary>
[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(6, Activation.Tanh, Name = "h1")]
[Residual("h1", Name = "double")]
[Dense(6, Activation.Tanh)]
[Residual("h1", Activation.Tanh, Name = "res")]
[Dense(3)]
public partial class SharedSkips;

/// <summary>Everything at once, as a user would stack it.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 6, 6)]
[Conv2D(4, 3, Padding = 1, Bias = false, Name = "c1")]
[BatchNorm(Activation.ReLU, Name = "bn1")]
[Conv2D(4, 3, Padding = 1, Bias = false)]
[BatchNorm(Name = "bn2")]
[Residual("bn1", Activation.ReLU, Name = "res")]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.25f)]
[Dense(5)]
public partial class MixedNetwork;


// Layers straight on the input, for forward checks against formulas in double.

[Network]
[Input(3, 4, 5)]
[BatchNorm(Momentum = 0.2f, Name = "bn")]
public partial class ImageBatchNorm;

[Network]
[Input(6)]
[BatchNorm(Epsilon = 1e-3f, Name = "bn")]
public partial class VectorBatchNorm;

[Network]
[Input(3, 4, 5)]
[LayerNorm(Name = "ln")]
public partial class ImageLayerNorm;

[Network]
[Input(6, 3, 3)]
[GroupNorm(2, Name = "gn")]
public partial class ImageGroupNorm;

[Network]
[Input(7, 2, 3)]
[LocalResponseNorm(4, Alpha = 0.3f, Beta = 0.6f, K = 1.5f, Name = "lrn")]
public partial class ImageLocalResponseNorm;

[Network]
[Input(4000)]
[Dropout(0.3f, Name = "drop")]
public partial class WideDropout;

[Network]
[Input(4000)]
[AlphaDropout(0.05f, Name = "drop")]
public partial class WideAlphaDropout;

[Network]
[Input(4000)]
[GaussianNoise(0.5f, Name = "noise")]
public partial class WideNoise;

// The networks torch_layers.py builds in PyTorch with the same names.

[Network(Loss = Loss.SquaredError)]
[Input(3, 5, 5)]
[Conv2D(4, 3, Padding = 1, Name = "conv")]
[BatchNorm(Momentum = 0.2f, Name = "bn")]
[Flatten]
[Dense(3, Name = "fc")]
public partial class PeerBatchNorm;

[Network(Loss = Loss.SquaredError)]
[Input(4, 3, 3)]
[Conv2D(4, 1, Name = "conv")]
[LayerNorm(Name = "ln")]
[GroupNorm(2, Name = "gn")]
[LocalResponseNorm(3, Alpha = 0.4f, Beta = 0.7f, K = 1.2f, Name = "lrn")]
[Flatten]
[BatchNorm(Name = "bn1d")]
[Dense(3, WeightNorm = true, Name = "fc")]
public partial class PeerNorms;

[Network(Loss = Loss.SquaredError)]
[Input(2, 7, 7)]
[Conv2D(3, 3, Padding = 1, Name = "c1")]
[Conv2D(4, 3, Padding = 1, Stride = 2, WeightNorm = true, Name = "c2")]
[Residual("c1", Projection = true, Name = "res")]
[Flatten]
[Dense(3, Name = "fc")]
public partial class PeerResidual;

// Deep self-normalizing stacks: 256 units per layer, LeCun-normal weights, zero biases.

[Network]
[Input(256)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal)]
public partial class DeepSelu;

[Network]
[Input(256)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
[Dense(256, Activation.Tanh, Init = Init.LeCunNormal)]
public partial class DeepTanh;

/// <summary>A residual MLP with batch normalization and dropout for Fashion-MNIST.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(128, Bias = false, Name = "fc1")]
[BatchNorm(Activation.ReLU, Name = "bn1")]
[Dense(128, Bias = false, Name = "fc2")]
[BatchNorm(Name = "bn2")]
[Residual("bn1", Activation.ReLU, Name = "block")]
[Dropout(0.2f)]
[Dense(10, Name = "out")]
public partial class ResidualFashionMlp;
