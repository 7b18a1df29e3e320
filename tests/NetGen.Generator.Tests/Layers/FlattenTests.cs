using Xunit;

namespace NetGen.Generator.Tests.Layers;

/// <summary>Flatten in the generator (<c>Layers/Flatten</c>): what the family writes (nothing but its shape: the buffers
/// are shared).</summary>
public sealed class FlattenTests
{
    [Fact]
    public void Snapshot_of_what_the_family_writes()
        => FamilySnapshot.Match("FlattenFamily", "[Input(2, 3, 3)] [Conv2D(2, 1)] [Flatten(Name = \"flat\")] [Dense(2)]");
}
