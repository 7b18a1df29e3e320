using System;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using NetGen.Kernels;

namespace NetGen.Bench.Micro;

/// <summary>Forward and backward of a 784 → 128 ReLU dense layer at batch 32 (2·32·784·128 = 6.4 MFLOP forward).</summary>
[MemoryDiagnoser]
public class DenseLayer
{
    private const int Batch = 32;
    private readonly Dense784x128 _net = new(seed: 1, capacity: Batch);
    private readonly float[] _input = Data.Uniform(Batch * Dense784x128.InputSize, 1);
    private readonly float[] _target = Data.Uniform(Batch * Dense784x128.OutputSize, 2);
    private readonly float[] _output = new float[Batch * Dense784x128.OutputSize];

    /// <summary>Runs one forward pass so <see cref="Backward"/> has activations to read.</summary>
    [GlobalSetup]
    public void Setup() => _net.Forward(_input, _output, Batch);

    [Benchmark]
    public void Forward() => _net.Forward(_input, _output, Batch);

    /// <summary>Backward of the last forward pass (weight, bias and input gradients); gradients accumulate.</summary>
    [Benchmark]
    public float Backward() => _net.Backward(_target, Batch);

    [Benchmark]
    public float ForwardBackward()
    {
        _net.Forward(_input, _output, Batch);
        _net.ZeroGradients();
        return _net.Backward(_target, Batch);
    }
}

/// <summary>LeNet-5's convolutions at batch 64 (conv + bias + ReLU): forward, and backward of the last forward (weight and
/// bias gradients; the second convolution also its input gradient, behind a 1×1 convolution). The backward networks end
/// in a global average pooling, so the loss costs next to nothing.</summary>
[MemoryDiagnoser]
public class LeNetConvolution
{
    private const int Batch = 64;
    private readonly LeNetConv1 _c1 = new(seed: 1, capacity: Batch);
    private readonly LeNetConv2 _c2 = new(seed: 1, capacity: Batch);
    private readonly LeNetConv1Training _c1Training = new(seed: 1, capacity: Batch);
    private readonly LeNetConv2Training _c2Training = new(seed: 1, capacity: Batch);
    private readonly float[] _input1 = Data.Uniform(Batch * LeNetConv1.InputSize, 3);
    private readonly float[] _output1 = new float[Batch * LeNetConv1.OutputSize];
    private readonly float[] _target1 = Data.Uniform(Batch * LeNetConv1Training.OutputSize, 5);
    private readonly float[] _target2 = Data.Uniform(Batch * LeNetConv2Training.OutputSize, 6);
    private readonly float[] _pooled = new float[Batch * 16];
    private readonly float[] _input2 = Data.Uniform(Batch * LeNetConv2.InputSize, 4);
    private readonly float[] _output2 = new float[Batch * LeNetConv2.OutputSize];

    /// <summary>Runs one forward pass of each network so the backward benchmarks have activations to read.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _c1Training.Forward(_input1, _pooled, Batch);
        _c2Training.Forward(_input2, _pooled, Batch);
    }

    /// <summary>1×28×28 → 6×28×28, 5×5, padding 2.</summary>
    [Benchmark]
    public void Conv1Forward() => _c1.Forward(_input1, _output1, Batch);

    /// <summary>6×14×14 → 16×10×10, 5×5.</summary>
    [Benchmark]
    public void Conv2Forward() => _c2.Forward(_input2, _output2, Batch);

    /// <summary>ReLU derivative, weight and bias gradients of the first convolution (no input gradient: first layer).</summary>
    [Benchmark]
    public float Conv1Backward() => _c1Training.Backward(_target1, Batch);

    /// <summary>ReLU derivative, weight, bias and input gradients of the second convolution, and the 1×1 layer's weight gradient.</summary>
    [Benchmark]
    public float Conv2BackwardWithInputGradient() => _c2Training.Backward(_target2, Batch);
}

/// <summary>LeNet-5's first 2×2/2 max pooling at batch 64, behind a 1×1 convolution from one channel (6·784 multiply-adds
/// per sample, in both benchmarks); backward runs on <see cref="LeNetPool1Training"/>.</summary>
[MemoryDiagnoser]
public class LeNetPooling
{
    private const int Batch = 64;
    private readonly LeNetPool1 _net = new(seed: 1, capacity: Batch);
    private readonly LeNetPool1Training _training = new(seed: 1, capacity: Batch);
    private readonly float[] _input = Data.Uniform(Batch * LeNetPool1.InputSize, 7);
    private readonly float[] _output = new float[Batch * LeNetPool1.OutputSize];
    private readonly float[] _pooled = new float[Batch * LeNetPool1Training.OutputSize];
    private readonly float[] _target = Data.Uniform(Batch * LeNetPool1Training.OutputSize, 8);

