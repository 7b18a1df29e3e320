using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Where a diagnostic's help link points. <c>RepositoryUrl</c> in Directory.Build.props is the one place that names the
/// repository's public address; the build stamps it on this assembly. With an address, the link is the page on it,
/// <c>{RepositoryUrl}/blob/main/docs/diagnostics/NGxxxx.md</c>. Without one (the repository has no public address yet),
/// the link is the page on disk: the package ships the pages, and its build targets pass their folder as the build
/// property <see cref="PagesProperty"/> (inside the repository, eng/NetGen.Local.props passes docs/diagnostics), so the
/// IDE opens a <c>file://</c> link to the page of the package version in use. With neither, it is the page's path.
/// </summary>
internal static class HelpLinks
{
    /// <summary>The build property, made visible to the compiler by the package's build targets, that holds the folder of
    /// the diagnostic pages.</summary>
    public const string PagesProperty = "build_property.NetGenDiagnosticPages";

    private static readonly ConcurrentDictionary<(string Id, string Link), DiagnosticDescriptor> s_linked = new();

    /// <summary>The address the build stamped (the <c>NetGen.RepositoryUrl</c> assembly metadata), or null.</summary>
    public static string? RepositoryUrl { get; } = typeof(HelpLinks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "NetGen.RepositoryUrl")?.Value;

    /// <summary>The help link of diagnostic <paramref name="id"/>.</summary>
    public static string Page(string id) => Page(RepositoryUrl, id);

    /// <summary>The help link of diagnostic <paramref name="id"/> for a repository at <paramref name="repositoryUrl"/>
    /// (a clone address ending in <c>.git</c> is accepted), or its path when there is none.</summary>
    public static string Page(string? repositoryUrl, string id)
    {
        string path = $"docs/diagnostics/{id}.md";
        if (repositoryUrl is null || repositoryUrl.Trim().Length == 0)
        {
            return path;
        }
        string site = repositoryUrl.Trim().TrimEnd('/');
        if (site.EndsWith(".git", System.StringComparison.Ordinal))
        {
            site = site.Substring(0, site.Length - ".git".Length);
        }
        return $"{site}/blob/main/{path}";
    }

    /// <summary>The folder of the diagnostic pages that the build passed, or null.</summary>
    public static string? PagesFolder(AnalyzerConfigOptions globalOptions)
        => globalOptions.TryGetValue(PagesProperty, out string? folder) && folder.Trim().Length > 0 ? folder.Trim() : null;

    /// <summary>The help link of diagnostic <paramref name="id"/>: the page at the repository's address when it has one,
    /// else the <c>file://</c> address of the page in <paramref name="pagesFolder"/> (an absolute path), else the page's
    /// path.</summary>
    public static string Link(string id, string? pagesFolder)
        => RepositoryUrl is not { Length: > 0 } && pagesFolder is not null
            && Uri.TryCreate(pagesFolder.TrimEnd('/', '\\') + "/" + id + ".md", UriKind.Absolute, out Uri? page)
            ? page.AbsoluteUri
            : Page(id);

    /// <summary><paramref name="descriptor"/> with the help link for <paramref name="pagesFolder"/> (the descriptor
    /// itself when that is its link already).</summary>
    public static DiagnosticDescriptor Linked(DiagnosticDescriptor descriptor, string? pagesFolder)
    {
        string link = Link(descriptor.Id, pagesFolder);
        return link == descriptor.HelpLinkUri ? descriptor : s_linked.GetOrAdd((descriptor.Id, link), key => new DiagnosticDescriptor(
            descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
            descriptor.IsEnabledByDefault, descriptor.Description, key.Link, [.. descriptor.CustomTags]));
    }
}
