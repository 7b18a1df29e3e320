using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace NetGen.Tests.IO;

/// <summary>Runs torch_peer.py (PyTorch 1.13 from Debian's python3-torch) or skips the calling test, saying why.</summary>
internal static class TorchPeer
{
    private static readonly Lazy<(string? Python, string Reason)> s_python = new(Find);

    public static string Script => Path.Combine(AppContext.BaseDirectory, "IO", "torch_peer.py");

    /// <summary>A Python that imports torch and numpy: $NETGEN_PYTHON, /usr/bin/python3 or python3 on PATH.</summary>
    public static string PythonOrSkip()
    {
        (string? python, string reason) = s_python.Value;
        if (python is null)
        {
            Assert.Skip(reason);
        }
        return python;
    }

    public static void Run(string python, params string[] arguments) => RunScript(python, Script, arguments);

    /// <summary>Runs a peer script beside this one (e.g. torch_layers.py) and fails the test on a non-zero exit.</summary>
    public static void RunScript(string python, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{python} {Path.GetFileName(script)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}\n{error}");
    }

    private static (string?, string) Find()
    {
        string? configured = Environment.GetEnvironmentVariable("NETGEN_PYTHON");
        string[] candidates = configured is { Length: > 0 } ? [configured] : ["/usr/bin/python3", "python3"];
        foreach (string candidate in candidates)
        {
            try
            {
                var start = new ProcessStartInfo(candidate, ["-c", "import torch, numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true };
                using Process process = Process.Start(start)!;
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode == 0)
                {
                    return (candidate, "");
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next candidate.
            }
        }
        return (null, $"PyTorch is not available (tried {string.Join(", ", candidates)}; set NETGEN_PYTHON or `apt-get install -y python3-torch python3-numpy`), so the PyTorch cross-check cannot run");
    }
}
