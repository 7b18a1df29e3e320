using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using NetGen.CompilerServices;

namespace NetGen.IO;

/// <summary>
/// Saves and loads any <see cref="INetwork"/>'s parameters as safetensors, with PyTorch <c>state_dict</c> names and
/// layouts (<c>fc1.weight</c> is [out, in]), so the files round-trip with <c>safetensors.torch.save_file</c> /
/// <c>load_file</c>. The state tensors (batch normalization's <c>running_mean</c> and <c>running_var</c>) travel with the
/// parameters, as in a PyTorch <c>state_dict</c> (PyTorch's <c>num_batches_tracked</c> counter is not written; PyTorch
/// loads such a file with its default).
/// </summary>
public static class NetworkWeights
{
    /// <summary>The network's tensors in PyTorch order, ready to write.</summary>
    public static IReadOnlyList<SafetensorsEntry> ToEntries(this INetwork network)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        var entries = new List<SafetensorsEntry>(network.Tensors.Count + engine.StateTensors.Count);
        foreach ((ParameterTensor tensor, bool isState) in AllTensors(engine))
        {
            ReadOnlySpan<float> parameters = isState ? engine.State : network.Parameters;
            float[] logical = new float[tensor.Length];
            tensor.CopyTo(parameters, logical);
            int[] shape = new int[tensor.Shape.Count];
            for (int i = 0; i < shape.Length; i++)
            {
                shape[i] = tensor.Shape[i];
            }
            entries.Add(SafetensorsEntry.FromFloats(tensor.Name, shape, logical));
        }
        return entries;
    }

    /// <summary>The network's parameters as the bytes of a safetensors file.</summary>
    public static byte[] ToSafetensors(this INetwork network, IReadOnlyDictionary<string, string>? metadata = null)
        => SafetensorsWriter.Serialize(ToEntries(network), metadata ?? DefaultMetadata(network));

    /// <summary>Writes the network's parameters to <paramref name="path"/> as safetensors. The write is atomic: a crash
    /// leaves the previous file intact.</summary>
    public static void Save(this INetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        => AtomicFile.Write(path, ToSafetensors(network, metadata));

    /// <summary>Loads the parameters from the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, or a tensor is missing, extra, or has another
    /// dtype or shape than the network's; the message names the file and every such tensor. The network is unchanged.</exception>
    public static void Load(this INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] file = File.ReadAllBytes(path);
        Load(network, file, path);
    }

    /// <summary>Loads the parameters from a whole safetensors file in memory (e.g. weights embedded at build time).</summary>
    /// <param name="network">The network to fill.</param>
    /// <param name="file">The complete safetensors file.</param>
    /// <param name="source">Where the bytes came from, for error messages.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Load(INetwork, string)"/>; the network is unchanged.</exception>
    public static void Load(this INetwork network, ReadOnlySpan<byte> file, string source)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        SafetensorsHeader header = SafetensorsHeader.Parse(file, source);
        Check(network, header);
        float[] logical = [];
        foreach ((ParameterTensor tensor, bool isState) in AllTensors(engine))
        {
            Span<float> parameters = isState ? engine.State : network.Parameters;
            if (logical.Length != tensor.Length)
            {
                logical = new float[tensor.Length];
            }
            header.TryGetTensor(tensor.Name, out SafetensorsTensorInfo info);
            header.ReadFloats(file, info, logical);
            tensor.CopyFrom(logical, parameters);
        }
    }

    /// <summary>Every way <paramref name="header"/> fails to match <paramref name="network"/> (empty when it matches):
    /// missing tensors, tensors the network does not have, other dtypes and other shapes.</summary>
    public static IReadOnlyList<string> FindMismatches(INetwork network, SafetensorsHeader header)
    {
        INetworkEngine engine = NetworkEngine.Of(network);
        ArgumentNullException.ThrowIfNull(header);
        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach ((ParameterTensor tensor, _) in AllTensors(engine))
        {
            expected.Add(tensor.Name);
            string shape = "[" + string.Join(", ", tensor.Shape) + "]";
            if (!header.TryGetTensor(tensor.Name, out SafetensorsTensorInfo info))
            {
                problems.Add($"tensor '{tensor.Name}' is missing; network {network.Name} expects F32 {shape}");
                continue;
            }
            if (info.DType != SafetensorsDType.F32)
            {
                problems.Add($"tensor '{tensor.Name}' has dtype {SafetensorsDTypes.Name(info.DType)}; network {network.Name} expects F32 (save with tensor.float())");
            }
            if (!SameShape(info.Shape, tensor.Shape))
            {
                problems.Add($"tensor '{tensor.Name}' has shape {info.ShapeText}; network {network.Name} expects {shape}");
            }
        }
        foreach (SafetensorsTensorInfo info in header.Tensors)
        {
            if (!expected.Contains(info.Name))
            {
                problems.Add($"tensor '{info.Name}' ({SafetensorsDTypes.Name(info.DType)} {info.ShapeText}) is not a tensor of network {network.Name}");
            }
        }
        return problems;
    }

    private static void Check(INetwork network, SafetensorsHeader header)
    {
        IReadOnlyList<string> problems = FindMismatches(network, header);
        if (problems.Count == 0)
        {
            return;
        }
        var message = new StringBuilder();
        message.Append(header.Source).Append(": the weights do not fit network ").Append(network.Name).Append(':');
        foreach (string problem in problems)
        {
            message.Append("\n  ").Append(problem);
        }
        var names = new List<string>();
        foreach ((ParameterTensor tensor, _) in AllTensors(NetworkEngine.Of(network)))
        {
            names.Add(tensor.ToString());
        }
        message.Append("\n  (the network's tensors: ").Append(string.Join("; ", names)).Append(')');
        throw new InvalidDataException(message.ToString());
    }

    /// <summary>The parameter tensors, then the state tensors, each with whether it lives in <see cref="CompilerServices.INetworkEngine.State"/>.</summary>
    private static IEnumerable<(ParameterTensor Tensor, bool IsState)> AllTensors(INetworkEngine network)
    {
        foreach (ParameterTensor tensor in network.Tensors)
        {
            yield return (tensor, false);
        }
        foreach (ParameterTensor tensor in network.StateTensors)
        {
            yield return (tensor, true);
        }
    }

    private static bool SameShape(IReadOnlyList<long> file, IReadOnlyList<int> network)
    {
        if (file.Count != network.Count)
        {
            return false;
        }
        for (int i = 0; i < file.Count; i++)
        {
            if (file[i] != network[i])
            {
                return false;
            }
        }
        return true;
    }

    internal static Dictionary<string, string> DefaultMetadata(INetwork network) => new(StringComparer.Ordinal)
    {
        ["format"] = "pt",
        ["netgen.network"] = network.Name,
    };
}
