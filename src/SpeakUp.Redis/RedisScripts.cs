namespace SpeakUp.Redis;

/// <summary>The Lua scripts, read once from the embedded Scripts/*.lua resources.</summary>
internal static class RedisScripts
{
    public static readonly string SaveSession = Read("SaveSession.lua");

    public static readonly string BroadcastClaim = Read("BroadcastClaim.lua");

    public static readonly string BroadcastForgetRecipient = Read("BroadcastForgetRecipient.lua");

    public static readonly string LoadSessionAndCount = Read("FloodCount.lua") + Read("LoadSessionAndCount.lua");

    public static readonly string WriteCampaigns = Read("WriteCampaigns.lua");

    /// <summary>One embedded script by file name (Scripts/*.lua are embedded under the project's root namespace).</summary>
    internal static string Read(string file)
    {
        var name = $"{typeof(RedisScripts).Namespace}.Scripts.{file}";
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from {typeof(RedisScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
