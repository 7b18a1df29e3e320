using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Distributed;

/// <summary>What one run of the data-parallel test program printed: rank 0's loss per step and every rank's parameter
/// hash.</summary>
internal sealed record RunResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    public IReadOnlyList<float> Losses => Lines("loss").Select(f => float.Parse(f[2], CultureInfo.InvariantCulture)).ToList();

    public IReadOnlyDictionary<int, string> Hashes => Lines("hash").ToDictionary(f => int.Parse(f[1], CultureInfo.InvariantCulture), f => f[2]);

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n{Output}\n{Error}";

    private IEnumerable<string[]> Lines(string kind) => Output.Split('\n')
        .Select(line => line.Trim().Split(' ', 3))
        .Where(fields => fields.Length == 3 && fields[0] == kind);
}

/// <summary>Runs tests/NetGen.Distributed.TestApp (built with the tests, see NetGen.Tests.csproj) alone or under Open
/// MPI's mpirun, or skips the calling test when mpirun is not installed.</summary>
internal static class MpiRun
{
    private static readonly Lazy<string?> s_mpirun = new(() => FindOnPath("mpirun"));

    /// <summary>The test program's assembly, built in this test assembly's configuration.</summary>
    public static string Program
    {
        get
        {
            // …/tests/NetGen.Tests/bin/<Configuration>/net10.0/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = output.Name, configuration = output.Parent!.Name;
            string tests = output.Parent.Parent!.Parent!.Parent!.FullName;
            string program = Path.Combine(tests, "NetGen.Distributed.TestApp", "bin", configuration, framework, "NetGen.Distributed.TestApp.dll");
            Assert.True(File.Exists(program), $"{program} is missing; NetGen.Tests builds it (its project reference).");
            return program;
        }
    }

    public static void SkipWithoutMpirun()
    {
        if (s_mpirun.Value is null)
        {
            Assert.Skip("mpirun is not on PATH (apt-get install -y openmpi-bin libopenmpi-dev), so the data-parallel runs cannot start");
        }
    }

    /// <summary>The program in this process's environment, without mpirun: a world of one.</summary>
    public static RunResult Alone(params string[] arguments) => Run("dotnet", [Program, .. arguments], environment: null);

    /// <summary>The program as <paramref name="ranks"/> processes of one mpirun job.</summary>
    public static RunResult Ranks(int ranks, params string[] arguments)
    {
        SkipWithoutMpirun();
        return Run(s_mpirun.Value!, ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", Program, .. arguments], environment: null);
    }

    public static RunResult Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["TERM"] = "dumb";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', start.ArgumentList)} did not end within {timeoutSeconds} s");
        }
        process.WaitForExit();
        return new RunResult(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }

    private static string? FindOnPath(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);
}
