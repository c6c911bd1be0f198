using System.Globalization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Submissions;

/// <summary>
/// The review queue in Redis, every key under the <c>{submissions}</c> hash tag so each script touches one slot:
/// <c>item:&lt;id&gt;</c> (hash: d = JSON, status, created, state, fp = its fingerprints, claimedBy, decidedBy, decidedAt, reason, url; <c>item:&lt;id&gt;:publishing</c> the publish lease),
/// <c>pending</c> (zset id → created ms, the queue), <c>claims</c> (zset id → lease expiry ms), <c>files</c> (hash
/// file_unique_id → id, so the same file is one submission), <c>notified</c> (set while the queue is over the notice
/// threshold), <c>author:&lt;chat&gt;</c> (set of one supporter's item ids: /forgetme and the export's per-supporter count
/// without a scan), <c>all</c> (zset id → created ms: every item, whatever its status, so the submissions export walks
/// them in creation order without a scan) and <c>counts</c> (hash approved / rejected → decisions ever taken). Each
/// operation is one Lua script (Scripts/Submission*.lua); item keys are built inside the scripts from the same tagged prefix.
/// Items carry no TTL: the add script writes an item and its <c>all</c> entry together and /forgetme removes both
/// together, so <c>all</c> names exactly the stored items (its members are random ids, never a person).
/// </summary>
internal sealed class RedisSubmissionStore(IConnectionMultiplexer redis, RedisKeys keys) : ISubmissionStore
{
    private readonly string _root = keys.Prefix + "{submissions}:";

    private RedisKey Item(string id) => _root + "item:" + id;

    private RedisKey Pending => _root + "pending";

    private RedisKey Claims => _root + "claims";

    private RedisKey Files => _root + "files";

    private RedisKey Notified => _root + "notified";

    private RedisKey Counts => _root + "counts";

    private RedisKey All => IndexKey(keys);

    private string ItemPrefix => _root + "item:";

    /// <summary>Where the item hashes live (<c>&lt;prefix&gt;{submissions}:item:&lt;id&gt;</c>), for readers such as the admin export.</summary>
    internal static string ItemKeyPrefix(RedisKeys keys) => keys.Prefix + "{submissions}:item:";

    /// <summary>Every item id scored by its creation ms (<c>&lt;prefix&gt;{submissions}:all</c>): the export's index.</summary>
    internal static RedisKey IndexKey(RedisKeys keys) => keys.Prefix + "{submissions}:all";

    /// <summary>The set of one supporter's item ids (<c>&lt;prefix&gt;{submissions}:author:tg:123</c>); its SCARD is how many they sent.</summary>
    internal static RedisKey AuthorKey(RedisKeys keys, string chat) => keys.Prefix + "{submissions}:author:" + chat;

    private IDatabase Db => redis.GetDatabase();

