namespace SpeakUp.Web.Tests.Support;

/// <summary>
/// The system clock moved to a chosen moment: "today" is a campaign day whatever the machine's date, while time still
/// runs (timers, heartbeats, Redis expiries work as in production).
/// </summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly TimeSpan offset = now - System.GetUtcNow();

    /// <summary>25 November 2026, 10:00 in India: the #SpeakUpForFarmers campaign of config/campaigns.yaml runs.</summary>
    public static DateTimeOffset CampaignDay { get; } = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(5.5));

    public const string CampaignHashtag = "#SpeakUpForFarmers";

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
