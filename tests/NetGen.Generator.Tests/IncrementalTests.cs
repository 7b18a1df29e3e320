using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The pipeline caches: unchanged input reuses everything, a comment edit leaves the plan unchanged, a layer
/// width change modifies it; and no step holds symbols or compilations.</summary>
public sealed class IncrementalTests
{
    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step)
    {
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.True(steps.ContainsKey(step), $"step {step} did not run; ran: {string.Join(", ", steps.Keys)}");
        return [.. steps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, string newSource)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single();
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newSource, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    [Fact]
    public void Same_input_twice_is_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(SnapshotTests.ReadmeExample);
        driver = driver.RunGenerators(compilation.Clone());
        Assert.All(Reasons(driver, TrackingNames.Plan), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void A_comment_edit_leaves_the_plan_unchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(SnapshotTests.ReadmeExample);
        string edited = SnapshotTests.ReadmeExample.Replace("[Network(", "// The README's network.\n[Network(", StringComparison.Ordinal);
        driver = driver.RunGenerators(Edit(compilation, edited));
        Assert.NotEmpty(Reasons(driver, TrackingNames.Plan));
        Assert.All(Reasons(driver, TrackingNames.Plan), r => Assert.True(r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, r.ToString()));
        // The diagnostics branch moves with the text (its locations changed); the emitted source does not.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, TrackingNames.Parse));
    }

    [Fact]
    public void A_layer_width_change_modifies_the_plan()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(SnapshotTests.ReadmeExample);
        driver = driver.RunGenerators(Edit(compilation, SnapshotTests.ReadmeExample.Replace("Dense(128", "Dense(64", StringComparison.Ordinal)));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, TrackingNames.Plan));
        string text = driver.GetRunResult().GeneratedTrees.Single().ToString();
        Assert.Contains("public const int ParameterCount = 50890;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_nodes_or_compilations()
    {
        (GeneratorDriver driver, _) = FirstRun(SnapshotTests.ReadmeExample + "\n[Network] [Input(2)] [Dense(0)] public partial class Broken;");
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in new[] { TrackingNames.Parse, TrackingNames.Infer, TrackingNames.Plan, TrackingNames.Diagnostics })
        {
            foreach (object value in result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value))
            {
                AssertNoForbiddenObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertNoForbiddenObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }
        Assert.False(value is ISymbol or Compilation or SemanticModel or SyntaxNode, $"{path} holds a {value.GetType().Name}");
        // Trees (for diagnostic locations) and descriptors are immutable and allowed; do not walk into them.
        if (value is SyntaxTree or DiagnosticDescriptor || !seen.Add(value))
        {
            return;
        }
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertNoForbiddenObjects(item, $"{path}[{i++}]", seen);
            }
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoForbiddenObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
