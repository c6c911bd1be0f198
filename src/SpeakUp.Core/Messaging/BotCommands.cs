namespace SpeakUp.Core.Messaging;

/// <summary>The commands supporters see in the channel's menu. Descriptions are the locale keys "command.&lt;name&gt;".</summary>
public static class BotCommands
{
    public const string Start = "start";
    public const string Today = "today";
    public const string Language = "language";
    public const string Help = "help";
    public const string Cancel = "cancel";
    public const string Stop = "stop";
    public const string ForgetMe = "forgetme";
    public const string Submit = "submit";

    /// <summary>A personal invite link (handled by the referral commands, not the workflow).</summary>
    public const string Invite = "invite";

    /// <summary>Top recruiters this week and overall (handled by the referral commands).</summary>
    public const string Leaderboard = "leaderboard";

    /// <summary>Staff only (moderators, admins): the next submission to review. Not in the supporters' menu.</summary>
    public const string Review = "review";

    /// <summary>In menu order.</summary>
    public static IReadOnlyList<string> Menu { get; } = [Today, Submit, Invite, Leaderboard, Start, Language, Help, Stop, ForgetMe, Cancel];

    public static string DescriptionKey(string command) => "command." + command;
}
