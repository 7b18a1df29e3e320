using System;
using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace NetGen.Bench.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the generated kernels and the runtime's activation kernels.
/// Usage: <c>dotnet run -c Release --project bench/NetGen.Bench.Micro -- --filter '*'</c> (or a class name, e.g. <c>'*Dense*'</c>).
/// Reports go to <c>artifacts/benchmarks/</c> at the repository root (ignored by git) unless <c>--artifacts DIR</c> says otherwise.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(RepositoryRoot(), "artifacts", "benchmarks"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
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
