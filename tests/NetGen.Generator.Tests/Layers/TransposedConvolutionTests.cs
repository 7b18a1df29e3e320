using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Transposed convolutions in the generator (<c>Layers/TransposedConvolution</c>): what the family writes, the
/// output size from the unstretched input, and impossible configurations.</summary>
public sealed class TransposedConvolutionTests
{
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("TransposedConvolutionFamily",
            "[Input(2, 3, 3)] [ConvTranspose2D(2, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1, Name = \"up\")]");

    [Theory]
    [InlineData(2, "3, Stride = 2", 5)]
    [InlineData(2, "3, Stride = 2, OutputPadding = 1", 6)]
    [InlineData(3, "3, Stride = 2, Padding = 1", 5)]
    [InlineData(3, "2, Dilation = 2", 5)]
    public void Output_size_uses_the_unstretched_input(int input, string arguments, int expected)
        => Assert.Equal(expected * expected, OutputSize($"[Input(1, {input}, {input})] [ConvTranspose2D(1, {arguments})]"));

    [Theory]
    [InlineData("[Input(1, 8, 8)] [ConvTranspose2D(2, 3, Stride = 2, OutputPadding = 2)]", "NG0008")]
    [InlineData("[Input(1, 2, 2)] [ConvTranspose2D(1, 1, Padding = 2)]", "NG0103")]
    public void Impossible_configurations_are_errors_at_the_attribute(string layers, string id)
        => LayerAssert.ErrorOnSecondLine(layers, id);
}
