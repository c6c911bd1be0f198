using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Web;

/// <summary>One stored entry: its sequence number and its JSON (with "seq" in it), as the page receives it.</summary>
internal readonly record struct StoredEntry(long Seq, string Json);

/// <summary>What a chat holds after a sequence number: the entries, and the chat's latest sequence number.</summary>
internal sealed record HistoryPage(long Last, IReadOnlyList<StoredEntry> Entries);

/// <summary>
/// A chat's web history in Redis: a bounded list of entries with a per-chat sequence number (one Lua script appends,
/// numbers, trims and renews the expiry), plus a pub/sub notice so every instance's open event streams get the entry at once.
/// </summary>
internal sealed class WebChatHistory(IConnectionMultiplexer redis, WebChatKeys keys, IOptions<WebChatOptions> options)
{
    private static readonly string AppendScript = ReadScript("Append.lua");
    private static readonly string RateScript = ReadScript("Rate.lua");

    private readonly WebChatOptions options = options.Value;

    /// <summary>
    /// Appends an entry and publishes it. With a <paramref name="deliveryId"/> already recorded, nothing is written and
    /// null is returned (a retried post shows once).
    /// </summary>
    public async Task<StoredEntry?> AppendAsync(ChatKey chat, WebEntry entry, string? deliveryId, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var ttl = (long)TimeSpan.FromDays(options.HistoryDays).TotalMilliseconds;
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(
            AppendScript,
            [keys.History(chat), keys.Sequence(chat), keys.Deliveries(chat)],
            [WebMessageRenderer.Serialize(entry), options.HistoryLimit, ttl, string.IsNullOrEmpty(deliveryId) ? "-" : deliveryId]).WaitAsync(cancellationToken))!;
        var seq = (long)result[0];
        if (seq == 0)
        {
            return null;
        }

        var stored = new StoredEntry(seq, (string)result[1]!);
        await redis.GetSubscriber().PublishAsync(keys.Events, chat.ChatId + "\n" + stored.Json).WaitAsync(cancellationToken);
        return stored;
    }

    /// <summary>The entries after <paramref name="afterSeq"/> still kept, oldest first, and the chat's latest sequence number.</summary>
    public async Task<HistoryPage> ReadAsync(ChatKey chat, long afterSeq, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var last = db.StringGetAsync(keys.Sequence(chat));
        var list = db.ListRangeAsync(keys.History(chat));
        await Task.WhenAll(last, list).WaitAsync(cancellationToken);
        var entries = new List<StoredEntry>();
        foreach (var value in await list)
        {
            var json = (string)value!;
            if (TryReadSeq(json, out var seq) && seq > afterSeq)
            {
                entries.Add(new StoredEntry(seq, json));
            }
        }

        var lastSeq = (await last).TryParse(out long n) ? n : 0;
        return new HistoryPage(Math.Max(lastSeq, entries.Count > 0 ? entries[^1].Seq : 0), entries);
    }

    /// <summary>The chat's latest sequence number (0 for a chat with no history).</summary>
    public async Task<long> LastSeqAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.Sequence(chat)).WaitAsync(cancellationToken);
        return value.TryParse(out long n) ? n : 0;
    }

    /// <summary>Counts a post; returns how many the chat made in the current one-minute window, this one included.</summary>
    public async Task<long> CountPostAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(RateScript, [keys.Rate(chat)], [60_000]).WaitAsync(cancellationToken);
        return (long)result;
    }

    /// <summary>The key CSRF tokens are derived from: made once by whichever instance asks first, then shared.</summary>
    public async Task<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await db.StringSetAsync(keys.Secret, fresh, when: When.NotExists).WaitAsync(cancellationToken);
        var stored = await db.StringGetAsync(keys.Secret).WaitAsync(cancellationToken);
        return Convert.FromBase64String((string?)stored ?? fresh);
    }

    /// <summary>Every entry starts with {"seq":N, (the script writes it so): read N without parsing the whole entry.</summary>
    internal static bool TryReadSeq(string json, out long seq)
    {
        const string Head = "{\"seq\":";
        seq = 0;
        if (!json.StartsWith(Head, StringComparison.Ordinal))
        {
            return false;
        }

        var end = json.IndexOf(',', Head.Length);
        return end > Head.Length && long.TryParse(json.AsSpan(Head.Length, end - Head.Length), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }

    private static string ReadScript(string file)
    {
        var name = "SpeakUp.Web.Scripts." + file;
        using var stream = typeof(WebChatHistory).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
