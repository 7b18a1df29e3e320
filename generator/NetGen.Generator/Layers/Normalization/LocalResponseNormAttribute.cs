using System;

namespace NetGen;

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
