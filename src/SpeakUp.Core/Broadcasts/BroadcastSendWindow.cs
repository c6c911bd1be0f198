using Microsoft.Extensions.Options;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// Telegram counts a bot's messages in any one second as they arrive. The shared pace spaces sends evenly, but a send can
/// still reach the API later than planned: a GC pause or a busy core between reading the clock and writing the request,
/// or on the way in. A late message then lands in the same second as the ones that follow on time, and at 99 % of the
/// limit a second holds only 10 ms of slack for that. This window keeps the rule in this instance whatever the delays:
/// a broadcast send may start only while fewer than the limit are counted.
/// <para>
/// How long a message counts: from its start, one second plus however much longer than usual its round trip took. A
/// message cannot arrive sooner after its start than the fastest recent one did, nor later than its answer came back
/// less the fastest return; so of its round trip, only the part beyond the recent minimum can have delayed its arrival
/// relative to the others (a steady network delay shifts every message alike). A message still in flight counts until
/// its answer. Until enough round trips are known the minimum is taken as zero: a message counts until a second after
/// its answer. Replies count too (<see cref="Enter"/>), but never wait. With sends on time the window holds nobody back.
/// </para>
/// <para>
/// Sends that were held back, or that woke up late together, would otherwise leave in one bunch, and the window would
/// hold the same bunch back again a second later, and again. So broadcast sends of this instance also leave at least
/// half a pacing interval apart: a bunch spreads out within a few seconds while the pace still catches up at twice its
/// rate.
/// </para>
/// </summary>
public sealed class BroadcastSendWindow
{
    // Telegram's clock and ours are read at different places; a millisecond more than a second covers the rounding.
    private static readonly TimeSpan Span = TimeSpan.FromMilliseconds(1001);

    // The fastest of this many recent round trips is the usual one; trusted once this many are known.
    private const int Recent = 128;
    private const int Trusted = 32;

    private readonly Lock _gate = new();
    private readonly PriorityQueue<long, long> _counted = new();
    private readonly long[] _roundTrips = new long[Recent];
    private readonly TimeProvider _time;
    private readonly long _span;
    private readonly long _gap;
    private long _lastStart = long.MinValue / 2;
    private int _inFlight;
    private int _next;
    private int _known;

    public BroadcastSendWindow(IOptions<BroadcastOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _span = (long)(Span.TotalSeconds * time.TimestampFrequency);

        // Above Telegram's highest rate (1000/s paid) there is no limit to keep: that is only the engine measured with
        // limits off (Broadcast:AllowAnyRate).
        Limit = options.Value.MaxPerSecond <= 1000 ? Math.Max(1, (int)Math.Floor(options.Value.MaxPerSecond)) : 0;
        _gap = (long)(time.TimestampFrequency / (options.Value.MaxPerSecond * options.Value.PacingFactor) / 2);
    }

    /// <summary>Messages allowed in any one second; 0 when the window is off.</summary>
    public int Limit { get; }

    /// <summary>
    /// Waits until a broadcast send may start without a second holding more than <see cref="Limit"/>, and counts it.
    /// Returns when it started, for <see cref="Exit"/>.
    /// </summary>
    public async ValueTask<long> EnterAsync(CancellationToken cancellationToken)
    {
        if (Limit <= 0)
        {
            return 0;
        }

        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                Expire(now);
                var spaced = now - _lastStart >= _gap;
                if (_inFlight + _counted.Count < Limit && spaced)
                {
                    _inFlight++;
                    _lastStart = now;
                    return now;
                }

                // The earliest to stop counting leaves first; with every counted message still in flight, one must answer.
                var ticks = !spaced ? _lastStart + _gap - now : _counted.Count > 0 ? _counted.Peek() - now : 0;
                wait = TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, cancellationToken);
        }
    }

    /// <summary>Counts a send that may not wait (a reply to a supporter). Returns when it started, for <see cref="Exit"/>.</summary>
    public long Enter()
    {
        if (Limit <= 0)
        {
            return 0;
        }

        lock (_gate)
        {
            _inFlight++;
            return _time.GetTimestamp();
        }
    }

    /// <summary>The answer of a counted send that started at <paramref name="started"/> came back (or it failed).</summary>
    public void Exit(long started)
    {
        if (Limit <= 0)
        {
            return;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var roundTrip = now - started;
            _inFlight--;
            _roundTrips[_next] = roundTrip;
            _next = (_next + 1) % Recent;
            _known = Math.Min(_known + 1, Recent);
            var fastest = long.MaxValue;
            for (var i = 0; i < _known; i++)
            {
                fastest = Math.Min(fastest, _roundTrips[i]);
            }

            var until = started + _span + Math.Max(0, roundTrip - (_known < Trusted ? 0 : fastest));
            if (until > now)
            {
                _counted.Enqueue(until, until);
            }

            Expire(now);
        }
    }

    private void Expire(long now)
    {
        while (_counted.Count > 0 && _counted.Peek() <= now)
        {
            _counted.Dequeue();
        }
    }
}
