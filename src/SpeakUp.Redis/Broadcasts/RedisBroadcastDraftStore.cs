using System.Text.Json;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Redis.Broadcasts;

/// <summary>Drafts in the chat's own slot (<c>speakup:{tg:123}:bcdraft</c>), forgotten after an hour.</summary>
internal sealed class RedisBroadcastDraftStore(IConnectionMultiplexer redis, RedisKeys keys) : IBroadcastDraftStore
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private RedisKey Key(ChatKey chat) => $"{keys.Prefix}{{{chat}}}:bcdraft";

    public async Task<BroadcastDraft?> GetAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var json = await RedisFailures.GuardAsync(redis.GetDatabase().StringGetAsync(Key(chat)), cancellationToken);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, BroadcastDraftJson.Default.BroadcastDraft);
    }

    public Task SaveAsync(ChatKey chat, BroadcastDraft draft, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(redis.GetDatabase().StringSetAsync(Key(chat), JsonSerializer.Serialize(draft, BroadcastDraftJson.Default.BroadcastDraft), Lifetime), cancellationToken);

    public Task<bool> DeleteAsync(ChatKey chat, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(redis.GetDatabase().KeyDeleteAsync(Key(chat)), cancellationToken);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(BroadcastDraft))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class BroadcastDraftJson : System.Text.Json.Serialization.JsonSerializerContext;
