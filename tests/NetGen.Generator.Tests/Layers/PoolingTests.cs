using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Pooling in the generator (<c>Layers/Pooling</c>): what the family writes, output sizes, impossible
/// configurations, and the ReLU derivative max pooling takes over.</summary>
public sealed class PoolingTests
{
    /// <summary>2×2/2 windows (the runtime's pair kernels), a general window, and global pooling.</summary>
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("PoolingFamily", "[Input(2, 8, 8)] [Conv2D(2, 1, Activation.ReLU)] [MaxPool2D(2, Name = \"max\")] "
            + "[AvgPool2D(3, Stride = 1, Padding = 1, Name = \"window\")] [AvgPool2D(2, Name = \"avg\")] [GlobalAvgPool2D(Name = \"global\")]");

    [Theory]
    [InlineData(4, "2", 2)]
    [InlineData(5, "3, Stride = 1, Padding = 1", 5)]
    [InlineData(6, "3, Stride = 3", 2)]
    public void Output_size(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [MaxPool2D({arguments})]"));

    [Theory]
    [InlineData("[Input(1, 8, 8)] [Dense(4)] [MaxPool2D(2)]", "NG0102")]
    [InlineData("[Input(1, 8, 8)] [MaxPool2D(2, Padding = 2)]", "NG0008")]
    [InlineData("[Input(1, 4, 4)] [MaxPool2D(5)]", "NG0103")]
    public void Impossible_configurations_are_errors_at_the_attribute(string layers, string id)
        => LayerAssert.ErrorOnSecondLine(layers, id);

    /// <summary>Max pooling applies the ReLU derivative of the layer it reads only when nothing else reads that layer: with
    /// a skip from it as well, the derivative keeps its own pass (the skip's gradient needs it too).</summary>
    [Fact]
    public void Max_pooling_folds_the_ReLU_derivative_of_a_layer_only_it_reads()
    {
        const string relu = "[Input(2, 8, 8)] [Conv2D(3, 3, Activation.ReLU, Padding = 1, Name = \"c1\")] [MaxPool2D(2, Name = \"pool\")] [Conv2D(3, 3, Activation.Tanh, Padding = 1)]";
        string folded = GenerateTrainable(relu);
        Assert.Contains("pool: MaxPool2D ∂x and c1: ReLU'", folded, System.StringComparison.Ordinal);
        Assert.DoesNotContain("ActivationKernels.ReLUBackward", folded, System.StringComparison.Ordinal);
        Assert.Contains("BackwardInput(ref float x, ref float sourceZ, ref float dz, ref float dx, int n)", folded, System.StringComparison.Ordinal);

        string shared = GenerateTrainable(relu + " [Residual(\"c1\", Projection = true)]");
        Assert.Contains("ActivationKernels.ReLUBackward", shared, System.StringComparison.Ordinal);
        Assert.DoesNotContain("sourceZ", shared, System.StringComparison.Ordinal);
    }
}
