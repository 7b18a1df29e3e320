using NetGen;
using NetGen.Samples.AotInference;

namespace NetGen.Samples.AotInference.Train;

/// <summary>The training twin of <c>FashionClassifier</c>: the same layers and names, logits out, trained with softmax
/// cross-entropy. Its saved weights are what the classifier embeds (softmax on logits = the classifier's output).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(ImageFiles.PixelCount)]
[Dense(128, Activation.ReLU, Name = "fc1")]
[Dense(10, Name = "fc2")]
public partial class FashionMlp;
