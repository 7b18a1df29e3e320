using System;

namespace NetGen.Classical;

/// <summary>How a Jacobian was computed.</summary>
public enum JacobianMethod
{
    /// <summary>By back-propagation: one <see cref="INetwork.Backward"/> per output with a target chosen so that the loss
    /// gradient at the output is a unit vector (see <see cref="NetworkDerivatives"/>). Exact up to float rounding
    /// (relative error about 1e-6).</summary>
    Backpropagation,
    /// <summary>By central differences of <see cref="INetwork.Forward"/> with step h = 2⁻⁸·max(1, |v|) in float: error
    /// O(h²) from truncation plus O(ε/h) ≈ 3e-5 from rounding, i.e. about 1e-4 relative. Used only where back-propagation
    /// cannot isolate one output.</summary>
    CentralDifferences,
}

/// <summary>
/// First and second derivatives of any generated network through <see cref="INetwork"/> alone: the parameter Jacobian
/// ∂ŷ/∂θ, the input Jacobian ∂ŷ/∂x, the gradient and Hessian of the mean loss over a data set, Hessian-vector products.
/// Results are double arrays, row-major; parameter indices are positions in <see cref="INetwork.Parameters"/>.
/// </summary>
/// <remarks>
/// <para><b>Parameter Jacobian.</b> <see cref="INetwork.Backward"/> returns ∂L/∂θ = (∂ŷ/∂θ)ᵀ ∂L/∂ŷ. For a batch of one
/// sample, a target that makes ∂L/∂ŷ = eₖ turns the backward pass into row k of the Jacobian:
/// squared error: y = ŷ − eₖ; binary cross-entropy (gradient σ(z) − y at the logit): y = ŷ − eₖ gives ∂zₖ/∂θ, times
/// ŷₖ(1 − ŷₖ); hinge: yₒ = 0 for o ≠ k and a small yₖ &lt; 0 inside the hinge; categorical cross-entropy on a softmax
/// output: the one-hot target eₖ gives −∂ln ŷₖ/∂θ, times −ŷₖ. Softmax cross-entropy on logits is invariant to adding the
/// same value to every logit, so its gradient can never single out one logit; for it, and for networks without a loss,
/// the Jacobian falls back to <see cref="JacobianMethod.CentralDifferences"/>.</para>
/// <para><b>Input Jacobian.</b> The generated code exposes no input gradient. When the first layer is a dense layer with a
/// bias (first tensors <c>weight</c> [h, InputSize] and <c>bias</c> [h]), its pre-activation z₁ = W₁x + b₁ gives
/// ∂ŷ/∂x = (∂ŷ/∂b₁)·W₁, exact from the parameter Jacobian. The method checks the premise on every call
/// (∂ŷₖ/∂W₁ must equal (∂ŷₖ/∂b₁)xᵀ) and otherwise falls back to central differences.</para>
/// <para><b>Hessian.</b> Column j is (∇L(θ + hⱼeⱼ) − ∇L(θ − hⱼeⱼ))/(2hⱼ) from the analytic gradients, accumulated in
/// double, then symmetrized; hⱼ = 2⁻⁸·max(1, |θⱼ|) by default, divided by the perturbation actually stored in float.
/// The error is O(h²·|∇³L|) + O(ε_float·|∇L|/h): exact for a loss quadratic in θ up to ≈ 1e-5 relative, about 1e-4
/// otherwise. Cost: 2P gradient passes over the data; for large P use <see cref="HessianVectorProduct"/> (2 passes).</para>
/// Every method differentiates the inference-mode function (dropout off, batch normalization on its running averages),
/// restores the parameters bit for bit and the caller's <see cref="INetwork.Mode"/>, and leaves
/// <see cref="INetwork.Gradients"/> zeroed.
/// </remarks>
public static class NetworkDerivatives
{
    /// <summary>Default relative step of the finite differences: 2⁻⁸ ≈ 3.9e-3, near ε_float^(1/3).</summary>
    public const double DefaultStep = 1.0 / 256;

    /// <summary>Whether <c>ParameterJacobian</c> can use back-propagation for this network's loss.</summary>
    public static bool CanBackpropagateOutputs(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Loss is Loss.SquaredError or Loss.BinaryCrossEntropy or Loss.CrossEntropy or Loss.Hinge;
    }

