using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Dense layers in the generator (<c>Layers/Dense</c>): what the family writes, its argument checks and its
/// shape rule.</summary>
public sealed class DenseTests
{
    /// <summary>A full panel and a narrower one (40 = 32 + 8), and 3 outputs: dot products along the inputs.</summary>
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("DenseFamily", "[Input(48)] [Dense(40, Activation.ReLU, Name = \"fc\")] [Dense(3, Name = \"out\")]");

    [Fact]
    public void NG0003_zero_units_point_at_that_attribute_with_the_value()
    {
        Diagnostic d = SingleDiagnostic("NG0003", "[Network] [Input(4)] [Dense(3)]\n[Dense(0)] public partial class Zero;");
        Assert.Equal("Dense(0)", At(d));
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("Dense 'dense2' has units = 0; it must be at least 1", Message(d));
    }

    [Fact]
    public void NG0008_alpha_on_an_activation_without_one()
    {
        Diagnostic d = SingleDiagnostic("NG0008", "[Network] [Input(4)] [Dense(2, Activation.Tanh, Alpha = 0.2f)] public partial class Alpha;");
        Assert.Equal("Dense(2, Activation.Tanh, Alpha = 0.2f)", At(d));
        Assert.Equal("Dense 'dense1': Alpha applies to LeakyReLU and ELU only, not Tanh", Message(d));
    }

    [Fact]
    public void After_an_image_it_flattens_with_an_info_message()
    {
        (NetGenRun result, _) = Run("using NetGen;\n[Network] [Input(1, 28, 28)] [Conv2D(6, 5)] [Dense(10)] public partial class Net;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0302");
        Assert.Equal("Dense 'dense1' flattens its 6×24×24 input to 3,456 features (channel-major, as PyTorch's flatten)", Message(d));
    }
}
