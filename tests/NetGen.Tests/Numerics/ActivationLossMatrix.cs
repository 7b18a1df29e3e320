using NetGen;

// Every hidden activation × every loss (with the output activation the loss
// requires or suits), checked in ActivationLossMatrixTests.
namespace NetGen.Tests.Numerics;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Identity)]
[Dense(3, Activation.Tanh)]
public partial class MatrixIdentitySquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Identity)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixIdentityBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.Identity)]
[Dense(4, Activation.Softmax)]
public partial class MatrixIdentityCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Identity)]
[Dense(4, Activation.Identity)]
public partial class MatrixIdentitySoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class MatrixIdentityHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Sigmoid)]
[Dense(3, Activation.Tanh)]
public partial class MatrixSigmoidSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixSigmoidBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class MatrixSigmoidCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Sigmoid)]
[Dense(4, Activation.Identity)]
public partial class MatrixSigmoidSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class MatrixSigmoidHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class MatrixTanhSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixTanhBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class MatrixTanhCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(4, Activation.Identity)]
public partial class MatrixTanhSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.Tanh)]
[Dense(2, Activation.Identity)]
public partial class MatrixTanhHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class MatrixReLUSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixReLUBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class MatrixReLUCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(4, Activation.Identity)]
public partial class MatrixReLUSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(2, Activation.Identity)]
public partial class MatrixReLUHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.LeakyReLU)]
[Dense(3, Activation.Tanh)]
public partial class MatrixLeakyReLUSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixLeakyReLUBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax)]
public partial class MatrixLeakyReLUCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.LeakyReLU)]
[Dense(4, Activation.Identity)]
public partial class MatrixLeakyReLUSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class MatrixLeakyReLUHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.ELU)]
[Dense(3, Activation.Tanh)]
public partial class MatrixELUSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.ELU)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixELUBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.ELU)]
[Dense(4, Activation.Softmax)]
public partial class MatrixELUCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.ELU)]
[Dense(4, Activation.Identity)]
public partial class MatrixELUSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.ELU)]
[Dense(2, Activation.Identity)]
public partial class MatrixELUHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.SELU)]
[Dense(3, Activation.Tanh)]
public partial class MatrixSELUSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.SELU)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixSELUBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.SELU)]
[Dense(4, Activation.Softmax)]
public partial class MatrixSELUCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.SELU)]
[Dense(4, Activation.Identity)]
public partial class MatrixSELUSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.SELU)]
[Dense(2, Activation.Identity)]
public partial class MatrixSELUHinge;

[Network(Loss = Loss.SquaredError)]
[Input(5)]
[Dense(9, Activation.Softplus)]
[Dense(3, Activation.Tanh)]
public partial class MatrixSoftplusSquaredError;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Softplus)]
[Dense(2, Activation.Sigmoid)]
public partial class MatrixSoftplusBinaryCrossEntropy;

[Network(Loss = Loss.CrossEntropy)]
[Input(5)]
[Dense(9, Activation.Softplus)]
[Dense(4, Activation.Softmax)]
public partial class MatrixSoftplusCrossEntropy;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5)]
[Dense(9, Activation.Softplus)]
[Dense(4, Activation.Identity)]
public partial class MatrixSoftplusSoftmaxCrossEntropy;

[Network(Loss = Loss.Hinge)]
[Input(5)]
[Dense(9, Activation.Softplus)]
[Dense(2, Activation.Identity)]
public partial class MatrixSoftplusHinge;
