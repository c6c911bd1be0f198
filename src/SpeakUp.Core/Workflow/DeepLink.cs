namespace SpeakUp.Core.Workflow;

/// <summary>
/// A /start payload: <c>c_&lt;campaignId&gt;</c> preselects a campaign, <c>r_&lt;code&gt;</c> records who referred the person.
/// Telegram allows up to 64 characters of A-Za-z0-9_-; anything else is ignored rather than trusted.
/// </summary>
public readonly record struct DeepLink(string? CampaignId, string? ReferralCode)
{
    public const int MaxLength = 64;

    public static bool IsValid(string? payload) =>
        !string.IsNullOrEmpty(payload) && payload.Length <= MaxLength && payload.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static DeepLink Parse(string? payload)
    {
        if (!IsValid(payload))
        {
            return default;
        }

        if (payload!.StartsWith("c_", StringComparison.Ordinal) && payload.Length > 2)
        {
            return new DeepLink(payload[2..], null);
        }

        if (payload.StartsWith("r_", StringComparison.Ordinal) && payload.Length > 2)
        {
            return new DeepLink(null, payload[2..]);
        }

        return default;
    }
}
