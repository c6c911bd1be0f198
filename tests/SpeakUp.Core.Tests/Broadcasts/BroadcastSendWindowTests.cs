using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Broadcasts;

namespace SpeakUp.Core.Tests.Broadcasts;

/// <summary>
/// The instance's send window: however late a send reached Telegram, no second may hold more than the limit. A message
/// counts from its start for a second plus whatever its round trip took beyond the usual one (all of it until enough
/// round trips are known), and while in flight. At 2 a second (the pace: 1.98) broadcast sends also leave at least
/// 252 ms apart.
/// </summary>
public sealed class BroadcastSendWindowTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));

    private BroadcastSendWindow Window(double perSecond) =>
        new(Options.Create(new BroadcastOptions { MaxPerSecond = perSecond, AllowAnyRate = true }), time);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Sends one message that takes <paramref name="roundTrip"/>.</summary>
    private async Task SendAsync(BroadcastSendWindow window, TimeSpan roundTrip)
    {
        var started = await window.EnterAsync(default);
        time.Advance(roundTrip);
        window.Exit(started);
    }

    /// <summary>Round trips of 100 ms, spaced so that the window never holds one back: now the usual round trip is known.</summary>
    private async Task WarmAsync(BroadcastSendWindow window)
    {
        for (var i = 0; i < 40; i++)
        {
            await SendAsync(window, Ms(100));
            time.Advance(Ms(1000));
        }
    }

    [Fact]
    public async Task Before_round_trips_are_known_a_send_over_the_limit_waits_a_second_after_the_oldest_answer()
    {
        var window = Window(2);
        await SendAsync(window, Ms(40));
        time.Advance(Ms(260));
        await SendAsync(window, Ms(0));

        var third = window.EnterAsync(default).AsTask();
        time.Advance(Ms(740));
        var beforeTheSecond = third.IsCompleted;
        time.Advance(Ms(1));
        await third;

        // The first answer came at 40 ms: the third may start 1,001 ms later, not a second after the first started.
        Assert.False(beforeTheSecond);
    }

    [Fact]
    public async Task A_steady_network_delay_holds_nobody_back_longer_than_a_second_from_the_start()
    {
        var window = Window(2);
        await WarmAsync(window);
        await SendAsync(window, Ms(100));
        time.Advance(Ms(160));
        await SendAsync(window, Ms(100));

        // Both took the usual 100 ms, so they arrived as late as each other: the first counts until 1,001 ms after it started.
        var third = window.EnterAsync(default).AsTask();
        time.Advance(Ms(640));
        var before = third.IsCompleted;
        time.Advance(Ms(1));
        await third;

        Assert.False(before);
    }

    [Fact]
    public async Task A_slower_round_trip_than_usual_counts_that_much_longer()
    {
        var window = Window(2);
        await WarmAsync(window);
        await SendAsync(window, Ms(300));
        await SendAsync(window, Ms(100));

        // 200 ms beyond the usual round trip: it may have arrived that late, so it counts until 1,201 ms after its start.
        var third = window.EnterAsync(default).AsTask();
        time.Advance(Ms(800));
        var atASecond = third.IsCompleted;
        time.Advance(Ms(1));
        await third;

        Assert.False(atASecond);
    }

    [Fact]
    public async Task Broadcast_sends_leave_at_least_half_a_pacing_interval_apart()
    {
        var window = Window(30);
        await window.EnterAsync(default);

        // 30 a second at the 0.99 pace: 33.7 ms apart, so a bunch spreads to at least 16.8 ms apart.
        var next = window.EnterAsync(default).AsTask();
        time.Advance(Ms(16));
        var tooSoon = next.IsCompleted;
        time.Advance(Ms(1));
        await next;

        Assert.False(tooSoon);
    }

    [Fact]
    public async Task A_send_still_in_flight_counts_however_long_it_takes()
    {
        var window = Window(1);
        var started = await window.EnterAsync(default);

        var next = window.EnterAsync(default).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        var whileInFlight = next.IsCompleted;
        window.Exit(started);
        time.Advance(Ms(1001));
        await next;

        Assert.False(whileInFlight);
    }

    [Fact]
    public async Task A_reply_never_waits_but_holds_the_next_broadcast_send_back()
    {
        var window = Window(1);
        var first = window.Enter();
        var second = window.Enter();
        window.Exit(first);
        window.Exit(second);

        var broadcast = window.EnterAsync(default).AsTask();
        var heldBack = !broadcast.IsCompleted;
        time.Advance(Ms(1001));
        await broadcast;

        Assert.True(heldBack);
    }

    [Fact]
    public async Task Above_telegrams_highest_rate_there_is_no_window()
    {
        var window = Window(1_000_000);

        for (var i = 0; i < 10_000; i++)
        {
            await window.EnterAsync(default);
        }

        Assert.Equal(0, window.Limit);
    }
}
