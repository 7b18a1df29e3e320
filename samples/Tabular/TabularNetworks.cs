using NetGen;

namespace NetGen.Samples.Tabular;

/// <summary>The wine recognition set: 13 chemical measurements → 32 ReLU units → 3 cultivars (logits).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(13)]
[Dense(32, Activation.ReLU, Name = "fc1")]
[Dense(3, Name = "fc2")]
public partial class WineMlp;

/// <summary>The diabetes set: age, sex (one-hot: 2 inputs), body-mass index, blood pressure and six blood serum measurements
/// (11 inputs) → 8 ReLU units → the disease progression one year later (standardized; the preprocessing maps it back).</summary>
[Network(Loss = Loss.SquaredError)]
[Input(11)]
[Dense(8, Activation.ReLU, Name = "fc1")]
[Dense(1, Name = "fc2")]
public partial class DiabetesMlp;
