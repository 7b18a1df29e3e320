// Around a fragment that uses a network already made: a DigitsMlp `net` (64 → 64 ReLU → 10), training options `options`
// and data sets `train` and `validation`.
[global::NetGen.Network(Loss = global::NetGen.Loss.SoftmaxCrossEntropy)]
[global::NetGen.Input(64)]
[global::NetGen.Dense(64, global::NetGen.Activation.ReLU, Name = "fc1")]
[global::NetGen.Dense(10, Name = "fc2")]
public partial class DigitsMlp;

internal static class Example
{
    internal static void Run(DigitsMlp net, global::NetGen.Training.TrainerOptions options, global::NetGen.Data.Dataset train,
        global::NetGen.Data.Dataset validation)
    {
        /* fragment */
    }
}
