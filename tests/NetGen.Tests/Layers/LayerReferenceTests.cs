using System;
using System.Linq;
using NetGen.Kernels;
using NetGen.Training;
using Xunit;

namespace NetGen.Tests.Layers;

/// <summary>Forward passes of the normalization, dropout and noise layers against their formulas in double, the
/// training/inference semantics, and the statistics random layers must have.</summary>
public sealed class LayerReferenceTests
{
    [Fact]
    public void Batch_norm_uses_batch_statistics_in_training_and_running_averages_in_inference()
    {
        const int n = 4, c = 3, pixels = 20;
        const double momentum = 0.2, epsilon = 1e-5;
        var net = new ImageBatchNorm(seed: 1, capacity: n);
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f];
        gamma.CopyTo(net.Parameters[..3]);
        beta.CopyTo(net.Parameters[3..6]);
        float[] runningMean = [0.5f, -1f, 0f], runningVariance = [2f, 0.5f, 1f];
        runningMean.CopyTo(net.Engine().State[..3]);
        runningVariance.CopyTo(net.Engine().State[3..6]);
        float[] x = Gaussian(n * c * pixels, seed: 2, mean: 0.7, deviation: 1.3);
        float[] y = new float[x.Length];

        net.Mode = NetworkMode.Inference;
        net.Forward(x, y, n);
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / pixels % c;
            double expected = gamma[ch] * (x[i] - runningMean[ch]) / Math.Sqrt(runningVariance[ch] + epsilon) + beta[ch];
            Assert.Equal(expected, y[i], 1e-5);
        }
        Assert.Equal(runningMean, net.Engine().State[..3].ToArray()); // inference leaves the averages alone

        net.Mode = NetworkMode.Training;
        net.Forward(x, y, n);
        for (int ch = 0; ch < c; ch++)
        {
            double[] values = Enumerable.Range(0, n).SelectMany(s => x.Skip((s * c + ch) * pixels).Take(pixels)).Select(v => (double)v).ToArray();
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            for (int s = 0; s < n; s++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    int i = (s * c + ch) * pixels + p;
                    Assert.Equal(gamma[ch] * (x[i] - mean) / Math.Sqrt(variance + epsilon) + beta[ch], y[i], 1e-4);
                }
            }
            int m = values.Length;
            Assert.Equal((1 - momentum) * runningMean[ch] + momentum * mean, net.Engine().State[ch], 1e-6);
            Assert.Equal((1 - momentum) * runningVariance[ch] + momentum * variance * m / (m - 1), net.Engine().State[c + ch], 1e-5);
        }
    }

    [Fact]
    public void Batch_norm_refuses_a_training_batch_of_one_value_per_feature_and_the_trainer_skips_it()
    {
        var net = new VectorBatchNorm(seed: 1, capacity: 4);
        float[] y = new float[6];
        var error = Assert.Throws<InvalidOperationException>(() => net.Forward(new float[6], y, 1));
        Assert.Contains("BatchNorm 'bn'", error.Message, StringComparison.Ordinal);
        Assert.True(net.Engine().UsesBatchStatistics);
        net.Mode = NetworkMode.Inference;
        net.Forward(new float[6], y, 1); // fine on running averages
        Assert.False(new DenseDropout().Engine().UsesBatchStatistics);
    }

    [Fact]
    public void Layer_and_group_norm_normalize_each_sample_per_group()
    {
        const int n = 3;
        var layer = new ImageLayerNorm(seed: 1, capacity: n);
        var group = new ImageGroupNorm(seed: 1, capacity: n);
        var random = new SeededRandom(5);
        for (int i = 0; i < layer.Parameters.Length; i++)
        {
            layer.Parameters[i] = (float)random.NextGaussian();
        }
        for (int i = 0; i < group.Parameters.Length; i++)
        {
            group.Parameters[i] = (float)random.NextGaussian();
        }
        Check(layer, sampleSize: 60, groups: 1, affineOf: (k, _) => k);
        Check(group, sampleSize: 54, groups: 2, affineOf: (k, _) => k / 9);

        static void Check(INetwork net, int sampleSize, int groups, Func<int, int, int> affineOf)
        {
            float[] x = Gaussian(n * sampleSize, seed: 3, mean: -2, deviation: 3);
            float[] y = new float[x.Length];
            net.Forward(x, y, n);
            int affine = net.Parameters.Length / 2, size = sampleSize / groups;
            for (int s = 0; s < n; s++)
            {
                for (int g = 0; g < groups; g++)
                {
                    double[] values = x.Skip(s * sampleSize + g * size).Take(size).Select(v => (double)v).ToArray();
                    double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
                    for (int k = 0; k < size; k++)
                    {
                        int within = g * size + k, a = affineOf(within, affine);
                        double expected = net.Parameters[a] * (values[k] - mean) / Math.Sqrt(variance + 1e-5) + net.Parameters[affine + a];
                        Assert.Equal(expected, y[s * sampleSize + within], 1e-4);
                    }
                }
            }
        }
    }

    [Fact]
    public void Local_response_norm_follows_the_pytorch_window_and_alpha_over_n()
    {
        // Even size 4: the window of channel c is c − 2 … c + 1.
        const int n = 2, c = 7, pixels = 6, size = 4;
        const double alpha = 0.3, beta = 0.6, k = 1.5;
        var net = new ImageLocalResponseNorm(capacity: n);
        float[] x = Gaussian(n * c * pixels, seed: 4, mean: 0, deviation: 2);
        float[] y = new float[x.Length];
        net.Forward(x, y, n);
        for (int s = 0; s < n; s++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, ch - 2); j <= Math.Min(c - 1, ch + 1); j++)
                    {
                        double v = x[(s * c + j) * pixels + p];
                        sum += v * v;
                    }
                    int i = (s * c + ch) * pixels + p;
                    Assert.Equal(x[i] / Math.Pow(k + alpha / size * sum, beta), y[i], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Dropout_drops_at_its_rate_scales_survivors_and_is_the_identity_at_inference()
    {
        var net = new WideDropout(seed: 3, capacity: 2);
        float[] x = Enumerable.Repeat(1f, 2 * 4000).ToArray();
        float[] y = new float[x.Length];
        net.Forward(x, y, 2);
        int dropped = y.Count(v => v == 0f);
        // 8,000 Bernoulli(0.3) draws: standard deviation √(8000·0.21) ≈ 41; allow 5σ.
        Assert.InRange(dropped, 2400 - 205, 2400 + 205);
        Assert.All(y.Where(v => v != 0f), v => Assert.Equal(1f / 0.7f, v));

        float[] first = (float[])y.Clone();
        net.Forward(x, y, 2);
        Assert.NotEqual(first, y); // fresh masks every training pass

        net.Mode = NetworkMode.Inference;
        net.Forward(x, y, 2);
        Assert.Equal(x, y);
        net.Mode = NetworkMode.MonteCarlo;
        net.Forward(x, y, 2);
        Assert.Contains(0f, y);

        float[] single = new float[4000];
        net.Mode = NetworkMode.Training;
        net.Predict(x.AsSpan(0, 4000), single); // Predict is always inference
        Assert.Equal(x.AsSpan(0, 4000).ToArray(), single);
    }

    [Fact]
    public void Alpha_dropout_constants_match_the_self_normalizing_paper()
    {
        // SEEDS: q = 0.95 → a = 0.954844, b = 0.083936 with α' = −λα.
        (double a, double b) = StochasticKernels.AlphaDropoutCorrection(0.05);
        Assert.Equal(0.954844, a, 6);
        Assert.Equal(0.083936, b, 6);
        Assert.Equal(-1.0507009873554805 * 1.6732632423543772, StochasticKernels.AlphaPrime, 12);
    }

    [Fact]
    public void Alpha_dropout_keeps_zero_mean_and_unit_variance_of_normalized_inputs()
    {
        var net = new WideAlphaDropout(seed: 5, capacity: 16);
        float[] x = Gaussian(16 * 4000, seed: 6, mean: 0, deviation: 1);
        float[] y = new float[x.Length];
        net.Forward(x, y, 16);
        (double mean, double variance) = Moments(y);
        // 64,000 values: the standard error of the mean is ~0.004, of the variance ~0.006.
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.97, 1.03);
        (double a, double b) = StochasticKernels.AlphaDropoutCorrection(0.05);
        float droppedValue = (float)(a * StochasticKernels.AlphaPrime + b);
        int dropped = y.Count(v => v == droppedValue);
        Assert.InRange(dropped, 3200 - 300, 3200 + 300);
        for (int i = 0; i < 200; i++)
        {
            if (y[i] != droppedValue)
            {
                Assert.Equal(a * x[i] + b, y[i], 1e-5);
            }
        }
    }

    [Fact]
    public void Gaussian_noise_has_the_stated_deviation_and_vanishes_at_inference()
    {
        var net = new WideNoise(seed: 7, capacity: 4);
        float[] x = Gaussian(4 * 4000, seed: 8, mean: 3, deviation: 1);
        float[] y = new float[x.Length];
        net.Forward(x, y, 4);
        (double mean, double variance) = Moments(y.Zip(x, (a, b) => a - b).ToArray());
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(Math.Sqrt(variance), 0.49, 0.51);
        net.Mode = NetworkMode.Inference;
        net.Forward(x, y, 4);
        Assert.Equal(x, y);
    }

    [Fact]
    public void The_same_generator_state_replays_the_same_masks_and_initialize_reseeds_it()
    {
        var net = new DenseDropout(seed: 1, capacity: 4);
        float[] x = Gaussian(4 * 5, seed: 9, mean: 0, deviation: 1);
        float[] a = new float[12], b = new float[12];
        SeededRandomState state = net.Engine().Random.State;
        net.Forward(x, a, 4);
        net.Engine().Random.State = state;
        net.Forward(x, b, 4);
        Assert.Equal(a, b);
        net.Initialize(1);
        var twin = new DenseDropout(seed: 1, capacity: 4);
        net.Forward(x, a, 4);
        twin.Forward(x, b, 4);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Monte_carlo_dropout_reports_mean_and_spread_and_restores_the_mode()
    {
        var net = new DenseDropout(seed: 2, capacity: 4);
        net.Mode = NetworkMode.Inference;
        float[] input = Gaussian(5, seed: 10, mean: 0, deviation: 1);
        SeededRandomState state = net.Engine().Random.State;
        (float[] mean, float[] spread) = MonteCarloDropout.Predict(net, input, passes: 200);
        Assert.Equal(NetworkMode.Inference, net.Mode);
        Assert.All(spread, s => Assert.True(s > 0f));

        // The same passes by hand.
        net.Engine().Random.State = state;
        net.Mode = NetworkMode.MonteCarlo;
        double[] sum = new double[3], squares = new double[3];
        float[] output = new float[3];
        for (int r = 0; r < 200; r++)
        {
            net.Forward(input, output, 1);
            for (int o = 0; o < 3; o++)
            {
                sum[o] += output[o];
                squares[o] += (double)output[o] * output[o];
            }
        }
        for (int o = 0; o < 3; o++)
        {
            double m = sum[o] / 200;
            Assert.Equal(m, mean[o], 1e-5);
            Assert.Equal(Math.Sqrt(squares[o] / 200 - m * m), spread[o], 1e-4);
        }

        // Inverted dropout is unbiased for the layer after it: the Monte-Carlo mean approaches the deterministic output.
        net.Mode = NetworkMode.Inference;
        net.Predict(input, output);
        for (int o = 0; o < 3; o++)
        {
            Assert.True(Math.Abs(mean[o] - output[o]) <= 4 * spread[o] / Math.Sqrt(200), $"output {o}: MC mean {mean[o]}, inference {output[o]}, spread {spread[o]}");
        }
    }

    [Fact]
    public void Weight_norm_starts_at_the_plain_weights_and_computes_g_v_over_norm()
    {
        var net = new DenseWeightNorm(seed: 4, capacity: 2);
        ParameterTensor g = net.Tensors.Single(t => t.Name == "fc1.weight_g"), v = net.Tensors.Single(t => t.Name == "fc1.weight_v");
        Assert.Equal([7, 1], g.Shape);
        Assert.Equal([7, 5], v.Shape);
        float[] direction = new float[35];
        v.CopyTo(net.Parameters, direction);
        for (int o = 0; o < 7; o++)
        {
            double norm = Math.Sqrt(direction.Skip(o * 5).Take(5).Sum(d => (double)d * d));
            Assert.Equal(norm, g.Slice(net.Parameters)[o], 1e-5);
        }
        // Change g of one unit: its weights scale with it. Reference in double: y = W2·tanh(W1·x + b1) + b2, W = g·v/‖v‖.
        g.Slice(net.Parameters)[2] *= 3f;
        float[] x = Gaussian(10, seed: 11, mean: 0, deviation: 1);
        float[] y = new float[6];
        net.Forward(x, y, 2);
        double[,] w1 = Effective(net, "fc1"), w2 = Effective(net, "fc2");
        float[] b1 = net.Tensors.Single(t => t.Name == "fc1.bias").Slice(net.Parameters).ToArray();
        float[] b2 = net.Tensors.Single(t => t.Name == "fc2.bias").Slice(net.Parameters).ToArray();
        for (int s = 0; s < 2; s++)
        {
            double[] h = new double[7];
            for (int o = 0; o < 7; o++)
            {
                double sum = b1[o];
                for (int k = 0; k < 5; k++)
                {
                    sum += w1[o, k] * x[s * 5 + k];
                }
                h[o] = Math.Tanh(sum);
            }
            for (int o = 0; o < 3; o++)
            {
                double sum = b2[o];
                for (int k = 0; k < 7; k++)
                {
                    sum += w2[o, k] * h[k];
                }
                Assert.Equal(sum, y[s * 3 + o], 1e-5);
            }
        }

        static double[,] Effective(INetwork net, string layer)
        {
            ParameterTensor g = net.Tensors.Single(t => t.Name == layer + ".weight_g"), v = net.Tensors.Single(t => t.Name == layer + ".weight_v");
            int units = v.Shape[0], fanIn = v.Shape[1];
            float[] values = new float[v.Length];
            v.CopyTo(net.Parameters, values);
            var w = new double[units, fanIn];
            for (int o = 0; o < units; o++)
            {
                double norm = Math.Sqrt(values.Skip(o * fanIn).Take(fanIn).Sum(d => (double)d * d));
                for (int k = 0; k < fanIn; k++)
                {
                    w[o, k] = g.Slice(net.Parameters)[o] * values[o * fanIn + k] / norm;
                }
            }
            return w;
        }
    }

    [Fact]
    public void A_deep_selu_network_keeps_activations_near_zero_mean_and_unit_variance()
    {
        // 32 SELU layers of 256 units with LeCun-normal weights (the default for SELU) and zero biases, on N(0, 1)
        // inputs. Self-normalization predicts mean 0 and variance 1 at every depth; finite width and one draw of the
        // weights leave fluctuations of a few percent that do not grow with depth (measured: |mean| ≤ 0.04, variance
        // 0.98–1.08), so every layer must stay within ±0.05 of mean 0 and within [0.9, 1.1] in variance. The same stack
        // with tanh (not self-normalizing) loses its variance.
        var deep = new DeepSelu(seed: 1, capacity: 64);
        float[] x = Gaussian(64 * 256, seed: 12, mean: 0, deviation: 1);
        float[] y = new float[x.Length];
        deep.Forward(x, y, 64);
        for (int depth = 1; depth <= 32; depth++)
        {
            (double mean, double variance) = Moments(deep.LayerOutput("dense" + depth).ToArray());
            TestContext.Current.TestOutputHelper?.WriteLine($"depth {depth,2}: mean {mean:F4}, variance {variance:F4}");
            Assert.InRange(mean, -0.05, 0.05);
            Assert.InRange(variance, 0.9, 1.1);
        }

        var tanh = new DeepTanh(seed: 1, capacity: 64);
        tanh.Forward(x, y, 64);
        (_, double tanhVariance) = Moments(y);
        Assert.True(tanhVariance < 0.2, $"tanh variance {tanhVariance}");
    }

    [Fact]
    public void Selu_moment_map_has_the_fixed_point_jacobian_of_the_paper()
    {
        // With normalized weights (Σw = 0, Σw² = 1) a unit's input is N(0, ν) whatever the mean μ of the layer below; the
        // moment map (μ, ν) ↦ (E[selu z], Var[selu z]) has at (0, 1) the Jacobian [[0, 0.0888348], [0, 0.7826479]]
        // (Klambauer et al.). The expectations integrate NetGen's own SELU kernel over a fine grid in double.
        static (double Mean, double Variance) Moments(double nu)
        {
            const int points = 200_001;
            const double half = 12.0;
            float[] z = new float[points], a = new float[points];
            double step = 2 * half / (points - 1), sd = Math.Sqrt(nu);
            for (int i = 0; i < points; i++)
            {
                z[i] = (float)(sd * (-half + i * step));
            }
            ActivationKernels.SELU(z, a);
            double m1 = 0, m2 = 0;
            for (int i = 0; i < points; i++)
            {
                double u = -half + i * step, weight = Math.Exp(-0.5 * u * u) / Math.Sqrt(2 * Math.PI) * step;
                m1 += weight * a[i];
                m2 += weight * (double)a[i] * a[i];
            }
            return (m1, m2 - m1 * m1);
        }
        (double mean, double variance) = Moments(1.0);
        Assert.Equal(0.0, mean, 3);
        Assert.Equal(1.0, variance, 3);
        const double h = 1e-3;
        (double meanPlus, double variancePlus) = Moments(1.0 + h);
        (double meanMinus, double varianceMinus) = Moments(1.0 - h);
        Assert.Equal(0.0888348, (meanPlus - meanMinus) / (2 * h), 5);
        Assert.Equal(0.7826479, (variancePlus - varianceMinus) / (2 * h), 5);
    }

    [Fact]
    public void Layer_outputs_are_the_hidden_activations_of_the_last_pass()
    {
        var net = new DenseBatchNorm(seed: 2, capacity: 4);
        Assert.Throws<ArgumentException>(() => net.LayerOutput("bn"));
        float[] x = Gaussian(4 * 5, seed: 13, mean: 0, deviation: 1);
        float[] y = new float[12];
        net.Forward(x, y, 4);
        Assert.Equal(28, net.LayerOutput("dense1").Length);
        Assert.Equal(y, net.LayerOutput("dense2").ToArray());
        Assert.All(net.LayerOutput("bn").ToArray(), v => Assert.InRange(v, -1f, 1f)); // tanh after the normalization
        var error = Assert.Throws<ArgumentException>(() => net.LayerOutput("fc9"));
        Assert.Contains("its layers are dense1, bn, dense2", error.Message, StringComparison.Ordinal);
    }

    internal static float[] Gaussian(int count, int seed, double mean, double deviation)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(mean + deviation * random.NextGaussian())).ToArray();
    }

    private static (double Mean, double Variance) Moments(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return (mean, values.Average(v => ((double)v - mean) * (v - mean)));
    }
}
