using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests.Layers;

internal static class LayerAssert
{
    /// <summary><paramref name="layers"/>, on the line after <c>[Network]</c>, give one error <paramref name="id"/> on
    /// that line and no generated file.</summary>
    public static void ErrorOnSecondLine(string layers, string id)
    {
        (NetGenRun result, _) = GeneratorHarness.Run($"using NetGen;\n[Network]\n{layers}\npublic partial class Bad;");
        Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(result.GeneratedSources);
    }
}
