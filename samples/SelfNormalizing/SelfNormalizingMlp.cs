using NetGen;

namespace NetGen.Samples.SelfNormalizing;

/// <summary>
/// A self-normalizing network (Klambauer et al.): eight SELU layers of 256 units with LeCun-normal weights, so that
/// activations keep mean 0 and variance 1 through the depth without batch normalization, and alpha dropout, which
/// drops to SELU's saturation value and keeps those moments.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h1")]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h2")]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h3")]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h4")]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h5")]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h6")]
[AlphaDropout(0.05f)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h7")]
[AlphaDropout(0.05f)]
[Dense(256, Activation.SELU, Init = Init.LeCunNormal, Name = "h8")]
[AlphaDropout(0.05f)]
[Dense(10, Name = "out")]
public partial class SelfNormalizingMlp;
