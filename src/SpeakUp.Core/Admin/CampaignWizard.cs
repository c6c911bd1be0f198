using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Admin;

/// <summary>A campaign being created step by step in chat.</summary>
public sealed record CampaignDraft
{
    public int Step { get; init; }

    /// <summary>True for a series (one post a day), false for an ordinary campaign; null until the first step is answered.</summary>
    public bool? Series { get; init; }

    public string? Hashtag { get; init; }

    public Dictionary<string, string> Title { get; init; } = [];

    public Dictionary<string, List<string>> Points { get; init; } = [];

    public Dictionary<string, List<string>> Posts { get; init; } = [];

    /// <summary>A series' finished days, in order: language → the day's post.</summary>
    public List<Dictionary<string, string>> Days { get; init; } = [];

    /// <summary>The series day being written: the languages given so far.</summary>
    public Dictionary<string, string> Day { get; init; } = [];

    public DateOnly? Starts { get; init; }

    public DateOnly? Ends { get; init; }
}

/// <summary>What the wizard asks next: the locale key's last part, the language it is about, and where the admin is.</summary>
/// <param name="Kind">type, hashtag, title, points, posts, series, start, dates or time ("campaign.new." + Kind).</param>
/// <param name="Day">For a series, the number of the day whose post is asked for.</param>
/// <param name="CanFinish">For a series, whether "done" would end the list of posts now.</param>
public sealed record WizardQuestion(string Kind, string? Language, int Step, int Steps, int Day, bool CanFinish);

/// <summary>
/// The steps of /campaign new: the type (campaign or series), the hashtag, then the title and talking points in each
/// language; for a campaign the posts in each language and the dates; for a series its posts one by one (a day at a time,
/// each language in turn, "done" to finish) and the first day (one post a day fixes the last); then the post time.
/// Pure: each answer either moves the draft on or names what was wrong. The last answer yields the campaign.
/// </summary>
public sealed class CampaignWizard(IReadOnlyList<string> languages, IReadOnlyCollection<string> doneWords)
{
    public CampaignWizard(IReadOnlyList<string> languages)
        : this(languages, ["done"])
    {
    }

    /// <summary>The step names of a campaign: type, hashtag, title:hi, title:en, points:hi, …, posts:en, dates, time.</summary>
    public IReadOnlyList<string> CampaignSteps { get; } =
        ["type", "hashtag", .. languages.Select(l => "title:" + l), .. languages.Select(l => "points:" + l), .. languages.Select(l => "posts:" + l), "dates", "time"];

    /// <summary>The step names of a series: type, hashtag, title:hi, …, points:en, series (repeated per post), start, time.</summary>
    public IReadOnlyList<string> SeriesSteps { get; } =
        ["type", "hashtag", .. languages.Select(l => "title:" + l), .. languages.Select(l => "points:" + l), "series", "start", "time"];

    public IReadOnlyList<string> StepsOf(CampaignDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft.Series == true ? SeriesSteps : CampaignSteps;
    }

    /// <summary>The step that asks for the dates (an overlap sends the admin back there).</summary>
    public int DatesStep(CampaignDraft draft) => StepsOf(draft).Count - 2;

    public static string Serialize(CampaignDraft draft) => JsonSerializer.Serialize(draft, CampaignJsonContext.Default.CampaignDraft);

