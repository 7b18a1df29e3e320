using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.IO;
using NetGen.Tests.Data;
using NetGen.Tests.IO;
using Xunit;

namespace NetGen.Tests.Layers;

/// <summary>
/// NetGen against PyTorch 1.13 (Debian's python3-torch, <c>IO/torch_layers.py</c>) for batch, layer, group and local
/// response normalization, weight normalization and a projected residual: the same weights (written by NetGen, loaded
/// by PyTorch with <c>load_state_dict(strict=True)</c>) and inputs must give the same training-mode outputs, loss,
/// gradients and updated running statistics, and the same inference-mode outputs. Skips when PyTorch is absent.
/// </summary>
public sealed class TorchLayerTests
{
    public static TheoryData<string> Networks => new(nameof(PeerBatchNorm), nameof(PeerNorms), nameof(PeerResidual));

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_and_inference_agree_with_pytorch(string name)
    {
        string python = TorchPeer.PythonOrSkip();
        const int batch = 5;
        INetwork network = name switch
        {
            nameof(PeerBatchNorm) => new PeerBatchNorm(seed: 31, capacity: batch),
            nameof(PeerNorms) => new PeerNorms(seed: 32, capacity: batch),
            _ => new PeerResidual(seed: 33, capacity: batch),
        };
        var random = new SeededRandom(34);
        // Non-trivial γ, β, biases and running statistics, so every term of every formula matters.
        foreach (ParameterTensor tensor in network.Tensors.Where(t => t.Kind is ParameterKind.Bias or ParameterKind.Scale))
        {
            Span<float> values = tensor.Slice(network.Parameters);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (tensor.Kind == ParameterKind.Scale ? 1f : 0f) + (float)(0.3 * random.NextGaussian());
            }
        }
        foreach (ParameterTensor tensor in network.Engine().StateTensors)
        {
            Span<float> values = tensor.Slice(network.Engine().State);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = tensor.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + random.NextSingle() : (float)(0.2 * random.NextGaussian());
            }
        }
        float[] inputs = Enumerable.Range(0, batch * network.InputSize).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] targets = Enumerable.Range(0, batch * network.OutputSize).Select(_ => (float)random.NextGaussian()).ToArray();

        using var directory = new TempDirectory();
        network.Save(directory.File("weights.safetensors"));
        int[] inputShape = network.InputSize == 75 ? [batch, 3, 5, 5] : network.InputSize == 36 ? [batch, 4, 3, 3] : [batch, 2, 7, 7];
        SafetensorsWriter.Write(directory.File("inputs.safetensors"),
        [
            SafetensorsEntry.FromFloats("inputs", inputShape, inputs),
            SafetensorsEntry.FromFloats("targets", [batch, network.OutputSize], targets),
        ]);
        TorchPeer.RunScript(python, Path.Combine(AppContext.BaseDirectory, "IO", "torch_layers.py"), name, directory.File("weights.safetensors"),
            directory.File("inputs.safetensors"), directory.File("torch.safetensors"));
        Dictionary<string, float[]> torch = ReadAll(directory.File("torch.safetensors"));

        network.Mode = NetworkMode.Training;
        float[] outputs = new float[batch * network.OutputSize];
        network.Forward(inputs, outputs, batch);
        network.ZeroGradients();
        float loss = network.Backward(targets, batch);
        AssertClose(torch["train_outputs"], outputs, 2e-5, $"{name} training-mode outputs");
        AssertClose(torch["loss"], [loss], 2e-5, $"{name} loss");
        foreach (ParameterTensor tensor in network.Tensors)
        {
            float[] gradient = new float[tensor.Length];
            tensor.CopyTo(network.Gradients, gradient);
            AssertClose(torch["grad." + tensor.Name], gradient, 5e-5, $"{name} gradient of {tensor.Name}");
        }
        foreach (ParameterTensor tensor in network.Engine().StateTensors)
        {
            AssertClose(torch["state." + tensor.Name], tensor.Slice(network.Engine().State).ToArray(), 2e-6, $"{name} {tensor.Name} after one training pass");
        }
        network.Mode = NetworkMode.Inference;
        network.Forward(inputs, outputs, batch);
        AssertClose(torch["eval_outputs"], outputs, 2e-5, $"{name} inference-mode outputs");
    }

    internal static Dictionary<string, float[]> ReadAll(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        SafetensorsHeader header = SafetensorsHeader.Parse(file, path);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (SafetensorsTensorInfo info in header.Tensors)
        {
            float[] values = new float[info.ElementCount];
            header.ReadFloats(file, info, values);
            result[info.Name] = values;
        }
        return result;
    }

    /// <summary>Each element within <paramref name="tolerance"/> of the larger of 1 and the expected tensor's largest magnitude.</summary>
    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(v => Math.Abs((double)v)));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: PyTorch {expected[i]:R}, NetGen {actual[i]:R}");
        }
    }
}
