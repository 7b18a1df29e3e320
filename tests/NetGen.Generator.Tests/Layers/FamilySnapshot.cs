using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Codegen;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;
using Xunit;

namespace NetGen.Generator.Tests.Layers;

/// <summary>
/// A family's snapshot: what the family alone writes into a generated file — its fields, its initialization, its steps of
/// the forward and backward passes and its kernels — for the family's layers of a small network, so that a change to one
/// family shows as a diff of that family's file (<c>Snapshots/Families</c>). The whole generated file is in the
/// full-network snapshots of <see cref="SnapshotTests"/>.
/// </summary>
internal static class FamilySnapshot
{
    /// <summary>Generates a network of <paramref name="layers"/> and matches what the layers of
    /// <paramref name="family"/> write (the other layers are not written) with its snapshot.</summary>
    public static void Match(string family, string layers)
    {
        (NetGenRun result, _) = GeneratorHarness.Run($"using NetGen;\nnamespace Families;\n[Network(Loss = Loss.SquaredError)] {layers} public partial class Net;");
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
