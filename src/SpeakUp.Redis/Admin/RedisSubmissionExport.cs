using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Submissions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Reads every submission for the export from the review queue's own item hashes (see <see cref="RedisSubmissionStore"/>):
/// decided items leave the queue's sorted sets, so the hashes are the only complete record. They are found with SCAN
/// (MATCH on the item prefix, on the node that holds the <c>{submissions}</c> slot), a page of keys at a time, and each page
/// is read with pipelined HMGETs, so memory holds one page plus an 8-byte fingerprint per item already written.
/// SCAN walks the whole database without blocking it; it may return a key twice (Redis while rehashing, Garnet when a
/// record moved in its log during the walk), hence the fingerprints.
/// </summary>
internal sealed class RedisSubmissionExport(IConnectionMultiplexer redis, RedisKeys keys) : ISubmissionExportSource
{
    private const int PageSize = 500;

    private static readonly RedisValue[] Fields = ["d", "status", "state", "decidedBy", "decidedAt", "reason", "url"];

    public async IAsyncEnumerable<SubmissionRow> ReadAsync(IReadOnlyCollection<string>? states, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (states is { Count: 0 })
        {
            yield break;
        }

        var prefix = RedisSubmissionStore.ItemKeyPrefix(keys);
        var allowed = states is null ? null : new HashSet<string>(states, StringComparer.Ordinal);
        var db = redis.GetDatabase();
        var server = redis.GetServer((RedisKey)prefix);
        var written = new HashSet<ulong>();
        var page = new List<(string Id, RedisKey Key)>(PageSize);
        await using var keysFound = server.KeysAsync(db.Database, GlobEscape(prefix) + "*", PageSize).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await keysFound.MoveNextAsync();
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                throw new StorageUnavailableException("Redis is unreachable: " + ex.Message, ex);
            }

            if (more)
            {
                var key = (string)keysFound.Current!;
                var id = key[prefix.Length..];

                // item:<id>:publishing (the publish lease) matches the pattern too; ids never hold a colon.
                if (id.Length > 0 && !id.Contains(':', StringComparison.Ordinal))
                {
                    page.Add((id, keysFound.Current));
                }
            }

            if (page.Count == PageSize || (!more && page.Count > 0))
            {
                foreach (var row in await LoadAsync(db, page, allowed, written, cancellationToken))
                {
                    yield return row;
                }

                page.Clear();
            }

            if (!more)
            {
                yield break;
            }
        }
    }

    private static async Task<List<SubmissionRow>> LoadAsync(IDatabase db, List<(string Id, RedisKey Key)> page, HashSet<string>? allowed, HashSet<ulong> written, CancellationToken cancellationToken)
    {
        var reads = page.Select(p => db.HashGetAsync(p.Key, Fields)).ToArray();
        await RedisFailures.GuardAsync(Task.WhenAll(reads), cancellationToken);
        var rows = new List<SubmissionRow>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var values = reads[i].Result;

            // Gone since the scan saw it (forgotten), or outside the coordinator's states.
            if (values[0].IsNull || (allowed is not null && !allowed.Contains((string?)values[2] ?? string.Empty)))
            {
                continue;
            }

            if (!written.Add(Fingerprint(page[i].Id)))
            {
                continue;
            }

            var submission = SubmissionJson.Deserialize((byte[])values[0]!) with
            {
                Status = Enum.TryParse<SubmissionStatus>((string?)values[1], ignoreCase: true, out var status) ? status : SubmissionStatus.Pending,
                DecidedBy = values[3].IsNullOrEmpty ? null : (string?)values[3],
                Reason = values[5].IsNullOrEmpty ? null : (string?)values[5],
                PostUrl = values[6].IsNullOrEmpty ? null : (string?)values[6],
            };
            DateTimeOffset? decidedAt = long.TryParse((string?)values[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
            rows.Add(new SubmissionRow(submission, decidedAt));
        }

        return rows;
    }

    /// <summary>64-bit FNV-1a of the id: enough to recognise a key SCAN returned twice (a collision needs ~4 billion items).</summary>
    private static ulong Fingerprint(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The key prefix as a literal in a SCAN MATCH pattern.</summary>
    private static string GlobEscape(string literal)
    {
        var pattern = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.ToString();
    }
}
