// Around the README's training-step fragment: the FashionMlp declared above it, a batch of inputs with their outputs and
// targets, and one input `x`.
[global::NetGen.Network(Loss = global::NetGen.Loss.SoftmaxCrossEntropy)]
[global::NetGen.Input(784)]
[global::NetGen.Dense(128, global::NetGen.Activation.ReLU)]
[global::NetGen.Dense(10)]
public partial class FashionMlp;

internal static class Example
{
    internal static void Run(float[] batchInputs, float[] batchOutputs, float[] batchTargets, int batchSize, FashionMlp.Input x)
    {
        /* fragment */
    }
}
