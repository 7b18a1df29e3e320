using NetGen.Generator.Model;
using static NetGen.Generator.Codegen.Literals;

namespace NetGen.Generator.Passes;

/// <summary>
/// Pieces of the code inside a step. Inside a step, <c>ws</c> is the workspace, <c>n</c> the batch size, <c>input</c> the
/// network input, <c>p</c> and <c>g</c> the parameters and gradients, <c>start</c>/<c>end</c> the step's range and
/// <c>count</c> its length for steps over samples, and <c>part</c> the thread's scratch slot. Layer <c>i</c>'s buffers are
/// <c>ws.Z{i}</c> (before its activation), <c>ws.A{i}</c> (after it) and <c>ws.G{i}</c> (its gradient during backward).
/// </summary>
internal static class StepCode
{
    internal const string Kernels = "global::NetGen.Kernels";

    /// <summary>The buffer holding a layer's output after its activation.</summary>
    public static string ActivationBuffer(LayerPlan layer) => $"A{Num(layer.Index)}";

    /// <summary>A step over samples writing the gradient of layer <paramref name="source"/>'s output — into its own G when
    /// this is the first contribution, else into the scratch buffer, which is then added — or none when that gradient is
    /// not needed. <paramref name="statement"/> gets the target buffer.</summary>
    public static void IntoInput(PassSteps steps, GradientFlow flow, int source, int size, string summary, System.Func<string, string> statement)
    {
        if (!flow.Needs(source))
        {
            return;
        }
        string own = $"ws.G{Num(source)}";
        if (flow.TakeFirstWrite(source))
        {
            steps.Samples(summary, w => w.Line(statement(own)));
            return;
        }
        steps.Samples(summary + " (added to a gradient already stored)", w =>
        {
            w.Line(statement("ws.Scratch"));
            w.Line($"{Kernels}.VectorOps.AddScaled({Slice(own, size)}, {Slice("ws.Scratch", size)}, 1f);");
        });
    }

    /// <summary>Like <see cref="IntoInput"/> for a kernel that splits over <paramref name="items"/> (channels) and writes
    /// parameter gradients too: it runs even when the input gradient is not needed (its target is then null).</summary>
    public static void IntoInputWhole(PassSteps steps, GradientFlow flow, int source, int size, int items, string summary, System.Func<string?, string> statement)
    {
        string Whole(string buffer) => $"{buffer}.Span.Slice(0, n * {Num(size)})";
        if (!flow.Needs(source))
        {
            steps.Items(items, summary, w => w.Line(statement(null)));
            return;
        }
        string own = $"ws.G{Num(source)}";
        if (flow.TakeFirstWrite(source))
        {
            steps.Items(items, summary, w => w.Line(statement(Whole(own))));
            return;
        }
        steps.Items(items, summary, w => w.Line(statement(Whole("ws.Scratch"))));
        steps.Samples(summary + " (added to a gradient already stored)", w => w.Line($"{Kernels}.VectorOps.AddScaled({Slice(own, size)}, {Slice("ws.Scratch", size)}, 1f);"));
    }

    /// <summary>A reference to the step's first sample in a buffer of <paramref name="size"/> floats per sample.</summary>
    public static string Rows(string buffer, int size) => $"ref Unsafe.Add(ref {buffer}.Reference, start * {Num(size)})";

    /// <summary>The step's samples of a buffer as a span.</summary>
    public static string Slice(string buffer, int size) => $"{buffer}.Span.Slice(start * {Num(size)}, count * {Num(size)})";

    /// <summary>The output buffer of layer <paramref name="layer"/> (0: the network input).</summary>
    public static string Output(int layer) => layer == 0 ? "ws.Input" : $"ws.A{Num(layer)}";

    public static string OutputRows(int layer, int size) => Rows(Output(layer), size);

    public static string OutputSlice(int layer, int size) => Slice(Output(layer), size);

    public static string WholeOutput(int layer, int size) => $"{Output(layer)}.Span.Slice(0, n * {Num(size)})";

    public static string Parameters(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_parameters.Span.Slice({Num(offset)}, {Num(count)})";

    public static string Gradients(int offset, int count)
        => count == 0 ? "global::System.Span<float>.Empty" : $"_gradients.Span.Slice({Num(offset)}, {Num(count)})";
}
