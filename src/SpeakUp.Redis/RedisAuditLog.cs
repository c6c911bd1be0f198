using System.Text.Json;
using System.Text.Json.Serialization;
using SpeakUp.Core.Staff;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// The audit log: a capped list, newest first, under its own hash tag. One LPUSH+LTRIM transaction per entry; the cap
/// (Redis:AuditMaxEntries) bounds retention.
/// </summary>
internal sealed class RedisAuditLog(IConnectionMultiplexer redis, RedisKeys keys, Microsoft.Extensions.Options.IOptions<RedisOptions> options) : IAuditLog
{
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var tx = redis.GetDatabase().CreateTransaction();
        _ = tx.ListLeftPushAsync(keys.Audit, JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.AuditEntry));
        _ = tx.ListTrimAsync(keys.Audit, 0, options.Value.AuditMaxEntries - 1);
        await RedisFailures.GuardAsync(tx.ExecuteAsync(), cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        var values = await RedisFailures.GuardAsync(redis.GetDatabase().ListRangeAsync(keys.Audit, 0, Math.Max(0, count - 1)), cancellationToken);
        return [.. values.Select(v => JsonSerializer.Deserialize((byte[])v!, AuditJsonContext.Default.AuditEntry)!)];
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
