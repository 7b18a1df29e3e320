using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// A plain double-precision MLP written from the textbook formulas, used as the oracle for generated networks. It reads
/// the layer attributes of a network type (activation, α, bias) and the weights from the network's parameter tensors in
/// PyTorch layout, so it shares no code with the generated kernels.
/// </summary>
internal sealed class ReferenceNetwork
{
    private const double SeluLambda = 1.0507009873554805, SeluAlpha = 1.6732632423543772;

    private sealed record Layer(string Name, int Inputs, int Outputs, Activation Activation, double Alpha, bool HasBias)
    {
        public double[] Weights = []; // [out, in]
        public double[] Bias = [];
    }

    private readonly List<Layer> _layers = [];

    public ReferenceNetwork(INetwork network)
    {
        Loss = network.Loss;
        InputSize = network.InputSize;
        DenseAttribute[] dense = network.GetType().GetCustomAttributes<DenseAttribute>().ToArray();
        int inputs = network.InputSize;
        for (int i = 0; i < dense.Length; i++)
        {
            DenseAttribute d = dense[i];
            double alpha = float.IsNaN(d.Alpha) ? (d.Activation == Activation.LeakyReLU ? 0.01 : 1.0) : d.Alpha;
            _layers.Add(new Layer(d.Name ?? $"dense{i + 1}", inputs, d.Units, d.Activation, alpha, d.Bias));
            inputs = d.Units;
        }
        OutputSize = inputs;
        if (OutputSize != network.OutputSize)
        {
            throw new InvalidOperationException("Attributes and generated network disagree on the output size.");
        }
        CopyParametersFrom(network);
    }

    public Loss Loss { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>Every parameter in tensor order and PyTorch layout: the order <see cref="Gradient"/> uses too.</summary>
    public int ParameterCount => _layers.Sum(l => l.Weights.Length + l.Bias.Length);

    public void CopyParametersFrom(INetwork network)
    {
        foreach (Layer layer in _layers)
        {
            ParameterTensor weight = network.Tensors.Single(t => t.Name == layer.Name + ".weight");
            Assert.Equal(new[] { layer.Outputs, layer.Inputs }, weight.Shape);
            float[] w = new float[weight.Length];
            weight.CopyTo(network.Parameters, w);
            layer.Weights = Array.ConvertAll(w, v => (double)v);
            ParameterTensor? bias = network.Tensors.SingleOrDefault(t => t.Name == layer.Name + ".bias");
            Assert.Equal(layer.HasBias, bias is not null);
            if (bias is not null)
            {
                float[] b = new float[bias.Length];
                bias.CopyTo(network.Parameters, b);
                layer.Bias = Array.ConvertAll(b, v => (double)v);
            }
        }
    }

    /// <summary>Reads the gradient buffer of <paramref name="network"/> in the reference's parameter order.</summary>
    public double[] GradientOf(INetwork network)
    {
        var result = new List<double>();
        foreach (Layer layer in _layers)
        {
            foreach (string suffix in layer.HasBias ? new[] { ".weight", ".bias" } : new[] { ".weight" })
            {
                ParameterTensor tensor = network.Tensors.Single(t => t.Name == layer.Name + suffix);
                float[] values = new float[tensor.Length];
                tensor.CopyTo(network.Gradients, values);
                result.AddRange(values.Select(v => (double)v));
            }
        }
        return result.ToArray();
    }

    public double this[int index]
    {
        get => Locate(index, out double[] array, out int at) ? array[at] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            Locate(index, out double[] array, out int at);
            array[at] = value;
        }
    }

    private bool Locate(int index, out double[] array, out int at)
    {
        foreach (Layer layer in _layers)
        {
            if (index < layer.Weights.Length)
            {
                (array, at) = (layer.Weights, index);
                return true;
            }
            index -= layer.Weights.Length;
            if (index < layer.Bias.Length)
            {
                (array, at) = (layer.Bias, index);
                return true;
            }
            index -= layer.Bias.Length;
        }
        (array, at) = ([], -1);
        return false;
    }

