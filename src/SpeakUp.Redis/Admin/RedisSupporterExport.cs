using System.Runtime.CompilerServices;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Walks the supporter indexes with ZSCAN/SSCAN (the whole country, or each state's set) and loads sessions a page at a
/// time (pipelined), so an export of any size holds one page in memory.
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
        var loaded = await Task.WhenAll(page.Select(chat => sessions.LoadAsync(chat, cancellationToken)));
        return loaded
            .Where(s => s is { IsJoined: true })
            .Select(s => new SupporterRow(s!.Chat.ToString(), s.FirstName, s.Language, s.StateCode, s.JoinedAt, s.Snapshot().ReceivesPrompts, s.Referrer, null));
    }
}
