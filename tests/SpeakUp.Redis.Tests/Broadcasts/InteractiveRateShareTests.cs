using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using SpeakUp.Redis.Broadcasts;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests.Broadcasts;

/// <summary>
/// The one rule for a send outside a broadcast job (replies, previews, tests to staff), with the real job store: one
/// slot of the shared rate per send, a place in this instance's send window, and a send that goes whatever the
/// bookkeeping does. The window runs on a fake clock and allows one message a second, so whether a send was counted
/// shows in whether a broadcast send may start right after it.
/// </summary>
public abstract class InteractiveRateShareTests(RedisTestServer server)
{
    private static readonly ChatKey Chat = new("tg", "770001");

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));

    private BroadcastSendWindow NewWindow() => new(Options.Create(new BroadcastOptions { MaxPerSecond = 1 }), time);

    // One send every 100 s: the next free slot moves exactly one interval per send, so it counts them.
    private InteractiveRateShare Share(BroadcastSendWindow window, IConnectionMultiplexer? connection = null) =>
        new(new RedisBroadcastStore(connection ?? server.Connection, keys, Options.Create(new BroadcastOptions { MaxPerSecond = 0.01, PacingFactor = 1 })), window, NullLogger<InteractiveRateShare>.Instance);

    private static Task<SendResult> Sent(int _, CancellationToken cancellationToken) => Task.FromResult(SendResult.Ok("1"));

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    [SkippableFact]
    public async Task A_send_takes_exactly_one_slot_of_the_shared_rate()
    {
        SkipUnlessAvailable();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Share(NewWindow()).SendAsync(Chat, 0, Sent, default);

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var tat = double.Parse((string)(await server.Connection.GetDatabase().StringGetAsync(keys.Prefix + "{supporters}:bc:tat"))!, CultureInfo.InvariantCulture);
        Assert.InRange(tat, before + 100_000 - 50, after + 100_000 + 50);
    }

    [SkippableFact]
    public async Task A_send_counts_in_the_window_so_a_broadcast_send_waits_for_the_second_to_pass()
    {
        SkipUnlessAvailable();
        var window = NewWindow();

        await Share(window).SendAsync(Chat, 0, Sent, default);
        var broadcast = window.EnterAsync(default).AsTask();
        var heldBack = !broadcast.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1001));
        await broadcast;

        Assert.True(heldBack);
    }

    [SkippableFact]
    public async Task A_send_that_throws_still_leaves_the_window_and_its_exception_reaches_the_caller()
    {
        SkipUnlessAvailable();
        var window = NewWindow();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Share(window).SendAsync<int, SendResult>(Chat, 0, (_, _) => throw new InvalidOperationException("network"), default));
        time.Advance(TimeSpan.FromMilliseconds(1001));
        var broadcast = window.EnterAsync(default).AsTask();

        // Still counted as in flight, it would hold every broadcast send of this instance back for good.
        Assert.True(broadcast.IsCompleted);
        await broadcast;
    }

    [Fact]
    public async Task A_send_goes_and_returns_its_result_when_the_shared_rate_cannot_be_recorded()
    {
        using var down = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,connectTimeout=200,asyncTimeout=200,syncTimeout=200,abortConnect=false");
        var sends = 0;

        var result = await Share(NewWindow(), down).SendAsync(Chat, 0, (_, _) =>
        {
            sends++;
            return Task.FromResult(SendResult.Ok("42"));
        }, default);

        Assert.Equal((1, SendResult.Ok("42")), (sends, result));
    }
}

public sealed class InteractiveRateShareOnRedisServerTests(RedisServerFixture server) : InteractiveRateShareTests(server), IClassFixture<RedisServerFixture>;

public sealed class InteractiveRateShareOnGarnetTests(GarnetFixture server) : InteractiveRateShareTests(server), IClassFixture<GarnetFixture>;
