// Around a fragment that works on a Fashion-MNIST network: a FashionMlp `net` (784 → 128 ReLU → 10).
[global::NetGen.Network(Loss = global::NetGen.Loss.SoftmaxCrossEntropy)]
[global::NetGen.Input(784)]
[global::NetGen.Dense(128, global::NetGen.Activation.ReLU)]
[global::NetGen.Dense(10)]
public partial class FashionMlp;

internal static class Example
{
    internal static void Run(FashionMlp net)
    {
        /* fragment */
    }
}
