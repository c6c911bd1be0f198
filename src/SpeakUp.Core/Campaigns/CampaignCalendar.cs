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

    /// <exception cref="ArgumentException">Two campaigns share an id or overlap.</exception>
    public CampaignCalendar(IReadOnlyList<Campaign> campaigns)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        _byStart = [.. campaigns.OrderBy(c => c.Starts)];

        var byId = new Dictionary<string, Campaign>(StringComparer.Ordinal);
        foreach (var campaign in _byStart)
        {
            if (!byId.TryAdd(campaign.Id, campaign))
            {
                throw new ArgumentException($"Campaign id '{campaign.Id}' is used twice.", nameof(campaigns));
            }
        }

        for (var i = 1; i < _byStart.Length; i++)
        {
            if (_byStart[i].Starts <= _byStart[i - 1].Ends)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Campaigns '{_byStart[i - 1].Id}' and '{_byStart[i].Id}' overlap."),
                    nameof(campaigns));
            }
        }

        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
        All = Array.AsReadOnly(_byStart);
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
