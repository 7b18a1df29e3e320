using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>Issue 26's "done when": in fresh projects that reference the packed package, with docs/data.md and
/// docs/deployment.md as the only guide, a CSV classification and a CSV regression go from the file to a saved model, and a
/// NativeAOT binary serves both models from CSV rows on standard input.</summary>
[Collection(PackageCollection.Name)]
public sealed partial class TabularPackageTests(TabularPrograms programs) : IClassFixture<TabularPrograms>
{
    /// <summary>The classification program of data.md, as written there: a CSV with an ignored id column, a text category,
    /// missing values and class names; it trains, reports accuracy and the classification report, saves the model and
    /// predicts from text cells after loading it.</summary>
    [Fact]
    public void The_tabular_classification_of_the_data_guide_runs_in_a_fresh_project()
    {
        TabularRun run = programs.Classification.Value;
        Match accuracy = Regex.Match(run.Output, @"Accuracy (?<accuracy>[0-9.]+) ?%");
        Assert.True(accuracy.Success, run.Output);
        Assert.InRange(double.Parse(accuracy.Groups["accuracy"].Value, CultureInfo.InvariantCulture), 90.0, 100.0);
        foreach (string species in TabularPrograms.Species)
        {
            Assert.Matches(new Regex("^ *" + species + " +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ *$", RegexOptions.Multiline), run.Output);
        }
        Assert.True(File.Exists(Path.Combine(run.Project, "tree-species.safetensors")), run.Output);
        // The loaded model's answer for the program's own row (a tall tree on sand, its leaf missing): a pine.
        Assert.Equal(["7", "29.0", "", "sand"], run.Cells);
        Assert.Matches(@"^pine 0\.[0-9]{3}$", run.LastLine);
    }

    /// <summary>The regression program of data.md, as written there: a CSV with an ignored column, a text category and missing
    /// values; it trains, reports RMSE, MAE and R², saves the model with its preprocessing and predicts from text cells after
    /// loading it.</summary>
    [Fact]
    public void The_tabular_regression_of_the_data_guide_runs_in_a_fresh_project()
    {
        TabularRun run = programs.Regression.Value;
        Match errors = Regex.Match(run.Output, @"RMSE (?<rmse>[0-9.]+), MAE [0-9.]+, R² (?<r2>-?[0-9.]+)");
        Assert.True(errors.Success, run.Output);
        Assert.InRange(double.Parse(errors.Groups["r2"].Value, CultureInfo.InvariantCulture), 0.9, 1.0);
        Assert.True(File.Exists(Path.Combine(run.Project, "house-price.safetensors")), run.Output);
        // The loaded model's price of a 3-room house with a garden and a missing area (imputed with the training median).
        Assert.Equal(["17", "3", "yes", ""], run.Cells);
        Assert.InRange(float.Parse(run.LastLine, CultureInfo.InvariantCulture), 225f, 325f);
    }

    /// <summary>The server of deployment.md, as written there, published with NativeAOT in a fresh project without a warning,
    /// answers CSV rows for both saved models as the programs that saved them did, run alone with no environment.</summary>
    [Fact]
    public void The_tabular_server_of_the_deployment_guide_serves_both_models_natively()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Skip("The guide's server is published for linux-x64 here.");
        }
        TabularRun classification = programs.Classification.Value, regression = programs.Regression.Value;
        string project = programs.Feed.NewProject("tabular-server");
        IReadOnlyCollection<string> files = DocumentedExamples.WriteTo(project, "deployment.md", "tabular-server", programs.Feed.Version);
        Assert.Equal(["Program.cs", "TabularServer.csproj"], files.Order(StringComparer.Ordinal));
        string log = RepositoryProcess.Dotnet(project, "publish", "-c", "Release", "-o", "out");
        Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);
        string server = Path.Combine(project, "out", "TabularServer");

        // The program's row, then rows drawn far inside one species each (one with the label column, one with a leaf
        // marked missing by '?'), and a bad row, which is reported and passed over.
        string[] trees = Serve(server, Path.Combine(classification.Project, "tree-species.safetensors"),
            [string.Join(',', classification.Cells), "8,12.5,?,clay,willow", "9,21.0,10.0,loam", "10,tall,2.5,sand", "11,31.0,2.5,sand"],
            "stdin, line 4: column 2 ('height'): 'tall' is not a finite number.");
        Assert.Equal(4, trees.Length);
        AssertSameClass(classification.LastLine, trees[0]);
        Assert.Equal(["willow", "oak", "pine"], trees[1..].Select(answer => answer.Split(' ')[0]));

        string[] prices = Serve(server, Path.Combine(regression.Project, "house-price.safetensors"),
            [string.Join(',', regression.Cells), "18,3,yes,,250.0"], null);
        Assert.Equal(2, prices.Length);
        float expected = float.Parse(regression.LastLine, CultureInfo.InvariantCulture);
        float served = float.Parse(prices[0], CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(served - expected) <= 1e-4f * Math.Abs(expected), $"served {served}, the program printed {expected}");
        Assert.Equal(prices[0], prices[1]); // another id and the label column change nothing
    }

    /// <summary>Pipes <paramref name="rows"/> to the server for <paramref name="model"/> (the binary run with no environment)
    /// and returns its answers; the one error it reports, if any, must be <paramref name="error"/>.</summary>
    private static string[] Serve(string server, string model, string[] rows, string? error)
    {
        string output = RepositoryProcess.Run(server, [model], Path.GetDirectoryName(model)!, cleanEnvironment: true,
            standardInput: string.Join('\n', rows) + "\n");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        static bool IsError(string line) => line.StartsWith("stdin, line", StringComparison.Ordinal);
        Assert.Equal(error is null ? [] : [error], lines.Where(IsError));
        return [.. lines.Where(line => !IsError(line))];
    }

    /// <summary>Same class name; probabilities within 0.002 (the binary runs the Vector256 kernels, the program here may run
    /// the Vector512 ones, whose sums round differently).</summary>
    private static void AssertSameClass(string expected, string served)
    {
        string[] want = expected.Split(' '), got = served.Split(' ');
        Assert.Equal(want[0], got[0]);
        double difference = Math.Abs(double.Parse(want[1], CultureInfo.InvariantCulture) - double.Parse(got[1], CultureInfo.InvariantCulture));
        Assert.True(difference <= 0.002, $"served '{served}', the program printed '{expected}'");
    }
}

