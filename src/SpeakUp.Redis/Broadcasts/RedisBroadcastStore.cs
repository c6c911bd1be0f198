using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Redis.Broadcasts;

/// <summary>
/// Broadcast jobs in Redis, without Streams: a hash per job (definition, status, counters), a sorted set of pending
/// recipients (score = not before, ms), a sorted set of recipients in flight (score = lease end) with their owner, and
/// a hash of outcomes. Job keys share the <c>{supporters}</c> hash tag with the supporter indexes so the snapshot and
/// every claim are single scripts (see <see cref="BroadcastScripts"/>).
/// </summary>
internal sealed class RedisBroadcastStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<BroadcastOptions> options) : IBroadcastStore
{
    private const string Tag = "{supporters}";

    private IDatabase Db => redis.GetDatabase();

    private string Global(string suffix) => $"{keys.Prefix}{Tag}:bc:{suffix}";

    private RedisKey Job(string id, string part) => $"{keys.Prefix}{Tag}:bc:{id}:{part}";

    private RedisKey All => Global("all");

    private RedisKey Scheduled => Global("scheduled");

    private RedisKey Active => Global("active");

    private RedisKey Tat => Global("tat");

    private RedisKey Pause => Global("pause");

    private RedisKey Recent => Global("recent");

    /// <summary>Milliseconds between two broadcast sends of the whole bot.</summary>
    private double IntervalMs => 1000.0 / (options.Value.MaxPerSecond * options.Value.PacingFactor);

    /// <summary>Job ids are [A-Za-z0-9_-]: they become part of keys and of button data.</summary>
    public static bool IsValidId(string id) => id.Length is > 0 and <= 48 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task<bool> CreateAsync(string id, BroadcastDefinition definition, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!IsValidId(id))
        {
            throw new ArgumentException($"'{id}' is not a valid broadcast id.", nameof(id));
        }

