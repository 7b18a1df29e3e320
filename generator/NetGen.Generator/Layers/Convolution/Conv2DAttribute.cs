using System;

namespace NetGen;

/// <summary>
/// A 2-D convolution (cross-correlation, as PyTorch's <c>Conv2d</c>): <c>outChannels</c> kernels of
/// <c>kernelSize × kernelSize</c> over all input channels, then <c>activation</c>. Output size per axis:
/// <c>⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1</c>. Weights are <c>[out_c, in_c, kh, kw]</c>; fan-in is <c>in_c·kh·kw</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Declares a convolution with square kernels.</summary>
    public Conv2DAttribute(int outChannels, int kernelSize, Activation activation = Activation.Identity)
    {
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>Number of output channels (kernels).</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width unless <see cref="KernelHeight"/> or <see cref="KernelWidth"/> is set.</summary>
    public int KernelSize { get; }

    /// <summary>The nonlinearity after the convolution.</summary>
    public Activation Activation { get; }

    /// <summary>Kernel height (0: <see cref="KernelSize"/>).</summary>
    public int KernelHeight { get; set; }

    /// <summary>Kernel width (0: <see cref="KernelSize"/>).</summary>
    public int KernelWidth { get; set; }

    /// <summary>Step between windows (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on each side, used when <see cref="PaddingMode"/> is <see cref="Padding.Explicit"/>.</summary>
    public int Padding { get; set; }

    /// <summary>Valid, Same or Full instead of a number.</summary>
    public Padding PaddingMode { get; set; }

    /// <summary>Spacing between kernel taps (default 1); the effective kernel is <c>d(k − 1) + 1</c>.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Says that input rows and columns no window reaches (when the padded input minus the kernel is not a
    /// multiple of the stride) are meant to be dropped, so warning NG0202 stays quiet (default <see langword="false"/>).</summary>
    public bool DropRemainder { get; set; }

    /// <summary>Whether each output channel has a bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Weight initialization (fan-in <c>in_c·kh·kw</c>, fan-out <c>out_c·kh·kw</c>).</summary>
    public Init Init { get; set; }

    /// <summary>Scale for Constant, Uniform and Normal initialization.</summary>
    public float InitScale { get; set; } = float.NaN;

    /// <summary>Initial value of every bias (default 0).</summary>
    public float BiasInit { get; set; }

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>Weight normalization per output channel (see <see cref="DenseAttribute.WeightNorm"/>): <c>weight_g</c>
    /// [out_c, 1, 1, 1] and <c>weight_v</c> [out_c, in_c, kh, kw].</summary>
    public bool WeightNorm { get; set; }

    /// <summary>The layer's name (default <c>convN</c>).</summary>
    public string? Name { get; set; }
}
