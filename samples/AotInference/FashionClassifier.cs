using NetGen;

namespace NetGen.Samples.AotInference;

/// <summary>
/// The Fashion-MNIST classifier as shipped: 784 pixels → 128 ReLU → 10 classes with softmax, inference only, its weights
/// embedded from <c>fashion-mlp.safetensors</c> at build time (trained by samples/AotInference.Train; the build fails if
/// the file does not fit these layers).
/// </summary>
[Network(Weights = "fashion-mlp.safetensors")]
[Input(ImageFiles.PixelCount)]
[Dense(128, Activation.ReLU, Name = "fc1")]
[Dense(10, Activation.Softmax, Name = "fc2")]
public partial class FashionClassifier;
