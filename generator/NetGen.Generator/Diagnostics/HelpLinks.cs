using System.Linq;
using System.Reflection;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Where a diagnostic's help link points. <c>RepositoryUrl</c> in Directory.Build.props is the one place that names the
/// repository's public address; the build stamps it on this assembly. With an address, the link is the page on it,
/// <c>{RepositoryUrl}/blob/main/docs/diagnostics/NGxxxx.md</c>, which opens from a package user's IDE. Without one (the
/// repository has no public address yet) it is the page's path, which is where the page is in the repository and in the
/// package.
/// </summary>
internal static class HelpLinks
{
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
}
