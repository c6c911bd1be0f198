using SpeakUp.Redis;

namespace SpeakUp.Testing.Redis;

/// <summary>An <see cref="EmbeddedGarnet"/> (the bot's own embedded server, same arguments) in a fresh temp directory.</summary>
public sealed class GarnetFixture : RedisTestServer
{
    /// <summary>Enough for tests; production uses Redis:EmbeddedMemory (1g by default).</summary>
    public const string TestMemory = "256m";

    public GarnetFixture()
    {
        DataDirectory = NewDataDirectory();
        Garnet = EmbeddedGarnet.Start(DataDirectory, TestMemory);
        Connected(Garnet.ConnectionString);
    }

    public override string Name => "garnet";

    public EmbeddedGarnet Garnet { get; }

    public string DataDirectory { get; }

    /// <summary>A new, empty directory under the temp folder for a Garnet of a test's own; the caller deletes it.</summary>
    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "speakup-garnet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a test's data directory, ignoring files a just-stopped server still holds.</summary>
    public static void DeleteDataDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    protected override void StopServer()
    {
        Garnet.Dispose();
        DeleteDataDirectory(DataDirectory);
    }
}
