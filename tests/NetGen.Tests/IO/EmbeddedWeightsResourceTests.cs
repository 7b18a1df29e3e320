using System;
using System.IO;
using System.Reflection;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.IO;

/// <summary>The generated <c>EmbeddedWeights</c> reads its resource in place, and a resource that is missing or not the
/// file checked at build time is an error naming it. The runtime's own embedded data set stands in for a weights file.</summary>
public sealed class EmbeddedWeightsResourceTests
{
    private const string Resource = "NetGen.Data.digits.csv.gz";
    private static readonly Assembly s_runtime = typeof(INetwork).Assembly;

    [Fact]
    public void The_resource_is_read_in_place_with_its_bytes()
    {
        using Stream stream = s_runtime.GetManifestResourceStream(Resource)!;
        byte[] expected = new byte[stream.Length];
        stream.ReadExactly(expected);

        ReadOnlySpan<byte> bytes = EmbeddedWeightsResource.Bytes(s_runtime, Resource, expected.Length);

        Assert.Equal(expected, bytes.ToArray());
        Assert.True(bytes == EmbeddedWeightsResource.Bytes(s_runtime, Resource, expected.Length), "a second call reads the same memory");
    }

    [Fact]
    public void A_missing_resource_names_itself_and_the_assembly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddedWeightsResource.Bytes(s_runtime, "NetGen.Weights/none.safetensors", 8).Length);
        Assert.StartsWith("Assembly 'NetGen' has no resource 'NetGen.Weights/none.safetensors'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_of_another_length_than_the_checked_file_is_invalid_data()
    {
        var error = Assert.Throws<InvalidDataException>(() => EmbeddedWeightsResource.Bytes(s_runtime, Resource, 3).Length);
        Assert.Contains("'NetGen.Data.digits.csv.gz'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the weights file checked at build time had 3.", error.Message, StringComparison.Ordinal);
    }
}