    /// <summary>Outputs (after the last activation) for <paramref name="n"/> samples.</summary>
    public double[] Forward(float[] inputs, int n)
    {
        double[] outputs = new double[n * OutputSize];
        for (int s = 0; s < n; s++)
        {
            (List<double[]> _, List<double[]> a) = ForwardSample(inputs, s);
            Array.Copy(a[^1], 0, outputs, s * OutputSize, OutputSize);
        }
        return outputs;
    }

    /// <summary>Mean loss over the batch and, if <paramref name="gradient"/> is given, its gradient by backpropagation.</summary>
    public double LossAndGradient(float[] inputs, float[] targets, int n, double[]? gradient)
    {
        if (gradient is not null)
        {
            Array.Clear(gradient);
        }
        double total = 0;
        for (int s = 0; s < n; s++)
        {
            (List<double[]> z, List<double[]> a) = ForwardSample(inputs, s);
            double[] y = Enumerable.Range(0, OutputSize).Select(o => (double)targets[s * OutputSize + o]).ToArray();
            total += SampleLoss(z[^1], a[^1], y);
            if (gradient is not null)
            {
                Backpropagate(inputs, s, z, a, OutputDelta(z[^1], a[^1], y), gradient, 1.0 / n);
            }
        }
        return total / n;
    }

    private (List<double[]> Z, List<double[]> A) ForwardSample(float[] inputs, int sample)
    {
        double[] x = Enumerable.Range(0, InputSize).Select(i => (double)inputs[sample * InputSize + i]).ToArray();
        var zs = new List<double[]>();
        var activations = new List<double[]>();
        foreach (Layer layer in _layers)
        {
            double[] z = new double[layer.Outputs];
            for (int o = 0; o < layer.Outputs; o++)
            {
                double sum = layer.HasBias ? layer.Bias[o] : 0;
                for (int i = 0; i < layer.Inputs; i++)
                {
                    sum += layer.Weights[o * layer.Inputs + i] * x[i];
                }
                z[o] = sum;
            }
            x = Activate(layer, z);
            zs.Add(z);
            activations.Add(x);
        }
        return (zs, activations);
    }

    private static double[] Activate(Layer layer, double[] z)
    {
        if (layer.Activation == Activation.Softmax)
        {
            return Softmax(z);
        }
        return z.Select(v => layer.Activation switch
        {
            Activation.Identity => v,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
            Activation.Tanh => Math.Tanh(v),
            Activation.ReLU => Math.Max(0, v),
            Activation.LeakyReLU => v >= 0 ? v : layer.Alpha * v,
            Activation.ELU => v > 0 ? v : layer.Alpha * (Math.Exp(v) - 1),
            Activation.SELU => v > 0 ? SeluLambda * v : SeluLambda * SeluAlpha * (Math.Exp(v) - 1),
            Activation.Softplus => Math.Log(1 + Math.Exp(v)),
            Activation.Sign => v >= 0 ? 1 : -1,
            Activation.Step => v >= 0 ? 1 : 0,
            _ => throw new NotSupportedException(layer.Activation.ToString()),
        }).ToArray();
    }

