using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Admin;

/// <summary>One leaderboard row: who (first name only when they agreed to be named) and how many people they brought.</summary>
public sealed record Recruiter(string Member, string? FirstName, long Count);

/// <summary>Referral codes (<c>/start r_&lt;code&gt;</c>) and the credit for joins made through them.</summary>
public interface IReferralStore
{
    /// <summary>The chat's personal code, created on first use and then always the same.</summary>
    Task<string> GetOrCreateCodeAsync(ChatKey chat, CancellationToken cancellationToken);

    /// <summary>Top recruiters this week (ISO week in the bot's time zone) or of all time.</summary>
    Task<IReadOnlyList<Recruiter>> TopAsync(bool thisWeek, int count, CancellationToken cancellationToken);

    /// <summary>Shows the first name on the leaderboard (null hides it again).</summary>
    Task SetShownNameAsync(ChatKey chat, string? firstName, CancellationToken cancellationToken);
}
