using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpeakUp.Core.Campaigns;

namespace SpeakUp.Core.Admin;

/// <summary>Where a stored campaign's current text came from.</summary>
public enum CampaignSource
{
    /// <summary>config/campaigns.yaml; a re-import replaces it with the file's version.</summary>
    File,

    /// <summary>Created or edited in chat; a re-import keeps it, and reports a conflict when the file changed too.</summary>
    Chat,
}

/// <summary>A campaign as stored: the campaign, its source, and the hash of the file version it was last imported from.</summary>
public sealed record StoredCampaign(Campaign Campaign, CampaignSource Source, string? FileHash);

/// <summary>The outcome of merging the file into the store.</summary>
public sealed record CampaignMerge(IReadOnlyList<StoredCampaign> Result, IReadOnlyList<StoredCampaign> Changed, IReadOnlyList<string> Conflicts);

/// <summary>
/// Merges config/campaigns.yaml into the stored calendar: new and file-sourced campaigns take the file's version, chat
/// edits win (a conflict is reported when the file's version of an edited campaign changed since it was imported), and
/// campaigns only in the store stay.
/// </summary>
public static class CampaignSync
{
    public static CampaignMerge Merge(IReadOnlyList<Campaign> file, IReadOnlyList<StoredCampaign> stored)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stored);
        var byId = stored.ToDictionary(s => s.Campaign.Id, StringComparer.Ordinal);
        var changed = new List<StoredCampaign>();
        var conflicts = new List<string>();
        foreach (var campaign in file)
        {
            var hash = Hash(campaign);
            if (!byId.TryGetValue(campaign.Id, out var current))
            {
                byId[campaign.Id] = Add(new StoredCampaign(campaign, CampaignSource.File, hash));
            }
            else if (current.Source == CampaignSource.File && current.FileHash != hash)
            {
                byId[campaign.Id] = Add(new StoredCampaign(campaign, CampaignSource.File, hash));
            }
            else if (current.Source == CampaignSource.Chat && current.FileHash != hash)
            {
                conflicts.Add(campaign.Id);
                byId[campaign.Id] = Add(current with { FileHash = hash });
            }
        }

        return new CampaignMerge([.. byId.Values.OrderBy(s => s.Campaign.Starts)], changed, conflicts);

        StoredCampaign Add(StoredCampaign s)
        {
            changed.Add(s);
            return s;
        }
    }

    /// <summary>A stable hash of a campaign's content (its JSON).</summary>
    public static string Hash(Campaign campaign) =>
        Convert.ToHexString(SHA256.HashData(Serialize(campaign)))[..16];

    public static byte[] Serialize(StoredCampaign stored) => JsonSerializer.SerializeToUtf8Bytes(stored, CampaignJsonContext.Default.StoredCampaign);

    public static StoredCampaign Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, CampaignJsonContext.Default.StoredCampaign) ?? throw new JsonException("A stored campaign was null.");

    private static byte[] Serialize(Campaign campaign) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(campaign, CampaignJsonContext.Default.Campaign));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredCampaign))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CampaignDraft))]
internal sealed partial class CampaignJsonContext : JsonSerializerContext;

/// <summary>
/// The calendar every feature reads (workflow, prompts), swapped in place when the stored calendar changes (chat edits,
/// another instance's change): lookups stay in memory and synchronous.
/// </summary>
public sealed class LiveCampaignCalendar(IReadOnlyList<Campaign> initial) : ICampaignCalendar
{
    private volatile CampaignCalendar _current = new(initial);

    public IReadOnlyList<Campaign> All => _current.All;

    /// <summary>Replaces the calendar; throws (and keeps the old one) when campaigns overlap or share an id.</summary>
    public void Replace(IReadOnlyList<Campaign> campaigns) => _current = new CampaignCalendar(campaigns);

    public Campaign? On(DateOnly date) => _current.On(date);

    public Campaign? NextAfter(DateOnly date) => _current.NextAfter(date);

    public Campaign? Find(string id) => _current.Find(id);
}

/// <summary>The stored campaign calendar.</summary>
public interface ICampaignStore
{
    Task<IReadOnlyList<StoredCampaign>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes campaigns and tells every instance to reload.</summary>
    Task SaveAsync(IReadOnlyList<StoredCampaign> campaigns, CancellationToken cancellationToken);
}
