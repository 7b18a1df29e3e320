using NetGen;

// Small networks covering every activation in a hidden layer and every loss with the output activations it allows.
// Widths 19 → 37 → 21 → k exercise the full-vector loops, the single-vector tails (16, 8, 4) and the scalar tails of the
// generated kernels on every SIMD path.
namespace NetGen.Tests.Numerics;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.Identity)]
[Dense(21, Activation.Identity)]
[Dense(3)]
public partial class IdentityMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.Sigmoid)]
[Dense(21, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.Tanh)]
[Dense(21, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class TanhMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.ReLU)]
[Dense(21, Activation.ReLU, BiasInit = 0.1f)]
[Dense(3)]
public partial class ReLUMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.LeakyReLU, Alpha = 0.1f)]
[Dense(21, Activation.LeakyReLU)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.ELU, Alpha = 0.7f)]
[Dense(21, Activation.ELU)]
[Dense(3, Activation.ELU)]
public partial class EluMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.SELU)]
[Dense(21, Activation.SELU)]
[Dense(3, Activation.SELU)]
public partial class SeluMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.Softplus)]
[Dense(21, Activation.Softplus)]
[Dense(3, Activation.Softplus)]
public partial class SoftplusMse;

[Network(Loss = Loss.SquaredError)]
[Input(19)]
[Dense(37, Activation.Tanh)]
[Dense(5, Activation.Softmax)]
public partial class SoftmaxMse;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(19)]
[Dense(37, Activation.ELU)]
[Dense(21, Activation.Tanh)]
[Dense(4, Activation.Sigmoid)]
public partial class SigmoidBce;

[Network(Loss = Loss.CrossEntropy)]
[Input(19)]
[Dense(37, Activation.Softplus)]
[Dense(21, Activation.Sigmoid)]
[Dense(6, Activation.Softmax)]
public partial class SoftmaxCe;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(19)]
[Dense(37, Activation.SELU)]
[Dense(21, Activation.ReLU)]
[Dense(17)]
public partial class LogitsCe;

[Network(Loss = Loss.Hinge)]
[Input(19)]
[Dense(37, Activation.Tanh)]
[Dense(21, Activation.LeakyReLU)]
[Dense(2)]
public partial class LinearHinge;

[Network(Loss = Loss.Hinge)]
[Input(19)]
[Dense(37, Activation.Sigmoid, Bias = false)]
[Dense(21, Activation.Tanh, Bias = false)]
[Dense(2, Activation.Tanh)]
public partial class TanhHingeNoBias;

/// <summary>Wide enough for the 2-vector column tiles and the 4-row tiles on every path, and a 1-unit output.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(70)]
[Dense(100, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class WideBce;