    public async Task<AddOutcome> AddAsync(Submission submission, int notifyAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var args = new List<RedisValue>
        {
            submission.Id,
            SubmissionJson.Serialize(submission with { Status = SubmissionStatus.Pending }),
            submission.CreatedAt.ToUnixTimeMilliseconds(),
            notifyAt,
            submission.StateCode ?? string.Empty,
        };
        args.AddRange(submission.Items.Select(i => i.Fingerprint).Where(f => f is not null).Distinct().Select(f => (RedisValue)f));
        var result = (RedisResult[])(await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(SubmissionScripts.Add, [Item(submission.Id), Pending, Claims, Files, Notified, AuthorKey(keys, submission.Chat), All], [.. args]),
            cancellationToken))!;
        return new AddOutcome((long)result[0] == 1, (long)result[1], (long)result[2] == 1);
    }

    public async Task<Submission?> ClaimNextAsync(string moderatorId, DateTimeOffset now, TimeSpan lease, IReadOnlyCollection<string>? states, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(moderatorId);
        if (states is { Count: 0 })
        {
            return null;
        }

        RedisValue[] args = [now.ToUnixTimeMilliseconds(), (long)lease.TotalMilliseconds, moderatorId, ItemPrefix, .. (states ?? []).Select(st => (RedisValue)st)];

        // An item forgotten (/forgetme) between the claim and the read is gone from the claims too: claim the next one.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var result = await RedisFailures.GuardAsync(Db.ScriptEvaluateAsync(SubmissionScripts.Claim, [Pending, Claims], args), cancellationToken);
            if (result.IsNull)
            {
                return null;
            }

            if (await GetAsync((string)result!, cancellationToken) is { } item)
            {
                return item;
            }
        }

        return null;
    }

    private static readonly RedisValue[] ItemFields = ["d", "status", "decidedBy", "reason", "url"];

    public async Task<Submission?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var values = await RedisFailures.GuardAsync(Db.HashGetAsync(Item(id), ItemFields), cancellationToken);
        if (values[0].IsNull)
        {
            return null;
        }

        var submission = SubmissionJson.Deserialize((byte[])values[0]!);
        return submission with
        {
            Status = Enum.TryParse<SubmissionStatus>((string?)values[1], ignoreCase: true, out var status) ? status : SubmissionStatus.Pending,
            DecidedBy = (string?)values[2],
            Reason = values[3].IsNullOrEmpty ? null : (string?)values[3],
            PostUrl = values[4].IsNullOrEmpty ? null : (string?)values[4],
        };
    }

    public async Task<DecisionOutcome> DecideAsync(string id, string moderatorId, SubmissionStatus decision, string? reason, DateTimeOffset now, int notifyAt, CancellationToken cancellationToken)
    {
        if (decision is not (SubmissionStatus.Approved or SubmissionStatus.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "A decision approves or rejects.");
        }

        var result = (long)await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(
                SubmissionScripts.Decide,
                [Item(id), Pending, Claims, Notified, Counts],
                [id, moderatorId, now.ToUnixTimeMilliseconds(), decision.ToString().ToLowerInvariant(), reason ?? string.Empty, notifyAt]),
            cancellationToken);
        return result switch
        {
            1 => DecisionOutcome.Decided,
            0 => DecisionOutcome.AlreadyDecided,
            -1 => DecisionOutcome.ClaimedByOther,
            _ => DecisionOutcome.NotFound,
        };
    }

    public async Task<bool> ReleaseAsync(string id, string moderatorId, DateTimeOffset now, CancellationToken cancellationToken) =>
        (long)await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(SubmissionScripts.Release, [Item(id), Pending, Claims], [id, moderatorId, now.ToUnixTimeMilliseconds()]),
            cancellationToken) == 1;

    public async Task<bool> TryStartPublishingAsync(string id, TimeSpan lease, CancellationToken cancellationToken) =>
        (long)await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(SubmissionScripts.StartPublishing, [Item(id), Item(id).Append(":publishing")], [(long)lease.TotalMilliseconds]),
            cancellationToken) == 1;

    public async Task<bool> MarkPublishedAsync(string id, string? postUrl, CancellationToken cancellationToken) =>
        (long)await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(SubmissionScripts.MarkPublished, [Item(id), Item(id).Append(":publishing")], [postUrl ?? string.Empty]),
            cancellationToken) == 1;

    public async Task<long> QueueLengthAsync(CancellationToken cancellationToken)
    {
        var tx = Db.CreateTransaction();
        var pending = tx.SortedSetLengthAsync(Pending);
        var claims = tx.SortedSetLengthAsync(Claims);
        await RedisFailures.GuardAsync(tx.ExecuteAsync(), cancellationToken);
        return await pending + await claims;
    }

    public async Task<long> ForgetAuthorAsync(ChatKey author, int notifyAt, CancellationToken cancellationToken) =>
        (long)await RedisFailures.GuardAsync(
            Db.ScriptEvaluateAsync(SubmissionScripts.ForgetAuthor, [AuthorKey(keys, author.ToString()), Pending, Claims, Files, Notified, All], [ItemPrefix, notifyAt]),
            cancellationToken);

    private static readonly RedisValue[] CountFields = ["approved", "rejected"];

    public async Task<SubmissionCounts> CountsAsync(CancellationToken cancellationToken)
    {
        var values = await RedisFailures.GuardAsync(Db.HashGetAsync(Counts, CountFields), cancellationToken);
        return new SubmissionCounts(values[0].IsNull ? 0 : (long)values[0], values[1].IsNull ? 0 : (long)values[1]);
    }
}

/// <summary>
/// A sliding minute per chat: a sorted set of message times (<c>speakup:{tg:123}:flood</c>) and a flag set with the notice
/// (<c>…:flood:notice</c>), both expiring after a quiet minute. One script per message.
/// </summary>
internal sealed class RedisFloodGate(IConnectionMultiplexer redis, RedisKeys keys) : IFloodGate
{
    private const long WindowMilliseconds = 60_000;

    public async Task<FloodCheck> HitAsync(ChatKey chat, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        RedisKey key = keys.Prefix + "{" + chat + "}:flood";
        RedisKey notice = keys.Prefix + "{" + chat + "}:flood:notice";
        var ms = now.ToUnixTimeMilliseconds();
        var result = (RedisResult[])(await RedisFailures.GuardAsync(
            redis.GetDatabase().ScriptEvaluateAsync(SubmissionScripts.Flood, [key, notice], [ms, WindowMilliseconds, limit, ms.ToString(CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N")]),
            cancellationToken))!;
        return new FloodCheck((long)result[0], (long)result[1] == 1);
    }
}
