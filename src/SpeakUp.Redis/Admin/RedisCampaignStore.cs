using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// The campaign calendar in Redis, under the <c>{campaigns}</c> hash tag: a hash id → stored campaign JSON, and a meta
/// hash with the version (bumped by every write), the hash of the file content imported last and what that import
/// reported. Writes are one Lua script, conditional on the version; a write publishes a reload to every instance.
/// </summary>
internal sealed class RedisCampaignStore(IConnectionMultiplexer redis, RedisKeys keys) : ICampaignStore
{
    private const string VersionField = "version";
    private const string FileHashField = "filehash";
    private const string ImportedAtField = "imported";
    private const string ConflictsField = "conflicts";
    private const string ErrorField = "error";
    private const string ErrorAtField = "errorat";

    public RedisKey All => $"{keys.Prefix}{{campaigns}}:all";

    public RedisKey Meta => $"{keys.Prefix}{{campaigns}}:meta";

    public RedisChannel Changed => RedisChannel.Literal($"{keys.Prefix}{{campaigns}}:changed");

    public async Task<CampaignSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        // One transaction, so the campaigns and the version they belong to are read together.
        var transaction = redis.GetDatabase().CreateTransaction();
        var all = transaction.HashGetAllAsync(All);
        var meta = transaction.HashGetAllAsync(Meta);
        await RedisFailures.GuardAsync(transaction.ExecuteAsync(), cancellationToken);
        var fields = (await meta).ToDictionary(e => e.Name.ToString(), e => e.Value, StringComparer.Ordinal);
        var campaigns = (await all).Select(e => CampaignSync.Deserialize((byte[])e.Value!)).OrderBy(s => s.Campaign.Starts).ToList();
        var import = new CampaignImportStatus
        {
            FileHash = Text(fields, FileHashField),
            ImportedAt = Moment(fields, ImportedAtField),
            Conflicts = CampaignSync.DeserializeIds(Text(fields, ConflictsField)),
            Error = Text(fields, ErrorField),
            ErrorAt = Moment(fields, ErrorAtField),
        };
        return new CampaignSnapshot(campaigns, fields.TryGetValue(VersionField, out var v) ? (long)v : 0, import);
    }

    public async Task<long> VersionAsync(CancellationToken cancellationToken)
    {
        var value = await RedisFailures.GuardAsync(redis.GetDatabase().HashGetAsync(Meta, VersionField), cancellationToken);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<long?> TryWriteAsync(CampaignWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var args = new List<RedisValue> { write.ExpectedVersion, write.Upserts.Count };
        foreach (var stored in write.Upserts)
        {
            args.Add(stored.Campaign.Id);
            args.Add(CampaignSync.Serialize(stored));
        }

        args.Add(write.Deletes.Count);
        args.AddRange(write.Deletes.Select(id => (RedisValue)id));
        if (write.Import is { } import)
        {
            // An import replaces the whole status: the file error (if any) was about content that is now imported.
            args.AddRange(
            [
                5,
                FileHashField, import.FileHash ?? string.Empty,
                ImportedAtField, import.ImportedAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                ConflictsField, CampaignSync.Serialize(import.Conflicts),
                ErrorField, string.Empty,
                ErrorAtField, string.Empty,
            ]);
        }
        else
        {
            args.Add(0);
        }

        var version = (long)await RedisFailures.GuardAsync(redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.WriteCampaigns, [All, Meta], [.. args]), cancellationToken);
        if (version < 0)
        {
            return null;
        }

        await RedisFailures.GuardAsync(redis.GetSubscriber().PublishAsync(Changed, version), cancellationToken);
        return version;
    }

    public Task SetFileErrorAsync(string? problem, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        return RedisFailures.GuardAsync(
            problem is null
                ? db.HashDeleteAsync(Meta, [ErrorField, ErrorAtField])
                : db.HashSetAsync(Meta, [new HashEntry(ErrorField, problem), new HashEntry(ErrorAtField, at.ToUnixTimeMilliseconds())]),
            cancellationToken);
    }

    private static string? Text(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && !value.IsNullOrEmpty ? value.ToString() : null;

    private static DateTimeOffset? Moment(Dictionary<string, RedisValue> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

/// <summary>The calendar parsed from config/campaigns.yaml at start (a broken file still stops the host).</summary>
internal sealed record CampaignFileCalendar(ICampaignCalendar Calendar);

/// <summary>
/// Keeps the <see cref="LiveCampaignCalendar"/> in step with config/campaigns.yaml and with the store. At start, and then
/// every Campaigns:CheckSeconds, it looks at the file: a new last-write time or size (or, every minute, regardless, for
/// file systems and volume mounts whose timestamps cannot be trusted) makes it read the bytes, and a new content hash
/// makes it parse them and import them with <see cref="CampaignImporter"/> (chat edits win; conflicts are logged,
/// audited and shown in /campaigns). A file that does not parse is logged with its file:line and shown in /campaigns,
/// and the last good calendar stays in use. Polling is used rather than FileSystemWatcher, whose events do not arrive
/// for bind mounts, network file systems or Kubernetes ConfigMap updates. Every instance also reloads on the store's
/// pub/sub notice, and on each check compares the store's version with its own, so a missed notice heals by itself.
/// With Redis down the current calendar (at start, the file's) stays in use and the next check tries again.
/// </summary>
internal sealed partial class CampaignCalendarSync(
    RedisCampaignStore store,
    CampaignImporter importer,
    CampaignFileLocation file,
    LiveCampaignCalendar live,
    ILocalizer localizer,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ILogger<CampaignCalendarSync> logger) : IHostedService, IDisposable
{
    /// <summary>The file is read and hashed at least this often, whatever its timestamp says.</summary>
    private static readonly TimeSpan RehashInterval = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private Action<RedisChannel, RedisValue>? _handler;

    /// <summary>Last-write time and size at the last read, to skip reading an unchanged file.</summary>
    private (DateTime Written, long Length)? _stamp;

    private DateTimeOffset _hashedAt;

    /// <summary>The content hash last dealt with (imported, found imported, or found broken and reported).</summary>
    private string? _handledHash;

    /// <summary>A stored version that could not be applied (invalid), so it is logged once, not on every check.</summary>
    private long _badVersion = -1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        if (file.CheckInterval > TimeSpan.Zero)
        {
            _loop = LoopAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
        if (_handler is { } handler)
        {
            try
            {
                await redis.GetSubscriber().UnsubscribeAsync(store.Changed, handler);
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                // Shutting down without Redis: nothing to unsubscribe from.
            }
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _reloading.Dispose();
    }

    /// <summary>One check: subscribe if not yet, import the file if it changed, reload if the store moved on.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SubscribeAsync(cancellationToken);
            await CheckFileAsync(cancellationToken);
            var version = await store.VersionAsync(cancellationToken);
            if (version != live.Version && version != _badVersion)
            {
                await ReloadAsync(cancellationToken);
            }
        }
        catch (StorageUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(file.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await CheckAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Keep watching: one bad check (a file system hiccup, a bug) must not end the re-import for good.
                    LogCheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        if (_handler is not null)
        {
            return;
        }

        Action<RedisChannel, RedisValue> handler = (_, _) => _ = ReloadQuietlyAsync();
        await RedisFailures.GuardAsync(redis.GetSubscriber().SubscribeAsync(store.Changed, handler), cancellationToken);
        _handler = handler;
    }

    private async Task CheckFileAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(file.Path);
        (DateTime, long)? stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
        var now = time.GetUtcNow();
        if (_handledHash is not null && stamp == _stamp && now - _hashedAt < RehashInterval)
        {
            return;
        }

        _stamp = stamp;
        _hashedAt = now;
        byte[] bytes;
        try
        {
            bytes = CampaignFileParser.ReadBytes(file.Path);
        }
        catch (CampaignFileException ex)
        {
            await RefuseAsync("missing", ex.Message, cancellationToken);
            return;
        }

        var hash = CampaignFileParser.HashOf(bytes);
        if (hash == _handledHash)
        {
            return;
        }

        CampaignFileVersion version;
        try
        {
            version = CampaignFileParser.Parse(bytes, file.Path, localizer.Languages);
        }
        catch (CampaignFileException ex)
        {
            await RefuseAsync(hash, ex.Message, cancellationToken);
            return;
        }

        var result = await importer.ImportAsync(version, file.Path, cancellationToken);
        switch (result.Outcome)
        {
            case CampaignImportOutcome.Imported:
                Apply(result.Snapshot);
                foreach (var id in result.Merge!.Conflicts)
                {
                    LogConflict(logger, id);
                }

                LogImported(logger, file.Path, result.Merge.Changed.Count, result.Merge.Removed.Count, result.Merge.Conflicts.Count);
                break;
            case CampaignImportOutcome.AlreadyImported:
                Apply(result.Snapshot);
                break;
            case CampaignImportOutcome.Rejected:
                LogRejected(logger, result.Error!);
                break;
            case CampaignImportOutcome.Contended:
                // Not handled: the next check tries again.
                return;
        }

        _handledHash = hash;
    }

    /// <summary>The file is missing or does not parse: logged and shown in /campaigns once per content; the calendar stays.</summary>
    private async Task RefuseAsync(string hash, string error, CancellationToken cancellationToken)
    {
        if (hash == _handledHash)
        {
            return;
        }

        try
        {
            // Stored first, so whoever reads the log and then /campaigns finds the error there.
            await store.SetFileErrorAsync(error, time.GetUtcNow(), cancellationToken);
        }
        finally
        {
            LogFileInvalid(logger, error);
        }

        _handledHash = hash;
    }

    private async Task ReloadQuietlyAsync()
    {
        try
        {
            await ReloadAsync(_stopping.Token);
        }
        catch (StorageUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // A notice that arrived while the host was being disposed.
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        // One reload at a time; a notice that comes while one runs finds the newest version anyway.
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            Apply(await store.ReadAsync(cancellationToken));
        }
        finally
        {
            _reloading.Release();
        }
    }

    private void Apply(CampaignSnapshot snapshot)
    {
        try
        {
            live.Replace([.. snapshot.Campaigns.Select(c => c.Campaign)], snapshot.Version);
        }
        catch (ArgumentException ex)
        {
            if (_badVersion != snapshot.Version)
            {
                _badVersion = snapshot.Version;
                LogInvalid(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 620, EventName = "CampaignConflict", Level = LogLevel.Warning, Message = "Campaign {Id} changed in campaigns.yaml but was edited in chat: the chat edit is kept")]
    private static partial void LogConflict(ILogger logger, string id);

    [LoggerMessage(EventId = 621, EventName = "CampaignStoreUnavailable", Level = LogLevel.Warning, Message = "Could not read the stored campaign calendar; the current calendar stays in use")]
    private static partial void LogDeferred(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 622, EventName = "CampaignCalendarInvalid", Level = LogLevel.Error, Message = "The stored campaign calendar is invalid; the current calendar stays in use")]
    private static partial void LogInvalid(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 623, EventName = "CampaignFileInvalid", Level = LogLevel.Error, Message = "The campaign file was not imported: {Error}. The last good calendar stays in use")]
    private static partial void LogFileInvalid(ILogger logger, string error);

    [LoggerMessage(EventId = 624, EventName = "CampaignFileImported", Level = LogLevel.Information, Message = "Imported {File}: {Changed} campaigns changed, {Removed} removed, {Conflicts} kept their chat edit")]
    private static partial void LogImported(ILogger logger, string file, int changed, int removed, int conflicts);

    [LoggerMessage(EventId = 625, EventName = "CampaignFileRejected", Level = LogLevel.Error, Message = "The campaign file was not imported: {Error}")]
    private static partial void LogRejected(ILogger logger, string error);

    [LoggerMessage(EventId = 626, EventName = "CampaignFileCheckFailed", Level = LogLevel.Error, Message = "Checking the campaign file failed; the next check tries again")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
