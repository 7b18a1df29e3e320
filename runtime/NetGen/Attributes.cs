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
    public InputAttribute(int size) => Size = size;

    /// <summary>Number of input features per sample.</summary>
    public int Size { get; }
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