    public static CampaignDraft? Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CampaignJsonContext.Default.CampaignDraft);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public WizardQuestion Question(CampaignDraft draft)
    {
        var steps = StepsOf(draft);
        var (kind, language) = Split(steps[draft.Step]);
        if (kind == "series")
        {
            language = NextLanguage(draft);
        }

        return new WizardQuestion(kind, language, draft.Step + 1, steps.Count, draft.Days.Count + 1, draft.Day.Count == 0 && draft.Days.Count > 0);
    }

    /// <summary>Applies an answer: the next draft, or an error key (the draft unchanged); a finished draft also gives the campaign.</summary>
    public (CampaignDraft Draft, string? Error, Campaign? Done) Answer(CampaignDraft draft, string text)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var (kind, language) = Split(StepsOf(draft)[draft.Step]);
        var lang = language ?? string.Empty;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        CampaignDraft next;
        switch (kind)
        {
            case "type" when text is "1" or "2":
                next = draft with { Series = text == "2" };
                break;
            case "hashtag" when CampaignCommands.IsValidHashtag(text):
                next = draft with { Hashtag = text };
                break;
            case "title" when text.Length is > 0 and <= 200:
                next = draft with { Title = new(draft.Title) { [lang] = text } };
                break;
            case "points" when lines.Length is >= CampaignFileParser.MinPoints and <= CampaignFileParser.MaxPoints:
                next = draft with { Points = new(draft.Points) { [lang] = [.. lines] } };
                break;
            case "posts" when lines.Length > 0:
                var posts = lines.Select(p => WithHashtag(p, draft.Hashtag!)).ToList();
                if (posts.Any(p => CampaignFileParser.XLength(p) > CampaignFileParser.MaxPostLength))
                {
                    return (draft, "campaign.new.too_long", null);
                }

                next = draft with { Posts = new(draft.Posts) { [lang] = posts } };
                break;
            case "series" when text.Length > 0:
                return SeriesAnswer(draft, text);
            case "start" when ParseDate(text) is { } first:
                next = draft with { Starts = first, Ends = first.AddDays(draft.Days.Count - 1) };
                break;
            case "dates" when ParseDates(text) is { } dates:
                next = draft with { Starts = dates.Starts, Ends = dates.Ends };
                break;
            case "time" when text == "-" || TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                var postTime = text == "-" ? (TimeOnly?)null : TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
                return (draft with { Step = draft.Step + 1 }, null, Build(draft, postTime));
            default:
                return (draft, "campaign.new.invalid", null);
        }

        return (next with { Step = draft.Step + 1 }, null, null);
    }

    /// <summary>One post of a series in one language; "done" (between days) ends the list.</summary>
    private (CampaignDraft Draft, string? Error, Campaign? Done) SeriesAnswer(CampaignDraft draft, string text)
    {
        if (doneWords.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return draft.Days.Count == 0 ? (draft, "campaign.new.series_empty", null)
                : draft.Day.Count > 0 ? (draft, "campaign.new.series_unfinished", null)
                : (draft with { Step = draft.Step + 1 }, null, null);
        }

        var post = WithHashtag(text, draft.Hashtag!);
        if (CampaignFileParser.XLength(post) > CampaignFileParser.MaxPostLength)
        {
            return (draft, "campaign.new.too_long", null);
        }

        var day = new Dictionary<string, string>(draft.Day, StringComparer.Ordinal) { [NextLanguage(draft)!] = post };
        if (day.Count < languages.Count)
        {
            return (draft with { Day = day }, null, null);
        }

        // The day is complete; a series as long as the file allows moves on to its first date by itself.
        var days = new List<Dictionary<string, string>>(draft.Days) { day };
        var next = draft with { Days = days, Day = [] };
        return days.Count >= CampaignFileParser.MaxSeriesPosts ? (next with { Step = draft.Step + 1 }, null, null) : (next, null, null);
    }

    private static Campaign Build(CampaignDraft draft, TimeOnly? postTime) => new()
    {
        Id = IdFor(draft.Hashtag!, draft.Starts!.Value),
        Hashtag = draft.Hashtag!,
        Starts = draft.Starts.Value,
        Ends = draft.Ends!.Value,
        PostTime = postTime,
        Title = draft.Title,
        Points = draft.Points.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
        Posts = draft.Series == true
            ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            : draft.Posts.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
        Series = draft.Series == true ? [.. draft.Days.Select(d => new SeriesPost { Text = d })] : null,
    };

    private string? NextLanguage(CampaignDraft draft) => languages.FirstOrDefault(l => !draft.Day.ContainsKey(l));

    private static (string Kind, string? Language) Split(string step) =>
        step.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (step[..colon], step[(colon + 1)..]) : (step, null);

    private static string WithHashtag(string post, string hashtag) =>
        CampaignFileParser.ContainsHashtag(post, hashtag) ? post : post + " " + hashtag;

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>"2026-12-01 2026-12-07" (or one date for a one-day campaign); the end on or after the start.</summary>
    private static (DateOnly Starts, DateOnly Ends)? ParseDates(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || ParseDate(parts[0]) is not { } starts)
        {
            return null;
        }

        var ends = starts;
        if (parts.Length == 2)
        {
            if (ParseDate(parts[1]) is not { } given)
            {
                return null;
            }

            ends = given;
        }

        return ends >= starts ? (starts, ends) : null;
    }

    /// <summary>An id from the hashtag's Latin letters and digits plus the start date ("jobs-2027-03-01"), within [a-z0-9_-]{1,40}.</summary>
    public static string IdFor(string hashtag, DateOnly starts)
    {
        ArgumentNullException.ThrowIfNull(hashtag);
        var slug = new StringBuilder();
        foreach (var c in hashtag.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
        }

        var name = slug.ToString().Replace("speakupfor", string.Empty, StringComparison.Ordinal).Replace("speakup", string.Empty, StringComparison.Ordinal);
        if (name.Length == 0)
        {
            name = "campaign";
        }

        var date = starts.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (name.Length > 29 ? name[..29] : name) + "-" + date;
    }
}
