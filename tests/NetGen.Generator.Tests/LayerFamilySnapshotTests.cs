using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Codegen;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// One small snapshot per layer family: what the family alone writes into a generated file — its fields, its
/// initialization, its steps of the forward and backward passes and its kernels — for the family's layers of a small
/// network, so that a change to one family shows as a diff of that family's file. The whole generated file is in the
/// full-network snapshots of <see cref="SnapshotTests"/>.
/// </summary>
public sealed class LayerFamilySnapshotTests
{
    /// <summary>Per family, a network whose layers of that family cover its variants (the other layers are not written).</summary>
    public static TheoryData<string, string> Networks => new()
    {
        // A full panel and a narrower one (40 = 32 + 8), and 3 outputs: dot products along the inputs.
        { "DenseFamily", "[Input(48)] [Dense(40, Activation.ReLU, Name = \"fc\")] [Dense(3, Name = \"out\")]" },
        // A direct convolution (stride 1) and an im2col one (stride 2).
        { "ConvolutionFamily", "[Input(2, 7, 7)] [Conv2D(3, 3, Activation.ReLU, Padding = 1, Name = \"same\")] [Conv2D(2, 3, Stride = 2, Name = \"strided\")]" },
        { "TransposedConvolutionFamily", "[Input(2, 3, 3)] [ConvTranspose2D(2, 3, Activation.Tanh, Stride = 2, Padding = 1, OutputPadding = 1, Name = \"up\")]" },
        { "PoolingFamily", "[Input(2, 8, 8)] [Conv2D(2, 1, Activation.ReLU)] [MaxPool2D(2, Name = \"max\")] [AvgPool2D(3, Stride = 1, Padding = 1, Name = \"window\")] [AvgPool2D(2, Name = \"avg\")] [GlobalAvgPool2D(Name = \"global\")]" },
        { "NormalizationFamily", "[Input(4, 3, 3)] [Conv2D(4, 1)] [BatchNorm(Activation.ReLU, Name = \"bn\")] [GroupNorm(2, Name = \"gn\")] [Flatten] [LayerNorm(Name = \"ln\")] [Dense(2)]" },
        { "LocalResponseNormFamily", "[Input(4, 3, 3)] [Conv2D(4, 1)] [LocalResponseNorm(3, Name = \"lrn\")]" },
        { "StochasticFamily", "[Input(6)] [Dense(6)] [Dropout(0.5f, Name = \"drop\")] [AlphaDropout(0.1f, Name = \"alpha\")] [GaussianNoise(0.1f, Name = \"noise\")] [Dense(2)]" },
        { "ResidualFamily", "[Input(6)] [Dense(6, Activation.ReLU, Name = \"a\")] [Dense(6, Name = \"b\")] [Residual(\"a\", Activation.ReLU, Name = \"skip\")] [Dense(4, Name = \"c\")] [Residual(\"skip\", Projection = true, Name = \"projected\")]" },
        { "FlattenFamily", "[Input(2, 3, 3)] [Conv2D(2, 1)] [Flatten(Name = \"flat\")] [Dense(2)]" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_family_writes_what_its_snapshot_shows(string family, string layers)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run($"using NetGen;\nnamespace Families;\n[Network(Loss = Loss.SquaredError)] {layers} public partial class Net;");
        Assert.Empty(GeneratorHarness.Problems(result));
        NetworkPlan plan = Assert.IsType<NetworkPlan>(result.TrackedSteps[TrackingNames.Plan].SelectMany(step => step.Outputs).Single().Value);
        PassSteps forward = PassScheduler.ForwardSteps(plan);
        PassSteps backward = PassScheduler.BackwardSteps(plan, forward.NextNumber);
        var w = new SourceWriter();
        w.Line($"// {family}: {layers}");
        var members = plan.Layers.Where(layer => LayerRegistry.Of(layer).GetType().Name == family).ToList();
        Assert.NotEmpty(members);
        foreach (LayerPlan layer in members)
        {
            LayerFamily owner = LayerRegistry.Of(layer);
            w.Line();
            w.Line($"// ===== {layer.Name} ({layer.Kind}): {owner.Details(plan, layer).TrimStart(',', ' ')}");
            w.Line("// --- fields");
            owner.EmitFields(w, plan, layer);
            w.Line("// --- initialization");
            owner.EmitInitialize(w, layer);
            owner.EmitStateInitialize(w, layer);
            foreach ((string name, string size, string doc) in owner.WorkspaceBuffers(layer))
            {
                w.Line($"// workspace {name}[{size}]: {doc}");
            }
            WriteSteps(w, "forward", forward, layer);
            WriteSteps(w, "backward", backward, layer);
            w.Line("// --- kernels");
            owner.EmitKernels(w, plan, layer, new GradientFlow(plan));
        }
        string text = w.ToString();
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= SourceWriter.MaxLineLength, $"{line.Length} characters: {line}"));
        Snapshot.Match(text, "Families/" + family);
    }

    /// <summary>Every family but the input's, which is the network's input rather than a layer and writes nothing.</summary>
    [Fact]
    public void Every_family_of_the_registry_has_a_snapshot()
    {
        var covered = Networks.Select(row => row.Data.Item1).ToHashSet();
        var registered = typeof(LayerFamily).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(LayerFamily).IsAssignableFrom(type) && type.Name != "InputFamily")
            .Select(type => type.Name);
        Assert.All(registered, name => Assert.Contains(name, covered));
    }

    /// <summary>The parts of the pass's steps that belong to <paramref name="layer"/> (their summaries start with its name).</summary>
    private static void WriteSteps(SourceWriter w, string pass, PassSteps steps, LayerPlan layer)
    {
        foreach (PassSteps.Step step in steps.All)
        {
            foreach ((string summary, string body) in step.Parts.Where(part => part.Summary.StartsWith(layer.Name + ":", System.StringComparison.Ordinal)))
            {
                w.Line($"// --- {pass} step, {step.Kind} over {step.Count ?? "the whole batch"}: {summary}");
                w.Lines(body.TrimEnd('\n'));
            }
        }
    }
}
