using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. IDs are never reused or renumbered: NG0001–0099 declarations, NG0100–0199 shapes and
/// losses (errors), NG0200–0299 suspicious but legal (warnings), NG0300+ information. Each has a page in docs/diagnostics.
/// </summary>
internal static partial class DiagnosticDescriptors
{
    private const string Declaration = "NetGen.Declaration";
    private const string Shape = "NetGen.Shape";
    private const string Usage = "NetGen.Usage";
    private const string Info = "NetGen.Info";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "NG0001", Declaration, "Network class must be partial",
        "Network class '{0}' must be declared partial so NetGen can add its generated members");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "NG0002", Declaration, "Network has no input layer",
        "Network '{0}' has no [Input] attribute; the first layer attribute must be [Input(size)]");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        "NG0003", Declaration, "Layer size must be positive",
        "{0} '{1}' has {2} = {3}; it must be at least 1");

    public static readonly DiagnosticDescriptor MisplacedInput = Error(
        "NG0004", Declaration, "Input must be the first layer and appear once",
        "Network '{0}' declares [Input] at position {1}; exactly one [Input] is allowed and it must be the first layer attribute");

    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Error(
        "NG0005", Declaration, "Layer attributes are spread over several partial declarations",
        "Network '{0}' has layer attributes on {1} partial declarations; their relative order is undefined, so put all layer attributes on one declaration");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "NG0006", Declaration, "Network has no layers after its input",
        "Network '{0}' has an [Input] but no layer after it; add at least one layer such as [Dense(10)]");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Error(
        "NG0007", Declaration, "Network class form is not supported",
        "Network class '{0}' is {1}; a network must be a non-generic, non-static class declared directly in a namespace");

    public static readonly DiagnosticDescriptor InvalidArgument = Error(
        "NG0008", Declaration, "Invalid layer argument",
        "{0} '{1}': {2}");

    public static readonly DiagnosticDescriptor SoftmaxNotOnOutput = Error(
        "NG0009", Declaration, "Softmax is allowed on the output layer only",
        "{0} '{1}' uses Softmax but is not the output layer; softmax couples all units of a layer and is supported only as the last activation");

    public static readonly DiagnosticDescriptor NotDifferentiable = Error(
        "NG0010", Declaration, "Sign and Step cannot be trained",
        "{0} '{1}' uses {2}, whose derivative is 0 almost everywhere, but network '{3}' has loss {4}; use Loss.None for an inference-only (perceptron-style) network, or a differentiable activation");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(
        "NG0011", Declaration, "Layer names must be unique",
        "Layer name '{0}' is used twice in network '{1}'; weight files address tensors by layer name");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        "NG0012", Declaration, "Network has too many parameters",
        "Network '{0}' has {1} parameters or activations per sample; at most 2,147,483,647 fit in one buffer");

    public static readonly DiagnosticDescriptor UnknownResidualSource = Error(
        "NG0013", Declaration, "Residual refers to an unknown layer",
        "Residual '{0}' adds the output of '{1}', which is not an earlier layer of network '{2}'; the names it can use are: {3}{4}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "NG0099", Declaration, "NetGen failed to generate the network",
        "NetGen failed while generating '{0}': {1}. Please report this as a bug with the class declaration.");

    public static readonly DiagnosticDescriptor LossDoesNotFitOutput = Error(
        "NG0101", Shape, "Loss does not fit the output layer",
        "Loss {0} does not fit output layer '{1}' ({2} units, activation {3}): {4}");

    public static readonly DiagnosticDescriptor NeedsImage = Error(
        "NG0102", Shape, "Layer needs an image input",
        "{0} '{1}' works on images (channels × height × width) but its input is a vector of {2}; declare [Input(channels, height, width)] or move the layer before the first dense layer");

    public static readonly DiagnosticDescriptor OutputTooSmall = Error(
        "NG0103", Shape, "Layer output is empty",
        "{0} '{1}' output {2} {3} is < 1");

    public static readonly DiagnosticDescriptor ResidualShapeMismatch = Error(
        "NG0104", Shape, "Residual shapes do not match",
        "Residual '{0}' adds the output of '{1}' ({2}) to its input ({3}): {4}");

    public static readonly DiagnosticDescriptor GroupsDoNotDivideChannels = Error(
        "NG0105", Shape, "Groups do not divide the channels",
        "GroupNorm '{0}' cannot split {1} channels into {2} equal groups (input {3}); use a number of groups that divides {1}");

    public static readonly DiagnosticDescriptor StochasticOutput = Warning(
        "NG0203", Usage, "Dropout or noise on the output layer",
        "{0} '{1}' is the last layer: in training mode it perturbs the outputs the loss compares with the targets; put it before the output layer");

    public static readonly DiagnosticDescriptor DropsInput = Warning(
        "NG0202", Usage, "Layer ignores part of its input",
        "{0} '{1}' never reads the last {2} {3} of its padded input: {4} leaves a remainder; change the padding or stride if that data matters");

    public static readonly DiagnosticDescriptor SoftmaxAppliedTwice = Warning(
        "NG0201", Usage, "Softmax applied twice",
        "Output layer '{0}' applies Softmax and loss SoftmaxCrossEntropy applies it again; use Loss.CrossEntropy with a Softmax output, or drop the activation to train on logits");

    public static readonly DiagnosticDescriptor NetworkSummary = new(
        "NG0301", "Network summary", "Network '{0}': {1} → {2}, {3} parameters, {4} FLOPs per sample forward",
        Info, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink("NG0301"));

    public static readonly DiagnosticDescriptor ImplicitFlatten = new(
        "NG0302", "Dense layer flattens its image input", "Dense '{0}' flattens its {1} input to {2} features (channel-major, as PyTorch's flatten)",
        Info, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink("NG0302"));

    private static DiagnosticDescriptor Error(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static string HelpLink(string id) => HelpLinks.Page(id);
}
