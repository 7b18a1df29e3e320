// Around a fragment that trains on the digits: the demo's DigitsMlp (64 → 64 ReLU → 10) and data sets `digits` (all of
// it), `train`, `validation` and `testSet`.
[global::NetGen.Network(Loss = global::NetGen.Loss.SoftmaxCrossEntropy)]
[global::NetGen.Input(64)]
[global::NetGen.Dense(64, global::NetGen.Activation.ReLU, Name = "fc1")]
[global::NetGen.Dense(10, Name = "fc2")]
public partial class DigitsMlp;

internal static class Example
{
    internal static void Run(global::NetGen.Data.Dataset digits, global::NetGen.Data.Dataset train, global::NetGen.Data.Dataset validation,
        global::NetGen.Data.Dataset testSet)
    {
        /* fragment */
    }
}
