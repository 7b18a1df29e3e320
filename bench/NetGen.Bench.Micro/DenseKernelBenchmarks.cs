using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Bench.Micro;

/// <summary>The dense kernels on the networks of the benchmark workloads (<c>bench/NetGen.Bench/Networks.cs</c>, linked into
/// this project): the blocked GEMM of a square layer, the single-sample path (with the zero inputs of a real image's
/// background), and small-batch training steps.</summary>
[MemoryDiagnoser]
public class DenseKernels
{
    private readonly Dense1024 _square = new(seed: 1, capacity: 256);
    private readonly float[] _squareInput = Data.Uniform(256 * Dense1024.InputSize, 7);
    private readonly float[] _squareOutput = new float[256 * Dense1024.OutputSize];

    private readonly Mlp _mlp = new(seed: 1, capacity: 32);
    private readonly float[] _mlpInput = Data.Uniform(32 * Mlp.InputSize, 8, 0f, 1f);
    private readonly float[] _mlpTarget = OneHot(32, Mlp.OutputSize);
    private readonly float[] _mlpOutput = new float[32 * Mlp.OutputSize];
    private readonly float[] _image = Image();
    private readonly float[] _prediction = new float[Mlp.OutputSize];

    private readonly TinyNet _tiny = new(seed: 1, capacity: 200);
    private readonly float[] _tinyInput = Data.Uniform(200 * TinyNet.InputSize, 9);
    private readonly float[] _tinyTarget = Data.Uniform(200 * TinyNet.OutputSize, 10);
    private readonly float[] _tinyOutput = new float[200 * TinyNet.OutputSize];

    /// <summary>256 × 1024 × 1024 multiply-adds: 2·256·1024² = 537 MFLOP.</summary>
    [Benchmark]
    public void Square1024Batch256() => _square.Forward(_squareInput, _squareOutput, 256);

    /// <summary>One 784-pixel image of which about 60 % are 0 (Fashion-MNIST's background).</summary>
    [Benchmark]
    public void MlpPredict() => _mlp.Predict(_image, _prediction);

    [Benchmark]
    public float MlpTrainingStepBatch32()
    {
        _mlp.Forward(_mlpInput, _mlpOutput, 32);
        _mlp.ZeroGradients();
        return _mlp.Backward(_mlpTarget, 32);
    }

    [Benchmark]
    public float TinyGradientBatch200()
    {
        _tiny.ZeroGradients();
        _tiny.Forward(_tinyInput, _tinyOutput, 200);
        return _tiny.Backward(_tinyTarget, 200);
    }

    private static float[] OneHot(int rows, int columns)
    {
        float[] targets = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            targets[r * columns + r % columns] = 1f;
        }
        return targets;
    }

    /// <summary>A synthetic 28 × 28 image: an ellipse of values in (0, 1] on a background of zeros.</summary>
    private static float[] Image()
    {
        float[] image = new float[784];
        float[] values = Data.Uniform(784, 11, 0.05f, 1f);
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                double dx = (x - 13.5) / 8.5, dy = (y - 13.5) / 11;
                if (dx * dx + dy * dy <= 1)
                {
                    image[y * 28 + x] = values[y * 28 + x];
                }
            }
        }
        return image;
    }
}
