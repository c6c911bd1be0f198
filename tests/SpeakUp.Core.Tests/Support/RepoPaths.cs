using System.Reflection;

namespace SpeakUp.Core.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root, stamped into the test assembly by Directory.Build.props.</summary>
    public static string Root { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string Locales => Path.Combine(Root, "config", "locales");
}
