using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Codegen;
using NetGen.Generator.Model;
using NetGen.Generator.Passes;

namespace NetGen.Generator.Layers;

/// <summary>
/// Everything the generator knows about one family of layers, kept in one folder under <c>Layers/</c>: how its attributes
/// parse into its options record, its argument checks and shape rule with their diagnostics, its tensors, its line in the
/// remarks table, its buffers and steps in the forward and backward passes, and its kernels. The pipeline, the network
/// shell and the pass scheduler reach a layer only through this class, found in <see cref="LayerRegistry"/> by kind.
/// Families are stateless: one instance serves every network.
/// </summary>
internal abstract class LayerFamily
{
    /// <summary>The layer kinds of the family; kind K is declared by the attribute <c>NetGen.KAttribute</c>.</summary>
    public abstract IReadOnlyList<string> Kinds { get; }

    /// <summary>The attribute as written, before any check.</summary>
    public abstract LayerSpec Parse(string kind, AttributeData attribute, AttributeSyntax syntax);

    /// <summary>Whether the family's attribute declares the network input, which comes first and has no plan of its own.</summary>
    public virtual bool IsNetworkInput => false;

    /// <summary>For the network input: its shape, or null after reporting why it has none.</summary>
    public virtual Shape? InputShape(LayerSpec layer, string typeName, List<DiagnosticInfo> diagnostics) => null;

    /// <summary>The default name of a layer is this prefix and its number among the layers with the same prefix.</summary>
    public abstract string NamePrefix(string kind);

    /// <summary>Checks of the arguments that need no shapes; run for every layer, even after a shape error.</summary>
    public virtual void CheckArguments(LayerContext context)
    {
    }

    /// <summary>The shape rule: the layer's plan for an input of shape <paramref name="input"/>, or null after reporting
    /// why there is none. The plan's offsets are placed later (<see cref="Place"/>).</summary>
    public abstract LayerPlan? Plan(LayerContext context, Shape input);

    /// <summary>The number of parameters the layer adds to the buffer, counted from the shapes where the plan's counts are
    /// capped at <see cref="int.MaxValue"/> (to report a network too large).</summary>
    public virtual long ParameterCount(LayerPlan layer) => (long)layer.ScaleCount + layer.WeightCount + layer.BiasCount;

    /// <summary>Floating-point operations per sample of the layer's forward pass (a multiply-add counts 2).</summary>
    public virtual long Flops(LayerPlan layer) => layer.Flops;

    /// <summary>The layer with its parameters placed from <paramref name="start"/> in the buffer: scales, weights, biases.</summary>
    public virtual LayerPlan Place(LayerPlan layer, int start)
        => layer with { ScaleOffset = start, WeightOffset = start + layer.ScaleCount, BiasOffset = start + layer.ScaleCount + layer.WeightCount };

    /// <summary>Floats of convolution scratch the layer needs per thread in the training and the prediction workspace.</summary>
    public virtual (int Training, int Prediction) Scratch(LayerPlan layer, bool trainable) => (0, 0);

    /// <summary>Whether the layer has buffers and steps of its own; a layer without (flatten) is looked through.</summary>
    public virtual bool OwnsOutput => true;

    /// <summary>Whether the layer is random in training and the identity in inference.</summary>
    public virtual bool IsStochastic => false;

    /// <summary>Whether the layer normalizes with statistics over the batch in training.</summary>
    public virtual bool UsesBatchStatistics(LayerPlan layer) => false;

    /// <summary>The layer's parameter tensors, in buffer order.</summary>
    public virtual void AddTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
    }

    /// <summary>The layer's state tensors (running statistics), in buffer order.</summary>
    public virtual void AddStateTensors(List<TensorPlan> tensors, LayerPlan layer)
    {
    }

    /// <summary>What the remarks table says about the layer after its kind and before its shapes.</summary>
    public virtual string Details(NetworkPlan plan, LayerPlan layer) => "";

    /// <summary>Fields of the network class the layer needs beyond the shared buffers.</summary>
    public virtual void EmitFields(SourceWriter w, NetworkPlan plan, LayerPlan layer)
    {
    }

    /// <summary>Statements of <c>Initialize(seed)</c> that fill the layer's parameters (<c>p</c>, <c>random</c>).</summary>
    public virtual void EmitInitialize(SourceWriter w, LayerPlan layer)
    {
    }

    /// <summary>Statements of <c>Initialize(seed)</c> that reset the layer's state, after every layer's parameters.</summary>
    public virtual void EmitStateInitialize(SourceWriter w, LayerPlan layer)
    {
    }

    /// <summary>The layer's workspace buffers beyond Z, A and G: (member name without index, size expression over
    /// <c>capacity</c> and <c>training</c>, what it holds).</summary>
    public virtual IEnumerable<(string Name, string Size, string Doc)> WorkspaceBuffers(LayerPlan layer) => [];

    /// <summary>Whether the layer's forward kernel applies its activation itself (no separate activation step).</summary>
    public virtual bool FusesActivation(LayerPlan layer) => false;

    /// <summary>The layer whose activation derivative this layer's backward applies itself (so the scheduler emits no step
    /// for it), or null.</summary>
    public virtual LayerPlan? FoldsSourceActivationBackward(NetworkPlan plan, LayerPlan layer) => null;

    /// <summary>The layer's forward steps (its activation follows as a step of the scheduler's).</summary>
    public virtual void EmitForward(PassSteps steps, NetworkPlan plan, LayerPlan layer)
    {
    }

    /// <summary>Backward of the layer once <c>G{i}</c> holds ∂L/∂z: parameter gradients, then the gradient of each input
    /// that needs one.</summary>
    public virtual void EmitBackward(PassSteps steps, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
    }

    /// <summary>The layer's shape-specialized kernels, in the network's kernel class.</summary>
    public virtual void EmitKernels(SourceWriter w, NetworkPlan plan, LayerPlan layer, GradientFlow flow)
    {
    }
}
