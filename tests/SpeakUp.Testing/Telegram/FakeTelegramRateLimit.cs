namespace SpeakUp.Testing.Telegram;

/// <summary>
/// Telegram's flood limits for the fake Bot API: more than <see cref="PerSecond"/> messages in any one-second window
/// overall, or a second message to one chat within <see cref="PerChatInterval"/>, is answered 429 with retry_after, and
/// counted in <see cref="Violations"/>. Only send* calls count (edits of a progress message do not). Calls made with
/// allow_paid_broadcast count against <see cref="PaidPerSecond"/> instead.
/// </summary>
public sealed class FakeTelegramRateLimit
{
    private readonly object _lock = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Queue<DateTimeOffset> _paidWindow = new();
    private readonly Dictionary<long, DateTimeOffset> _lastPerChat = [];
    private int _violations;

    public int PerSecond { get; init; } = 30;

    public int PaidPerSecond { get; init; } = 1000;

    public TimeSpan PerChatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>How many calls were refused with 429.</summary>
    public int Violations => Volatile.Read(ref _violations);

    /// <summary>Accepted sends per second over the busiest whole second seen, for benchmarks.</summary>
    public int Accepted { get; private set; }

    /// <summary>Null when the call may go through, else the retry_after to answer with.</summary>
    public int? Check(string method, long? chatId, bool paid, DateTimeOffset now)
    {
        if (!method.StartsWith("send", StringComparison.Ordinal) || method == "sendChatAction")
        {
            return null;
        }

        lock (_lock)
        {
            var window = paid ? _paidWindow : _window;
            var limit = paid ? PaidPerSecond : PerSecond;
            while (window.Count > 0 && now - window.Peek() >= TimeSpan.FromSeconds(1))
            {
                window.Dequeue();
            }

            if (window.Count >= limit)
            {
                _violations++;
                return RetryAfterSeconds;
            }

            if (chatId is { } chat && _lastPerChat.TryGetValue(chat, out var last) && now - last < PerChatInterval)
            {
                _violations++;
                return RetryAfterSeconds;
            }

            window.Enqueue(now);
            if (chatId is { } c)
            {
                _lastPerChat[c] = now;
            }

            Accepted++;
            return null;
        }
    }
}
