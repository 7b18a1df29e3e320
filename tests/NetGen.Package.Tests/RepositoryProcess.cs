using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>Runs the dotnet CLI and published binaries from tests, with output captured for the failure message.</summary>
internal static class RepositoryProcess
{
    /// <summary>The repository root (the directory holding NetGen.sln above the test's output).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Runs <paramref name="fileName"/> and returns what it wrote to standard output and standard error, interleaved;
    /// fails the test when it exits with another code than 0 or outlasts <paramref name="timeoutSeconds"/>.
    /// <paramref name="standardInput"/>, when given, is written to its standard input, which is then closed.</summary>
    public static string Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null, bool cleanEnvironment = false,
        int timeoutSeconds = 600, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (cleanEnvironment)
        {
            start.Environment.Clear();
        }
        else
        {
            // `dotnet test` runs under MSBuild; its variables would steer a nested build to the wrong SDK parts.
            foreach (string key in new List<string>(start.Environment.Keys))
            {
                if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
                {
                    start.Environment.Remove(key);
                }
            }
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
        }
        foreach (KeyValuePair<string, string?> pair in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[pair.Key] = pair.Value;
        }
        using Process process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s:\n{output}");
        }
        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    public static string Dotnet(string workingDirectory, params string[] arguments) => Run("dotnet", arguments, workingDirectory);

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No NetGen.sln above {AppContext.BaseDirectory}.");
    }
}
