using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network compiled by NetGen. The layers are the layer attributes on the same
/// declaration, in the order written; the first must be <see cref="InputAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The training objective. <see cref="NetGen.Loss.None"/> (the default) makes an inference-only network.</summary>
    public Loss Loss { get; set; }

    /// <summary>A safetensors file (an <c>AdditionalFiles</c> item, matched by file name or trailing path) whose weights
    /// are embedded in the assembly at build time. The build fails if its tensor names, dtypes or shapes do not match the
    /// network; the generated <c>WithEmbeddedWeights()</c> and <c>LoadEmbeddedWeights()</c> load it.</summary>
    public string? Weights { get; set; }
}

/// <summary>The network's input: a vector of <c>size</c> features per sample.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> features.</summary>
    public InputAttribute(int size)
    {
        Size = size;
        Channels = size;
        Height = 1;
        Width = 1;
    }

    /// <summary>Declares an image input of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>
    /// values per sample, stored channel-major (CHW, as PyTorch's NCHW without the batch).</summary>
    public InputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Size = channels * height * width;
    }

    /// <summary>Number of input values per sample.</summary>
    public int Size { get; }

    /// <summary>Channels of an image input (the size of a vector input).</summary>
    public int Channels { get; }

    /// <summary>Height of an image input (1 for a vector).</summary>
    public int Height { get; }

    /// <summary>Width of an image input (1 for a vector).</summary>
    public int Width { get; }
}

/// <summary>A fully connected layer <c>a = f(W·x + b)</c> with <c>units</c> outputs.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer of <paramref name="units"/> outputs followed by <paramref name="activation"/>.</summary>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>The nonlinearity applied to <c>W·x + b</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has a bias vector (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>Weight initialization; <see cref="NetGen.Init.Default"/> picks one from the activation.</summary>
    public Init Init { get; set; }

    /// <summary>The value for <see cref="NetGen.Init.Constant"/>, half-width for <see cref="NetGen.Init.Uniform"/>,
    /// standard deviation for <see cref="NetGen.Init.Normal"/>; unset (NaN) means 0, 0.01 and 0.01.</summary>
    public float InitScale { get; set; } = float.NaN;

    /// <summary>Initial value of every bias (default 0).</summary>
    public float BiasInit { get; set; }

    /// <summary>The α of Leaky ReLU (default 0.01) or ELU (default 1); unset (NaN) means the default.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name in weight files and diagnostics (default <c>denseN</c>, N counting dense layers from 1).</summary>
    public string? Name { get; set; }
}

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

    /// <summary>The layer's name (default <c>convN</c>).</summary>
    public string? Name { get; set; }
}

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

/// <summary>Max pooling over <c>kernelSize × kernelSize</c> windows per channel. Backward routes the gradient to the
/// first maximum of each window in row-major order (ties go to the top-left-most). Padding counts as −∞.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Declares max pooling; the stride defaults to the kernel size.</summary>
    public MaxPool2DAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows (0: the kernel size).</summary>
    public int Stride { get; set; }

    /// <summary>Padding on each side (at most half the kernel).</summary>
    public int Padding { get; set; }

    /// <summary>The layer's name (default <c>poolN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>Average pooling over <c>kernelSize × kernelSize</c> windows per channel; padded positions count as zeros in
/// the average (PyTorch's <c>count_include_pad=True</c>). Backward spreads each gradient evenly over its window.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Declares average pooling; the stride defaults to the kernel size.</summary>
    public AvgPool2DAttribute(int kernelSize) => KernelSize = kernelSize;

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows (0: the kernel size).</summary>
    public int Stride { get; set; }

    /// <summary>Padding on each side (at most half the kernel).</summary>
    public int Padding { get; set; }

    /// <summary>The layer's name (default <c>poolN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>Averages each channel over its whole height and width: C×H×W → C.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : Attribute
{
    /// <summary>The layer's name (default <c>poolN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>Turns a C×H×W image into a vector of C·H·W features (channel-major, as PyTorch's <c>flatten(1)</c>). Costs
/// nothing: the memory layout is already flat. A dense layer after an image flattens implicitly (info NG0302).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
