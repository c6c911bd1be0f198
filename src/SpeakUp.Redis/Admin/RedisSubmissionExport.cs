using System.Globalization;
using System.Runtime.CompilerServices;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Submissions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Reads every submission for the export from the review queue's own item hashes (see <see cref="RedisSubmissionStore"/>):
/// decided items leave the queue's sorted sets, so the hashes are the only complete record. They are found through the
/// <c>{submissions}:all</c> index (id → created ms, kept by the add and /forgetme scripts), walked oldest first a page
/// at a time, each page's hashes read with pipelined HMGETs and yielded before the next page is asked for. Nothing walks
/// the keyspace, and every key read is in the one <c>{submissions}</c> slot, so the export costs the same on a database
/// of millions of session keys and on a cluster. Memory holds one page, plus the ids sharing the last created ms.
/// </summary>
internal sealed class RedisSubmissionExport(IConnectionMultiplexer redis, RedisKeys keys) : ISubmissionExportSource
{
    private static readonly RedisValue[] Fields = ["d", "status", "state", "decidedBy", "decidedAt", "reason", "url"];

    /// <summary>Index entries per round trip; tests lower it to cross page boundaries with a handful of items.</summary>
    internal int PageSize { get; init; } = 500;

    public async IAsyncEnumerable<SubmissionRow> ReadAsync(IReadOnlyCollection<string>? states, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (states is { Count: 0 })
        {
            yield break;
        }

        var index = RedisSubmissionStore.IndexKey(keys);
        var itemPrefix = RedisSubmissionStore.ItemKeyPrefix(keys);
        var allowed = states is null ? null : new HashSet<string>(states, StringComparer.Ordinal);
        var db = redis.GetDatabase();

        // The walk's cursor: the last id read and its created ms. When that id is forgotten between two pages the script
        // resumes at the first id of the same ms, so the ids of that ms already read are kept to skip them.
        var lastId = string.Empty;
        long lastCreated = 0;
        var readAtLastCreated = new HashSet<string>(StringComparer.Ordinal);
        var page = new List<string>(PageSize);
        while (true)
        {
            var entries = (RedisResult[])(await RedisFailures.GuardAsync(
                db.ScriptEvaluateAsync(SubmissionScripts.ExportPage, [index], [PageSize, lastId, lastCreated]),
                cancellationToken))!;
            if (entries.Length == 0)
            {
                yield break;
            }

            page.Clear();
            for (var i = 0; i + 1 < entries.Length; i += 2)
            {
                var id = (string)entries[i]!;
                var created = (long)(double)entries[i + 1];
                if (created != lastCreated)
                {
                    readAtLastCreated.Clear();
                    lastCreated = created;
                }

                lastId = id;
                if (readAtLastCreated.Add(id))
                {
                    page.Add(id);
                }
            }

            foreach (var row in await LoadAsync(db, itemPrefix, page, allowed, cancellationToken))
            {
                yield return row;
            }
        }
    }

    private static async Task<List<SubmissionRow>> LoadAsync(IDatabase db, string itemPrefix, List<string> page, HashSet<string>? allowed, CancellationToken cancellationToken)
    {
        var reads = page.Select(id => db.HashGetAsync(itemPrefix + id, Fields)).ToArray();
        await RedisFailures.GuardAsync(Task.WhenAll(reads), cancellationToken);
        var rows = new List<SubmissionRow>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var values = reads[i].Result;

            // Forgotten since the index page was read, or outside the coordinator's states.
            if (values[0].IsNull || (allowed is not null && !allowed.Contains((string?)values[2] ?? string.Empty)))
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
}
