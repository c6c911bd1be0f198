using System.Reflection;

namespace SpeakUp.Web.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root, stamped into the test assembly by Directory.Build.props.</summary>
    public static string Root { get; } = Path.GetFullPath(typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!);

    public static string Docs => Path.Combine(Root, "docs");
}
