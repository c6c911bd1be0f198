using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>The campaign calendar in Redis: a hash (id → stored campaign JSON) under <c>{campaigns}</c>; a save publishes a reload.</summary>
internal sealed class RedisCampaignStore(IConnectionMultiplexer redis, RedisKeys keys) : ICampaignStore
{
    public RedisKey All => $"{keys.Prefix}{{campaigns}}:all";

    public RedisChannel Changed => RedisChannel.Literal($"{keys.Prefix}{{campaigns}}:changed");

    public async Task<IReadOnlyList<StoredCampaign>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = await RedisFailures.GuardAsync(redis.GetDatabase().HashGetAllAsync(All), cancellationToken);
        return [.. entries.Select(e => CampaignSync.Deserialize((byte[])e.Value!)).OrderBy(s => s.Campaign.Starts)];
    }

    public async Task SaveAsync(IReadOnlyList<StoredCampaign> campaigns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        if (campaigns.Count == 0)
        {
            return;
        }

        var db = redis.GetDatabase();
        await RedisFailures.GuardAsync(db.HashSetAsync(All, [.. campaigns.Select(c => new HashEntry(c.Campaign.Id, CampaignSync.Serialize(c)))]), cancellationToken);
        await RedisFailures.GuardAsync(redis.GetSubscriber().PublishAsync(Changed, "1"), cancellationToken);
    }
}

/// <summary>The calendar parsed from config/campaigns.yaml at start (a broken file still stops the host).</summary>
internal sealed record CampaignFileCalendar(ICampaignCalendar Calendar);

/// <summary>
/// At start, merges config/campaigns.yaml into the stored calendar (chat edits win; conflicts are logged and audited),
/// then keeps the <see cref="LiveCampaignCalendar"/> in step with the store through pub/sub. With Redis down at start
/// the file's calendar is used until the store can be read.
/// </summary>
internal sealed partial class CampaignCalendarSync(
    RedisCampaignStore store,
    CampaignFileCalendar file,
    LiveCampaignCalendar live,
    IConnectionMultiplexer redis,
    IAuditLog audit,
    TimeProvider time,
    ILogger<CampaignCalendarSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var merge = CampaignSync.Merge(file.Calendar.All, await store.ListAsync(cancellationToken));
            await store.SaveAsync(merge.Changed, cancellationToken);
            foreach (var id in merge.Conflicts)
            {
                LogConflict(logger, id);
                await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), "config", "campaigns.yaml", "campaign.conflict", id, "kept the chat edit"), cancellationToken);
            }

            Apply(merge.Result);
            await RedisFailures.GuardAsync(redis.GetSubscriber().SubscribeAsync(store.Changed, (_, _) => _ = ReloadAsync()), cancellationToken);
        }
        catch (StorageUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal async Task ReloadAsync()
    {
        try
        {
            Apply(await store.ListAsync(CancellationToken.None));
        }
        catch (StorageUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
    }

    private void Apply(IReadOnlyList<StoredCampaign> campaigns)
    {
        try
        {
            live.Replace([.. campaigns.Select(c => c.Campaign)]);
        }
        catch (ArgumentException ex)
        {
            LogInvalid(logger, ex);
        }
    }

    [LoggerMessage(EventId = 620, EventName = "CampaignConflict", Level = LogLevel.Warning, Message = "Campaign {Id} changed in campaigns.yaml but was edited in chat: the chat edit is kept")]
    private static partial void LogConflict(ILogger logger, string id);

    [LoggerMessage(EventId = 621, EventName = "CampaignStoreUnavailable", Level = LogLevel.Warning, Message = "Could not read the stored campaign calendar; the current calendar stays in use")]
    private static partial void LogDeferred(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 622, EventName = "CampaignCalendarInvalid", Level = LogLevel.Error, Message = "The stored campaign calendar is invalid; the current calendar stays in use")]
    private static partial void LogInvalid(ILogger logger, Exception exception);
}
