using System;
using System.Linq;
using System.Reflection;
using NetGen.Generator.Layers;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Every layer attribute of the runtime is read by exactly one layer family, under the attribute's kind.</summary>
public sealed class LayerRegistryTests
{
    /// <summary>Layer attributes: the runtime's attributes that a network class may carry several of.</summary>
    private static readonly Type[] s_layerAttributes = typeof(INetwork).Assembly.GetExportedTypes()
        .Where(type => typeof(Attribute).IsAssignableFrom(type)
            && type.GetCustomAttribute<AttributeUsageAttribute>() is { AllowMultiple: true } usage
            && usage.ValidOn.HasFlag(AttributeTargets.Class))
        .ToArray();

    [Fact]
    public void Every_layer_attribute_has_a_family()
    {
        Assert.Equal(16, s_layerAttributes.Length);
        foreach (Type attribute in s_layerAttributes)
        {
            Assert.True(LayerRegistry.TryFindAttribute(attribute.FullName, out LayerFamily family, out string kind), $"{attribute.Name} has no layer family");
            Assert.Equal(attribute.Name[..^"Attribute".Length], kind);
            Assert.Contains(kind, family.Kinds);
            Assert.Same(family, LayerRegistry.Of(kind));
        }
    }

    [Fact]
    public void Only_the_input_family_declares_the_network_input()
    {
        Type input = Assert.Single(s_layerAttributes, attribute => LayerRegistry.Of(attribute.Name[..^"Attribute".Length]).IsNetworkInput);
        Assert.Equal(typeof(InputAttribute), input);
    }

    [Fact]
    public void The_network_attribute_is_not_a_layer()
        => Assert.False(LayerRegistry.TryFindAttribute(typeof(NetworkAttribute).FullName, out _, out _));

    /// <summary>Each family's tests are one class named for its folder under <c>Layers/</c>
    /// (<c>Layers/Pooling</c> → <c>Layers.PoolingTests</c>), and every family but the input's, which writes nothing, has a
    /// snapshot of what it writes.</summary>
    [Fact]
    public void Every_family_has_its_test_class_and_a_snapshot()
    {
        string snapshots = System.IO.Path.Combine(DiagnosticTests.RepositoryRoot(), "tests", "NetGen.Generator.Tests", "Snapshots", "Families");
        var families = typeof(LayerFamily).Assembly.GetTypes().Where(type => !type.IsAbstract && typeof(LayerFamily).IsAssignableFrom(type)).ToList();
        Assert.NotEmpty(families);
        foreach (Type family in families)
        {
            string folder = FolderOf(family);
            Assert.True(typeof(LayerRegistryTests).Assembly.GetType($"NetGen.Generator.Tests.Layers.{folder}Tests") is not null,
                $"{family.Name} (Layers/{folder}) has no test class Layers.{folder}Tests");
            if (family.Name != "InputFamily")
            {
                Assert.True(System.IO.File.Exists(System.IO.Path.Combine(snapshots, family.Name + ".verified.cs")), $"{family.Name} has no snapshot");
            }
        }
    }

    /// <summary>A layer kind is one folder: each layer attribute is written in its family's folder as
    /// <c>Layers/&lt;Folder&gt;/&lt;Name&gt;.cs</c> and compiled into the runtime from there; no other file there is named
    /// like an attribute (the generator's project leaves those files out of its own compilation).</summary>
    [Fact]
    public void Every_layer_attribute_is_written_in_its_family_folder()
    {
        string layers = System.IO.Path.Combine(DiagnosticTests.RepositoryRoot(), "generator", "NetGen.Generator", "Layers");
        foreach (Type attribute in s_layerAttributes)
        {
            string folder = FolderOf(LayerRegistry.Of(attribute.Name[..^"Attribute".Length]).GetType());
            string file = System.IO.Path.Combine(layers, folder, attribute.Name + ".cs");
            Assert.True(System.IO.File.Exists(file), $"{attribute.Name} is not written in Layers/{folder}/");
            Assert.Contains($"public sealed class {attribute.Name} : Attribute", System.IO.File.ReadAllText(file));
        }
        Assert.Equal(s_layerAttributes.Length, System.IO.Directory.GetFiles(layers, "*Attribute.cs", System.IO.SearchOption.AllDirectories).Length);
    }

    /// <summary>The folder under <c>Layers/</c> of a family: its namespace below the registry's.</summary>
    private static string FolderOf(Type family) => family.Namespace![(typeof(LayerFamily).Namespace!.Length + 1)..];
}
