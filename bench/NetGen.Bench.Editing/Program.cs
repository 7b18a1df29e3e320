using System;
using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NetGen.Bench.Editing;

/// <summary>
/// The editing benchmark of docs/benchmarks.md: <c>dotnet run -c Release --project bench/NetGen.Bench.Editing</c>.
/// Runs in process (the generator and Roslyn as this project references them), reports under <c>artifacts/benchmarks/</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15))
            .WithArtifactsPath(Path.Combine(RepositoryRoot(), "artifacts", "benchmarks"));
        BenchmarkRunner.Run<EditingBenchmarks>(config, args);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "NetGen.sln")))
            {
                return d.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
