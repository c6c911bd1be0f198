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
internal sealed class RedisBroadcastStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<BroadcastOptions> options, TimeProvider? time = null) : IBroadcastStore
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

    private RedisKey Claimers => Global("claimers");

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JobKeySet> _jobKeys = new(StringComparer.Ordinal);

    private long _claims;

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
            [id, json, (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(), scheduledAt.ToUnixTimeMilliseconds(), definition.CreatedBy, definition.Kind.ToString()]), cancellationToken);
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
        k.AddRange(audience.Campaigns.Select(keys.SupportersInCampaign));
        var a = new List<RedisValue>
        {
            audience.States.Count,
            audience.Languages.Count,
            audience.Campaigns.Count,
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

    public async Task<ClaimResult> ClaimAsync(string id, string instance, int max, TimeSpan horizon, RecipientResults? previous, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var token = $"{instance}/{Interlocked.Increment(ref _claims).ToString(CultureInfo.InvariantCulture)}";
        var result = (RedisResult[])(await ClaimScriptAsync(id, token, max, horizon, previous, cancellationToken))!;
        switch ((string?)result[0])
        {
            case "claimed":
                var claimed = new ClaimedRecipient[(result.Length - 2) / 3];
                for (var i = 0; i < claimed.Length; i++)
                {
                    var member = (string?)result[2 + (i * 3)];
                    if (!ChatKey.TryParse(member, out var chat))
                    {
                        throw new InvalidOperationException($"Broadcast {id} holds a recipient that is not a chat key: '{member}'.");
                    }

                    claimed[i] = new ClaimedRecipient(chat.Value, TimeSpan.FromMicroseconds((long)result[3 + (i * 3)]), (int)(long)result[4 + (i * 3)]);
                }

                return new ClaimResult(ClaimKind.Claimed, claimed, Token: token, Shared: (long)result[1] == 1);
            case "wait":
                return new ClaimResult(ClaimKind.Wait, Wait: TimeSpan.FromMilliseconds((long)result[1]));
            case "idle":
                return new ClaimResult(ClaimKind.Idle, Wait: TimeSpan.FromMilliseconds((long)result[1]));
            default:
                return new ClaimResult(ClaimKind.Done);
        }
    }

    public Task RecordAsync(RecipientResults results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Results.Count == 0 ? Task.CompletedTask : ClaimScriptAsync(results.JobId, "", 0, TimeSpan.Zero, results, cancellationToken);
    }

    private Task<RedisResult> ClaimScriptAsync(string id, string token, int max, TimeSpan horizon, RecipientResults? previous, CancellationToken cancellationToken)
    {
        var job = JobKeys(id);
        var of = previous is null ? job : JobKeys(previous.JobId);
        var count = previous?.Results.Count ?? 0;
        var args = new RedisValue[9 + (count * 3)];
        args[0] = token;
        args[1] = IntervalMs;
        args[2] = (long)options.Value.Lease.TotalMilliseconds;
        args[3] = id;
        args[4] = max;
        args[5] = horizon.TotalMilliseconds;
        args[6] = options.Value.MaxAttempts;
        args[7] = previous?.Token ?? "";
        args[8] = count;
        for (var i = 0; i < count; i++)
        {
            var r = previous!.Results[i];
            args[9 + (i * 3)] = r.Recipient.ToString();
            args[10 + (i * 3)] = r.Outcome switch
            {
                RecipientOutcome.Sent => "s",
                RecipientOutcome.Unreachable => "u",
                RecipientOutcome.Retry => "r",
                RecipientOutcome.PutBack => "p",
                _ => "f",
            };
            args[11 + (i * 3)] = (long)Math.Max(0, r.Delay.TotalMilliseconds);
        }

        RedisKey[] scriptKeys =
        [
            job.Meta, job.Pending, job.InFlight, job.Owner, job.Done, Tat, Pause, Recent, Active, job.Attempts,
            of.Meta, of.Pending, of.InFlight, of.Owner, of.Done, of.Attempts, Claimers,
        ];
        return Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Claim, scriptKeys, args), cancellationToken);
    }

    /// <summary>The keys of a job the claim script touches, built once per job rather than on every claim.</summary>
    private JobKeySet JobKeys(string id)
    {
        if (_jobKeys.TryGetValue(id, out var cached))
        {
            return cached;
        }

        if (_jobKeys.Count > 1000)
        {
            _jobKeys.Clear();
        }

        return _jobKeys[id] = new JobKeySet(Job(id, "meta"), Job(id, "pending"), Job(id, "inflight"), Job(id, "owner"), Job(id, "done"), Job(id, "attempts"));
    }

    private sealed record JobKeySet(RedisKey Meta, RedisKey Pending, RedisKey InFlight, RedisKey Owner, RedisKey Done, RedisKey Attempts);

    /// <summary>/forgetme: the chat leaves every job (waiting, in flight, outcome, attempts) and the pacing window.</summary>
    public async Task<long> ForgetRecipientAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var ids = await Guard(Db.SortedSetRangeByRankAsync(All), cancellationToken);
        long held = 0;

        // A batch of jobs per script: a year of daily prompts and reminders is some 730 jobs, and one script over all of
        // them would hold Redis for longer than a reply may wait.
        foreach (var batch in ids.Select(v => v.ToString()).Where(IsValidId).Chunk(64).DefaultIfEmpty([]))
        {
            var jobKeys = new List<RedisKey>(1 + (batch.Length * 6)) { Recent };
            foreach (var id in batch)
            {
                jobKeys.AddRange([Job(id, "meta"), Job(id, "pending"), Job(id, "inflight"), Job(id, "owner"), Job(id, "done"), Job(id, "attempts")]);
            }

            held += (long)await Guard(Db.ScriptEvaluateAsync(RedisScripts.BroadcastForgetRecipient, [.. jobKeys], [chat.ToString()]), cancellationToken);
        }

        return held;
    }

    public Task PauseAllAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Pause, [Pause, Tat], [(long)Math.Max(1, pause.TotalMilliseconds)]), cancellationToken);

    /// <summary>
    /// Records an interactive send in the shared rate. Debits are grouped: while one group's script is on its way, the
    /// sends that come meanwhile wait for the next, so under load a reply costs a fraction of a round trip instead of
    /// one, and an idle bot still sends each debit at once (nothing waits for a timer).
    /// </summary>
    public Task DebitInteractiveAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        var flush = false;
        lock (_debits)
        {
            _debits.Chats.Add(chat.ToString());
            done = _debits.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_debits.Flushing)
            {
                _debits.Flushing = true;
                flush = true;
            }
        }

        if (flush)
        {
            _ = FlushDebitsAsync();
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushDebitsAsync()
    {
        while (true)
        {
            RedisValue[] args;
            TaskCompletionSource done;
            lock (_debits)
            {
                if (_debits.Chats.Count == 0)
                {
                    _debits.Flushing = false;
                    return;
                }

                args = new RedisValue[_debits.Chats.Count + 1];
                args[0] = IntervalMs;
                for (var i = 0; i < _debits.Chats.Count; i++)
                {
                    args[i + 1] = _debits.Chats[i];
                }

                _debits.Chats.Clear();
                done = _debits.Next!;
                _debits.Next = null;
            }

            try
            {
                await Guard(Db.ScriptEvaluateAsync(BroadcastScripts.Debit, [Tat, Recent], args), CancellationToken.None);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                // Every send of the group learns it (they log it); the next group tries again.
                done.TrySetException(ex);
            }
        }
    }

    private readonly DebitGroup _debits = new();

    private sealed class DebitGroup
    {
        public List<string> Chats { get; } = [];

        public TaskCompletionSource? Next { get; set; }

        public bool Flushing { get; set; }
    }

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
