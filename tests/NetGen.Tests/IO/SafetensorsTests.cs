using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using NetGen.IO;
using Xunit;

namespace NetGen.Tests.IO;

/// <summary>A small network with a transposed-in-memory weight on every layer and biases, for weight-file tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(20)]
[Dense(16, Activation.Tanh, Name = "fc1")]
[Dense(12, Activation.ReLU, Name = "fc2")]
[Dense(5, Name = "out")]
public partial class TorchCheckMlp;

/// <summary>The same layers with another width, to provoke shape mismatches.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(20)]
[Dense(16, Activation.Tanh, Name = "fc1")]
[Dense(11, Activation.ReLU, Name = "fc2")]
[Dense(5, Name = "out")]
public partial class NarrowerMlp;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-safetensors-" + Guid.NewGuid().ToString("N"));

    public SafetensorsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void Saved_weights_load_back_bit_identically()
    {
        var original = new TorchCheckMlp(seed: 7);
        string path = PathOf("weights.safetensors");
        original.Save(path);

        var reloaded = new TorchCheckMlp(seed: 99);
        Assert.NotEqual(Bits(original.Parameters), Bits(reloaded.Parameters));
        reloaded.Load(path);

        Assert.Equal(Bits(original.Parameters), Bits(reloaded.Parameters));
        // Saving the reloaded network reproduces the file byte for byte.
        Assert.Equal(File.ReadAllBytes(path), reloaded.ToSafetensors());
    }

    [Fact]
    public void Special_float_values_survive_the_round_trip()
    {
        var network = new TorchCheckMlp(seed: 1);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, BitConverter.Int32BitsToSingle(0x7FC01234)];
        specials.CopyTo(network.Parameters);
        var reloaded = new TorchCheckMlp(seed: 2);
        reloaded.Load(network.ToSafetensors(), "memory");
        Assert.Equal(Bits(network.Parameters), Bits(reloaded.Parameters));
    }

    [Fact]
    public void The_file_uses_pytorch_names_shapes_and_layouts()
    {
        var network = new TorchCheckMlp(seed: 3);
        byte[] file = network.ToSafetensors();
        SafetensorsHeader header = SafetensorsHeader.Parse(file, "memory");

        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight", "out.bias"], header.Tensors.Select(t => t.Name));
        Assert.True(header.TryGetTensor("fc1.weight", out SafetensorsTensorInfo fc1));
        Assert.Equal(SafetensorsDType.F32, fc1.DType);
        Assert.Equal([16L, 20L], fc1.Shape);
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal("pt", header.Metadata["format"]);

        // Element [o, i] of fc1.weight is the weight from input i to output o: check it against Predict on a unit input.
        float[] weight = new float[16 * 20];
        header.ReadFloats(file, fc1, weight);
        ParameterTensor tensor = TorchCheckMlp.ParameterTensors[0];
        float[] viaTensor = new float[tensor.Length];
        tensor.CopyTo(network.Parameters, viaTensor);
        Assert.Equal(viaTensor, weight);
        Assert.Equal(32, tensor.PanelWidth);
    }

    [Fact]
    public void Metadata_round_trips_and_header_is_space_padded()
    {
        var network = new TorchCheckMlp(seed: 3);
        var metadata = new Dictionary<string, string> { ["epoch"] = "12", ["note"] = "ünïcode \"quoted\"" };
        string path = PathOf("meta.safetensors");
        network.Save(path, metadata);
        SafetensorsHeader header = SafetensorsHeader.Read(path);
        Assert.Equal("12", header.Metadata["epoch"]);
        Assert.Equal("ünïcode \"quoted\"", header.Metadata["note"]);
        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string json = Encoding.UTF8.GetString(file, 8, length);
        Assert.StartsWith("{", json, StringComparison.Ordinal);
        Assert.Equal(json.TrimEnd(' ').Length, json.LastIndexOf('}') + 1);
    }

    [Fact]
    public void A_shape_mismatch_names_the_file_the_tensor_and_both_shapes()
    {
        string path = PathOf("wide.safetensors");
        new TorchCheckMlp(seed: 1).Save(path);
        var narrow = new NarrowerMlp(seed: 5);
        float[] before = narrow.Parameters.ToArray();

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => narrow.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'fc2.weight' has shape [12, 16]; network NarrowerMlp expects [11, 16]", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'fc2.bias' has shape [12]; network NarrowerMlp expects [11]", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'out.weight' has shape [5, 12]; network NarrowerMlp expects [5, 11]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'fc1.weight'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, narrow.Parameters.ToArray()); // a failed load changes nothing
    }

    [Fact]
    public void Missing_extra_and_wrongly_typed_tensors_are_each_named()
    {
        var network = new TorchCheckMlp(seed: 1);
        var entries = network.ToEntries().Where(e => e.Name != "fc2.bias").ToList();
        int index = entries.FindIndex(e => e.Name == "out.bias");
        entries[index] = new SafetensorsEntry("out.bias", SafetensorsDType.F64, [5], new byte[40]);
        entries.Add(SafetensorsEntry.FromFloats("running_mean", [3], [1f, 2f, 3f]));
        byte[] file = SafetensorsWriter.Serialize(entries);

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => network.Load(file, "odd.safetensors"));

        Assert.StartsWith("odd.safetensors: the weights do not fit network TorchCheckMlp:", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'fc2.bias' is missing; network TorchCheckMlp expects F32 [12]", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'out.bias' has dtype F64; network TorchCheckMlp expects F32", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'running_mean' (F32 [3]) is not a tensor of network TorchCheckMlp", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("huge header")]
    [InlineData("bad json")]
    [InlineData("bad offsets")]
    [InlineData("gap")]
    [InlineData("short")]
    public void Corrupt_files_are_rejected_with_the_reason(string damage)
    {
        byte[] file = new TorchCheckMlp(seed: 1).ToSafetensors();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string json = Encoding.UTF8.GetString(file, 8, headerLength);
        (byte[] bytes, string expected) = damage switch
        {
            "truncated" => (file[..^4], "truncated"),
            "huge header" => (WithLength(file, 1UL << 40), "exceeds the limit"),
            "bad json" => (WithHeader(file, json.Replace("\"dtype\"", "dtype", StringComparison.Ordinal)), "not valid JSON"),
            "bad offsets" => (WithHeader(file, json.Replace("\"data_offsets\":[0,1280]", "\"data_offsets\":[0,1276]", StringComparison.Ordinal)), "needs 1280 bytes"),
            "gap" => ([.. file, 0, 0, 0, 0], "bytes after the last tensor"),
            _ => (file[..5], "8-byte header length"),
        };
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SafetensorsHeader.Parse(bytes, "broken.safetensors"));
        Assert.StartsWith("broken.safetensors: not a valid safetensors file:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>SafetensorsHeader.Read let an EndOfStreamException out of a file shorter than the 8-byte header length
    /// (Parse refused such bytes as it should).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Reading_the_header_of_a_file_shorter_than_its_length_field_is_an_invalid_file(int length)
    {
        string path = PathOf("short.safetensors");
        File.WriteAllBytes(path, new TorchCheckMlp(seed: 1).ToSafetensors()[..length]);
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SafetensorsHeader.Read(path));
        Assert.Equal($"{path}: not a valid safetensors file: the file has {length} bytes; a safetensors file starts with an 8-byte header length.", error.Message);
    }

    /// <summary>Headers that once escaped as other exceptions: a shape whose product overflows a long, and strings the
    /// JSON reader cannot turn into text (invalid UTF-8 bytes, a lone surrogate escape) wherever a string stands.</summary>
    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387905,4],\"data_offsets\":[0,0]}}", "more elements than any file holds")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2305843009213693952],\"data_offsets\":[0,0]}}", "more bytes than any file holds")]
    [InlineData("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "a tensor name at byte 9 is not valid UTF-8")]
    [InlineData("{\"\u00ff\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "the header is not UTF-8 text (invalid bytes at byte 10)")]
    [InlineData("{\"__metadata__\":{\"\\udc00\":\"x\"}}", "a key of '__metadata__'")]
    [InlineData("{\"__metadata__\":{\"k\":\"\\ud800\"}}", "the value of '__metadata__' entry 'k'")]
    [InlineData("{\"w\":{\"\\ud800\":1,\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "a property name of tensor 'w'")]
    [InlineData("{\"w\":{\"dtype\":\"\\ud800\",\"shape\":[0],\"data_offsets\":[0,0]}}", "the dtype of tensor 'w'")]
    public void Headers_that_cannot_be_read_are_invalid_files_naming_the_file(string json, string expected)
    {
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SafetensorsHeader.Parse(HostileFile(json), "hostile.safetensors"));

        Assert.StartsWith("hostile.safetensors: not a valid safetensors file:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Headers this reader accepted and the generator's reader refused, found by the mutation tests: bytes that are
    /// not UTF-8 or a lone surrogate in a value no reader uses, a name twice in a tensor's object, in '__metadata__' or in
    /// an object no reader uses, a number beyond a double's range. The reference implementation parses every value and
    /// refuses each of these (the format disallows duplicate keys); now this reader does too.</summary>
    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":\"\u00ff\"}}", "the header is not UTF-8 text (invalid bytes at byte 66)")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":[\"\\ud800\"]}}", "a string in property 'x' of tensor 'w' at byte 66 is not valid UTF-8 text (invalid bytes or a lone surrogate)")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"shape\":[0],\"data_offsets\":[0,0]}}", "tensor 'w' names 'shape' twice")]
    [InlineData("{\"__metadata__\":{\"format\":\"pt\",\"format\":\"pt\"}}", "'__metadata__' names 'format' twice")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":{\"a\":1,\"a\":2}}}", "an object in property 'x' of tensor 'w' names 'a' twice")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":-1e999}}", "the number at byte 65 in property 'x' of tensor 'w' is out of range")]
    public void Values_no_reader_uses_are_held_to_the_rules_of_the_header(string json, string expected)
    {
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => SafetensorsHeader.Parse(HostileFile(json), "hostile.safetensors"));

        Assert.Equal($"hostile.safetensors: not a valid safetensors file: {expected}.", error.Message);
    }

    [Fact]
    public void Values_no_reader_uses_may_be_any_json_within_the_rules()
    {
        byte[] file = HostileFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":[true,null,-0.0,1e308,\"\\ud83d\\ude00\",{\"a\":{}}]}}");
        Assert.Equal("w", Assert.Single(SafetensorsHeader.Parse(file, "odd.safetensors").Tensors).Name);
    }

    /// <summary>A file of <paramref name="json"/> and no data; \u00ff stands for the byte 0xFF, which no UTF-8 text holds.</summary>
    private static byte[] HostileFile(string json)
    {
        byte[] header = Encoding.UTF8.GetBytes(json.Replace("\u00ff", "\u0001", StringComparison.Ordinal));
        for (int i = 0; i < header.Length; i++)
        {
            header[i] = header[i] == 1 ? (byte)0xFF : header[i];
        }
        byte[] file = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    [Fact]
    public void Saving_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        string path = PathOf("atomic.safetensors");
        File.WriteAllText(path, "previous");
        var network = new TorchCheckMlp(seed: 4);
        network.Save(path);
        Assert.Equal(network.ToSafetensors(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));

        // A failed save (the target is a directory) must leave nothing behind.
        string blocked = PathOf("blocked.safetensors");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => network.Save(blocked));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_file_written_by_pytorch_gives_the_same_outputs_as_pytorch()
    {
        string python = TorchPeer.PythonOrSkip();
        TorchPeer.Run(python, "write", _directory);

        var network = new TorchCheckMlp(seed: 0);
        network.Load(PathOf("torch_weights.safetensors"));
        byte[] io = File.ReadAllBytes(PathOf("torch_io.safetensors"));
        SafetensorsHeader header = SafetensorsHeader.Parse(io, "torch_io.safetensors");
        float[] inputs = ReadTensor(header, io, "inputs");
        float[] expected = ReadTensor(header, io, "outputs");
        int samples = inputs.Length / TorchCheckMlp.InputSize;

        float[] actual = new float[samples * TorchCheckMlp.OutputSize];
        network.Forward(inputs, actual, samples);
        AssertClose(expected, actual);

        float[] single = new float[TorchCheckMlp.OutputSize];
        network.Predict(inputs.AsSpan(0, TorchCheckMlp.InputSize), single);
        AssertClose(expected.AsSpan(0, TorchCheckMlp.OutputSize).ToArray(), single);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // with a tabular preprocessing in the metadata, which PyTorch must pass over
    public void A_file_written_by_netgen_gives_pytorch_the_same_outputs_as_netgen(bool withPreprocessing)
    {
        string python = TorchPeer.PythonOrSkip();
        var network = new TorchCheckMlp(seed: 11);
        // Non-zero biases so a transposed or misplaced bias would show.
        var random = new SeededRandom(5);
        foreach (ParameterTensor tensor in TorchCheckMlp.ParameterTensors.Where(t => t.Kind == ParameterKind.Bias))
        {
            foreach (ref float value in tensor.Slice(network.Parameters))
            {
                value = random.NextSingle() - 0.5f;
            }
        }
        string weights = PathOf("netgen_weights.safetensors");
        if (withPreprocessing)
        {
            NetGen.Data.TabularTable table = NetGen.Data.Csv.ReadTable(new StringReader("size,colour,kind\n1,red,apple\n3,green,pear\n"), "fruit.csv");
            network.Save(weights, NetGen.Data.TabularPreprocessing.Fit(table).ToMetadata(network));
            Assert.Contains(NetGen.Data.TabularPreprocessing.MetadataKey, SafetensorsHeader.Parse(File.ReadAllBytes(weights), weights).Metadata.Keys);
        }
        else
        {
            network.Save(weights);
        }
        const int samples = 6;
        float[] inputs = new float[samples * TorchCheckMlp.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)Math.Sin(i * 0.37) * 2f;
        }
        string inputPath = PathOf("inputs.safetensors");
        SafetensorsWriter.Write(inputPath, [SafetensorsEntry.FromFloats("inputs", [samples, TorchCheckMlp.InputSize], inputs)]);
        string outputPath = PathOf("torch_outputs.safetensors");

        TorchPeer.Run(python, "run", weights, inputPath, outputPath);

        byte[] io = File.ReadAllBytes(outputPath);
        float[] expected = ReadTensor(SafetensorsHeader.Parse(io, outputPath), io, "outputs");
        float[] actual = new float[samples * TorchCheckMlp.OutputSize];
        network.Forward(inputs, actual, samples);
        AssertClose(expected, actual);
    }

    /// <summary>Float32 on both sides with different summation orders (and FMA): within 1e-5 absolute + 1e-5 relative.</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 + 1e-5 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"output {i}: PyTorch {expected[i]:R}, NetGen {actual[i]:R} (tolerance {tolerance:G3})");
        }
    }

    private static float[] ReadTensor(SafetensorsHeader header, byte[] file, string name)
    {
        Assert.True(header.TryGetTensor(name, out SafetensorsTensorInfo info), $"no tensor '{name}'");
        float[] values = new float[info.ElementCount];
        header.ReadFloats(file, info, values);
        return values;
    }

    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    private static byte[] WithLength(byte[] file, ulong length)
    {
        byte[] copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
        return copy;
    }

    private static byte[] WithHeader(byte[] file, string json)
    {
        int oldLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        byte[] header = Encoding.UTF8.GetBytes(json);
        byte[] result = new byte[8 + header.Length + file.Length - 8 - oldLength];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        file.AsSpan(8 + oldLength).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }
}
