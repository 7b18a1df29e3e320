using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NetGen.Tests.Numerics;

// Each case is [Input] → a 1×1 convolution "pre" (set to the identity, so its weight gradient Σ dx·xᵀ exposes the input
// gradient of the layer under test) → the layer under test, with a squared-error loss on its output. Shapes cover both
// convolution paths (direct for stride 1, im2col for larger strides), channel counts 1–17, odd widths that leave vector
// tails, rectangular kernels, dilation, every padding mode, and the 2×2/2 and general pooling paths.

[Network(Loss = Loss.SquaredError)]
[Input(1, 7, 9)]
[Conv2D(1, 1, Bias = false, Name = "pre")]
[Conv2D(1, 3, Name = "layer")]
public partial class ConvSingleChannel;

[Network(Loss = Loss.SquaredError)]
[Input(3, 6, 11)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[Conv2D(5, 3, Padding = 1, Name = "layer")]
public partial class ConvPadded3x3;

[Network(Loss = Loss.SquaredError)]
[Input(2, 9, 13)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(17, 5, Padding = 2, Name = "layer")]
public partial class Conv17Outputs;

[Network(Loss = Loss.SquaredError)]
[Input(17, 10, 10)]
[Conv2D(17, 1, Bias = false, Name = "pre")]
[Conv2D(4, 3, Dilation = 2, Padding = 2, Name = "layer")]
public partial class Conv17InputsDilated;

[Network(Loss = Loss.SquaredError)]
[Input(4, 5, 8)]
[Conv2D(4, 1, Bias = false, Name = "pre")]
[Conv2D(7, 2, KernelWidth = 3, Padding = 1, Name = "layer")]
public partial class ConvRectangular;

[Network(Loss = Loss.SquaredError)]
[Input(5, 4, 21)]
[Conv2D(5, 1, Bias = false, Name = "pre")]
[Conv2D(6, 1, Name = "layer")]
public partial class ConvPointwise;

[Network(Loss = Loss.SquaredError)]
[Input(6, 14, 14)]
[Conv2D(6, 1, Bias = false, Name = "pre")]
[Conv2D(16, 5, Name = "layer")]
public partial class ConvLeNetSecond;

[Network(Loss = Loss.SquaredError)]
[Input(1, 28, 28)]
[Conv2D(1, 1, Bias = false, Name = "pre")]
[Conv2D(6, 5, Padding = 2, Name = "layer")]
public partial class ConvLeNetFirst;

[Network(Loss = Loss.SquaredError)]
[Input(3, 11, 12)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[Conv2D(9, 3, Dilation = 3, Bias = false, Name = "layer")]
public partial class ConvDilation3NoBias;

[Network(Loss = Loss.SquaredError)]
[Input(2, 9, 10)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(3, 3, Dilation = 2, PaddingMode = Padding.Same, Name = "layer")]
public partial class ConvSameDilated;

[Network(Loss = Loss.SquaredError)]
[Input(2, 9, 16)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(3, 7, Padding = 3, Name = "layer")]
public partial class ConvKernel7;

[Network(Loss = Loss.SquaredError)]
[Input(2, 3, 5)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(3, 1, KernelWidth = 3, Name = "layer")]
public partial class ConvSingleRowKernel;

[Network(Loss = Loss.SquaredError)]
[Input(7, 6, 6)]
[Conv2D(7, 1, Bias = false, Name = "pre")]
[Conv2D(2, 3, Dilation = 2, PaddingMode = Padding.Full, Name = "layer")]
public partial class ConvFullDilated;

[Network(Loss = Loss.SquaredError)]
[Input(16, 3, 19)]
[Conv2D(16, 1, Bias = false, Name = "pre")]
[Conv2D(6, 3, Padding = 1, Name = "layer")]
public partial class Conv16Inputs;

[Network(Loss = Loss.SquaredError)]
[Input(3, 7, 9)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[Conv2D(8, 3, Padding = 1, Name = "layer")]
public partial class Conv8Outputs;

[Network(Loss = Loss.SquaredError)]
[Input(2, 6, 6)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(32, 3, Dilation = 2, Bias = false, Name = "layer")]
public partial class Conv32OutputsDilated;

[Network(Loss = Loss.SquaredError)]
[Input(3, 5, 7)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[Conv2D(48, 3, Padding = 1, Name = "layer")]
public partial class Conv48Outputs;

[Network(Loss = Loss.SquaredError)]
[Input(3, 9, 9)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[Conv2D(8, 3, Stride = 2, Padding = 1, Name = "layer")]
public partial class ConvStride2;

[Network(Loss = Loss.SquaredError)]
[Input(2, 10, 7)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[Conv2D(13, 3, Stride = 3, Padding = 1, Name = "layer")]
public partial class ConvStride3;

[Network(Loss = Loss.SquaredError)]
[Input(3, 6, 28)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPool28Wide;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 10)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPool10Wide;

[Network(Loss = Loss.SquaredError)]
[Input(2, 6, 34)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPool34Wide;

#pragma warning disable NG0202 // the odd last row and column are in no window, on purpose
[Network(Loss = Loss.SquaredError)]
[Input(2, 7, 19)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPoolOddSize;

[Network(Loss = Loss.SquaredError)]
[Input(2, 7, 19)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[AvgPool2D(2, Name = "layer")]
public partial class AvgPoolOddSize;
#pragma warning restore NG0202

[Network(Loss = Loss.SquaredError)]
[Input(3, 6, 28)]
[Conv2D(3, 1, Bias = false, Name = "pre")]
[AvgPool2D(2, Name = "layer")]
public partial class AvgPool28Wide;

[Network(Loss = Loss.SquaredError)]
[Input(2, 9, 9)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[MaxPool2D(3, Stride = 2, Name = "layer")]
public partial class MaxPoolOverlapping;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 6)]
[Conv2D(2, 1, Bias = false, Name = "pre")]
[MaxPool2D(2, Padding = 1, Name = "layer")]
public partial class MaxPoolPadded;

// Max pooling after a ReLU layer applies the ReLU's derivative itself (no separate pass): the 2×2 paths with vector
// blocks and a scalar tail, and the general window loop with overlap and padding.
[Network(Loss = Loss.SquaredError)]
[Input(3, 6, 28)]
[Conv2D(3, 1, Activation.ReLU, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPool28WideAfterReLU;

#pragma warning disable NG0202 // the odd last row and column are in no window, on purpose
[Network(Loss = Loss.SquaredError)]
[Input(2, 7, 19)]
[Conv2D(2, 1, Activation.ReLU, Bias = false, Name = "pre")]
[MaxPool2D(2, Name = "layer")]
public partial class MaxPoolOddSizeAfterReLU;
#pragma warning restore NG0202

[Network(Loss = Loss.SquaredError)]
[Input(2, 9, 9)]
[Conv2D(2, 1, Activation.ReLU, Bias = false, Name = "pre")]
[MaxPool2D(3, Stride = 2, Name = "layer")]
public partial class MaxPoolOverlappingAfterReLU;

[Network(Loss = Loss.SquaredError)]
[Input(2, 4, 6)]
[Conv2D(2, 1, Activation.ReLU, Bias = false, Name = "pre")]
[MaxPool2D(2, Padding = 1, Name = "layer")]
public partial class MaxPoolPaddedAfterReLU;

public sealed class ConvolutionConfigurationTests
{
    private const int Capacity = 7;

    private static readonly Dictionary<string, Func<INetwork>> s_cases = new()
    {
        [nameof(ConvSingleChannel)] = () => new ConvSingleChannel(seed: 1, capacity: Capacity),
        [nameof(ConvPadded3x3)] = () => new ConvPadded3x3(seed: 2, capacity: Capacity),
        [nameof(Conv17Outputs)] = () => new Conv17Outputs(seed: 3, capacity: Capacity),
        [nameof(Conv17InputsDilated)] = () => new Conv17InputsDilated(seed: 4, capacity: Capacity),
        [nameof(ConvRectangular)] = () => new ConvRectangular(seed: 5, capacity: Capacity),
        [nameof(ConvPointwise)] = () => new ConvPointwise(seed: 6, capacity: Capacity),
        [nameof(ConvLeNetSecond)] = () => new ConvLeNetSecond(seed: 7, capacity: Capacity),
        [nameof(ConvLeNetFirst)] = () => new ConvLeNetFirst(seed: 8, capacity: Capacity),
        [nameof(ConvDilation3NoBias)] = () => new ConvDilation3NoBias(seed: 9, capacity: Capacity),
        [nameof(ConvSameDilated)] = () => new ConvSameDilated(seed: 10, capacity: Capacity),
        [nameof(ConvKernel7)] = () => new ConvKernel7(seed: 11, capacity: Capacity),
        [nameof(ConvSingleRowKernel)] = () => new ConvSingleRowKernel(seed: 12, capacity: Capacity),
        [nameof(ConvFullDilated)] = () => new ConvFullDilated(seed: 13, capacity: Capacity),
        [nameof(Conv16Inputs)] = () => new Conv16Inputs(seed: 14, capacity: Capacity),
        [nameof(Conv8Outputs)] = () => new Conv8Outputs(seed: 25, capacity: Capacity),
        [nameof(Conv32OutputsDilated)] = () => new Conv32OutputsDilated(seed: 26, capacity: Capacity),
        [nameof(Conv48Outputs)] = () => new Conv48Outputs(seed: 27, capacity: Capacity),
        [nameof(ConvStride2)] = () => new ConvStride2(seed: 15, capacity: Capacity),
        [nameof(ConvStride3)] = () => new ConvStride3(seed: 16, capacity: Capacity),
        [nameof(MaxPool28Wide)] = () => new MaxPool28Wide(seed: 17, capacity: Capacity),
        [nameof(MaxPool10Wide)] = () => new MaxPool10Wide(seed: 18, capacity: Capacity),
        [nameof(MaxPool34Wide)] = () => new MaxPool34Wide(seed: 19, capacity: Capacity),
        [nameof(MaxPoolOddSize)] = () => new MaxPoolOddSize(seed: 20, capacity: Capacity),
        [nameof(AvgPoolOddSize)] = () => new AvgPoolOddSize(seed: 21, capacity: Capacity),
        [nameof(AvgPool28Wide)] = () => new AvgPool28Wide(seed: 22, capacity: Capacity),
        [nameof(MaxPoolOverlapping)] = () => new MaxPoolOverlapping(seed: 23, capacity: Capacity),
        [nameof(MaxPoolPadded)] = () => new MaxPoolPadded(seed: 24, capacity: Capacity),
        [nameof(MaxPool28WideAfterReLU)] = () => new MaxPool28WideAfterReLU(seed: 28, capacity: Capacity),
        [nameof(MaxPoolOddSizeAfterReLU)] = () => new MaxPoolOddSizeAfterReLU(seed: 29, capacity: Capacity),
        [nameof(MaxPoolOverlappingAfterReLU)] = () => new MaxPoolOverlappingAfterReLU(seed: 30, capacity: Capacity),
        [nameof(MaxPoolPaddedAfterReLU)] = () => new MaxPoolPaddedAfterReLU(seed: 31, capacity: Capacity),
    };

    /// <summary>Cases whose identity "pre" layer has a ReLU: the pooling layer sees relu(x), and the gradient reaching
    /// "pre" is multiplied by ReLU′(x) = (x ≥ 0). With inputs in {−1, 0, 1} many windows are all zeros after the ReLU,
    /// their first element a −1 or a 0 before it, so ReLU′(0) = 1 and the first-of-ties rule both show.</summary>
    private static readonly HashSet<string> s_reluBeforeLayer =
        [nameof(MaxPool28WideAfterReLU), nameof(MaxPoolOddSizeAfterReLU), nameof(MaxPoolOverlappingAfterReLU), nameof(MaxPoolPaddedAfterReLU)];

    public static TheoryData<string> Cases => new(s_cases.Keys);

    /// <summary>Forward, loss and every gradient (the layer's weights and bias, and its input gradient through the
    /// identity "pre" layer, and its ReLU where it has one) against a direct double-precision implementation, for every
    /// batch size 1–7. Inputs of pooling cases are drawn from {−1, 0, 1}, so many windows tie and a maximum routed anywhere
    /// but to the first one shows.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_the_double_reference_for_every_batch_size(string name)
    {
        INetwork network = s_cases[name]();
        var layer = new SpatialLayer(network);
        SetIdentity(network, layer.In.C);
        var random = new SeededRandom(31);
        if (layer.HasBias)
        {
            SetTensor(network, "layer.bias", Enumerable.Range(0, layer.Out.C).Select(_ => (float)random.NextGaussian() * 0.5f).ToArray());
        }
        double[] weights = layer.HasWeights ? Tensor(network, network.Parameters, "layer.weight") : [];
        double[] bias = layer.HasBias ? Tensor(network, network.Parameters, "layer.bias") : [];
        int inputSize = network.InputSize, outputSize = network.OutputSize;
        float[] inputs = new float[Capacity * inputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = layer.IsPool ? random.NextInt(3) - 1 : (float)random.NextGaussian();
        }
        float[] targets = Enumerable.Range(0, Capacity * outputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        bool relu = s_reluBeforeLayer.Contains(name);

        for (int n = 1; n <= Capacity; n++)
        {
            float[] outputs = new float[n * outputSize];
            network.Forward(inputs, outputs, n);
            network.ZeroGradients();
            float loss = network.Backward(targets, n);

            double expectedLoss = 0;
            double[] dWeights = new double[weights.Length], dBias = new double[bias.Length];
            double[] dPre = new double[layer.In.C * layer.In.C];
            for (int s = 0; s < n; s++)
            {
                double[] x = Array.ConvertAll(inputs.AsSpan(s * inputSize, inputSize).ToArray(), v => (double)v);
                double[] layerInput = relu ? Array.ConvertAll(x, v => Math.Max(v, 0)) : x;
                (double[] z, double[] bound) = layer.Forward(layerInput, weights, bias);
                double[] dz = new double[outputSize];
                for (int o = 0; o < outputSize; o++)
                {
                    Assert.True(Math.Abs(outputs[s * outputSize + o] - z[o]) <= 1e-6 + 1e-5 * bound[o],
                        $"{name} n={n} sample {s} output {o}: {outputs[s * outputSize + o]:R} vs {z[o]:R}");
                    double difference = z[o] - targets[s * outputSize + o];
                    expectedLoss += 0.5 * difference * difference / n;
                    dz[o] = difference / n;
                }
                double[] dx = layer.Backward(layerInput, dz, weights, dWeights, dBias);
                if (relu)
                {
                    for (int p = 0; p < dx.Length; p++)
                    {
                        dx[p] *= x[p] >= 0 ? 1 : 0;
                    }
                }
                int pixels = layer.In.H * layer.In.W;
                for (int i = 0; i < layer.In.C; i++)
                {
                    for (int j = 0; j < layer.In.C; j++)
                    {
                        for (int p = 0; p < pixels; p++)
                        {
                            dPre[i * layer.In.C + j] += dx[i * pixels + p] * x[j * pixels + p];
                        }
                    }
                }
            }
            Assert.Equal(expectedLoss, loss, 1e-4 * Math.Max(1, expectedLoss));
            AssertClose($"{name} n={n} pre.weight", dPre, Tensor(network, network.Gradients, "pre.weight"));
            if (layer.HasWeights)
            {
                AssertClose($"{name} n={n} layer.weight", dWeights, Tensor(network, network.Gradients, "layer.weight"));
            }
            if (layer.HasBias)
            {
                AssertClose($"{name} n={n} layer.bias", dBias, Tensor(network, network.Gradients, "layer.bias"));
            }
        }
    }

    /// <summary>Every sample of a batch of 7 is bit-identical to the same sample predicted alone.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_batch_position_equals_a_single_prediction(string name)
    {
        INetwork network = s_cases[name]();
        var random = new SeededRandom(5);
        float[] inputs = Enumerable.Range(0, Capacity * network.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] outputs = new float[Capacity * network.OutputSize];
        network.Forward(inputs, outputs, Capacity);
        float[] single = new float[network.OutputSize];
        for (int s = 0; s < Capacity; s++)
        {
            network.Predict(inputs.AsSpan(s * network.InputSize, network.InputSize), single);
            Assert.True(outputs.AsSpan(s * network.OutputSize, network.OutputSize).SequenceEqual(single), $"{name}: sample {s} differs from its prediction");
        }
    }

    private static void AssertClose(string what, double[] expected, double[] actual)
    {
        double scale = Math.Max(expected.Max(Math.Abs), 1e-3);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-5 * scale, $"{what}[{i}]: {actual[i]:R} vs {expected[i]:R} (scale {scale:R})");
        }
    }

    private static void SetIdentity(INetwork network, int channels)
    {
        float[] identity = new float[channels * channels];
        for (int c = 0; c < channels; c++)
        {
            identity[c * channels + c] = 1f;
        }
        SetTensor(network, "pre.weight", identity);
    }

    private static void SetTensor(INetwork network, string name, float[] values) => OracleTests.SetTensor(network, name, values);

    private static double[] Tensor(INetwork network, Span<float> buffer, string name)
    {
        ParameterTensor tensor = network.Tensors.Single(t => t.Name == name);
        float[] values = new float[tensor.Length];
        tensor.CopyTo(buffer, values);
        return Array.ConvertAll(values, v => (double)v);
    }

    /// <summary>The layer named "layer" of a case, from its attribute, computed from the definitions in double.</summary>
    private sealed class SpatialLayer
    {
        private readonly int _kh, _kw, _stride, _padding, _dilation;
        private readonly bool _max;

        public SpatialLayer(INetwork network)
        {
            InputAttribute input = network.GetType().GetCustomAttribute<InputAttribute>()!;
            In = (input.Channels, input.Height, input.Width);
            object attribute = network.GetType().GetCustomAttributes(inherit: false).Last(a => a is Conv2DAttribute or MaxPool2DAttribute or AvgPool2DAttribute);
            switch (attribute)
            {
                case Conv2DAttribute c:
                    (_kh, _kw) = (c.KernelHeight == 0 ? c.KernelSize : c.KernelHeight, c.KernelWidth == 0 ? c.KernelSize : c.KernelWidth);
                    (_stride, _dilation) = (c.Stride, c.Dilation);
                    _padding = c.PaddingMode switch { Padding.Valid => 0, Padding.Same => c.Dilation * (_kh - 1) / 2, Padding.Full => c.Dilation * (_kh - 1), _ => c.Padding };
                    HasWeights = true;
                    HasBias = c.Bias;
                    Out = (c.OutChannels, Size(In.H, _kh), Size(In.W, _kw));
                    break;
                case MaxPool2DAttribute m:
                    (_kh, _kw, _stride, _padding, _dilation, _max) = (m.KernelSize, m.KernelSize, m.Stride == 0 ? m.KernelSize : m.Stride, m.Padding, 1, true);
                    IsPool = true;
                    Out = (In.C, Size(In.H, _kh), Size(In.W, _kw));
                    break;
                case AvgPool2DAttribute a:
                    (_kh, _kw, _stride, _padding, _dilation) = (a.KernelSize, a.KernelSize, a.Stride == 0 ? a.KernelSize : a.Stride, a.Padding, 1);
                    IsPool = true;
                    Out = (In.C, Size(In.H, _kh), Size(In.W, _kw));
                    break;
            }
        }

        public (int C, int H, int W) In { get; }

        public (int C, int H, int W) Out { get; }

        public bool HasWeights { get; }

        public bool HasBias { get; }

        public bool IsPool { get; }

        private int Size(int size, int kernel) => (size + 2 * _padding - _dilation * (kernel - 1) - 1) / _stride + 1;

        /// <summary>The input position a window element reads, or −1 outside the image.</summary>
        private int Source(int c, int oy, int ox, int ky, int kx)
        {
            int iy = oy * _stride - _padding + ky * _dilation, ix = ox * _stride - _padding + kx * _dilation;
            return iy < 0 || iy >= In.H || ix < 0 || ix >= In.W ? -1 : (c * In.H + iy) * In.W + ix;
        }

        /// <summary>Outputs, and for each the sum of the magnitudes of its terms (a bound for the rounding error).</summary>
        public (double[] Z, double[] Bound) Forward(double[] x, double[] weights, double[] bias)
        {
            double[] z = new double[Out.C * Out.H * Out.W], bound = new double[z.Length];
            for (int o = 0; o < Out.C; o++)
            {
                for (int oy = 0; oy < Out.H; oy++)
                {
                    for (int ox = 0; ox < Out.W; ox++)
                    {
                        int at = (o * Out.H + oy) * Out.W + ox;
                        if (IsPool)
                        {
                            (z[at], bound[at]) = PoolWindow(x, o, oy, ox);
                            continue;
                        }
                        double sum = HasBias ? bias[o] : 0, magnitude = Math.Abs(sum);
                        for (int c = 0; c < In.C; c++)
                        {
                            for (int ky = 0; ky < _kh; ky++)
                            {
                                for (int kx = 0; kx < _kw; kx++)
                                {
                                    int source = Source(c, oy, ox, ky, kx);
                                    if (source >= 0)
                                    {
                                        double term = weights[((o * In.C + c) * _kh + ky) * _kw + kx] * x[source];
                                        sum += term;
                                        magnitude += Math.Abs(term);
                                    }
                                }
                            }
                        }
                        (z[at], bound[at]) = (sum, magnitude);
                    }
                }
            }
            return (z, bound);
        }

        private (double Value, double Bound) PoolWindow(double[] x, int c, int oy, int ox)
        {
            int first = FirstMaximum(x, c, oy, ox);
            if (_max)
            {
                return (x[first], Math.Abs(x[first]));
            }
            double sum = 0, magnitude = 0;
            for (int ky = 0; ky < _kh; ky++)
            {
                for (int kx = 0; kx < _kw; kx++)
                {
                    int source = Source(c, oy, ox, ky, kx);
                    if (source >= 0)
                    {
                        sum += x[source];
                        magnitude += Math.Abs(x[source]);
                    }
                }
            }
            return (sum / (_kh * _kw), magnitude);
        }

        /// <summary>The first window element (row-major) holding the window's maximum.</summary>
        private int FirstMaximum(double[] x, int c, int oy, int ox)
        {
            int best = -1;
            for (int ky = 0; ky < _kh; ky++)
            {
                for (int kx = 0; kx < _kw; kx++)
                {
                    int source = Source(c, oy, ox, ky, kx);
                    if (source >= 0 && (best < 0 || x[source] > x[best]))
                    {
                        best = source;
                    }
                }
            }
            return best;
        }

        /// <summary>Adds this sample's weight and bias gradients and returns its input gradient.</summary>
        public double[] Backward(double[] x, double[] dz, double[] weights, double[] dWeights, double[] dBias)
        {
            double[] dx = new double[In.C * In.H * In.W];
            for (int o = 0; o < Out.C; o++)
            {
                for (int oy = 0; oy < Out.H; oy++)
                {
                    for (int ox = 0; ox < Out.W; ox++)
                    {
                        double d = dz[(o * Out.H + oy) * Out.W + ox];
                        if (_max)
                        {
                            dx[FirstMaximum(x, o, oy, ox)] += d;
                            continue;
                        }
                        if (HasBias)
                        {
                            dBias[o] += d;
                        }
                        for (int c = IsPool ? o : 0; c < (IsPool ? o + 1 : In.C); c++)
                        {
                            for (int ky = 0; ky < _kh; ky++)
                            {
                                for (int kx = 0; kx < _kw; kx++)
                                {
                                    int source = Source(c, oy, ox, ky, kx);
                                    if (source < 0)
                                    {
                                        continue;
                                    }
                                    if (IsPool)
                                    {
                                        dx[source] += d / (_kh * _kw);
                                        continue;
                                    }
                                    int w = ((o * In.C + c) * _kh + ky) * _kw + kx;
                                    dWeights[w] += d * x[source];
                                    dx[source] += d * weights[w];
                                }
                            }
                        }
                    }
                }
            }
            return dx;
        }
    }
}