/// <summary>One documented program, built and run in a fresh project.</summary>
/// <param name="Project">The project's directory (the model it saved is there).</param>
/// <param name="Output">What it printed.</param>
/// <param name="Cells">The row of text cells it predicted after loading the model (its <c>string[] cells</c>).</param>
/// <param name="LastLine">Its last line: that prediction.</param>
public sealed record TabularRun(string Project, string Output, IReadOnlyList<string> Cells, string LastLine);

/// <summary>The classification and regression programs of data.md's tabular section, each built and run once (on first use)
/// in a fresh project that references the packed package, on a CSV file generated here.</summary>
public sealed partial class TabularPrograms(PackedFeed feed)
{
    /// <summary>The species of trees.csv: class names in the file, in ordinal order.</summary>
    public static readonly string[] Species = ["oak", "pine", "willow"];

    public PackedFeed Feed { get; } = feed;

    public Lazy<TabularRun> Classification { get; } = new(() => Run(feed, "classification", "trees.csv", TreesCsv()));

    public Lazy<TabularRun> Regression { get; } = new(() => Run(feed, "regression", "housing.csv", HousingCsv()));

    private static TabularRun Run(PackedFeed feed, string example, string csvName, string csv)
    {
        string project = feed.NewProject("tabular-" + example);
        DocumentedExamples.WriteTo(project, "data.md", example, feed.Version);
        File.WriteAllText(Path.Combine(project, "Tabular.csproj"), feed.ConsoleProject());
        File.WriteAllText(Path.Combine(project, csvName), csv);
        RepositoryProcess.Dotnet(project, "build", "-c", "Release");
        string output = RepositoryProcess.Dotnet(project, "run", "-c", "Release", "--no-build");
        Match cells = CellsDeclaration().Match(File.ReadAllText(Path.Combine(project, "Program.cs")));
        Assert.True(cells.Success, $"The {example} program of data.md declares no 'string[] cells = [\"…\", …];'.");
        return new TabularRun(project, output, [.. cells.Groups["cell"].Captures.Select(c => c.Value)], output.Trim().Split('\n')[^1].Trim());
    }

    /// <summary>id,height,leaf,soil,species: 300 trees; each species has its own height (m) and leaf length (cm) and grows on
    /// its own soil 7 times in 10; every 13th leaf is missing (empty), and every 29th is '?'.</summary>
    private static string TreesCsv()
    {
        (double Height, double Leaf, string Soil)[] traits = [(20, 10, "loam"), (30, 2, "sand"), (12, 13, "clay")];
        string[] soils = ["clay", "loam", "sand"];
        var random = new Random(7);
        var csv = new StringBuilder("id,height,leaf,soil,species\n");
        for (int i = 0; i < 300; i++)
        {
            int k = random.Next(Species.Length);
            double height = traits[k].Height + (random.NextDouble() - 0.5) * 10;
            double leaf = traits[k].Leaf + (random.NextDouble() - 0.5) * 4;
            string soil = random.Next(10) < 7 ? traits[k].Soil : soils[random.Next(soils.Length)];
            string leafCell = i % 13 == 5 ? "" : i % 29 == 7 ? "?" : leaf.ToString("F1", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{1000 + i},{height:F1},{leafCell},{soil},{Species[k]}\n");
        }
        return csv.ToString();
    }

    /// <summary>id,rooms,garden,area,price: price is linear in rooms, garden and area plus noise; every 17th area is missing.</summary>
    private static string HousingCsv()
    {
        var random = new Random(5);
        var csv = new StringBuilder("id,rooms,garden,area,price\n");
        for (int i = 0; i < 300; i++)
        {
            int rooms = random.Next(1, 7);
            bool garden = random.Next(2) == 1;
            double area = 30 + 25 * rooms + random.Next(0, 40);
            double price = 40 + 15 * rooms + (garden ? 25 : 0) + 1.2 * area + (random.NextDouble() - 0.5) * 10;
            string areaCell = i % 17 == 3 ? "" : area.ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{1000 + i},{rooms},{(garden ? "yes" : "no")},{areaCell},{price:F1}\n");
        }
        return csv.ToString();
    }

    [GeneratedRegex(@"string\[\] cells = \[(?:\s*""(?<cell>[^""]*)"",?)*\s*\];")]
    private static partial Regex CellsDeclaration();
}
