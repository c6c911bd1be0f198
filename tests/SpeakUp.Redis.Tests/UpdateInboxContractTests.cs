using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>The Telegram update inbox (<see cref="RedisUpdateInbox"/>) against a real server; each derived class is one backend.</summary>
public abstract class UpdateInboxContractTests(RedisTestServer server)
{
    private const string Source = "tg:123456789";

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private RedisUpdateInbox NewInbox() => new(server.Connection, keys);

    private RedisKey Key(string source = Source) => $"{keys.Prefix}{{inbox:{source}}}:updates";

    private static InboxUpdate Update(long id, string text = "नमस्ते") =>
        new(id, $$$"""{"update_id":{{{id}}},"message":{"message_id":1,"date":0,"chat":{"id":42,"type":"private"},"text":"{{{text}}} \"quoted\""}}""");

    [SkippableFact]
    public async Task A_batch_put_before_a_restart_is_pending_after_it_in_update_id_order()
    {
        SkipUnlessAvailable();
        InboxUpdate[] batch = [Update(10_000_030), Update(10_000_010, "second"), Update(10_000_020)];
        await NewInbox().PutAsync(Source, batch, [], default);

        // A new instance, as a restarted host would have: nothing is held in memory.
        var pending = await NewInbox().PendingAsync(Source, default);

        Assert.Equal([batch[1], batch[2], batch[0]], pending);
    }

    [SkippableFact]
    public async Task Done_removes_a_group_at_once_and_ignores_ids_that_are_not_there()
    {
        SkipUnlessAvailable();
        var inbox = NewInbox();
        await inbox.PutAsync(Source, [Update(1), Update(2), Update(3), Update(4), Update(5)], [], default);

        await inbox.DoneAsync(Source, [1, 3, 99], default);
        Assert.Equal([2L, 4L, 5L], (await inbox.PendingAsync(Source, default)).Select(u => u.Id));

        await inbox.DoneAsync(Source, [2, 4, 5, 3], default);
        Assert.Empty(await inbox.PendingAsync(Source, default));
        Assert.False(await server.Connection.GetDatabase().KeyExistsAsync(Key()));
    }

    [SkippableFact]
    public async Task A_put_removes_the_updates_handled_since_the_last_one_in_the_same_step()
    {
        SkipUnlessAvailable();
        var inbox = NewInbox();
        await inbox.PutAsync(Source, [Update(1), Update(2), Update(3)], [], default);

        await inbox.PutAsync(Source, [Update(4), Update(5)], [1, 3, 42], default);
        var afterFirst = (await inbox.PendingAsync(Source, default)).Select(u => u.Id).ToArray();
        await inbox.PutAsync(Source, [], [2, 4, 5], default);

        Assert.Equal([2L, 4L, 5L], afterFirst);
        Assert.Empty(await inbox.PendingAsync(Source, default));
    }

    [SkippableFact]
    public async Task Done_for_an_inbox_that_never_existed_is_harmless()
    {
        SkipUnlessAvailable();
        var inbox = NewInbox();

        await inbox.DoneAsync("tg:1", [7, 8], default);
        await inbox.DoneAsync("tg:1", [], default);

        Assert.Empty(await inbox.PendingAsync("tg:1", default));
        Assert.False(await server.Connection.GetDatabase().KeyExistsAsync(Key("tg:1")));
    }

    [SkippableFact]
    public async Task Putting_an_update_again_keeps_one_entry_with_the_latest_json()
    {
        SkipUnlessAvailable();
        var inbox = NewInbox();
        await inbox.PutAsync(Source, [Update(5, "first")], [], default);

        await inbox.PutAsync(Source, [Update(5, "again"), Update(6)], [], default);

        Assert.Equal([Update(5, "again"), Update(6)], await inbox.PendingAsync(Source, default));
    }

    [SkippableFact]
    public async Task Sources_are_kept_apart_each_under_its_own_hash_tag()
    {
        SkipUnlessAvailable();
        var inbox = NewInbox();
        await inbox.PutAsync("tg:1", [Update(100)], [], default);
        await inbox.PutAsync("tg:2", [Update(100, "other bot"), Update(101)], [], default);

        await inbox.DoneAsync("tg:1", [101], default);

        Assert.Equal([Update(100)], await inbox.PendingAsync("tg:1", default));
        Assert.Equal([100L, 101L], (await inbox.PendingAsync("tg:2", default)).Select(u => u.Id));
        Assert.True(await server.Connection.GetDatabase().KeyExistsAsync(Key("tg:2")));
    }

    [SkippableFact]
    public async Task An_inbox_expires_a_day_after_its_last_put_so_an_abandoned_one_cannot_stay()
    {
        SkipUnlessAvailable();
        await NewInbox().PutAsync(Source, [Update(1)], [], default);

        var ttl = await server.Connection.GetDatabase().KeyTimeToLiveAsync(Key());

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    [SkippableFact]
    public async Task A_source_that_would_change_the_hash_tag_is_refused()
    {
        SkipUnlessAvailable();

        await Assert.ThrowsAsync<ArgumentException>(() => NewInbox().PutAsync("tg}:{x", [Update(1)], [], default));
    }

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);
}

public sealed class UpdateInboxOnRedisServerTests(RedisServerFixture server) : UpdateInboxContractTests(server), IClassFixture<RedisServerFixture>;

public sealed class UpdateInboxOnGarnetTests(GarnetFixture server) : UpdateInboxContractTests(server), IClassFixture<GarnetFixture>;