    [GlobalSetup]
    public void Setup() => _training.Forward(_input, _pooled, Batch);

    [Benchmark]
    public void Forward() => _net.Forward(_input, _output, Batch);

    /// <summary>Max-pooling backward (the maximum found again from the input) and the 1×1 layer's weight gradient.</summary>
    [Benchmark]
    public float Backward() => _training.Backward(_target, Batch);
}

/// <summary>The runtime's element-wise activation kernels on 32 × 128 values (one batch of the dense layer above), and
/// softmax and the fused losses on 32 × 10 values (one batch of a 10-class output layer). The buffers are 64-byte
/// aligned, as a network's workspaces are (a Vector512 loaded from a plain array straddles two cache lines).</summary>
[MemoryDiagnoser]
public class Activations
{
    private const int Count = 32 * 128;
    private const int Rows = 32, Classes = 10;
    private readonly AlignedBuffer _z = Data.Aligned(Data.Uniform(Count, 5, -4f, 4f));
    private readonly AlignedBuffer _a = new(Count);
    private readonly AlignedBuffer _delta = Data.Aligned(Data.Uniform(Count, 6));
    private readonly AlignedBuffer _logits = Data.Aligned(Data.Uniform(Rows * Classes, 7, -4f, 4f));
    private readonly AlignedBuffer _probabilities = new(Rows * Classes);
    private readonly AlignedBuffer _oneHot = Data.Aligned(Data.OneHot(Rows, Classes, 8));
    private readonly AlignedBuffer _binary = Data.Aligned(Data.Bernoulli(Rows * Classes, 9));
    private readonly AlignedBuffer _gradient = new(Rows * Classes);

    [Benchmark]
    public void ReLU() => ActivationKernels.ReLU(_z.Span, _a.Span);

    [Benchmark]
    public void ReLUBackward() => ActivationKernels.ReLUBackward(_z.Span, _a.Span, _delta.Span);

    [Benchmark]
    public void Tanh() => ActivationKernels.Tanh(_z.Span, _a.Span);

    [Benchmark]
    public void TanhBackward() => ActivationKernels.TanhBackward(_z.Span, _a.Span, _delta.Span);

    [Benchmark]
    public void Sigmoid() => ActivationKernels.Sigmoid(_z.Span, _a.Span);

    /// <summary>e^z through the per-vector entry point generated kernels call, at the widest accelerated width.</summary>
    [Benchmark]
    public void Exp()
    {
        ref float z = ref _z.Reference;
        ref float a = ref _a.Reference;
        for (nuint i = 0; i < Count; i += (nuint)Vector512<float>.Count)
        {
            VectorMath.Exp(Vector512.LoadUnsafe(ref z, i)).StoreUnsafe(ref a, i);
        }
    }

    [Benchmark]
    public void Softmax32x10() => ActivationKernels.Softmax(_logits.Span, _probabilities.Span, Rows, Classes);

    [Benchmark]
    public float SoftmaxCrossEntropy32x10() => LossKernels.SoftmaxCrossEntropy(_logits.Span, _oneHot.Span, _gradient.Span, Rows, Classes);

    [Benchmark]
    public float BinaryCrossEntropy32x10() => LossKernels.BinaryCrossEntropyWithLogits(_logits.Span, _binary.Span, _gradient.Span, Rows, Classes);
}

internal static class Data
{
    public static float[] Uniform(int count, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextSingle();
        }
        return values;
    }

    /// <summary>A 64-byte-aligned copy of <paramref name="values"/>.</summary>
    public static AlignedBuffer Aligned(float[] values)
    {
        var buffer = new AlignedBuffer(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    /// <summary>One-hot rows with a random hot class each.</summary>
    public static float[] OneHot(int rows, int classes, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            values[r * classes + random.Next(classes)] = 1f;
        }
        return values;
    }

    /// <summary>Independent 0/1 targets.</summary>
    public static float[] Bernoulli(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.Next(2);
        }
        return values;
    }
}