        var json = JsonSerializer.Serialize(definition, BroadcastJson.Default.BroadcastDefinition);
        var result = await Guard(Db.ScriptEvaluateAsync(
            BroadcastScripts.Create,
            [Job(id, "meta"), All, Scheduled],
            [id, json, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), scheduledAt.ToUnixTimeMilliseconds(), definition.CreatedBy, definition.Kind.ToString()]), cancellationToken);
        return (long)result == 1;
    }

    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        var definition = await DefinitionAsync(id, cancellationToken);
        if (definition is null)
        {
            return;
        }

        var (audienceKeys, args) = AudienceArguments(definition.Audience);
        await Guard(Db.ScriptEvaluateAsync(
            BroadcastScripts.Start,
            [Job(id, "meta"), Job(id, "pending"), Scheduled, Active, .. audienceKeys],
            [id, .. args]), cancellationToken);
    }

    public async Task<long> CountAudienceAsync(BroadcastAudience audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var (audienceKeys, args) = AudienceArguments(audience);
        return (long)await Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Count, audienceKeys, ["", .. args]), cancellationToken);
    }

    private (RedisKey[] Keys, RedisValue[] Args) AudienceArguments(BroadcastAudience audience)
    {
        var k = new List<RedisKey> { keys.SupportersReceivingPrompts, keys.SupportersJoined };
        k.AddRange(audience.States.Select(keys.SupportersInState));
        k.AddRange(audience.Languages.Select(keys.SupportersWithLanguage));
        var a = new List<RedisValue>
        {
            audience.States.Count,
            audience.Languages.Count,
            audience.JoinedSince is { } since ? since.ToUnixTimeMilliseconds() : "",
            audience.Chats.Count,
        };
        a.AddRange(audience.Chats.Select(c => (RedisValue)c));
        return ([.. k], [.. a]);
    }

    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await Guard(Db.SortedSetRangeByScoreAsync(Scheduled, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: 20), cancellationToken);
        return [.. due.Select(v => v.ToString())];
    }

    public async Task<IReadOnlyList<string>> ActiveAsync(CancellationToken cancellationToken)
    {
        var active = await Guard(Db.SetMembersAsync(Active), cancellationToken);
        return [.. active.Select(v => v.ToString()).Order(StringComparer.Ordinal)];
    }

    public async Task<ClaimResult> ClaimAsync(string id, string instance, CancellationToken cancellationToken)
    {
        var result = (RedisResult[])(await Guard(Db.ScriptEvaluateAsync(
            BroadcastScripts.Claim,
            [Job(id, "meta"), Job(id, "pending"), Job(id, "inflight"), Job(id, "owner"), Job(id, "done"), Tat, Pause, Recent, Active, Job(id, "attempts")],
            [instance, IntervalMs, (long)options.Value.Lease.TotalMilliseconds, id]), cancellationToken))!;
        switch ((string?)result[0])
        {
            case "claimed":
                if (!ChatKey.TryParse((string?)result[1], out var chat))
                {
                    throw new InvalidOperationException($"Broadcast {id} holds a recipient that is not a chat key: '{result[1]}'.");
                }

                return new ClaimResult(ClaimKind.Claimed, chat, TimeSpan.FromMilliseconds(ParseLong(result[2])), (int)ParseLong(result[3]));
            case "wait":
                return new ClaimResult(ClaimKind.Wait, Wait: TimeSpan.FromMilliseconds(ParseLong(result[1])));
            case "idle":
                return new ClaimResult(ClaimKind.Idle, Wait: TimeSpan.FromMilliseconds(ParseLong(result[1])));
            default:
                return new ClaimResult(ClaimKind.Done);
        }
    }

    private static long ParseLong(RedisResult value) =>
        (long)double.Parse((string?)value ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture);

    public Task CompleteAsync(string id, ChatKey recipient, RecipientOutcome outcome, CancellationToken cancellationToken)
    {
        var (code, field) = outcome switch
        {
            RecipientOutcome.Sent => ("s", "sent"),
            RecipientOutcome.Unreachable => ("u", "unreachable"),
            _ => ("f", "failed"),
        };
        return Guard(Db.ScriptEvaluateAsync(
            BroadcastScripts.Complete,
            [Job(id, "meta"), Job(id, "inflight"), Job(id, "owner"), Job(id, "done")],
            [recipient.ToString(), code, field]), cancellationToken);
    }

    public Task RetryAsync(string id, ChatKey recipient, TimeSpan notBefore, int maxAttempts, CancellationToken cancellationToken) =>
        Guard(Db.ScriptEvaluateAsync(
            BroadcastScripts.Retry,
            [Job(id, "meta"), Job(id, "pending"), Job(id, "inflight"), Job(id, "owner"), Job(id, "done"), Job(id, "attempts")],
            [recipient.ToString(), (long)notBefore.TotalMilliseconds, maxAttempts, maxAttempts == int.MaxValue ? 0 : 1]), cancellationToken);

    public Task PauseAllAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Pause, [Pause, Tat], [(long)Math.Max(1, pause.TotalMilliseconds)]), cancellationToken);

    public Task DebitInteractiveAsync(ChatKey chat, CancellationToken cancellationToken) =>
        Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Debit, [Tat, Recent], [IntervalMs, chat.ToString()]), cancellationToken);

    public async Task<BroadcastJobInfo?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var db = Db;
        var meta = db.HashGetAllAsync(Job(id, "meta"));
        var pending = db.SortedSetLengthAsync(Job(id, "pending"));
        var inflight = db.SortedSetLengthAsync(Job(id, "inflight"));
        await Guard(Task.WhenAll(meta, pending, inflight), cancellationToken);
        var fields = (await meta).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return null;
        }

        long Num(string name) => fields.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        DateTimeOffset? Time(string name) => fields.ContainsKey(name) ? DateTimeOffset.FromUnixTimeMilliseconds(Num(name)) : null;
        var definition = fields.TryGetValue("def", out var json) ? JsonSerializer.Deserialize(json, BroadcastJson.Default.BroadcastDefinition) : null;
        return new BroadcastJobInfo
        {
            Id = id,
            Status = Enum.TryParse<BroadcastStatus>(fields.GetValueOrDefault("status"), out var status) ? status : BroadcastStatus.Scheduled,
            Kind = definition?.Kind ?? BroadcastKind.Message,
            CreatedAt = Time("created") ?? DateTimeOffset.UnixEpoch,
            ScheduledAt = Time("due") ?? DateTimeOffset.UnixEpoch,
            StartedAt = Time("started"),
            FinishedAt = Time("finished"),
            Total = Num("total"),
            Sent = Num("sent"),
            Failed = Num("failed"),
            Unreachable = Num("unreachable"),
            Unknown = Num("unknown"),
            Remaining = await pending,
            InFlight = await inflight,
            CreatedBy = fields.GetValueOrDefault("by") ?? "",
            Definition = definition,
        };
    }

    private async Task<BroadcastDefinition?> DefinitionAsync(string id, CancellationToken cancellationToken)
    {
        var json = await Guard(Db.HashGetAsync(Job(id, "meta"), "def"), cancellationToken);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, BroadcastJson.Default.BroadcastDefinition);
    }

    public async Task<IReadOnlyList<BroadcastJobInfo>> ListAsync(int count, CancellationToken cancellationToken)
    {
        var ids = await Guard(Db.SortedSetRangeByRankAsync(All, 0, Math.Max(0, count - 1), Order.Descending), cancellationToken);
        var jobs = await Task.WhenAll(ids.Select(id => GetAsync(id.ToString(), cancellationToken)));
        return [.. jobs.OfType<BroadcastJobInfo>()];
    }

    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return false;
        }

        return (long)await Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Cancel, [Job(id, "meta"), Scheduled, Active], [id]), cancellationToken) == 1;
    }

    public async Task<IReadOnlyDictionary<string, string>> OutcomesAsync(string id, CancellationToken cancellationToken)
    {
        var entries = await Guard(Db.HashGetAllAsync(Job(id, "done")), cancellationToken);
        return entries.ToDictionary(
            e => e.Name.ToString(),
            e => (string?)e.Value switch { "s" => "sent", "u" => "unreachable", "x" => "unknown", _ => "failed" },
            StringComparer.Ordinal);
    }

    public async Task<bool> TryTakeTurnAsync(string id, string what, TimeSpan hold, CancellationToken cancellationToken) =>
        await Guard(Db.StringSetAsync(Job(id, "turn:" + what), "1", hold, When.NotExists), cancellationToken);

    private static Task<T> Guard<T>(Task<T> call, CancellationToken cancellationToken) => RedisFailures.GuardAsync(call, cancellationToken);

    private static Task Guard(Task call, CancellationToken cancellationToken) => RedisFailures.GuardAsync(call, cancellationToken);
}