    private static double Derivative(Layer layer, double z)
    {
        return layer.Activation switch
        {
            Activation.Identity => 1,
            Activation.Sigmoid => Math.Exp(-z) / Math.Pow(1 + Math.Exp(-z), 2),
            Activation.Tanh => 1 - Math.Tanh(z) * Math.Tanh(z),
            Activation.ReLU => z >= 0 ? 1 : 0,
            Activation.LeakyReLU => z >= 0 ? 1 : layer.Alpha,
            Activation.ELU => z > 0 ? 1 : layer.Alpha * Math.Exp(z),
            Activation.SELU => z > 0 ? SeluLambda : SeluLambda * SeluAlpha * Math.Exp(z),
            Activation.Softplus => 1 / (1 + Math.Exp(-z)),
            _ => throw new NotSupportedException(layer.Activation.ToString()),
        };
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private double SampleLoss(double[] z, double[] a, double[] y)
    {
        switch (Loss)
        {
            case Loss.SquaredError:
                return Enumerable.Range(0, a.Length).Sum(o => 0.5 * (a[o] - y[o]) * (a[o] - y[o]));
            case Loss.BinaryCrossEntropy:
                return -Enumerable.Range(0, a.Length).Sum(o => y[o] * Math.Log(a[o]) + (1 - y[o]) * Math.Log(1 - a[o]));
            case Loss.CrossEntropy:
                return -Enumerable.Range(0, a.Length).Sum(o => y[o] * Math.Log(a[o]));
            case Loss.SoftmaxCrossEntropy:
                double[] s = Softmax(a);
                return -Enumerable.Range(0, a.Length).Sum(o => y[o] * Math.Log(s[o]));
            case Loss.Hinge:
                return Enumerable.Range(0, a.Length).Sum(o => Math.Max(0, 1 - y[o] * a[o]));
            default:
                throw new NotSupportedException(Loss.ToString());
        }
    }

    /// <summary>∂(sample loss)/∂z of the output layer, by the chain rule through the output activation.</summary>
    private double[] OutputDelta(double[] z, double[] a, double[] y)
    {
        Layer output = _layers[^1];
        double[] da = Loss switch
        {
            Loss.SquaredError => a.Select((v, o) => v - y[o]).ToArray(),
            Loss.BinaryCrossEntropy => a.Select((v, o) => -y[o] / v + (1 - y[o]) / (1 - v)).ToArray(),
            Loss.CrossEntropy => a.Select((v, o) => -y[o] / v).ToArray(),
            Loss.SoftmaxCrossEntropy => Softmax(a).Select((s, o) => s * y.Sum() - y[o]).ToArray(),
            Loss.Hinge => a.Select((v, o) => y[o] * v < 1 ? -y[o] : 0).ToArray(),
            _ => throw new NotSupportedException(Loss.ToString()),
        };
        if (output.Activation == Activation.Softmax)
        {
            // Full Jacobian: ∂aᵢ/∂zₖ = aᵢ(δᵢₖ − aₖ).
            return Enumerable.Range(0, z.Length).Select(k => Enumerable.Range(0, z.Length).Sum(i => da[i] * a[i] * ((i == k ? 1 : 0) - a[k]))).ToArray();
        }
        return z.Select((v, o) => da[o] * Derivative(output, v)).ToArray();
    }

    private void Backpropagate(float[] inputs, int sample, List<double[]> z, List<double[]> a, double[] delta, double[] gradient, double scale)
    {
        int offset = ParameterCount;
        for (int l = _layers.Count - 1; l >= 0; l--)
        {
            Layer layer = _layers[l];
            offset -= layer.Weights.Length + layer.Bias.Length;
            double[] x = l == 0
                ? Enumerable.Range(0, InputSize).Select(i => (double)inputs[sample * InputSize + i]).ToArray()
                : a[l - 1];
            for (int o = 0; o < layer.Outputs; o++)
            {
                for (int i = 0; i < layer.Inputs; i++)
                {
                    gradient[offset + o * layer.Inputs + i] += scale * delta[o] * x[i];
                }
                if (layer.HasBias)
                {
                    gradient[offset + layer.Weights.Length + o] += scale * delta[o];
                }
            }
            if (l > 0)
            {
                Layer previous = _layers[l - 1];
                double[] next = new double[layer.Inputs];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    double sum = 0;
                    for (int o = 0; o < layer.Outputs; o++)
                    {
                        sum += layer.Weights[o * layer.Inputs + i] * delta[o];
                    }
                    next[i] = sum * Derivative(previous, z[l - 1][i]);
                }
                delta = next;
            }
        }
    }
}
