using System.Collections.Frozen;
using System.Globalization;

namespace SpeakUp.Core.Campaigns;

/// <summary>
/// An immutable calendar of campaigns that do not overlap (at most one campaign a day), sorted by start date.
/// Lookups by date are binary searches.
/// </summary>
public sealed class CampaignCalendar : ICampaignCalendar
{
    private readonly Campaign[] _byStart;
    private readonly FrozenDictionary<string, Campaign> _byId;

    /// <exception cref="ArgumentException">Two campaigns share an id or overlap, or a series' dates and post count disagree.</exception>
    public CampaignCalendar(IReadOnlyList<Campaign> campaigns)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        _byStart = [.. campaigns.OrderBy(c => c.Starts)];
        if (ProblemOf(_byStart) is { } problem)
        {
            throw new ArgumentException(problem, nameof(campaigns));
        }

        _byId = _byStart.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        All = Array.AsReadOnly(_byStart);
    }

    /// <summary>Why these campaigns cannot form a calendar (a shared id, an overlap, a series whose dates and posts disagree); null when they can.</summary>
    public static string? Problem(IReadOnlyList<Campaign> campaigns)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        return ProblemOf([.. campaigns.OrderBy(c => c.Starts)]);
    }

    private static string? ProblemOf(Campaign[] byStart)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var campaign in byStart)
        {
            if (!ids.Add(campaign.Id))
            {
                return $"Campaign id '{campaign.Id}' is used twice.";
            }

            // One post a day: a series whose dates and posts disagree would show nothing on some days or drop posts.
            var days = campaign.Ends.DayNumber - campaign.Starts.DayNumber + 1;
            if (campaign.Series is { } posts && (posts.Count == 0 || days != posts.Count))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Series '{campaign.Id}' has {posts.Count} posts but runs {days} days.");
            }
        }

        for (var i = 1; i < byStart.Length; i++)
        {
            if (byStart[i].Starts <= byStart[i - 1].Ends)
            {
                return $"Campaigns '{byStart[i - 1].Id}' and '{byStart[i].Id}' overlap.";
            }
        }

        return null;
    }

    /// <summary>Every campaign, sorted by start date.</summary>
    public IReadOnlyList<Campaign> All { get; }

    public Campaign? On(DateOnly date)
    {
        var i = LastStartingOnOrBefore(date);
        return i >= 0 && _byStart[i].IsOn(date) ? _byStart[i] : null;
    }

    public Campaign? NextAfter(DateOnly date)
    {
        var i = LastStartingOnOrBefore(date) + 1;
        return i < _byStart.Length ? _byStart[i] : null;
    }

    public Campaign? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.GetValueOrDefault(id);
    }

    /// <summary>Index of the last campaign that starts on or before <paramref name="date"/>; -1 when none does.</summary>
    private int LastStartingOnOrBefore(DateOnly date)
    {
        int lo = 0, hi = _byStart.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_byStart[mid].Starts <= date)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
