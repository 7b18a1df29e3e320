using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Bench;

/// <summary>
/// NetGen's side of the comparison with <c>../shared/peers/torch_bench.py</c>: the same workloads, names, fields and units,
/// one JSON line each. Every figure is the median of several timed runs after a warm-up; every line also carries the bytes
/// allocated per operation in steady state (expected: 0). With <c>--threads N</c> above 1 it also prints
/// <c>scaling-lenet5-b64</c>, NetGen's own line: LeNet's training epoch at 1 thread over that at N threads, the two
/// alternating in this process.
/// Usage: <c>dotnet run -c Release --project bench/NetGen.Bench -- --json [--threads N] [--epochs N] [--repeats N] [--only PREFIX] [--data DIR]</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    options.Json = true;
                    break;
                case "--threads" when i + 1 < args.Length && TryPositive(args[i + 1], out int threads):
                    options.Threads = threads;
                    i++;
                    break;
                case "--epochs" when i + 1 < args.Length && TryPositive(args[i + 1], out int epochs):
                    options.Epochs = epochs;
                    i++;
                    break;
                case "--repeats" when i + 1 < args.Length && TryPositive(args[i + 1], out int repeats):
                    options.Repeats = repeats;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    options.Only = args[++i];
                    break;
                case "--data" when i + 1 < args.Length:
                    options.DataDirectory = args[++i];
                    break;
                default:
                    Console.Error.WriteLine("usage: NetGen.Bench [--json] [--threads N] [--epochs N] [--repeats N] [--only WORKLOAD-PREFIX] [--data DIRECTORY]");
                    return 2;
            }
        }
        try
        {
            Workloads.Run(options, options.Json ? new JsonReport() : new TextReport());
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        return 0;
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}

/// <summary>Command-line settings.</summary>
internal sealed class BenchOptions
{
    public bool Json { get; set; }

    public int Threads { get; set; } = 1;

    public int Epochs { get; set; } = 1;

    /// <summary>Timed runs per workload (the median is reported); training workloads time min(this, 3) runs.</summary>
    public int Repeats { get; set; } = 7;

    public string? Only { get; set; }

    public string? DataDirectory { get; set; }

    public bool Selected(string workload) => Only is null || workload.StartsWith(Only, StringComparison.Ordinal);
}

/// <summary>One result line: the workload, the thread count, then fields in order.</summary>
internal abstract class Report
{
    public abstract void Write(string workload, int threads, IReadOnlyList<(string Name, object Value)> fields);
}

/// <summary>One JSON object per line, as the peer prints them.</summary>
internal sealed class JsonReport : Report
{
    public override void Write(string workload, int threads, IReadOnlyList<(string Name, object Value)> fields)
    {
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{{\"workload\": \"{workload}\", \"threads\": {threads}");
        foreach ((string name, object value) in fields)
        {
            line.Append(CultureInfo.InvariantCulture, $", \"{name}\": ");
            line.Append(value switch
            {
                string s => "\"" + s + "\"",
                double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
                double => "null",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => "\"" + value + "\"",
            });
        }
        line.Append('}');
        Console.WriteLine(line.ToString());
    }
}

/// <summary>Human-readable lines.</summary>
internal sealed class TextReport : Report
{
    public override void Write(string workload, int threads, IReadOnlyList<(string Name, object Value)> fields)
    {
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{workload,-30} threads={threads}");
        foreach ((string name, object value) in fields)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {name}={(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value)}");
        }
        Console.WriteLine(line.ToString());
    }
}
