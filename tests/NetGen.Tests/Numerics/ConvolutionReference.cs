using System;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Numerics;

/// <summary>
/// A plain convolution or transposed convolution in double precision, PyTorch's definitions. Both pair an image
/// pixel with a grid pixel through weight [grid channel, image channel, ky, kx]: grid (gy, gx) sees image
/// (gy·s − p + ky·d, gx·s − p + kx·d). A convolution's image is its input; a transposed convolution's is its output.
/// </summary>
internal sealed record ConvolutionReference(bool Transposed, int C, int H, int W, int O, int KH, int KW, int Stride, int Padding, int Dilation, int OutputPadding)
{
    private int OutHeight => Transposed ? Stride * (H - 1) - 2 * Padding + Dilation * (KH - 1) + OutputPadding + 1 : (H + 2 * Padding - Dilation * (KH - 1) - 1) / Stride + 1;

    private int OutWidth => Transposed ? Stride * (W - 1) - 2 * Padding + Dilation * (KW - 1) + OutputPadding + 1 : (W + 2 * Padding - Dilation * (KW - 1) - 1) / Stride + 1;

    public int Inputs => C * H * W;

    public int Outputs => O * OutHeight * OutWidth;

    private (int Channels, int Height, int Width) Image => Transposed ? (O, OutHeight, OutWidth) : (C, H, W);

    private (int Channels, int Height, int Width) Grid => Transposed ? (C, H, W) : (O, OutHeight, OutWidth);

    /// <summary>A stride-1 convolution, the shape of the runtime's direct convolution.</summary>
    public static ConvolutionReference Direct(int c, int h, int w, int o, int kh, int kw, int padding, int dilation)
        => new(false, c, h, w, o, kh, kw, 1, padding, dilation, 0);

    public Im2ColConvolution Create() => new(C, H, W, O, OutHeight, OutWidth, KH, KW, Stride, Padding, Dilation, Transposed);

    /// <summary>Calls <paramref name="visit"/>(input index, output index, weight index) for every product of sample s.</summary>
    private void ForEachProduct(int s, Action<int, int, int> visit)
    {
        var (ic, ih, iw) = Image;
        var (gc, gh, gw) = Grid;
        for (int g = 0; g < gc; g++)
        {
            for (int gy = 0; gy < gh; gy++)
            {
                for (int gx = 0; gx < gw; gx++)
                {
                    for (int c = 0; c < ic; c++)
                    {
                        for (int ky = 0; ky < KH; ky++)
                        {
                            for (int kx = 0; kx < KW; kx++)
                            {
                                int iy = gy * Stride + ky * Dilation - Padding, ix = gx * Stride + kx * Dilation - Padding;
                                if (iy >= 0 && iy < ih && ix >= 0 && ix < iw)
                                {
                                    int image = (c * ih + iy) * iw + ix, grid = (g * gh + gy) * gw + gx;
                                    int weight = ((g * ic + c) * KH + ky) * KW + kx;
                                    (int input, int output) = Transposed ? (grid, image) : (image, grid);
                                    visit(s * Inputs + input, s * Outputs + output, weight);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public double[] Forward(float[] x, float[] weights, float[] biases, int n)
    {
        double[] z = new double[n * Outputs];
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < Outputs; i++)
            {
                z[s * Outputs + i] = biases.Length > 0 ? biases[i / (OutHeight * OutWidth)] : 0;
            }
            ForEachProduct(s, (input, output, weight) => z[output] += (double)weights[weight] * x[input]);
        }
        return z;
    }

    public void WeightGradient(float[] x, float[] dz, double[] weightGradient, double[]? biasGradient, int n)
    {
        for (int s = 0; s < n; s++)
        {
            ForEachProduct(s, (input, output, weight) => weightGradient[weight] += (double)dz[output] * x[input]);
            if (biasGradient is not null)
            {
                for (int i = 0; i < Outputs; i++)
                {
                    biasGradient[i / (OutHeight * OutWidth)] += dz[s * Outputs + i];
                }
            }
        }
    }

    public double[] InputGradient(float[] dz, float[] weights, int n)
    {
        double[] dx = new double[n * Inputs];
        for (int s = 0; s < n; s++)
        {
            ForEachProduct(s, (input, output, weight) => dx[input] += (double)weights[weight] * dz[output]);
        }
        return dx;
    }

    /// <summary>Each float within 1e-5 (relative, absolute below 1) of the double it should be.</summary>
        public static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
