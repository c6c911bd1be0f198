using System.ComponentModel.DataAnnotations;

namespace SpeakUp.Core;

/// <summary>Settings of the bot itself (section "Bot").</summary>
public sealed class BotOptions : IValidatableObject
{
    public const string Section = "Bot";

    /// <summary>Telegram user ids (or other channels' user ids) of the owners. Checked on the server for every admin action.</summary>
    public IReadOnlyList<string> AdminIds { get; set; } = [];

    /// <summary>User ids of moderators, who review submissions. Owners may review too.</summary>
    public IReadOnlyList<string> ModeratorIds { get; set; } = [];

    /// <summary>IANA time zone that decides what "today" is and when prompts go out.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Kolkata";

    [Required]
    public string DefaultLanguage { get; set; } = "hi";

    /// <summary>How long an unfinished onboarding is kept. Joined supporters never expire.</summary>
    [Range(1, 3650)]
    public int OnboardingExpiryDays { get; set; } = 30;

    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
        {
            yield return new ValidationResult($"Bot:TimeZone '{TimeZone}' is not a known time zone (e.g. Asia/Kolkata).", [nameof(TimeZone)]);
        }

        foreach (var (key, ids) in new[] { ("AdminIds", AdminIds), ("ModeratorIds", ModeratorIds) })
        {
            foreach (var id in ids)
            {
                if (string.IsNullOrWhiteSpace(id) || !id.All(c => char.IsAsciiDigit(c) || c == '-'))
                {
                    yield return new ValidationResult($"Bot:{key} has '{id}', which is not a numeric user id.", [key]);
                }
            }
        }
    }
}
