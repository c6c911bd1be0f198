using System.Globalization;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Admin;

public enum CampaignImportOutcome
{
    /// <summary>The file's content was merged into the store.</summary>
    Imported,

    /// <summary>This exact content was imported already (by this instance earlier, or by another): nothing to do.</summary>
    AlreadyImported,

    /// <summary>The merged calendar would be invalid (e.g. the file now overlaps a campaign created in chat): nothing changed.</summary>
    Rejected,

    /// <summary>Other writes kept getting in first; try again later.</summary>
    Contended,
}

/// <summary>What an import did. <see cref="Snapshot"/> is the stored calendar after it (or as found, when nothing changed).</summary>
public sealed record CampaignImportResult(CampaignImportOutcome Outcome, CampaignSnapshot Snapshot, CampaignMerge? Merge, string? Error);

/// <summary>
/// Imports one version of config/campaigns.yaml into the stored calendar. Idempotent and safe with many instances: the
/// store remembers the content hash it imported last, so an instance that sees the same change later does nothing, and
/// the write is conditional on the version read, so two instances importing at once (or an import racing a chat edit)
/// never overwrite each other: the loser reads again and finds the work done, or merges on top of it.
/// </summary>
public sealed class CampaignImporter(ICampaignStore store, IAuditLog audit, TimeProvider time)
{
    private const int Attempts = 5;

    public async Task<CampaignImportResult> ImportAsync(CampaignFileVersion file, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(fileName);
        CampaignSnapshot? snapshot = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            snapshot = await store.ReadAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (snapshot.Import.FileHash == file.Hash)
            {
                // The file is back at content that was imported: a broken version in between no longer matters.
                if (snapshot.Import.Error is not null)
                {
                    await store.SetFileErrorAsync(null, now, cancellationToken);
                }

                return new CampaignImportResult(CampaignImportOutcome.AlreadyImported, snapshot, null, null);
            }

            var merge = CampaignSync.Merge(file.Campaigns, snapshot.Campaigns);
            if (CampaignCalendar.Problem([.. merge.Result.Select(s => s.Campaign)]) is { } problem)
            {
                // The file is valid on its own, so a campaign created or edited in chat is in the way.
                var error = $"{fileName}: {problem} A campaign created or edited in chat is in the way: change the file or that campaign.";
                await store.SetFileErrorAsync(error, now, cancellationToken);
                return new CampaignImportResult(CampaignImportOutcome.Rejected, snapshot, merge, error);
            }

            var status = new CampaignImportStatus { FileHash = file.Hash, ImportedAt = now, Conflicts = merge.Conflicts };
            var write = new CampaignWrite(snapshot.Version, merge.Changed) { Deletes = merge.Removed, Import = status };
            if (await store.TryWriteAsync(write, cancellationToken) is not { } version)
            {
                continue;
            }

            var source = Path.GetFileName(fileName);
            await audit.RecordAsync(
                new AuditEntry(now, "config", source, "campaign.import", file.Hash[..12], string.Create(CultureInfo.InvariantCulture, $"{merge.Changed.Count} changed, {merge.Removed.Count} removed")),
                cancellationToken);
            foreach (var id in merge.Conflicts)
            {
                await audit.RecordAsync(new AuditEntry(now, "config", source, "campaign.conflict", id, "kept the chat edit"), cancellationToken);
            }

            return new CampaignImportResult(CampaignImportOutcome.Imported, new CampaignSnapshot(merge.Result, version, status), merge, null);
        }

        return new CampaignImportResult(CampaignImportOutcome.Contended, snapshot!, null, null);
    }
}
