using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Normalization layers in the generator (<c>Layers/Normalization</c>: batch, group and layer normalization,
/// local response normalization): what the families write and their argument checks.</summary>
public sealed class NormalizationTests
{
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("NormalizationFamily", "[Input(4, 3, 3)] [Conv2D(4, 1)] [BatchNorm(Activation.ReLU, Name = \"bn\")] "
            + "[GroupNorm(2, Name = \"gn\")] [Flatten] [LayerNorm(Name = \"ln\")] [Dense(2)]");

    [Fact]
    public void Snapshot_of_what_local_response_normalization_writes()
        => FamilySnapshot.Match("LocalResponseNormFamily", "[Input(4, 3, 3)] [Conv2D(4, 1)] [LocalResponseNorm(3, Name = \"lrn\")]");

    [Fact]
    public void NG0105_groups_must_divide_the_channels()
    {
        Diagnostic d = SingleDiagnostic("NG0105", "[Network] [Input(6, 8, 8)] [GroupNorm(4, Name = \"gn\")] public partial class Groups;");
        Assert.Equal("GroupNorm(4, Name = \"gn\")", At(d));
        Assert.Equal("GroupNorm 'gn' cannot split 6 channels into 4 equal groups (input 6×8×8); use a number of groups that divides 6", Message(d));
    }

    [Theory]
    [InlineData("[BatchNorm(Epsilon = 0f)]", "BatchNorm 'bn1': Epsilon = 0 must be a finite number > 0")]
    [InlineData("[BatchNorm(Momentum = 1.5f)]", "BatchNorm 'bn1': Momentum = 1.5 must be in [0, 1] (the weight of the newest batch in the running averages)")]
    [InlineData("[LayerNorm(Alpha = 0.1f)]", "LayerNorm 'ln1': Alpha applies to LeakyReLU and ELU only, not Identity")]
    [InlineData("[LocalResponseNorm(0)]", "LocalResponseNorm 'lrn1': size = 0 must be at least 1 channel")]
    [InlineData("[LocalResponseNorm(5, K = 0f)]", "LocalResponseNorm 'lrn1': K = 0 must be a finite number > 0 (it keeps the denominator away from 0)")]
    public void NG0008_impossible_arguments(string layer, string message)
        => Assert.Equal(message, Message(SingleDiagnostic("NG0008", $"[Network(Loss = Loss.SquaredError)] [Input(4, 3, 3)] {layer} [Dense(2)] public partial class Bad;")));

    [Fact]
    public void NG0009_softmax_on_a_normalization_layer()
    {
        Diagnostic d = SingleDiagnostic("NG0009", "[Network] [Input(4)] [Dense(4)] [BatchNorm(Activation.Softmax)] public partial class Soft;");
        Assert.Equal("BatchNorm 'bn1' uses Softmax but is not the output layer; softmax couples all units of a layer and is supported only as the last activation", Message(d));
    }
}
