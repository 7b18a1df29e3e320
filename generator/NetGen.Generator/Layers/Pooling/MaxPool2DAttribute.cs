using System;

namespace NetGen;

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

    /// <summary>Says that input rows and columns no window reaches (when the padded input minus the kernel is not a
    /// multiple of the stride) are meant to be dropped, so warning NG0202 stays quiet (default <see langword="false"/>).</summary>
    public bool DropRemainder { get; set; }

    /// <summary>The layer's name (default <c>poolN</c>).</summary>
    public string? Name { get; set; }
}
