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

    private enum Kind
    {
        Dense,
        Conv,
        Deconv,
        MaxPool,
        AvgPool,
        GlobalAvgPool,
        Flatten,
    }

    private sealed record Layer(string Name, int Inputs, int Outputs, Activation Activation, double Alpha, bool HasBias)
    {
        public Kind Kind { get; init; }
        public (int C, int H, int W) In { get; init; }
        public (int C, int H, int W) Out { get; init; }
        public int KernelHeight { get; init; } = 1;
        public int KernelWidth { get; init; } = 1;
        public int Stride { get; init; } = 1;
        public int Padding { get; init; }
        public int Dilation { get; init; } = 1;
        public double[] Weights = []; // PyTorch layout: dense [out, in], conv [oc, ic, kh, kw], deconv [ic, oc, kh, kw]
        public double[] Bias = [];
        public bool HasParameters => Kind is Kind.Dense or Kind.Conv or Kind.Deconv;
    }

    private readonly List<Layer> _layers = [];

    public ReferenceNetwork(INetwork network)
    {
        Loss = network.Loss;
        InputSize = network.InputSize;
        InputAttribute input = network.GetType().GetCustomAttribute<InputAttribute>()!;
        var shape = (input.Channels, input.Height, input.Width);
        var counters = new Dictionary<string, int>();
        string NextName(string prefix, string? name) => name ?? prefix + (counters[prefix] = counters.GetValueOrDefault(prefix) + 1);
        static double AlphaOf(Activation activation, float alpha) => float.IsNaN(alpha) ? (activation == Activation.LeakyReLU ? 0.01 : 1.0) : alpha;
        static int Out(int i, int k, int s, int p, int d) => (int)Math.Floor((i + 2.0 * p - d * (k - 1) - 1) / s) + 1;
        foreach (object attribute in network.GetType().GetCustomAttributes(inherit: false))
        {
            int size = shape.Item1 * shape.Item2 * shape.Item3;
            Layer? layer = attribute switch
            {
                DenseAttribute d => new Layer(NextName("dense", d.Name), size, d.Units, d.Activation, AlphaOf(d.Activation, d.Alpha), d.Bias)
                    { Kind = Kind.Dense, In = shape, Out = (d.Units, 1, 1) },
                Conv2DAttribute c => Convolution(c, shape),
                ConvTranspose2DAttribute t => Transposed(t, shape),
                MaxPool2DAttribute m => Pool(Kind.MaxPool, NextName("pool", m.Name), m.KernelSize, m.Stride == 0 ? m.KernelSize : m.Stride, m.Padding, shape),
                AvgPool2DAttribute a => Pool(Kind.AvgPool, NextName("pool", a.Name), a.KernelSize, a.Stride == 0 ? a.KernelSize : a.Stride, a.Padding, shape),
                GlobalAvgPool2DAttribute g => new Layer(NextName("pool", g.Name), size, shape.Item1, Activation.Identity, 0, false)
                    { Kind = Kind.GlobalAvgPool, In = shape, Out = (shape.Item1, 1, 1) },
                FlattenAttribute => new Layer(NextName("flatten", null), size, size, Activation.Identity, 0, false)
                    { Kind = Kind.Flatten, In = shape, Out = (size, 1, 1) },
                _ => null,
            };
            if (layer is not null)
            {
                _layers.Add(layer);
                shape = layer.Out;
            }
        }
        OutputSize = shape.Item1 * shape.Item2 * shape.Item3;

        Layer Convolution(Conv2DAttribute c, (int C, int H, int W) x)
        {
            int kh = c.KernelHeight == 0 ? c.KernelSize : c.KernelHeight, kw = c.KernelWidth == 0 ? c.KernelSize : c.KernelWidth;
            int p = c.PaddingMode switch { Padding.Valid => 0, Padding.Same => c.Dilation * (kh - 1) / 2, Padding.Full => c.Dilation * (kh - 1), _ => c.Padding };
            var o = (c.OutChannels, Out(x.H, kh, c.Stride, p, c.Dilation), Out(x.W, kw, c.Stride, p, c.Dilation));
            return new Layer(NextName("conv", c.Name), x.C * x.H * x.W, o.Item1 * o.Item2 * o.Item3, c.Activation, AlphaOf(c.Activation, c.Alpha), c.Bias)
                { Kind = Kind.Conv, In = x, Out = o, KernelHeight = kh, KernelWidth = kw, Stride = c.Stride, Padding = p, Dilation = c.Dilation };
        }

        Layer Transposed(ConvTranspose2DAttribute t, (int C, int H, int W) x)
        {
            int k = t.KernelSize;
            int Size(int i) => t.Stride * (i - 1) - 2 * t.Padding + t.Dilation * (k - 1) + t.OutputPadding + 1;
            var o = (t.OutChannels, Size(x.H), Size(x.W));
            return new Layer(NextName("deconv", t.Name), x.C * x.H * x.W, o.Item1 * o.Item2 * o.Item3, t.Activation, AlphaOf(t.Activation, t.Alpha), t.Bias)
                { Kind = Kind.Deconv, In = x, Out = o, KernelHeight = k, KernelWidth = k, Stride = t.Stride, Padding = t.Padding, Dilation = t.Dilation };
        }

        static Layer Pool(Kind kind, string name, int k, int s, int p, (int C, int H, int W) x)
        {
            var o = (x.C, (int)Math.Floor((x.H + 2.0 * p - k) / s) + 1, (int)Math.Floor((x.W + 2.0 * p - k) / s) + 1);
            return new Layer(name, x.C * x.H * x.W, o.Item1 * o.Item2 * o.Item3, Activation.Identity, 0, false)
                { Kind = kind, In = x, Out = o, KernelHeight = k, KernelWidth = k, Stride = s, Padding = p };
        }
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
        foreach (Layer layer in _layers.Where(l => l.HasParameters))
        {
            ParameterTensor weight = network.Tensors.Single(t => t.Name == layer.Name + ".weight");
            int[] expectedShape = layer.Kind switch
            {
                Kind.Conv => [layer.Out.C, layer.In.C, layer.KernelHeight, layer.KernelWidth],
                Kind.Deconv => [layer.In.C, layer.Out.C, layer.KernelHeight, layer.KernelWidth],
                _ => [layer.Outputs, layer.Inputs],
            };
            Assert.Equal(expectedShape, weight.Shape);
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
        foreach (Layer layer in _layers.Where(l => l.HasParameters))
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
            if (!IsDenseOnly)
            {
                throw new NotSupportedException("Analytic reference gradients cover dense layers only; use NumericGradient.");
            }
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
            double[] z = layer.Kind switch
            {
                Kind.Dense => DenseForward(layer, x),
                Kind.Conv => ConvForward(layer, x),
                Kind.Deconv => DeconvForward(layer, x),
                Kind.MaxPool or Kind.AvgPool => PoolForward(layer, x),
                Kind.GlobalAvgPool => Enumerable.Range(0, layer.In.C).Select(c => x.Skip(c * layer.In.H * layer.In.W).Take(layer.In.H * layer.In.W).Average()).ToArray(),
                _ => x,
            };
            x = Activate(layer, z);
            zs.Add(z);
            activations.Add(x);
        }
        return (zs, activations);
    }

    private static double[] DenseForward(Layer layer, double[] x)
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
        return z;
    }

    /// <summary>s[oc, a, b] = bias[oc] + Σ w[oc, ic, i, j] · x[ic, a·s − p + i·d, b·s − p + j·d] (cross-correlation, zeros outside).</summary>
    private static double[] ConvForward(Layer l, double[] x)
    {
        double[] z = new double[l.Outputs];
        for (int oc = 0; oc < l.Out.C; oc++)
        {
            for (int a = 0; a < l.Out.H; a++)
            {
                for (int b = 0; b < l.Out.W; b++)
                {
                    double sum = l.HasBias ? l.Bias[oc] : 0;
                    for (int ic = 0; ic < l.In.C; ic++)
                    {
                        for (int i = 0; i < l.KernelHeight; i++)
                        {
                            for (int j = 0; j < l.KernelWidth; j++)
                            {
                                int y = a * l.Stride - l.Padding + i * l.Dilation, xx = b * l.Stride - l.Padding + j * l.Dilation;
                                if (y >= 0 && y < l.In.H && xx >= 0 && xx < l.In.W)
                                {
                                    sum += l.Weights[((oc * l.In.C + ic) * l.KernelHeight + i) * l.KernelWidth + j] * x[(ic * l.In.H + y) * l.In.W + xx];
                                }
                            }
                        }
                    }
                    z[(oc * l.Out.H + a) * l.Out.W + b] = sum;
                }
            }
        }
        return z;
    }

    /// <summary>Each input pixel scatters w[ic, oc, i, j]·x into output (a·s − p + i·d, b·s − p + j·d).</summary>
    private static double[] DeconvForward(Layer l, double[] x)
    {
        double[] z = new double[l.Outputs];
        for (int oc = 0; oc < l.Out.C; oc++)
        {
            for (int p = 0; p < l.Out.H * l.Out.W; p++)
            {
                z[oc * l.Out.H * l.Out.W + p] = l.HasBias ? l.Bias[oc] : 0;
            }
        }
        for (int ic = 0; ic < l.In.C; ic++)
        {
            for (int a = 0; a < l.In.H; a++)
            {
                for (int b = 0; b < l.In.W; b++)
                {
                    for (int oc = 0; oc < l.Out.C; oc++)
                    {
                        for (int i = 0; i < l.KernelHeight; i++)
                        {
                            for (int j = 0; j < l.KernelWidth; j++)
                            {
                                int y = a * l.Stride - l.Padding + i * l.Dilation, xx = b * l.Stride - l.Padding + j * l.Dilation;
                                if (y >= 0 && y < l.Out.H && xx >= 0 && xx < l.Out.W)
                                {
                                    z[(oc * l.Out.H + y) * l.Out.W + xx] += l.Weights[((ic * l.Out.C + oc) * l.KernelHeight + i) * l.KernelWidth + j] * x[(ic * l.In.H + a) * l.In.W + b];
                                }
                            }
                        }
                    }
                }
            }
        }
        return z;
    }

    private static double[] PoolForward(Layer l, double[] x)
    {
        double[] z = new double[l.Outputs];
        for (int c = 0; c < l.Out.C; c++)
        {
            for (int a = 0; a < l.Out.H; a++)
            {
                for (int b = 0; b < l.Out.W; b++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    for (int i = 0; i < l.KernelHeight; i++)
                    {
                        for (int j = 0; j < l.KernelWidth; j++)
                        {
                            int y = a * l.Stride - l.Padding + i, xx = b * l.Stride - l.Padding + j;
                            if (y >= 0 && y < l.In.H && xx >= 0 && xx < l.In.W)
                            {
                                double v = x[(c * l.In.H + y) * l.In.W + xx];
                                best = Math.Max(best, v);
                                sum += v;
                            }
                        }
                    }
                    z[(c * l.Out.H + a) * l.Out.W + b] = l.Kind == Kind.MaxPool ? best : sum / (l.KernelHeight * l.KernelWidth);
                }
            }
        }
        return z;
    }

    /// <summary>The gradient of the mean loss by central differences in double (h = 1e-6), for networks with layers the
    /// analytic reference does not back-propagate.</summary>
    public double[] NumericGradient(float[] inputs, float[] targets, int n)
    {
        const double h = 1e-6;
        double[] gradient = new double[ParameterCount];
        for (int p = 0; p < gradient.Length; p++)
        {
            double saved = this[p];
            this[p] = saved + h;
            double plus = LossAndGradient(inputs, targets, n, null);
            this[p] = saved - h;
            double minus = LossAndGradient(inputs, targets, n, null);
            this[p] = saved;
            gradient[p] = (plus - minus) / (2 * h);
        }
        return gradient;
    }

    /// <summary>True when every layer is dense, so <see cref="LossAndGradient"/> can back-propagate analytically.</summary>
    public bool IsDenseOnly => _layers.TrueForAll(l => l.Kind == Kind.Dense);

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
