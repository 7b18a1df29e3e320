using System;

namespace NetGen;

/// <summary>Averages each channel over its whole height and width: C×H×W → C.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2DAttribute : Attribute
{
    /// <summary>The layer's name (default <c>poolN</c>).</summary>
    public string? Name { get; set; }
}
