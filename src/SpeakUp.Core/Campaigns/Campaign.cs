namespace SpeakUp.Core.Campaigns;

/// <summary>One SpeakUp campaign: a hashtag for a date range, with text in every supported language.</summary>
public sealed record Campaign
{
    public required string Id { get; init; }

    /// <summary>With the leading '#'.</summary>
    public required string Hashtag { get; init; }

    public required DateOnly Starts { get; init; }

    public required DateOnly Ends { get; init; }

    /// <summary>When supporters should post together, in the bot's time zone; null when the campaign sets none.</summary>
    public TimeOnly? PostTime { get; init; }

    /// <summary>Language code → title.</summary>
    public required IReadOnlyDictionary<string, string> Title { get; init; }

    /// <summary>Language code → 2–4 talking points.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Points { get; init; }

    /// <summary>Language code → ready-to-post text variants (each already containing the hashtag).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Posts { get; init; }

    public bool IsOn(DateOnly date) => date >= Starts && date <= Ends;
}

/// <summary>The campaign calendar.</summary>
// "On" and "date" are Visual Basic keywords (CA1716); the calendar is consumed from C# only and reads best as calendar.On(today).
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "C#-only API; On(date) reads naturally.")]
public interface ICampaignCalendar
{
    IReadOnlyList<Campaign> All { get; }

    /// <summary>The campaign running on that date, if any.</summary>
    Campaign? On(DateOnly date);

    /// <summary>The first campaign that starts after that date, if any.</summary>
    Campaign? NextAfter(DateOnly date);

    Campaign? Find(string id);
}
