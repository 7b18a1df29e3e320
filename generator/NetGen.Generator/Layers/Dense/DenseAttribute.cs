using System;

namespace NetGen;

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
