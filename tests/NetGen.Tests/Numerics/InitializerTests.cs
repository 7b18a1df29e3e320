using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Numerics;

public sealed class InitializerTests
{
    private const int FanIn = 400, FanOut = 300;

    [Theory]
    [InlineData(Init.LeCunNormal, 1.0 / FanIn)]
    [InlineData(Init.GlorotNormal, 2.0 / (FanIn + FanOut))]
    [InlineData(Init.HeNormal, 2.0 / FanIn)]
    [InlineData(Init.LeCunUniform, 1.0 / FanIn)] // U(±√(3/J)) has variance 1/J
    [InlineData(Init.GlorotUniform, 2.0 / (FanIn + FanOut))]
    [InlineData(Init.HeUniform, 2.0 / FanIn)]
    public void Variance_scaling_initializers_have_the_textbook_variance(Init init, double variance)
    {
        float[] weights = Fill(init, float.NaN);
        double mean = weights.Average(w => (double)w);
        double measured = weights.Average(w => ((double)w - mean) * ((double)w - mean));
        // 120,000 draws: the sample variance is within ±2 % with overwhelming probability (its relative SE is ≤ 0.5 %).
        Assert.InRange(measured, variance * 0.98, variance * 1.02);
        Assert.InRange(mean, -0.01 * Math.Sqrt(variance) * 10, 0.01 * Math.Sqrt(variance) * 10);
        if (init is Init.LeCunUniform or Init.GlorotUniform or Init.HeUniform)
        {
            double bound = Math.Sqrt(3 * variance);
            Assert.All(weights, w => Assert.InRange(w, -bound, bound));
        }
    }

    [Fact]
    public void Constant_zero_uniform_and_normal_use_the_scale()
    {
        Assert.All(Fill(Init.Constant, 0.5f), w => Assert.Equal(0.5f, w));
        Assert.All(Fill(Init.Constant, float.NaN), w => Assert.Equal(0f, w));
        Assert.All(Fill(Init.Zeros, float.NaN), w => Assert.Equal(0f, w));
        float[] uniform = Fill(Init.Uniform, float.NaN);
        Assert.All(uniform, w => Assert.InRange(w, -0.01f, 0.01f));
        Assert.True(uniform.Max() > 0.0099f && uniform.Min() < -0.0099f);
        double std = Math.Sqrt(Fill(Init.Normal, 0.2f).Average(w => (double)w * w));
        Assert.InRange(std, 0.2 * 0.99, 0.2 * 1.01);
    }

    [Fact]
    public void Default_resolves_from_the_activation()
    {
        Assert.Equal(Fill(Init.HeNormal, float.NaN, Activation.ReLU), Fill(Init.Default, float.NaN, Activation.ReLU));
        Assert.Equal(Fill(Init.HeNormal, float.NaN, Activation.LeakyReLU), Fill(Init.Default, float.NaN, Activation.LeakyReLU));
        Assert.Equal(Fill(Init.LeCunNormal, float.NaN, Activation.SELU), Fill(Init.Default, float.NaN, Activation.SELU));
        Assert.Equal(Fill(Init.GlorotUniform, float.NaN, Activation.Tanh), Fill(Init.Default, float.NaN, Activation.Tanh));
        Assert.Equal(Fill(Init.GlorotUniform, float.NaN, Activation.Identity), Fill(Init.Default, float.NaN, Activation.Identity));
    }

    [Fact]
    public void Seeded_random_is_reproducible_and_unbiased()
    {
        var a = new SeededRandom(123);
        var b = new SeededRandom(123);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
        var counts = new int[7];
        var random = new SeededRandom(5);
        for (int i = 0; i < 70_000; i++)
        {
            counts[random.NextInt(7)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    private static float[] Fill(Init init, float scale, Activation activation = Activation.Tanh)
    {
        float[] weights = new float[FanIn * FanOut];
        Initializers.Fill(weights, init, activation, scale, FanIn, FanOut, new SeededRandom(99));
        return weights;
    }
}
