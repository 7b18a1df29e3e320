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

    /// <summary>Reparameterizes the weights as <c>w = g·v/‖v‖</c> per output unit (Salimans and Kingma's weight
    /// normalization, PyTorch's <c>weight_norm</c> with <c>dim = 0</c>): the tensors become <c>weight_g</c> [units, 1] and
    /// <c>weight_v</c> [units, in]; <c>g</c> starts at ‖v‖ so the initial weights are those of the plain layer.</summary>
    public bool WeightNorm { get; set; }

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

    /// <summary>Weight normalization per output channel (see <see cref="DenseAttribute.WeightNorm"/>): <c>weight_g</c>
    /// [out_c, 1, 1, 1] and <c>weight_v</c> [out_c, in_c, kh, kw].</summary>
    public bool WeightNorm { get; set; }

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

/// <summary>
/// Batch normalization (Ioffe and Szegedy) of the previous layer's output, then <c>activation</c>. In training mode each
/// feature (each channel of an image, over batch × height × width) is normalized with the batch mean and biased variance,
/// <c>y = γ(x − μ)/√(σ² + ε) + β</c>, and the running averages are updated as PyTorch does:
/// <c>running = (1 − momentum)·running + momentum·batch</c>, the variance with the unbiased m/(m − 1) correction. In
/// inference mode the running averages replace the batch statistics. Tensors: <c>weight</c> (γ, starts at 1),
/// <c>bias</c> (β, 0), and the state <c>running_mean</c> (0) and <c>running_var</c> (1).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>Declares batch normalization followed by <paramref name="activation"/>.</summary>
    public BatchNormAttribute(Activation activation = Activation.Identity) => Activation = activation;

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Weight of the newest batch in the running averages (default 0.1, PyTorch's).</summary>
    public float Momentum { get; set; } = 0.1f;

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β (default <see langword="true"/>); without, y = x̂.</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>bnN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Layer normalization (Ba et al.): each sample is normalized over all of its features (C·H·W for an image) with its own
/// mean and biased variance, <c>y = γ ⊙ (x − μ)/√(σ² + ε) + β</c> with γ and β of the sample's shape (PyTorch's
/// <c>LayerNorm(normalized_shape)</c>). The same in training and inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>Declares layer normalization followed by <paramref name="activation"/>.</summary>
    public LayerNormAttribute(Activation activation = Activation.Identity) => Activation = activation;

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β (default <see langword="true"/>).</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>lnN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Group normalization (Wu and He): the channels are split into <c>groups</c> equal groups and each sample is normalized
/// per group over the group's channels × height × width, then scaled and shifted per channel (PyTorch's
/// <c>GroupNorm(groups, channels)</c>). One group is layer normalization with per-channel γ; as many groups as channels is
/// instance normalization. The same in training and inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GroupNormAttribute : Attribute
{
    /// <summary>Declares group normalization with <paramref name="groups"/> groups followed by <paramref name="activation"/>.</summary>
    public GroupNormAttribute(int groups, Activation activation = Activation.Identity)
    {
        Groups = groups;
        Activation = activation;
    }

    /// <summary>Number of channel groups; must divide the channel count.</summary>
    public int Groups { get; }

    /// <summary>The nonlinearity applied after the affine transform.</summary>
    public Activation Activation { get; }

    /// <summary>Added to the variance before the square root (default 1e-5).</summary>
    public float Epsilon { get; set; } = 1e-5f;

    /// <summary>Whether the layer learns γ and β per channel (default <see langword="true"/>).</summary>
    public bool Affine { get; set; } = true;

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>gnN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Local response normalization across channels (Krizhevsky et al.), with PyTorch's convention: <c>b_c = a_c / (k +
/// (α/n)·Σ a_j²)^β</c>, the sum over the <c>n = size</c> channels <c>c − ⌊n/2⌋ … c + ⌊(n − 1)/2⌋</c> that exist. Note α is
/// divided by n: AlexNet's formula <c>(k + α·Σ a²)^β</c> with α = 1e-4, k = 2 is <c>Alpha = n·1e-4, K = 2</c> here.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LocalResponseNormAttribute : Attribute
{
    /// <summary>Declares local response normalization over windows of <paramref name="size"/> channels.</summary>
    public LocalResponseNormAttribute(int size) => Size = size;

    /// <summary>Channels in each window (n).</summary>
    public int Size { get; }

    /// <summary>α (default 1e-4, divided by n as in PyTorch).</summary>
    public float Alpha { get; set; } = 1e-4f;

    /// <summary>β (default 0.75).</summary>
    public float Beta { get; set; } = 0.75f;

    /// <summary>k (default 1, PyTorch's; AlexNet used 2).</summary>
    public float K { get; set; } = 1f;

    /// <summary>The layer's name (default <c>lrnN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Inverted dropout: in training mode each value is zeroed with probability <c>rate</c> (the DROP probability, as in
/// PyTorch and Keras) and the survivors are scaled by 1/(1 − rate), so inference is the identity. The mask of the last
/// training forward pass is reused by backward. Masks come from the network's seeded <see cref="CompilerServices.INetworkEngine.Random"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout that drops each value with probability <paramref name="rate"/> (0 ≤ rate &lt; 1).</summary>
    public DropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>The layer's name (default <c>dropoutN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Alpha dropout for self-normalizing (SELU) networks (Klambauer et al.): a dropped value is set to SELU's saturation
/// <c>α' = −λα</c> instead of 0, then <c>y = a·x̃ + b</c> with <c>a = (q + α'²q(1 − q))^(−1/2)</c>, <c>b = −a(1 − q)α'</c>
/// and keep probability <c>q = 1 − rate</c>, so zero mean and unit variance survive. Identity in inference mode.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AlphaDropoutAttribute : Attribute
{
    /// <summary>Declares alpha dropout that drops each value with probability <paramref name="rate"/> (0 ≤ rate &lt; 1).</summary>
    public AlphaDropoutAttribute(float rate) => Rate = rate;

    /// <summary>The probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>The layer's name (default <c>dropoutN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>Additive Gaussian noise N(0, σ²) on every value in training mode (a regularizer); identity in inference mode
/// and in backward.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GaussianNoiseAttribute : Attribute
{
    /// <summary>Declares noise of standard deviation <paramref name="standardDeviation"/> (≥ 0).</summary>
    public GaussianNoiseAttribute(float standardDeviation) => StandardDeviation = standardDeviation;

    /// <summary>σ.</summary>
    public float StandardDeviation { get; }

    /// <summary>The layer's name (default <c>noiseN</c>).</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A residual (skip) connection <c>H(x) = F(x) + x</c> (He et al.): adds the output of the earlier layer named
/// <c>from</c> (or <c>"input"</c>, the network input) to the output of the previous layer, then applies
/// <c>activation</c>. The shapes must match (error NG0104) unless <see cref="Projection"/> is set: then the skipped output
/// goes through a learned linear projection first — a dense layer for vectors, a 1×1 convolution with the stride that
/// matches the sizes for images (ResNet's option B) — with tensors <c>name.projection.weight</c> and <c>.bias</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>Declares a skip connection from the layer named <paramref name="from"/>, followed by <paramref name="activation"/>.</summary>
    public ResidualAttribute(string from, Activation activation = Activation.Identity)
    {
        From = from;
        Activation = activation;
    }

    /// <summary>The name of the layer whose output is added (<c>"input"</c> for the network input).</summary>
    public string From { get; }

    /// <summary>The nonlinearity applied to the sum.</summary>
    public Activation Activation { get; }

    /// <summary>Project the skipped output to the shape of the sum with a learned linear map (default
    /// <see langword="false"/>: identity, shapes must match).</summary>
    public bool Projection { get; set; }

    /// <summary>The α of Leaky ReLU or ELU.</summary>
    public float Alpha { get; set; } = float.NaN;

    /// <summary>The layer's name (default <c>resN</c>).</summary>
    public string? Name { get; set; }
}
