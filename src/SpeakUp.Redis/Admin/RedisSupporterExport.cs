using System.Runtime.CompilerServices;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis.Submissions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Walks the supporter indexes with ZSCAN/SSCAN (the whole country, or each state's set) and loads sessions a page at a
/// time (pipelined), so an export of any size holds one page in memory. The submissions column is the SCARD of each
/// supporter's author index in the review queue, sent in the same page as one pipelined batch.
/// </summary>
internal sealed class RedisSupporterExport(IConnectionMultiplexer redis, RedisKeys keys, ISessionStore sessions) : ISupporterExportSource
{
    private const int PageSize = 250;

    public async IAsyncEnumerable<SupporterRow> ReadAsync(IReadOnlyCollection<string>? states, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        if (states is null)
        {
            await foreach (var row in PagesAsync(db.SortedSetScanAsync(keys.SupportersJoined, pageSize: PageSize).Select(e => e.Element), cancellationToken))
            {
                yield return row;
            }

            yield break;
        }

        foreach (var state in states)
        {
            await foreach (var row in PagesAsync(db.SetScanAsync(keys.SupportersInState(state), pageSize: PageSize), cancellationToken))
            {
                yield return row;
            }
        }
    }

    private async IAsyncEnumerable<SupporterRow> PagesAsync(IAsyncEnumerable<RedisValue> members, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new List<ChatKey>(PageSize);
        await foreach (var member in members.WithCancellation(cancellationToken))
        {
            if (ChatKey.TryParse(member, out var chat))
            {
                page.Add(chat.Value);
            }

            if (page.Count == PageSize)
            {
                foreach (var row in await LoadAsync(page, cancellationToken))
                {
                    yield return row;
                }

                page.Clear();
            }
        }

        foreach (var row in await LoadAsync(page, cancellationToken))
        {
            yield return row;
        }
    }

    private async Task<IEnumerable<SupporterRow>> LoadAsync(List<ChatKey> page, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var submitted = page.Select(chat => batch.SetLengthAsync(RedisSubmissionStore.AuthorKey(keys, chat.ToString()))).ToArray();
        batch.Execute();
        var loads = Task.WhenAll(page.Select(chat => sessions.LoadAsync(chat, cancellationToken)));
        await Task.WhenAll(loads, RedisFailures.GuardAsync(Task.WhenAll(submitted), cancellationToken));
        return (await loads)
            .Select((s, i) => (Session: s, Submitted: submitted[i].Result))
            .Where(r => r.Session is { IsJoined: true })
            .Select(r => new SupporterRow(r.Session!.Chat.ToString(), r.Session.FirstName, r.Session.Language, r.Session.StateCode, r.Session.JoinedAt, r.Session.Snapshot().ReceivesPrompts, r.Session.Referrer, r.Submitted));
    }
}
