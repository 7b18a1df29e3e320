using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>`dotnet pack` gives one NetGen package carrying the runtime (net9.0, net10.0) and the generator
/// (analyzers/dotnet/cs). Fresh projects outside the repository that reference it from a local folder feed build the README
/// example warning-free and run it, and publish the NativeAOT app of docs/deployment.md exactly as the page shows it.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageTests(PackedFeed feed)
{
    [Fact]
    public void The_package_carries_the_runtime_for_both_frameworks_and_the_generator()
    {
        using ZipArchive archive = ZipFile.OpenRead(feed.Package);
        string[] entries = [.. archive.Entries.Select(e => e.FullName)];
        Assert.Contains("analyzers/dotnet/cs/NetGen.Generator.dll", entries);
        Assert.Contains("lib/net9.0/NetGen.dll", entries);
        Assert.Contains("lib/net10.0/NetGen.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/netstandard", StringComparison.Ordinal));
    }

    /// <summary>What a package user sees of the package: its page (a readme), licence, description and tags, the build
    /// targets, and the page of every diagnostic; and packing it warns about nothing.</summary>
    [Fact]
    public void The_package_has_a_readme_a_licence_tags_and_the_diagnostics_pages()
    {
        Assert.DoesNotContain("warning", feed.PackOutput, StringComparison.OrdinalIgnoreCase);
        using ZipArchive archive = ZipFile.OpenRead(feed.Package);
        string[] entries = [.. archive.Entries.Select(e => e.FullName)];
        Assert.Contains("README.md", entries);
        Assert.Contains("build/NetGen.targets", entries);
        Assert.Contains("buildTransitive/NetGen.targets", entries);
        Assert.Contains("analyzers/dotnet/cs/NetGen.CodeFixes.dll", entries);
        string[] pages = [.. Directory.EnumerateFiles(Path.Combine(RepositoryProcess.Root, "docs", "diagnostics"), "NG*.md").Select(Path.GetFileName).OfType<string>()];
        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Contains("docs/diagnostics/" + page, entries));
        using var nuspec = new StreamReader(archive.GetEntry("NetGen.nuspec")!.Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        Assert.Contains("<tags>neural-network deep-learning", text, StringComparison.Ordinal);
        Assert.Contains("<description>Neural networks compiled at build time", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_packed_package_builds_and_runs_the_readme_example_in_a_fresh_project()
    {
        string project = feed.NewProject("readme");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "ReadmeExample", "Program.cs"), Path.Combine(project, "Program.cs"));
        File.WriteAllText(Path.Combine(project, "ReadmeExample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net9.0;net10.0</TargetFrameworks>
                <RollForward>Major</RollForward>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ErrorLog>$(MSBuildProjectDirectory)/diagnostics-$(TargetFramework).sarif,version=2.1</ErrorLog>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);

        RepositoryProcess.Dotnet(project, "build", "-c", "Release");
        // A diagnostic's help link is its page in the restored package, which exists.
        using (var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "diagnostics-net10.0.sarif"))))
        {
            System.Text.Json.JsonElement run = log.RootElement.GetProperty("runs")[0];
            System.Text.Json.JsonElement reported = run.GetProperty("results").EnumerateArray().First(result => result.GetProperty("ruleId").GetString() == "NG0301");
            System.Text.Json.JsonElement rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[reported.GetProperty("ruleIndex").GetInt32()];
            var page = new Uri(rule.GetProperty("helpUri").GetString()!);
            Assert.True(page.IsFile && File.Exists(page.LocalPath), page.ToString());
            Assert.EndsWith(Path.Combine("netgen", feed.Version, "docs", "diagnostics", "NG0301.md"), page.LocalPath, StringComparison.OrdinalIgnoreCase);
        }
        // The generator ran from the package: the build produced the network's code.
        foreach (string framework in new[] { "net10.0", "net9.0" })
        {
            string output = RepositoryProcess.Dotnet(project, "run", "-c", "Release", "--no-build", "-f", framework);
            Assert.Contains("FashionMlp: 784 → 10, 101,770 parameters", output, StringComparison.Ordinal);
            Assert.Contains("README example OK", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_aot_app_of_the_deployment_guide_publishes_warning_free_and_runs_alone()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Skip("The guide's AOT app is published for linux-x64 here.");
        }
        string project = feed.NewProject("aot-app");
        IReadOnlyCollection<string> files = DocumentedExamples.WriteTo(project, "deployment.md", "aot-app", feed.Version);
        Assert.Equal(["FashionApp.csproj", "Program.cs"], files.Order(StringComparer.Ordinal));
        Assert.Contains(feed.Version, File.ReadAllText(Path.Combine(project, "FashionApp.csproj")), StringComparison.Ordinal);
        string samples = Path.Combine(RepositoryProcess.Root, "samples", "AotInference");
        File.Copy(Path.Combine(samples, "fashion-mlp.safetensors"), Path.Combine(project, "fashion-mlp.safetensors"));

        string log = RepositoryProcess.Dotnet(project, "publish", "-c", "Release", "-o", "out");
        Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);

        string alone = Path.Combine(feed.Root, "aot-app-alone");
        Directory.CreateDirectory(alone);
        File.Copy(Path.Combine(project, "out", "FashionApp"), Path.Combine(alone, "FashionApp"));
        File.Copy(Path.Combine(samples, "examples", "ankle-boot.pgm"), Path.Combine(alone, "ankle-boot.pgm"));
        string answer = RepositoryProcess.Run(Path.Combine(alone, "FashionApp"), ["ankle-boot.pgm"], alone, cleanEnvironment: true);
        Assert.Equal("Ankle boot 94.5 %", answer.Trim());
    }

    /// <summary>Packing the same version again does not reach a project that restored it: NuGet serves the first build from its
    /// cache. The package's build targets notice that the folder feed's package differs from the cached one and say so (here
    /// the feed's copy is changed in place, as a second pack would), and say nothing once the cache is cleared. The project
    /// also prints a network's <c>Summary()</c>, from the package's generator and runtime.</summary>
    [Fact]
    public void A_build_says_when_the_cached_package_is_not_the_one_in_the_local_feed()
    {
        string ownFeed = Path.Combine(feed.Root, "stale-feed");
        Directory.CreateDirectory(ownFeed);
        string package = Path.Combine(ownFeed, Path.GetFileName(feed.Package));
        File.Copy(feed.Package, package);
        string project = feed.NewProject("stale", ownFeed);
        File.WriteAllText(Path.Combine(project, "Stale.csproj"), feed.ConsoleProject());
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using NetGen;

            using var net = new Tiny();
            System.Console.Write(net.Summary());

            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            [Input(4)]
            [Dense(3)]
            public partial class Tiny;
            """);
        // A cache of this test's own, so that no other test's restore of the same version decides what is cached.
        var cache = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(feed.Root, "stale-cache") };
        const string Notice = "NetGen: this build uses the NetGen";

        string first = RepositoryProcess.Run("dotnet", ["build", "-c", "Release"], project, cache);
        Assert.DoesNotContain(Notice, first, StringComparison.Ordinal);
        Assert.Contains("Total parameters: 15 (60 B)", RepositoryProcess.Run("dotnet", ["run", "-c", "Release", "--no-build"], project, cache), StringComparison.Ordinal);

        using (ZipArchive archive = ZipFile.Open(package, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(archive.CreateEntry("repacked.txt").Open());
            writer.Write("a second pack of the same version");
        }
        string stale = RepositoryProcess.Run("dotnet", ["build", "-c", "Release"], project, cache);
        Assert.Contains($"{Notice} {feed.Version} package cached in", stale, StringComparison.Ordinal);
        Assert.Contains("Pack with a new version", stale, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(feed.Root, "stale-cache", "netgen", feed.Version), recursive: true);
        string fresh = RepositoryProcess.Run("dotnet", ["build", "-c", "Release"], project, cache);
        Assert.DoesNotContain(Notice, fresh, StringComparison.Ordinal);
    }
}
