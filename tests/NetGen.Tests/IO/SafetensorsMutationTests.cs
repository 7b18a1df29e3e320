using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using NetGen.IO;
using NetGen.Tests.Training;
using Xunit;

namespace NetGen.Tests.IO;

/// <summary>
/// Seeded mutations (<see cref="SafetensorsMutations"/>: bytes, and the header's JSON text) of a weights file written by
/// <see cref="NetworkWeights.Save"/> for a network with parameters and state (batch-normalization statistics). Each mutated
/// file is given to <see cref="NetworkWeights.Load(INetwork, string)"/>, <see cref="SafetensorsHeader.Parse"/> and
/// <see cref="SafetensorsHeader.Read"/>: each accepts it or throws an <see cref="InvalidDataException"/> naming the file;
/// Parse and Read give the same verdict, Load accepts only what Parse accepts, and a refused Load leaves the network's
/// parameters and state as they were. A case allocates at most 64 × the file's size (at least 1 KiB, at most 100 MB) and
/// finishes within 5 s. <c>NETGEN_MUTATIONS</c> sets the number of mutations (default <see cref="DefaultMutations"/>).
/// </summary>
public sealed class SafetensorsMutationTests
{
    private const int DefaultMutations = 3_000;

    [Fact]
    public async Task A_mutated_weights_file_loads_or_is_refused_with_an_InvalidDataException_and_leaves_the_network_unchanged()
    {
        string path = SyntheticData.TempPath("mutated.safetensors");
        byte[] sound = Weights(new StatefulClassifier(seed: 1, capacity: 4), 1);
        var network = new StatefulClassifier(seed: 2, capacity: 4);
        byte[] parameters = SyntheticData.Bytes(network.Parameters);
        Span<float> fill = network.Engine().State;
        for (int i = 0; i < fill.Length; i++)
        {
            fill[i] = 0.5f + i; // not the file's values, so that a partial load would show
        }
        byte[] state = SyntheticData.Bytes(network.Engine().State);

        MutationCase Prepare(int i)
        {
            long seed = 7_000_000L + i;
            (byte[] file, string mutation) = SafetensorsMutations.Mutate(sound, new SeededRandom(seed));
            File.WriteAllBytes(path, file);
            return new MutationCase($"seed {seed}: {mutation}, {file.Length} bytes", file.Length, () => ReadAll(file)) { Path = path };
        }

        string ReadAll(byte[] file)
        {
            // Puts the network back as it was before each case, then asks the three readers.
            parameters.CopyTo(MemoryMarshal.AsBytes(network.Parameters));
            state.CopyTo(MemoryMarshal.AsBytes(network.Engine().State));
            string? parse = Verdict("Parse", () => SafetensorsHeader.Parse(file, path), path);
            string? read = Verdict("Read", () => SafetensorsHeader.Read(path), path);
            string? load = Verdict("Load", () => network.Load(path), path);
            if ((parse is null) != (read is null))
            {
                throw new CaseFailure($"Parse and Read disagree: Parse {parse ?? "accepts"}; Read {read ?? "accepts"}.");
            }
            if (load is null && parse is not null)
            {
                throw new CaseFailure($"Load accepts a file that Parse refuses: {parse}");
            }
            if (load is not null
                && (!MemoryMarshal.AsBytes(network.Parameters).SequenceEqual(parameters) || !MemoryMarshal.AsBytes(network.Engine().State).SequenceEqual(state)))
            {
                throw new CaseFailure($"Load refused the file but changed the network: {load}");
            }
            return load is null ? "loaded" : parse is null ? "refused by Load only (the weights do not fit)" : "refused";
        }

        MutationReport report = await MutationTesting.RunAsync(MutationTesting.Count(DefaultMutations),
            warmUp: () =>
            {
                File.WriteAllBytes(path, sound);
                ReadAll(sound);
            },
            Prepare, Judge, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary($"a {sound.Length}-byte weights file"));
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.True(report.Outcomes.GetValueOrDefault("refused") > report.Cases / 4, "too few mutated files were refused");
        Assert.True(report.Outcomes.GetValueOrDefault("loaded") > report.Cases / 20, "too few mutated files loaded");
    }

    /// <summary>The file <see cref="NetworkWeights.Save"/> writes for <paramref name="network"/>, with its state set to
    /// values of its own.</summary>
    private static byte[] Weights(StatefulClassifier network, float offset)
    {
        Span<float> state = network.Engine().State;
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = offset + 0.25f * i;
        }
        return network.ToSafetensors();
    }

    /// <summary>Null when <paramref name="read"/> accepts; the message of its <see cref="InvalidDataException"/> when it
    /// refuses, which must name <paramref name="path"/>. Any other exception goes up to <see cref="Judge"/>.</summary>
    private static string? Verdict(string reader, Action read, string path)
    {
        try
        {
            read();
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message.Contains(path, StringComparison.Ordinal) ? e.Message : throw new CaseFailure($"{reader}: the message does not name the file: {e.Message}");
        }
    }

    private static string? Judge(MutationCase @case, Exception exception) => exception switch
    {
        CaseFailure e => e.Message,
        _ => $"{exception.GetType().Name} escaped: {exception}",
    };

    /// <summary>A rule of the test broken by a case (not an exception of a reader).</summary>
    private sealed class CaseFailure(string message) : Exception(message);
}
