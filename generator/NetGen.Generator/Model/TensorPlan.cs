namespace NetGen.Generator.Model;

/// <summary>One named tensor of a network as the runtime's <c>ParameterTensor</c> describes it: PyTorch name, kind
/// (<c>Weight</c>, <c>Bias</c>, <c>Scale</c> or <c>State</c>), offset in its buffer, PyTorch shape, and the width of the
/// output panels the buffer keeps a dense weight in (0: logical order; see <c>DenseLayout</c>).</summary>
internal sealed record TensorPlan(string Name, string Layer, string Kind, int Offset, EquatableArray<int> Shape, int PanelWidth)
{
    /// <summary>A one-dimensional shape.</summary>
    public static EquatableArray<int> Vector(int length) => new[] { length }.ToEquatableArray();
}
