using System;

namespace NetGen;

/// <summary>
/// A 2-D transposed convolution (PyTorch's <c>ConvTranspose2d</c>), the gradient of a convolution with respect to its
/// input: output size <c>s(i − 1) − 2p + d(k − 1) + a + 1</c> with <c>a</c> the output padding. Weights are
/// <c>[in_c, out_c, kh, kw]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvTranspose2DAttribute : Attribute
{
    /// <summary>Declares a transposed convolution with square kernels.</summary>
    public ConvTranspose2DAttribute(int outChannels, int kernelSize, Activation activation = Activation.Identity)
    {
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>Number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>The nonlinearity after the layer.</summary>
    public Activation Activation { get; }

    /// <summary>Stride of the convolution this layer transposes (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Padding of the convolution this layer transposes: removes <c>p</c> rows and columns on each side.</summary>
    public int Padding { get; set; }

    /// <summary>Extra rows and columns added on the bottom and right (must be smaller than the stride or the dilation).</summary>
    public int OutputPadding { get; set; }

    /// <summary>Spacing between kernel taps (default 1).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether each output channel has a bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Weight initialization (fan-in <c>out_c·kh·kw</c> as PyTorch computes it for this layout).</summary>
    public Init Init { get; set; }

    /// <summary>Scale for Constant, Uniform and Normal initialization.</summary>
    public float InitScale { get; set; } = float.NaN;

    /// <summary>Initial value of every bias (default 0).</summary>
    public float BiasInit { get; set; }

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>deconvN</c>).</summary>
    public string? Name { get; set; }
}
