using System.Globalization;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// Which daily jobs should exist now: the prompt from the prompt time (Bot:DailyPromptTime) and the "post now" reminder
/// from the campaign's post time, one job per language with an id made of the day, so every instance (and a restart in
/// that minute) asks to create the same ids and the store's create-if-absent keeps it to one per day per supporter.
/// A job is only created within a window after its time, so a host started in the evening does not send the morning prompt.
/// </summary>
public sealed class DailyPromptPlanner(ICampaignCalendar calendar, ILocalizer text, TodayClock clock, TimeOnly promptTime)
{
    public static readonly TimeSpan PromptWindow = TimeSpan.FromHours(3);

    public static readonly TimeSpan PostNowWindow = TimeSpan.FromHours(1);

    public IEnumerable<(string Id, BroadcastDefinition Definition)> Due()
    {
        var today = clock.Today;
        var campaign = calendar.On(today);
        if (campaign is null)
        {
            yield break;
        }

        var now = TimeOnly.FromDateTime(clock.LocalNow.DateTime);
        var day = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var iso = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (Within(now, promptTime, PromptWindow))
        {
            foreach (var language in text.Languages)
            {
                yield return ($"daily-{day}-prompt-{language}", Definition(BroadcastKind.DailyPrompt, language, iso));
            }
        }

        if (campaign.PostTime is { } post && Within(now, post, PostNowWindow))
        {
            foreach (var language in text.Languages)
            {
                yield return ($"daily-{day}-postnow-{language}", Definition(BroadcastKind.PostNow, language, iso));
            }
        }
    }

    private static bool Within(TimeOnly now, TimeOnly at, TimeSpan window) => now >= at && now - at < window;

    private static BroadcastDefinition Definition(BroadcastKind kind, string language, string day) => new()
    {
        Kind = kind,
        Language = language,
        Day = day,
        CreatedBy = "schedule",
        Audience = new BroadcastAudience { Languages = [language] },
    };
}
