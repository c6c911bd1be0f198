using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SpeakUp.Web;

/// <summary>
/// This instance's open event streams, by chat. One Redis subscription per instance carries every chat's new entries;
/// the hub hands each to the streams of its chat. Pub/sub may drop a notice (a reconnect): streams notice the gap in
/// sequence numbers, or the missing tail at the next heartbeat, and read it from the history, so nothing is lost.
/// </summary>
internal sealed class WebChatHub(IConnectionMultiplexer redis, WebChatKeys keys, ILogger<WebChatHub> logger) : IDisposable
{
    private readonly Dictionary<string, List<Listener>> listeners = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly SemaphoreSlim subscribing = new(1, 1);
    private volatile bool subscribed;

    /// <summary>Starts listening for one chat's entries. Dispose the listener when its stream ends.</summary>
    public async Task<Listener> ListenAsync(string chatId, CancellationToken cancellationToken)
    {
        await EnsureSubscribedAsync(cancellationToken);
        var listener = new Listener(this, chatId);
        lock (gate)
        {
            if (!listeners.TryGetValue(chatId, out var list))
            {
                listeners[chatId] = list = [];
            }

            list.Add(listener);
        }

        return listener;
    }

    /// <summary>How many streams are open on this instance (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return listeners.Values.Sum(l => l.Count);
            }
        }
    }

    public void Dispose() => subscribing.Dispose();

    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (subscribed)
        {
            return;
        }

        await subscribing.WaitAsync(cancellationToken);
        try
        {
            if (!subscribed)
            {
                await redis.GetSubscriber().SubscribeAsync(keys.Events, (_, message) => Deliver(message));
                subscribed = true;
            }
        }
        finally
        {
            subscribing.Release();
        }
    }

    private void Deliver(RedisValue message)
    {
        var text = (string?)message;
        var newline = text?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (text is null || newline <= 0 || !WebChatHistory.TryReadSeq(text[(newline + 1)..], out var seq))
        {
            Log.BadNotice(logger);
            return;
        }

        var chatId = text[..newline];
        Listener[] targets;
        lock (gate)
        {
            if (!listeners.TryGetValue(chatId, out var list))
            {
                return;
            }

            targets = [.. list];
        }

        var entry = new StoredEntry(seq, text[(newline + 1)..]);
        foreach (var target in targets)
        {
            target.Offer(entry);
        }
    }

    private void Remove(Listener listener)
    {
        lock (gate)
        {
            if (listeners.TryGetValue(listener.ChatId, out var list) && list.Remove(listener) && list.Count == 0)
            {
                listeners.Remove(listener.ChatId);
            }
        }
    }

    /// <summary>One open stream's inbox. Bounded: a stream that falls behind loses the oldest and refills from the history.</summary>
    internal sealed class Listener : IDisposable
    {
        private readonly WebChatHub hub;
        private readonly Channel<StoredEntry> inbox = Channel.CreateBounded<StoredEntry>(new BoundedChannelOptions(64)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        public Listener(WebChatHub hub, string chatId)
        {
            this.hub = hub;
            ChatId = chatId;
        }

        public string ChatId { get; }

        public ChannelReader<StoredEntry> Reader => inbox.Reader;

        public void Offer(StoredEntry entry) => inbox.Writer.TryWrite(entry);

        public void Dispose()
        {
            hub.Remove(this);
            inbox.Writer.TryComplete();
        }
    }
}