    /// <summary>∂ŷ/∂θ at <paramref name="input"/>: [OutputSize, ParameterCount], row-major.</summary>
    public static double[] ParameterJacobian(INetwork network, ReadOnlySpan<float> input) => ParameterJacobian(network, input, out _);

    /// <summary>∂ŷ/∂θ at <paramref name="input"/>, and how it was computed.</summary>
    public static double[] ParameterJacobian(INetwork network, ReadOnlySpan<float> input, out JacobianMethod method)
    {
        CheckInput(network, input);
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        int m = network.OutputSize, p = network.ParameterCount;
        var jacobian = new double[m * p];
        if (!CanBackpropagateOutputs(network))
        {
            method = JacobianMethod.CentralDifferences;
            float[] saved = network.Parameters.ToArray();
            var plus = new float[m];
            var minus = new float[m];
            for (int j = 0; j < p; j++)
            {
                float h = Step(saved[j]);
                network.Parameters[j] = saved[j] + h;
                network.Predict(input, plus);
                network.Parameters[j] = saved[j] - h;
                network.Predict(input, minus);
                double actual = (double)(saved[j] + h) - (saved[j] - h);
                network.Parameters[j] = saved[j];
                for (int k = 0; k < m; k++)
                {
                    jacobian[k * p + j] = (plus[k] - (double)minus[k]) / actual;
                }
            }
            return jacobian;
        }
        method = JacobianMethod.Backpropagation;
        var output = new float[m];
        var target = new float[m];
        for (int k = 0; k < m; k++)
        {
            network.Forward(input, output, 1);
            double scale = OutputSelectingTarget(network.Loss, output, target, k);
            network.ZeroGradients();
            network.Backward(target, 1);
            Span<float> g = network.Gradients;
            for (int j = 0; j < p; j++)
            {
                jacobian[k * p + j] = g[j] * scale;
            }
        }
        network.ZeroGradients();
        return jacobian;
    }

    /// <summary>∂ŷ/∂x at <paramref name="input"/>: [OutputSize, InputSize], row-major.</summary>
    public static double[] InputJacobian(INetwork network, ReadOnlySpan<float> input) => InputJacobian(network, input, out _);

