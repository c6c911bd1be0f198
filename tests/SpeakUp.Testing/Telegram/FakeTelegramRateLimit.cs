namespace SpeakUp.Testing.Telegram;

/// <summary>
/// Telegram's flood limits for the fake Bot API, kept strict: more than <see cref="PerSecond"/> messages in any one-second
/// window (a sliding window, not whole clock seconds), or a second message to one chat within
/// <see cref="PerChatInterval"/>, is answered 429 with retry_after, and counted in <see cref="Violations"/>. A message counts
/// at its arrival (when the server started reading the request), whatever order concurrent requests are checked in, and
/// only accepted ones count. Only send* calls count (edits of a progress message do not). Calls made with
/// allow_paid_broadcast count against <see cref="PaidPerSecond"/> instead.
/// </summary>
public sealed class FakeTelegramRateLimit
{
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    private readonly Lock _lock = new();
    private readonly List<long> _window = [];
    private readonly List<long> _paidWindow = [];
    private readonly Dictionary<long, long> _lastPerChat = [];
    private int _violations;

    public int PerSecond { get; init; } = 30;

    public int PaidPerSecond { get; init; } = 1000;

    public TimeSpan PerChatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>How many calls were refused with 429.</summary>
    public int Violations => Volatile.Read(ref _violations);

    /// <summary>How many sends were accepted.</summary>
    public int Accepted { get; private set; }

    /// <summary>Null when the call may go through, else the retry_after to answer with. <paramref name="arrived"/>: when it arrived.</summary>
    public int? Check(string method, long? chatId, bool paid, DateTimeOffset arrived)
    {
        if (!method.StartsWith("send", StringComparison.Ordinal) || method == "sendChatAction")
        {
            return null;
        }

        var at = arrived.UtcTicks;
        lock (_lock)
        {
            var window = paid ? _paidWindow : _window;
            var limit = paid ? PaidPerSecond : PerSecond;
            if (window.Count > 0)
            {
                // Older than two seconds before the newest arrival: no window holding a call still to be checked reaches it.
                var keepFrom = LowerBound(window, window[^1] - (2 * Second));
                window.RemoveRange(0, keepFrom);
            }

            if (MostInAnySecondAround(window, at) >= limit)
            {
                _violations++;
                return RetryAfterSeconds;
            }

            if (chatId is { } chat && _lastPerChat.TryGetValue(chat, out var last) && Math.Abs(at - last) < PerChatInterval.Ticks)
            {
                _violations++;
                return RetryAfterSeconds;
            }

            window.Insert(LowerBound(window, at + 1), at);
            if (chatId is { } c)
            {
                _lastPerChat[c] = Math.Max(at, _lastPerChat.GetValueOrDefault(c, long.MinValue));
            }

            Accepted++;
            return null;
        }
    }

    /// <summary>
    /// The most accepted calls in any window [x, x + 1 s) that would also hold <paramref name="at"/>. Such a window
    /// starting at an accepted call holds the most, so only those starts (and <paramref name="at"/> itself) are tried.
    /// </summary>
    private static int MostInAnySecondAround(List<long> window, long at)
    {
        var most = LowerBound(window, at + Second) - LowerBound(window, at);
        for (var i = LowerBound(window, at - Second + 1); i < window.Count && window[i] <= at; i++)
        {
            most = Math.Max(most, LowerBound(window, window[i] + Second) - i);
        }

        return most;
    }

    /// <summary>Index of the first element not below <paramref name="value"/> in the sorted list.</summary>
    private static int LowerBound(List<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
