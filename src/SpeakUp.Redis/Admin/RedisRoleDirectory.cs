using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Staff;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// The staff roster in Redis (a hash under <c>{roles}</c>), seeded from Bot:AdminIds (owners, kept in step with the setting)
/// and Bot:ModeratorIds (seeded once, so a removal in chat sticks). Every inbound event asks for the sender's roles, so
/// lookups are answered from an in-memory copy: no Redis round trip. A change publishes on <c>{roles}:changed</c> and every
/// instance reloads; a reconnect reloads too, since a message published while disconnected is lost.
/// </summary>
internal sealed partial class RedisRoleDirectory : IRoleDirectory, IRoleStore, IDisposable
{
    private const string SeedModeratorScript = """
        if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
          return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
        end
        return 0
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly AdminKeys _keys;
    private readonly BotOptions _bot;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisRoleDirectory> _logger;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private volatile FrozenDictionary<string, StaffMember>? _roster;
    private bool _initialized;

    public RedisRoleDirectory(IConnectionMultiplexer redis, RedisKeys keys, IOptions<BotOptions> bot, TimeProvider time, ILogger<RedisRoleDirectory> logger)
    {
        _redis = redis;
        _keys = new AdminKeys(keys);
        _bot = bot.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised after the in-memory roster was reloaded (tests await it instead of sleeping).</summary>
    public event Action? Reloaded;

    public async Task<UserRoles> GetAsync(string channel, string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return UserRoles.Supporter;
        }

        var roster = _roster ?? await InitializeAsync(cancellationToken);
        return roster.TryGetValue(userId, out var member) ? member.ToRoles() : UserRoles.Supporter;
    }

    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return [.. (await ReadAsync(cancellationToken)).Values.OrderBy(m => m.Role).ThenBy(m => m.UserId, StringComparer.Ordinal)];
    }

    public async Task SetAsync(StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.Role == StaffRole.Owner)
        {
            throw new ArgumentException("Owners come from Bot:AdminIds only.", nameof(member));
        }

        await InitializeAsync(cancellationToken);
        await RedisFailures.GuardAsync(_redis.GetDatabase().HashSetAsync(_keys.Staff, member.UserId, Serialize(member)), cancellationToken);
        await ChangedAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var removed = await RedisFailures.GuardAsync(_redis.GetDatabase().HashDeleteAsync(_keys.Staff, userId), cancellationToken);
        if (removed)
        {
            await ChangedAsync(cancellationToken);
        }

        return removed;
    }

    /// <summary>Seeds, subscribes and loads once; a failure (Redis down) is retried by the next call.</summary>
    internal async Task<FrozenDictionary<string, StaffMember>> InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized && _roster is { } ready)
        {
            return ready;
        }

        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized && _roster is { } loaded)
            {
                return loaded;
            }

            await SeedAsync(cancellationToken);
            var subscriber = _redis.GetSubscriber();
            await RedisFailures.GuardAsync(subscriber.SubscribeAsync(_keys.Changed, (_, _) => ReloadInBackground()), cancellationToken);
            _redis.ConnectionRestored += OnConnectionRestored;
            var roster = await ReadAsync(cancellationToken);
            _roster = roster;
            _initialized = true;
            return roster;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        var now = _time.GetUtcNow();
        var owners = _bot.AdminIds.Distinct(StringComparer.Ordinal).ToArray();
        var previous = await RedisFailures.GuardAsync(db.SetMembersAsync(_keys.Owners), cancellationToken);

        var tx = db.CreateTransaction();
        foreach (var gone in previous.Select(v => (string)v!).Except(owners, StringComparer.Ordinal))
        {
            _ = tx.HashDeleteAsync(_keys.Staff, gone);
            _ = tx.SetRemoveAsync(_keys.Owners, gone);
        }

        foreach (var owner in owners)
        {
            _ = tx.HashSetAsync(_keys.Staff, owner, Serialize(new StaffMember(owner, StaffRole.Owner, [], "config", now)));
            _ = tx.SetAddAsync(_keys.Owners, owner);
        }

        await RedisFailures.GuardAsync(tx.ExecuteAsync(), cancellationToken);
        foreach (var moderator in _bot.ModeratorIds.Except(owners, StringComparer.Ordinal))
        {
            var json = Serialize(new StaffMember(moderator, StaffRole.Moderator, [], "config", now));
            await RedisFailures.GuardAsync(db.ScriptEvaluateAsync(SeedModeratorScript, [_keys.Staff, _keys.Seeded], [moderator, json]), cancellationToken);
        }
    }

    private async Task<FrozenDictionary<string, StaffMember>> ReadAsync(CancellationToken cancellationToken)
    {
        var entries = await RedisFailures.GuardAsync(_redis.GetDatabase().HashGetAllAsync(_keys.Staff), cancellationToken);
        var roster = new Dictionary<string, StaffMember>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            try
            {
                var stored = JsonSerializer.Deserialize((byte[])entry.Value!, RosterJsonContext.Default.StoredMember);
                if (stored is not null)
                {
                    roster[entry.Name!] = new StaffMember(entry.Name!, stored.Role, stored.States ?? [], stored.AddedBy, stored.AddedAt);
                }
            }
            catch (JsonException ex)
            {
                LogBadEntry(_logger, ex, (string?)entry.Name);
            }
        }

        return roster.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private async Task ChangedAsync(CancellationToken cancellationToken)
    {
        // Reload here at once (our own next lookup must see the change), then tell the other instances.
        _roster = await ReadAsync(cancellationToken);
        await RedisFailures.GuardAsync(_redis.GetSubscriber().PublishAsync(_keys.Changed, "1"), cancellationToken);
        Reloaded?.Invoke();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => ReloadInBackground();

    private void ReloadInBackground() => _ = Task.Run(async () =>
    {
        try
        {
            _roster = await ReadAsync(CancellationToken.None);
            Reloaded?.Invoke();
        }
        catch (Exception ex) when (ex is SpeakUp.Core.Sessions.StorageUnavailableException or RedisException)
        {
            LogReloadFailed(_logger, ex);
        }
    });

    private static byte[] Serialize(StaffMember member) => JsonSerializer.SerializeToUtf8Bytes(
        new StoredMember(member.Role, member.States.Count == 0 ? null : [.. member.States], member.AddedBy, member.AddedAt),
        RosterJsonContext.Default.StoredMember);

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _loadGate.Dispose();
    }

    [LoggerMessage(EventId = 600, EventName = "RosterEntryUnreadable", Level = LogLevel.Warning, Message = "Staff roster entry for {UserId} could not be read; ignored")]
    private static partial void LogBadEntry(ILogger logger, Exception exception, string? userId);

    [LoggerMessage(EventId = 601, EventName = "RosterReloadFailed", Level = LogLevel.Warning, Message = "Could not reload the staff roster; the previous copy stays in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}

internal sealed record StoredMember(
    [property: JsonConverter(typeof(JsonStringEnumConverter<StaffRole>))] StaffRole Role,
    string[]? States,
    string? AddedBy,
    DateTimeOffset AddedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMember))]
internal sealed partial class RosterJsonContext : JsonSerializerContext;
