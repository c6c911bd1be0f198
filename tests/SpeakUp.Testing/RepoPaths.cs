using System.Reflection;

namespace SpeakUp.Testing;

/// <summary>Where the repository and the shared fixtures are, stamped into the assembly by Directory.Build.props.</summary>
public static class RepoPaths
{
    public static string Root { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>shared/fixtures/&lt;channel&gt; beside the repository (CI lays shared/ beside the clone, as it is here).</summary>
    public static string SharedFixtures(string channel) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", channel));
}
