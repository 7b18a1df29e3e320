using System;
using System.IO;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>NetGen packed once for the tests of the "package" collection, into a folder feed, with a version no earlier run has put in the
/// NuGet cache (so restore must take this build's package); removed again, from the feed and from the cache, afterwards.</summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Directory.CreateDirectory(Root);
        PackOutput = RepositoryProcess.Dotnet(RepositoryProcess.Root, "pack", "runtime/NetGen/NetGen.csproj", "-c", "Release", "-o", Folder, $"-p:PackageVersion={Version}");
    }

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "netgen-package-" + Guid.NewGuid().ToString("N"));

    public string Folder => Path.Combine(Root, "feed");

    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Environment.ProcessId;

    public string Package => Path.Combine(Folder, $"NetGen.{Version}.nupkg");

    /// <summary>A new project folder outside the repository whose nuget.config adds this feed (or
    /// <paramref name="feedFolder"/>) to the usual sources.</summary>
    public string NewProject(string name, string? feedFolder = null)
    {
        string project = Path.Combine(Root, name);
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="netgen-local" value="{feedFolder ?? Folder}" />
              </packageSources>
            </configuration>
            """);
        return project;
    }

    /// <summary>A net10.0 console project file that references this package, warnings as errors.</summary>
    public string ConsoleProject() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="NetGen" Version="{Version}" />
          </ItemGroup>
        </Project>
        """;

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(packages, "netgen", Version);
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }
    }
}

/// <summary>The test classes that share one <see cref="PackedFeed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "package";
}
