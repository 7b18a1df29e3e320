using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Stochastic layers in the generator (<c>Layers/Stochastic</c>: dropout, alpha dropout, Gaussian noise): what
/// the family writes and its argument checks.</summary>
public sealed class StochasticTests
{
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("StochasticFamily",
            "[Input(6)] [Dense(6)] [Dropout(0.5f, Name = \"drop\")] [AlphaDropout(0.1f, Name = \"alpha\")] [GaussianNoise(0.1f, Name = \"noise\")] [Dense(2)]");

    [Theory]
    [InlineData("[Dropout(1f)]", "Dropout 'dropout1': rate = 1 must be in [0, 1): it is the probability of dropping a value")]
    [InlineData("[AlphaDropout(-0.1f)]", "AlphaDropout 'dropout1': rate = -0.1 must be in [0, 1): it is the probability of dropping a value")]
    [InlineData("[GaussianNoise(float.PositiveInfinity)]", "GaussianNoise 'noise1': standard deviation = Infinity must be a finite number ≥ 0")]
    public void NG0008_impossible_arguments(string layer, string message)
        => Assert.Equal(message, Message(SingleDiagnostic("NG0008", $"[Network(Loss = Loss.SquaredError)] [Input(4, 3, 3)] {layer} [Dense(2)] public partial class Bad;")));

    [Fact]
    public void NG0203_dropout_on_the_output_is_a_warning_and_still_generates()
    {
        (NetGenRun result, _) = Run("using NetGen;\n[Network(Loss = Loss.SquaredError)] [Input(8)] [Dense(4)] [Dropout(0.5f, Name = \"drop\")] public partial class Noisy;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "NG0203");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Dropout 'drop' is the last layer: in training mode it perturbs the outputs the loss compares with the targets; put it before the output layer", Message(d));
        Assert.Single(result.GeneratedSources);
    }
}
