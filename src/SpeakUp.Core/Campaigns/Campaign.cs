using System.Text.Json.Serialization;

namespace SpeakUp.Core.Campaigns;

/// <summary>
/// One SpeakUp campaign: a hashtag for a date range, with text in every supported language. A <em>series</em> (like a
/// daily heritage series) has an ordered list of posts instead of variants: post i runs on <see cref="Starts"/> + i, and
/// the series ends with its last post.
/// </summary>
public sealed record Campaign
{
    public required string Id { get; init; }

    /// <summary>With the leading '#'.</summary>
    public required string Hashtag { get; init; }

    public required DateOnly Starts { get; init; }

    /// <summary>The last day; for a series always <see cref="Starts"/> + (number of posts − 1).</summary>
    public required DateOnly Ends { get; init; }

    /// <summary>When supporters should post together, in the bot's time zone; null when the campaign sets none.</summary>
    public TimeOnly? PostTime { get; init; }

    /// <summary>Language code → title.</summary>
    public required IReadOnlyDictionary<string, string> Title { get; init; }

    /// <summary>
    /// Language code → 2–4 talking points. A series may leave this empty when every post brings its own; a post without
    /// points shows these.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Points { get; init; }

    /// <summary>Language code → ready-to-post text variants (each already containing the hashtag); empty for a series.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Posts { get; init; }

    /// <summary>
    /// The posts of a series, in day order; null for an ordinary campaign. Left out of the JSON when null, so an ordinary
    /// campaign stored before series existed keeps its content hash (and a re-import does not report a false conflict).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SeriesPost>? Series { get; init; }

    [JsonIgnore]
    public bool IsSeries => Series is not null;

    public bool IsOn(DateOnly date) => date >= Starts && date <= Ends;

    /// <summary>For a series running on <paramref name="date"/>, the day's number (1 for the first post); otherwise null.</summary>
    public int? SeriesDayOn(DateOnly date)
    {
        var index = date.DayNumber - Starts.DayNumber;
        return Series is { } posts && IsOn(date) && index < posts.Count ? index + 1 : null;
    }

    /// <summary>For a series running on <paramref name="date"/>, that day's post; otherwise null.</summary>
    public SeriesPost? SeriesPostOn(DateOnly date) => SeriesDayOn(date) is { } day ? Series![day - 1] : null;

    /// <summary>
    /// The campaign as supporters see it on <paramref name="date"/>: for a series, that day's post as the one ready-to-post
    /// text and its talking points (or the campaign's); an ordinary campaign is returned as is. Never stored.
    /// </summary>
    public Campaign ForDay(DateOnly date)
    {
        if (SeriesPostOn(date) is not { } post)
        {
            return this;
        }

        return this with
        {
            Points = post.Points ?? Points,
            Posts = post.Text.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)[t.Value], StringComparer.Ordinal),
        };
    }
}

/// <summary>One day's post of a series campaign.</summary>
public sealed record SeriesPost
{
    /// <summary>Language code → the day's subject ("Konark Sun Temple, Odisha"); null to show only the day number.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Title { get; init; }

    /// <summary>Language code → the ready-to-post text (already containing the hashtag).</summary>
    public required IReadOnlyDictionary<string, string> Text { get; init; }

    /// <summary>Language code → 2–4 talking points for the day; null to show the campaign's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Points { get; init; }

    /// <summary>An https link to a picture for the day, offered as a button; null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Uri? Image { get; init; }
}

/// <summary>The campaign calendar.</summary>
// "On" and "date" are Visual Basic keywords (CA1716); the calendar is consumed from C# only and reads best as calendar.On(today).
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "C#-only API; On(date) reads naturally.")]
public interface ICampaignCalendar
{
    IReadOnlyList<Campaign> All { get; }

    /// <summary>The campaign running on that date, if any (a series as a whole: use <see cref="Campaign.ForDay"/> for the day's post).</summary>
    Campaign? On(DateOnly date);

    /// <summary>The first campaign that starts after that date, if any.</summary>
    Campaign? NextAfter(DateOnly date);

    Campaign? Find(string id);
}
