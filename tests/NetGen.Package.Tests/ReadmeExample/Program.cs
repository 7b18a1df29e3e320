using System;
using NetGen;
using NetGen.IO;
using NetGen.Kernels;

// A Fashion-MNIST-sized MLP: 784 pixels → 128 ReLU → 10 logits. The generator checks the shapes and writes the
// forward, backward and prediction code for exactly these sizes when the project builds.
var net = new FashionMlp(seed: 42, capacity: 32);
Console.WriteLine($"{net.Name}: {FashionMlp.InputSize} → {FashionMlp.OutputSize}, {FashionMlp.ParameterCount:N0} parameters");

// One batch of 32 made-up images and labels.
var random = new Random(1);
float[] images = new float[32 * FashionMlp.InputSize];
float[] targets = new float[32 * FashionMlp.OutputSize];
for (int i = 0; i < images.Length; i++) images[i] = (float)random.NextDouble();
for (int b = 0; b < 32; b++) targets[b * FashionMlp.OutputSize + b % 10] = 1f;

// Training steps: forward, backward (gradients of the mean loss), plain SGD.
float[] logits = new float[32 * FashionMlp.OutputSize];
float first = 0, last = 0;
for (int step = 0; step < 20; step++)
{
    net.Forward(images, logits, batchSize: 32);
    net.ZeroGradients();
    last = net.Backward(targets, batchSize: 32);
    if (step == 0) first = last;
    VectorOps.AddScaled(net.Parameters, net.Gradients, -0.05f);
}
Console.WriteLine($"loss {first:F4} → {last:F4}");

// Inference on one image, allocation-free, with the fixed-size Input/Output types.
FashionMlp.Input image = default;
images.AsSpan(0, FashionMlp.InputSize).CopyTo(image);
FashionMlp.Output scores = net.Predict(in image);
Console.WriteLine($"predicted class {VectorOps.ArgMax(scores)}");

// Weights as safetensors with PyTorch state_dict names (fc1.weight is [128, 784]).
net.Save("fashion-mlp.safetensors");
var copy = new FashionMlp();
copy.Load("fashion-mlp.safetensors");
Console.WriteLine(copy.Parameters.SequenceEqual(net.Parameters) && last < first ? "README example OK" : "README example FAILED");
return last < first ? 0 : 1;

[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU, Name = "fc1")]
[Dense(10, Name = "fc2")]
public partial class FashionMlp;
