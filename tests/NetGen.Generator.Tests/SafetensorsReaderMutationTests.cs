using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.IO;
using NetGen.Tests;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's safetensors reader (build-time weights) on seeded mutations of a weights file — the same mutations as
/// the runtime's test (<see cref="SafetensorsMutations"/>: bytes, and the header's JSON text): it never throws, it gives
/// the verdict the runtime's <see cref="SafetensorsHeader.Parse"/> gives (accept or refuse) on every file, and no case
/// takes longer than 5 s or allocates more than 64 × the file's size (at least 1 KiB, at most 100 MB): no weights file
/// crashes or hangs a build, and a file the build accepts is one the program loads. A sample of them goes through the whole
/// generator as a build runs it. <c>NETGEN_MUTATIONS</c> sets the number of mutations (default <see cref="DefaultMutations"/>;
/// a build for every 30th, at least <see cref="SmallestBuildCount"/>).
/// </summary>
public sealed class SafetensorsReaderMutationTests
{
    private const int DefaultMutations = 3_000;

    private const int SmallestBuildCount = 100;

    /// <summary>The network of the weights tests, whose weights file is mutated here.</summary>
    private const string Network = WeightsGeneratorTests.Network;

    /// <summary>The weights of <see cref="Network"/>, as <see cref="NetworkWeights.Save"/> writes them.</summary>
    private static readonly byte[] Sound = SafetensorsWriter.Serialize(
    [
        SafetensorsEntry.FromFloats("fc1.weight", [4, 6], Values(24, 1)),
        SafetensorsEntry.FromFloats("fc1.bias", [4], Values(4, 2)),
        SafetensorsEntry.FromFloats("fc2.weight", [3, 4], Values(12, 3)),
        SafetensorsEntry.FromFloats("fc2.bias", [3], Values(3, 4)),
    ], new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", ["netgen.network"] = "Tiny" });

    [Fact]
    public async Task The_generator_reader_never_throws_and_gives_the_runtime_verdict_on_a_mutated_file()
    {
        byte[] sound = Sound;

        string Verdicts(byte[] file)
        {
            (List<Weights.SafetensorsTensor>? tensors, string? error) = Weights.SafetensorsHeaderReader.Read(file);
            string? runtime = null;
            try
            {
                SafetensorsHeader.Parse(file, "mutated.safetensors");
            }
            catch (InvalidDataException e)
            {
                runtime = e.Message;
            }
            if ((tensors is null) != (runtime is not null) || (tensors is null) != (error is not null))
            {
                throw new VerdictsDiffer($"the generator {error ?? "accepts"}; the runtime {runtime ?? "accepts"}");
            }
            return tensors is null ? "refused" : "accepted";
        }

        MutationCase Prepare(int i)
        {
            long seed = 8_000_000L + i;
            (byte[] file, string mutation) = SafetensorsMutations.Mutate(sound, new SeededRandom(seed));
            return new MutationCase($"seed {seed}: {mutation}, {file.Length} bytes", file.Length, () => Verdicts(file));
        }

        MutationReport report = await MutationTesting.RunAsync(MutationTesting.Count(DefaultMutations), () => Verdicts(sound), Prepare,
            static (_, exception) => exception is VerdictsDiffer ? exception.Message : $"{exception.GetType().Name} escaped: {exception}",
            TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary($"a {sound.Length}-byte weights file"));
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.True(report.Outcomes.GetValueOrDefault("accepted") > report.Cases / 20, "too few mutated files were accepted");
    }

    [Fact]
    public async Task A_mutated_weights_file_never_crashes_or_hangs_the_build()
    {
        string directory = Path.Combine(Path.GetTempPath(), "netgen-mutated-weights-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(directory, "weights", "tiny.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            int builds = 2 * (Math.Max(SmallestBuildCount, MutationTesting.Count(DefaultMutations) / 30) / 2);
            var failures = new List<string>();
            int accepted = 0, refused = 0;
            TimeSpan slowest = TimeSpan.Zero;
            Build(Sound, path); // first run: the generator's and the compiler's own start-up
            // The first seeds of the reader test whose files the runtime accepts, and as many it refuses.
            for (long seed = 8_000_000L; accepted + refused < builds; seed++)
            {
                (byte[] file, string mutation) = SafetensorsMutations.Mutate(Sound, new SeededRandom(seed));
                bool valid = RuntimeAccepts(file);
                if ((valid ? accepted : refused) >= builds / 2)
                {
                    continue;
                }
                accepted += valid ? 1 : 0;
                refused += valid ? 0 : 1;
                var clock = Stopwatch.StartNew();
                Task<GeneratorRunResult> build = Task.Run(() => Build(file, path), TestContext.Current.CancellationToken);
                try
                {
                    await build.WaitAsync(MutationTesting.CaseTimeLimit, TestContext.Current.CancellationToken);
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"seed {seed} ({mutation}): the build did not finish within {MutationTesting.CaseTimeLimit.TotalSeconds} s.");
                }
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                GeneratorRunResult result = await build;
                string[] ids = [.. result.Diagnostics.Select(d => d.Id)];
                if (result.Exception is not null || ids.Contains("NG0099") || ids.Contains("CS8785"))
                {
                    failures.Add($"seed {seed} ({mutation}): the generator failed: {result.Exception?.ToString() ?? GeneratorHarness.Format(result.Diagnostics)}");
                }
                else if (valid == ids.Contains("NG0051"))
                {
                    failures.Add($"seed {seed} ({mutation}): the runtime {(valid ? "accepts" : "refuses")} the file, the build reports {GeneratorHarness.Format(result.Diagnostics)}");
                }
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"{builds} builds with a mutated weights file, half of them valid: slowest {slowest.TotalMilliseconds:F0} ms.");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/> and runs the generator on <see cref="Network"/> with
    /// it as an AdditionalFiles item.</summary>
    private static GeneratorRunResult Build(byte[] file, string path)
    {
        File.WriteAllBytes(path, file);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalFiles: [new FileAdditionalText(path)])
            .RunGenerators(GeneratorHarness.Compile(Network), TestContext.Current.CancellationToken);
        return driver.GetRunResult().Results.Single();
    }

    private static bool RuntimeAccepts(byte[] file)
    {
        try
        {
            SafetensorsHeader.Parse(file, "mutated.safetensors");
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static float[] Values(int count, int seed)
    {
        var random = new SeededRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextGaussian();
        }
        return values;
    }

    /// <summary>The two readers disagree on a file (not an exception of either reader).</summary>
    private sealed class VerdictsDiffer(string message) : Exception(message);
}
