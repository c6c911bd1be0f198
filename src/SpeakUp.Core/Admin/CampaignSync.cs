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

/// <summary>
/// The outcome of merging the file into the store: the calendar after the merge, what to write, what to delete (file
/// campaigns gone from the file), and the ids whose file change lost to a chat edit.
/// </summary>
public sealed record CampaignMerge(
    IReadOnlyList<StoredCampaign> Result,
    IReadOnlyList<StoredCampaign> Changed,
    IReadOnlyList<string> Conflicts)
{
    public IReadOnlyList<string> Removed { get; init; } = [];
}

/// <summary>
/// Merges config/campaigns.yaml into the stored calendar: new and file-sourced campaigns take the file's version, chat
/// edits win (a conflict is reported when the file's version of an edited campaign changed since it was imported, or
/// when it left the file), file-sourced campaigns that left the file are removed, and campaigns created in chat stay.
/// Merging the same file twice changes nothing the second time, so an import may be repeated safely.
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
        var removed = new List<string>();
        var inFile = new HashSet<string>(StringComparer.Ordinal);
        foreach (var campaign in file)
        {
            inFile.Add(campaign.Id);
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
                // Also when it was created in chat and the file now has one with the same id: the chat version stays,
                // and the file's version is remembered so only its next change is reported.
                conflicts.Add(campaign.Id);
                byId[campaign.Id] = Add(current with { FileHash = hash });
            }
        }

        foreach (var current in stored.Where(s => !inFile.Contains(s.Campaign.Id)))
        {
            if (current.Source == CampaignSource.File)
            {
                removed.Add(current.Campaign.Id);
                byId.Remove(current.Campaign.Id);
            }
            else if (current.FileHash is not null)
            {
                // Edited in chat, then taken out of the file: kept, reported once (it no longer points at a file version).
                conflicts.Add(current.Campaign.Id);
                byId[current.Campaign.Id] = Add(current with { FileHash = null });
            }
        }

        return new CampaignMerge([.. byId.Values.OrderBy(s => s.Campaign.Starts)], changed, conflicts) { Removed = removed };

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

    public static string Serialize(IReadOnlyList<string> ids) => JsonSerializer.Serialize(ids, CampaignJsonContext.Default.IReadOnlyListString);

    public static IReadOnlyList<string> DeserializeIds(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, CampaignJsonContext.Default.IReadOnlyListString) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static byte[] Serialize(Campaign campaign) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(campaign, CampaignJsonContext.Default.Campaign));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredCampaign))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(CampaignDraft))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class CampaignJsonContext : JsonSerializerContext;

/// <summary>
/// The calendar every feature reads (workflow, prompts), swapped in place when the stored calendar changes (chat edits,
/// a re-import, another instance's change): lookups stay in memory and synchronous. Each swap carries the store's
/// version, so a slow reload that read an older version cannot replace a newer calendar.
/// </summary>
public sealed class LiveCampaignCalendar(IReadOnlyList<Campaign> initial) : ICampaignCalendar
{
    private readonly Lock _gate = new();
    private volatile CampaignCalendar _current = new(initial);

    /// <summary>The store version the calendar was last replaced from; -1 while it is the file read at start.</summary>
    public long Version { get; private set; } = -1;

    public IReadOnlyList<Campaign> All => _current.All;

    /// <summary>
    /// Replaces the calendar unless it already holds a newer version; throws (and keeps the old one) when campaigns
    /// overlap, share an id, or a series' dates and posts disagree.
    /// </summary>
    /// <returns>False when the calendar already held a newer version.</returns>
    public bool Replace(IReadOnlyList<Campaign> campaigns, long version)
    {
        var next = new CampaignCalendar(campaigns);
        lock (_gate)
        {
            if (version < Version)
            {
                return false;
            }

            _current = next;
            Version = version;
            return true;
        }
    }

    public Campaign? On(DateOnly date) => _current.On(date);

    public Campaign? NextAfter(DateOnly date) => _current.NextAfter(date);

    public Campaign? Find(string id) => _current.Find(id);
}

/// <summary>What the last import of the calendar file did, for /campaigns.</summary>
public sealed record CampaignImportStatus
{
    /// <summary>Hash of the file content imported last (<see cref="CampaignFileParser.HashOf"/>); null before the first import.</summary>
    public string? FileHash { get; init; }

    public DateTimeOffset? ImportedAt { get; init; }

    /// <summary>Campaigns whose file change the last import did not apply because they were edited in chat.</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    /// <summary>Why the newest file content could not be imported (<c>file:line: problem</c>); null when it was.</summary>
    public string? Error { get; init; }

    public DateTimeOffset? ErrorAt { get; init; }
}

/// <summary>The stored calendar at one version.</summary>
public sealed record CampaignSnapshot(IReadOnlyList<StoredCampaign> Campaigns, long Version, CampaignImportStatus Import);

/// <summary>
/// A change to the stored calendar, applied only if the store is still at <see cref="ExpectedVersion"/> (optimistic
/// concurrency: a chat edit and an import, or two instances importing, never overwrite each other's work unseen).
/// </summary>
public sealed record CampaignWrite(long ExpectedVersion, IReadOnlyList<StoredCampaign> Upserts)
{
    public IReadOnlyList<string> Deletes { get; init; } = [];

    /// <summary>Set by an import: replaces the import status (and clears any file error).</summary>
    public CampaignImportStatus? Import { get; init; }
}

/// <summary>The stored campaign calendar.</summary>
public interface ICampaignStore
{
    /// <summary>Every stored campaign, the version, and the import status, read together.</summary>
    Task<CampaignSnapshot> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The version alone (cheap), to notice a change whose notification was missed.</summary>
    Task<long> VersionAsync(CancellationToken cancellationToken);

    /// <summary>Applies the write if the version is unchanged, then tells every instance to reload.</summary>
    /// <returns>The new version, or null when the store moved on (read again and retry).</returns>
    Task<long?> TryWriteAsync(CampaignWrite write, CancellationToken cancellationToken);

    /// <summary>Records (or, with null, clears) why the newest file content could not be imported.</summary>
    Task SetFileErrorAsync(string? problem, DateTimeOffset at, CancellationToken cancellationToken);
}