    /// <summary>∂ŷ/∂x at <paramref name="input"/>, and how it was computed.</summary>
    public static double[] InputJacobian(INetwork network, ReadOnlySpan<float> input, out JacobianMethod method)
    {
        CheckInput(network, input);
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        int m = network.OutputSize, n = network.InputSize, p = network.ParameterCount;
        var jacobian = new double[m * n];
        if (CanBackpropagateOutputs(network) && FirstDenseLayer(network) is ({ } weight, { } bias))
        {
            double[] parameterJacobian = ParameterJacobian(network, input);
            int h = bias.Length;
            var w = new float[weight.Length];
            weight.CopyTo(network.Parameters, w);
            var rowGradient = new float[p];
            var dW = new float[weight.Length];
            var dB = new float[h];
            bool premiseHolds = true;
            for (int k = 0; k < m && premiseHolds; k++)
            {
                for (int j = 0; j < p; j++)
                {
                    rowGradient[j] = (float)parameterJacobian[k * p + j];
                }
                weight.CopyTo(rowGradient, dW);
                bias.CopyTo(rowGradient, dB);
                premiseHolds = WeightGradientIsOuterProduct(dW, dB, input);
                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int u = 0; u < h; u++)
                    {
                        s += (double)dB[u] * w[u * n + i];
                    }
                    jacobian[k * n + i] = s;
                }
            }
            if (premiseHolds)
            {
                method = JacobianMethod.Backpropagation;
                return jacobian;
            }
        }
        method = JacobianMethod.CentralDifferences;
        float[] x = input.ToArray();
        var plus = new float[m];
        var minus = new float[m];
        for (int i = 0; i < n; i++)
        {
            float value = x[i], step = Step(value);
            x[i] = value + step;
            network.Predict(x, plus);
            x[i] = value - step;
            network.Predict(x, minus);
            double actual = (double)(value + step) - (value - step);
            x[i] = value;
            for (int k = 0; k < m; k++)
            {
                jacobian[k * n + i] = (plus[k] - (double)minus[k]) / actual;
            }
        }
        return jacobian;
    }

    /// <summary>The mean loss over <paramref name="count"/> samples, accumulated in double batch by batch.</summary>
    public static double MeanLoss(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count)
    {
        CheckData(network, inputs, targets, count);
        return Accumulate(network, inputs, targets, count, null);
    }

    /// <summary>The gradient of the mean loss over <paramref name="count"/> samples into <paramref name="gradient"/>
    /// (ParameterCount values, double accumulation); returns the mean loss.</summary>
    public static double LossGradient(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, Span<double> gradient)
    {
        CheckData(network, inputs, targets, count);
        if (gradient.Length != network.ParameterCount)
        {
            throw new ArgumentException($"The gradient needs {network.ParameterCount} entries, got {gradient.Length}.", nameof(gradient));
        }
        return Accumulate(network, inputs, targets, count, gradient);
    }

    /// <summary>The Hessian of the mean loss over <paramref name="count"/> samples: [P, P], symmetric.</summary>
    /// <param name="network">The network (its loss is the objective).</param>
    /// <param name="inputs">Row-major inputs.</param>
    /// <param name="targets">Row-major targets.</param>
    /// <param name="count">Samples.</param>
    /// <param name="relativeStep">h relative to max(1, |θⱼ|).</param>
    public static double[] Hessian(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, double relativeStep = DefaultStep)
    {
        CheckData(network, inputs, targets, count);
        int p = network.ParameterCount;
        var hessian = new double[p * p];
        var plus = new double[p];
        var minus = new double[p];
        for (int j = 0; j < p; j++)
        {
            float saved = network.Parameters[j];
            float h = Step(saved, relativeStep);
            network.Parameters[j] = saved + h;
            Accumulate(network, inputs, targets, count, plus);
            network.Parameters[j] = saved - h;
            Accumulate(network, inputs, targets, count, minus);
            double actual = (double)(saved + h) - (saved - h);
            network.Parameters[j] = saved;
            for (int i = 0; i < p; i++)
            {
                hessian[i * p + j] = (plus[i] - minus[i]) / actual;
            }
        }
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (hessian[i * p + j] + hessian[j * p + i]);
                hessian[i * p + j] = hessian[j * p + i] = mean;
            }
        }
        return hessian;
    }

    /// <summary>The diagonal of the Hessian (2P gradient passes, P values of memory).</summary>
    public static double[] HessianDiagonal(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, double relativeStep = DefaultStep)
    {
        CheckData(network, inputs, targets, count);
        int p = network.ParameterCount;
        var diagonal = new double[p];
        var plus = new double[p];
        var minus = new double[p];
        for (int j = 0; j < p; j++)
        {
            float saved = network.Parameters[j];
            float h = Step(saved, relativeStep);
            network.Parameters[j] = saved + h;
            Accumulate(network, inputs, targets, count, plus);
            network.Parameters[j] = saved - h;
            Accumulate(network, inputs, targets, count, minus);
            network.Parameters[j] = saved;
            diagonal[j] = (plus[j] - minus[j]) / ((double)(saved + h) - (saved - h));
        }
        return diagonal;
    }

    /// <summary>H·v for the Hessian of the mean loss, from two gradient passes at θ ± t·v with t = h/max|vⱼ| (the
    /// stored float perturbation is used exactly, so the result is the directional difference of the gradient).</summary>
    public static double[] HessianVectorProduct(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, ReadOnlySpan<double> vector, double relativeStep = DefaultStep)
    {
        CheckData(network, inputs, targets, count);
        int p = network.ParameterCount;
        if (vector.Length != p)
        {
            throw new ArgumentException($"The vector needs {p} entries, got {vector.Length}.", nameof(vector));
        }
        double largest = 0, largestParameter = 0;
        for (int j = 0; j < p; j++)
        {
            largest = Math.Max(largest, Math.Abs(vector[j]));
            largestParameter = Math.Max(largestParameter, Math.Abs(network.Parameters[j]));
        }
        var result = new double[p];
        if (largest == 0)
        {
            return result;
        }
        double t = relativeStep * Math.Max(1, largestParameter) / largest;
        float[] saved = network.Parameters.ToArray();
        var plus = new double[p];
        var minus = new double[p];
        for (int j = 0; j < p; j++)
        {
            network.Parameters[j] = (float)(saved[j] + t * vector[j]);
        }
        Accumulate(network, inputs, targets, count, plus);
        for (int j = 0; j < p; j++)
        {
            network.Parameters[j] = (float)(saved[j] - t * vector[j]);
        }
        Accumulate(network, inputs, targets, count, minus);
        saved.CopyTo(network.Parameters);
        for (int i = 0; i < p; i++)
        {
            result[i] = (plus[i] - minus[i]) / (2 * t);
        }
        return result;
    }

    private static double OutputSelectingTarget(Loss loss, ReadOnlySpan<float> output, Span<float> target, int k)
    {
        switch (loss)
        {
            case Loss.SquaredError:
                output.CopyTo(target);
                target[k] = output[k] - 1;
                return 1;
            case Loss.BinaryCrossEntropy:
                output.CopyTo(target);
                target[k] = output[k] - 1;
                return (double)output[k] * (1 - (double)output[k]);
            case Loss.CrossEntropy:
                target.Clear();
                target[k] = 1;
                return -(double)output[k];
            case Loss.Hinge:
                // Gradient −y where y·a < 1: yₒ = 0 contributes 0, and yₖ = −t with t·(−aₖ) < 1 contributes t.
                target.Clear();
                float t = output[k] > -1 ? 1f : 0.5f / -output[k];
                target[k] = -t;
                return 1.0 / t;
            default:
                throw new InvalidOperationException($"No output-selecting target for {loss}.");
        }
    }

    private static (ParameterTensor? Weight, ParameterTensor? Bias) FirstDenseLayer(INetwork network)
    {
        if (network.Tensors.Count < 2)
        {
            return (null, null);
        }
        ParameterTensor weight = network.Tensors[0], bias = network.Tensors[1];
        bool dense = weight.Kind == ParameterKind.Weight && weight.Shape.Count == 2 && weight.Shape[1] == network.InputSize
            && bias.Kind == ParameterKind.Bias && bias.Layer == weight.Layer && bias.Shape.Count == 1 && bias.Shape[0] == weight.Shape[0];
        return dense ? (weight, bias) : (null, null);
    }

    private static bool WeightGradientIsOuterProduct(ReadOnlySpan<float> dW, ReadOnlySpan<float> dB, ReadOnlySpan<float> x)
    {
        double scale = 0;
        foreach (float v in dW)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }
        double tolerance = 1e-4 * scale + 1e-30;
        int n = x.Length;
        for (int u = 0; u < dB.Length; u++)
        {
            for (int i = 0; i < n; i++)
            {
                if (Math.Abs(dW[u * n + i] - (double)dB[u] * x[i]) > tolerance)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static double Accumulate(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, Span<double> gradient)
    {
        int n = network.InputSize, m = network.OutputSize, capacity = network.Capacity;
        using var inference = new NetworkModeScope(network, NetworkMode.Inference);
        gradient.Clear();
        float[] outputs = new float[capacity * m];
        double loss = 0;
        for (int start = 0; start < count; start += capacity)
        {
            int batch = Math.Min(capacity, count - start);
            network.Forward(inputs.Slice(start * n, batch * n), outputs, batch);
            network.ZeroGradients();
            float batchLoss = network.Backward(targets.Slice(start * m, batch * m), batch);
            double weight = (double)batch / count;
            loss += weight * batchLoss;
            if (!gradient.IsEmpty)
            {
                Span<float> g = network.Gradients;
                for (int j = 0; j < gradient.Length; j++)
                {
                    gradient[j] += weight * g[j];
                }
            }
        }
        network.ZeroGradients();
        return loss;
    }

    private static float Step(float value, double relative = DefaultStep) => (float)(relative * Math.Max(1, Math.Abs(value)));

    private static void CheckInput(INetwork network, ReadOnlySpan<float> input)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (input.Length != network.InputSize)
        {
            throw new ArgumentException($"{network.Name} takes {network.InputSize} inputs, got {input.Length}.", nameof(input));
        }
    }

    private static void CheckData(INetwork network, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (network.Loss == Loss.None)
        {
            throw new ArgumentException($"{network.Name} has no loss; the loss Hessian needs [Network(Loss = ...)].", nameof(network));
        }
        if (inputs.Length < count * network.InputSize || targets.Length < count * network.OutputSize)
        {
            throw new ArgumentException($"{count} samples need {count * network.InputSize} inputs and {count * network.OutputSize} targets; got {inputs.Length} and {targets.Length}.", nameof(count));
        }
    }
}
