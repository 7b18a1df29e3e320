using BenchmarkDotNet.Running;

namespace NetGen.Bench.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of the generated kernels and the runtime's activation kernels.
/// Usage: <c>dotnet run -c Release --project bench/NetGen.Bench.Micro -- --filter '*'</c> (or a class name, e.g. <c>'*Dense*'</c>).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
