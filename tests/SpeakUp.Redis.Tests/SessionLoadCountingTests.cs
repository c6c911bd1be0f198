using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using SpeakUp.Redis.Submissions;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>
/// The session load that also counts the message in the chat's flood window (LoadSessionAndCount.lua): one round trip
/// that must load exactly what a plain load does and count exactly as the flood gate does, on both servers.
/// </summary>
public abstract class SessionLoadCountingTests(RedisTestServer server)
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 6, 0, 50, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisSessionStore Sessions => new(server.Connection, keys);

    private static FloodHit Hit(DateTimeOffset now, int limit, string? delivery = null) => new(delivery, now, limit, Guid.NewGuid().ToString("N"));

    private static ChatKey NewChat() => new("tg", Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    private async Task<Session> SavedAsync(ChatKey chat, params string[] deliveries)
    {
        var session = Session.New(chat, At);
        session.Language = "hi";
        session.FirstName = "सुनीता \"quoted\"";
        foreach (var delivery in deliveries)
        {
            session.RememberDelivery(delivery);
        }

        Assert.True(await Sessions.TrySaveAsync(session, TimeSpan.FromDays(30), default));
        return session;
    }

    [SkippableFact]
    public async Task It_loads_the_same_session_as_a_plain_load()
    {
        SkipUnlessAvailable();
        var saved = await SavedAsync(NewChat(), "1001", "1002");

        var counted = await Sessions.LoadCountingAsync(saved.Chat, Hit(At, 20, "1003"), default);
        var plain = await Sessions.LoadAsync(saved.Chat, default);

        Assert.NotNull(counted.Session);
        Assert.Equal(plain!.Version, counted.Session.Version);
        Assert.Equal(saved.Chat, counted.Session.Chat);
        Assert.Equal(SessionJson.Serialize(plain), SessionJson.Serialize(counted.Session));
        Assert.Equal(new FloodCheck(1, false), counted.Flood);
    }

    [SkippableFact]
    public async Task A_chat_without_a_session_loads_null_and_is_counted()
    {
        SkipUnlessAvailable();

        var load = await Sessions.LoadCountingAsync(NewChat(), Hit(At, 20, "1"), default);

        Assert.Null(load.Session);
        Assert.Equal(new FloodCheck(1, false), load.Flood);
    }

    [SkippableFact]
    public async Task It_counts_a_sliding_minute_per_chat_and_notifies_once_per_burst()
    {
        SkipUnlessAvailable();
        var chat = NewChat();

        var checks = new List<FloodCheck?>();
        for (var i = 0; i < 5; i++)
        {
            // Across a minute boundary on the clock: a sliding window does not reset at :00.
            checks.Add((await Sessions.LoadCountingAsync(chat, Hit(At.AddSeconds(i * 5), 2), default)).Flood);
        }

        var other = (await Sessions.LoadCountingAsync(NewChat(), Hit(At, 2), default)).Flood;
        var afterQuiet = (await Sessions.LoadCountingAsync(chat, Hit(At.AddMinutes(3), 2), default)).Flood;

        Assert.Equal([1L, 2, 3, 4, 5], checks.Select(c => c!.Value.Count));
        Assert.Equal([false, false, true, false, false], checks.Select(c => c!.Value.Notify));
        Assert.Equal(new FloodCheck(1, false), other);
        Assert.Equal(new FloodCheck(1, false), afterQuiet);
    }

    [SkippableFact]
    public async Task It_shares_the_flood_gates_window_and_notice()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var gate = new RedisFloodGate(server.Connection, keys);

        var checks = new List<FloodCheck>();
        for (var i = 0; i < 6; i++)
        {
            var now = At.AddSeconds(i);
            checks.Add(i % 2 == 0
                ? (await Sessions.LoadCountingAsync(chat, Hit(now, 3), default)).Flood!.Value
                : await gate.HitAsync(chat, now, 3, default));
        }

        Assert.Equal([1L, 2, 3, 4, 5, 6], checks.Select(c => c.Count));
        Assert.Equal([false, false, false, true, false, false], checks.Select(c => c.Notify));
    }

    [SkippableFact]
    public async Task A_redelivered_message_is_not_counted_again()
    {
        SkipUnlessAvailable();
        var saved = await SavedAsync(NewChat(), "1001", "1002");

        var redelivered = await Sessions.LoadCountingAsync(saved.Chat, Hit(At, 20, "1001"), default);
        var next = await Sessions.LoadCountingAsync(saved.Chat, Hit(At, 20, "1003"), default);

        Assert.NotNull(redelivered.Session);
        Assert.True(redelivered.Session.HasSeen("1001"));
        Assert.Null(redelivered.Flood);
        Assert.Equal(new FloodCheck(1, false), next.Flood);
    }

    [SkippableTheory]
    [InlineData("a\"b")]
    [InlineData("back\\slash")]
    [InlineData("नमस्ते")]
    [InlineData("<b>&'+`")]
    [InlineData("x],\"y")]
    [InlineData("tab\there")]
    public async Task A_redelivery_is_recognised_whatever_characters_its_id_has(string delivery)
    {
        SkipUnlessAvailable();
        var saved = await SavedAsync(NewChat(), "first", delivery, "last");

        var load = await Sessions.LoadCountingAsync(saved.Chat, Hit(At, 20, delivery), default);

        Assert.True(load.Session!.HasSeen(delivery));
        Assert.Null(load.Flood);
    }

    [SkippableTheory]
    [InlineData("a\",\"b")] // would straddle two remembered ids if quotes were not escaped
    [InlineData("a")] // a prefix of a remembered id
    [InlineData("42")] // the chat's user id, elsewhere in the JSON
    [InlineData("")]
    public async Task A_new_message_is_counted_even_when_its_id_appears_elsewhere_in_the_session(string delivery)
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var session = Session.New(chat, At);
        session.UserId = "42";
        session.RememberDelivery("a\",");
        session.RememberDelivery("\"b");
        session.RememberDelivery("ab");
        Assert.True(await Sessions.TrySaveAsync(session, null, default));

        var load = await Sessions.LoadCountingAsync(chat, Hit(At, 20, delivery), default);

        Assert.False(load.Session!.HasSeen(delivery));
        Assert.Equal(new FloodCheck(1, false), load.Flood);
    }

    [SkippableFact]
    public async Task A_retried_load_counts_its_message_once()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var hit = Hit(At, 20, "7");

        var first = await Sessions.LoadCountingAsync(chat, hit, default);
        var retried = await Sessions.LoadCountingAsync(chat, hit, default);

        Assert.Equal(new FloodCheck(1, false), first.Flood);
        Assert.Equal(new FloodCheck(1, false), retried.Flood);
    }

    [SkippableFact]
    public async Task Forgetting_the_chat_deletes_its_flood_window()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        for (var i = 0; i < 3; i++)
        {
            await Sessions.LoadCountingAsync(chat, Hit(At, 2), default);
        }

        await Sessions.DeleteAsync(chat, default);
        var after = await Sessions.LoadCountingAsync(chat, Hit(At, 2), default);

        Assert.Equal(new FloodCheck(1, false), after.Flood);
    }
}

public sealed class SessionLoadCountingOnRedisServerTests(RedisServerFixture server) : SessionLoadCountingTests(server), IClassFixture<RedisServerFixture>;

public sealed class SessionLoadCountingOnGarnetTests(GarnetFixture server) : SessionLoadCountingTests(server), IClassFixture<GarnetFixture>;
