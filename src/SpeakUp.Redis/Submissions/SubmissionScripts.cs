namespace SpeakUp.Redis.Submissions;

/// <summary>
/// The review queue's and the flood gate's scripts, read once from the embedded <c>Scripts/Submission*.lua</c> and
/// <c>Scripts/FloodHit.lua</c> (each file says its KEYS, ARGV and result). Only commands Redis 7.0 and Garnet 2.2 both run
/// (strings, hashes, sets, zsets).
/// </summary>
internal static class SubmissionScripts
{
    public static readonly string Add = Read("SubmissionAdd.lua");

    public static readonly string Claim = Read("SubmissionClaim.lua");

    public static readonly string Decide = Read("SubmissionDecide.lua");

    public static readonly string Release = Read("SubmissionRelease.lua");

    public static readonly string StartPublishing = Read("SubmissionStartPublishing.lua");

    public static readonly string MarkPublished = Read("SubmissionMarkPublished.lua");

    public static readonly string ForgetAuthor = Read("SubmissionForgetAuthor.lua");

    public static readonly string ExportPage = Read("SubmissionExportPage.lua");

    public static readonly string Flood = Read("FloodCount.lua") + Read("FloodHit.lua");

    private static string Read(string file) => RedisScripts.Read(file);
}
