using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Admin;

/// <summary>A campaign being created step by step in chat.</summary>
public sealed record CampaignDraft
{
    public int Step { get; init; }

    public string? Hashtag { get; init; }

    public Dictionary<string, string> Title { get; init; } = [];

    public Dictionary<string, List<string>> Points { get; init; } = [];

    public Dictionary<string, List<string>> Posts { get; init; } = [];

    public DateOnly? Starts { get; init; }

    public DateOnly? Ends { get; init; }
}

/// <summary>
/// The steps of /campaign new: hashtag, then title, talking points and posts in each language, then dates, then the post
/// time. Pure: each answer either moves the draft on or names what was wrong. The last answer yields the campaign.
/// </summary>
public sealed class CampaignWizard(IReadOnlyList<string> languages)
{
    /// <summary>The step names, in order: hashtag, title:hi, title:en, points:hi, …, posts:en, dates, time.</summary>
    public IReadOnlyList<string> Steps { get; } =
        ["hashtag", .. languages.Select(l => "title:" + l), .. languages.Select(l => "points:" + l), .. languages.Select(l => "posts:" + l), "dates", "time"];

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

    /// <summary>Applies an answer: the next draft, or an error key (the draft unchanged); a finished draft also gives the campaign.</summary>
    public (CampaignDraft Draft, string? Error, Campaign? Done) Answer(CampaignDraft draft, string text)
    {
        ArgumentNullException.ThrowIfNull(draft);
        text = text.Trim();
        var step = Steps[draft.Step];
        var (kind, lang) = step.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (step[..colon], step[(colon + 1)..]) : (step, "");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        CampaignDraft next;
        switch (kind)
        {
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
                var posts = lines.Select(p => CampaignFileParser.ContainsHashtag(p, draft.Hashtag!) ? p : p + " " + draft.Hashtag).ToList();
                if (posts.Any(p => CampaignFileParser.XLength(p) > CampaignFileParser.MaxPostLength))
                {
                    return (draft, "campaign.new.too_long", null);
                }

                next = draft with { Posts = new(draft.Posts) { [lang] = posts } };
                break;
            case "dates" when ParseDates(text) is { } dates:
                next = draft with { Starts = dates.Starts, Ends = dates.Ends };
                break;
            case "time" when text == "-" || TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                var postTime = text == "-" ? (TimeOnly?)null : TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
                var campaign = new Campaign
                {
                    Id = IdFor(draft.Hashtag!, draft.Starts!.Value),
                    Hashtag = draft.Hashtag!,
                    Starts = draft.Starts.Value,
                    Ends = draft.Ends!.Value,
                    PostTime = postTime,
                    Title = draft.Title,
                    Points = draft.Points.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
                    Posts = draft.Posts.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
                };
                return (draft with { Step = draft.Step + 1 }, null, campaign);
            default:
                return (draft, "campaign.new.invalid", null);
        }

        return (next with { Step = draft.Step + 1 }, null, null);
    }

    /// <summary>"2026-12-01 2026-12-07" (or one date for a one-day campaign); the end on or after the start.</summary>
    private static (DateOnly Starts, DateOnly Ends)? ParseDates(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var starts))
        {
            return null;
        }

        var ends = starts;
        if (parts.Length == 2 && !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out ends))
        {
            return null;
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
