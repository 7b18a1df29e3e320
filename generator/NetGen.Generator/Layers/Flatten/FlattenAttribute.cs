using System;

namespace NetGen;

/// <summary>Turns a C×H×W image into a vector of C·H·W features (channel-major, as PyTorch's <c>flatten(1)</c>). Costs
/// nothing: the memory layout is already flat. A dense layer after an image flattens implicitly (info NG0302).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
