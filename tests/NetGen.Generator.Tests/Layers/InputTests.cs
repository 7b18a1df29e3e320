using Microsoft.CodeAnalysis;
using Xunit;
using static NetGen.Generator.Tests.GeneratorHarness;

namespace NetGen.Generator.Tests.Layers;

/// <summary>The network's input in the generator (<c>Layers/Input</c>): it comes first, once, with a layer after it, a
/// positive size, and a name no layer takes. It writes no code of its own.</summary>
public sealed class InputTests
{
    [Fact]
    public void NG0002_missing_input()
    {
        Diagnostic d = SingleDiagnostic("NG0002", "[Network] [Dense(2)] public partial class NoInput;");
        Assert.Equal("NoInput", At(d));
        Assert.Contains("no [Input] attribute", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0003_negative_input()
    {
        Diagnostic d = SingleDiagnostic("NG0003", "[Network] [Input(-3)] [Dense(2)] public partial class Negative;");
        Assert.Equal("Input(-3)", At(d));
        Assert.Equal("Input 'Negative' has size = -3; it must be at least 1", Message(d));
    }

    [Fact]
    public void NG0004_input_after_a_layer()
    {
        Diagnostic d = SingleDiagnostic("NG0004", "[Network] [Input(4)] [Dense(2)] [Input(2)] public partial class Late;");
        Assert.Equal("Input(2)", At(d));
        Assert.Contains("position 3", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0006_input_only()
    {
        Diagnostic d = SingleDiagnostic("NG0006", "[Network] [Input(4)] public partial class Lonely;");
        Assert.Contains("no layer after it", Message(d), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_may_not_be_named_input()
    {
        Diagnostic d = SingleDiagnostic("NG0011", "[Network] [Input(8)] [Dense(8, Name = \"input\")] public partial class Named;");
        Assert.Contains("'input'", Message(d), System.StringComparison.Ordinal);
    }
}
