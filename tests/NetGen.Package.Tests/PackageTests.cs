using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>`dotnet pack` gives one NetGen package carrying the runtime (net9.0, net10.0) and the generator
/// (analyzers/dotnet/cs); a fresh project outside the repository that references it from a local folder feed builds the
/// README example warning-free and runs it.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-package-" + Guid.NewGuid().ToString("N"));
    // A version no earlier run has put in the NuGet cache, so restore must take this build's package.
    private readonly string _version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Environment.ProcessId;

    public PackageTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        string cached = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "netgen", _version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }

    [Fact]
    public void The_packed_package_builds_and_runs_the_readme_example_in_a_fresh_project()
    {
        string feed = Path.Combine(_directory, "feed");
        RepositoryProcess.Dotnet(RepositoryProcess.Root, "pack", "runtime/NetGen/NetGen.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}");

        string package = Path.Combine(feed, $"NetGen.{_version}.nupkg");
        using (ZipArchive archive = ZipFile.OpenRead(package))
        {
            string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("analyzers/dotnet/cs/NetGen.Generator.dll", entries);
            Assert.Contains("lib/net9.0/NetGen.dll", entries);
            Assert.Contains("lib/net10.0/NetGen.dll", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/netstandard", StringComparison.Ordinal));
        }

        string project = Path.Combine(_directory, "app");
        Directory.CreateDirectory(project);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "ReadmeExample", "Program.cs"), Path.Combine(project, "Program.cs"));
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="netgen-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(project, "ReadmeExample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net9.0;net10.0</TargetFrameworks>
                <RollForward>Major</RollForward>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);

        RepositoryProcess.Dotnet(project, "build", "-c", "Release");
        // The generator ran from the package: the build produced the network's code.
        foreach (string framework in new[] { "net10.0", "net9.0" })
        {
            string output = RepositoryProcess.Dotnet(project, "run", "-c", "Release", "--no-build", "-f", framework);
            Assert.Contains("FashionMlp: 784 → 10, 101,770 parameters", output, StringComparison.Ordinal);
            Assert.Contains("README example OK", output, StringComparison.Ordinal);
        }
    }
}
