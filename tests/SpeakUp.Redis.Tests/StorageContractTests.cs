using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using StackExchange.Redis;

namespace SpeakUp.Redis.Tests;

/// <summary>
/// The behaviour both backends must share: the session store and the supporter directory, against a real server.
/// Each derived class runs every test on one backend; each test has its own key prefix.
/// </summary>
public abstract class StorageContractTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = new(2025, 8, 15, 9, 30, 0, TimeSpan.Zero);

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private IDatabase Db => server.Connection.GetDatabase();

    private RedisSessionStore Sessions => new(server.Connection, keys);

    private RedisSupporterDirectory Directory => new(server.Connection, keys);

    [SkippableFact]
    public async Task Saved_session_loads_back_with_every_field_and_version_one()
    {
        SkipUnlessAvailable();
        var session = JoinedSession(NewChat(), "RJ", "hi");
        session.Referrer = "abc";
        session.RememberDelivery("tg:1001");

        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        var loaded = await Sessions.LoadAsync(session.Chat, default);

        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Version);
        Assert.Equal(session.Chat, loaded.Chat);
        Assert.Equal(SessionJson.Serialize(session), SessionJson.Serialize(loaded));
    }

    [SkippableFact]
    public async Task Audit_log_keeps_the_newest_entries_up_to_its_cap()
    {
        SkipUnlessAvailable();
        var audit = new RedisAuditLog(server.Connection, keys, Microsoft.Extensions.Options.Options.Create(new RedisOptions { AuditMaxEntries = 3 }));

        for (var i = 1; i <= 5; i++)
        {
            await audit.RecordAsync(new SpeakUp.Core.Staff.AuditEntry(Now.AddMinutes(i), "tg", "42", "review.approve", "item-" + i, "नमस्ते, \"quoted\""), default);
        }

        var recent = await audit.RecentAsync(10, default);
        Assert.Equal(["item-5", "item-4", "item-3"], recent.Select(e => e.Item));
        Assert.Equal("नमस्ते, \"quoted\"", recent[0].Detail);
        Assert.Equal(Now.AddMinutes(5), recent[0].At);
    }

    [SkippableFact]
    public async Task Load_of_unknown_chat_is_null()
    {
        SkipUnlessAvailable();

        Assert.Null(await Sessions.LoadAsync(NewChat(), default));
    }

    [SkippableFact]
    public async Task Each_save_advances_the_version()
    {
        SkipUnlessAvailable();
        var session = Session.New(NewChat(), Now);

        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        Assert.True(await Sessions.TrySaveAsync(session, null, default));

        Assert.Equal(2, session.Version);
        Assert.Equal(2, (await Sessions.LoadAsync(session.Chat, default))!.Version);
    }

    [SkippableFact]
    public async Task Save_with_stale_version_is_rejected()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        Assert.True(await Sessions.TrySaveAsync(Session.New(chat, Now), null, default));
        var first = (await Sessions.LoadAsync(chat, default))!;
        var second = (await Sessions.LoadAsync(chat, default))!;
        first.FirstName = "first";
        second.FirstName = "second";

        Assert.True(await Sessions.TrySaveAsync(first, null, default));
        Assert.False(await Sessions.TrySaveAsync(second, null, default));

        Assert.Equal(1, second.Version);
        var stored = (await Sessions.LoadAsync(chat, default))!;
        Assert.Equal("first", stored.FirstName);
        Assert.Equal(2, stored.Version);
    }

    [SkippableFact]
    public async Task Save_of_new_session_is_rejected_when_one_exists()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        Assert.True(await Sessions.TrySaveAsync(Session.New(chat, Now), null, default));
        var duplicate = Session.New(chat, Now);
        duplicate.FirstName = "late";

        Assert.False(await Sessions.TrySaveAsync(duplicate, null, default));

        Assert.Null((await Sessions.LoadAsync(chat, default))!.FirstName);
    }

    [SkippableFact]
    public async Task Onboarding_ttl_is_set_and_removed_once_saved_without_ttl()
    {
        SkipUnlessAvailable();
        var session = Session.New(NewChat(), Now);

        Assert.True(await Sessions.TrySaveAsync(session, TimeSpan.FromDays(30), default));
        var ttl = await Db.KeyTimeToLiveAsync(keys.Session(session.Chat));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(29), TimeSpan.FromDays(30));

        session.JoinedAt = Now;
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        Assert.Null(await Db.KeyTimeToLiveAsync(keys.Session(session.Chat)));
        Assert.True(await Db.KeyExistsAsync(keys.Session(session.Chat)));
    }

    [SkippableFact]
    public async Task Rejected_save_leaves_the_ttl_alone()
    {
        SkipUnlessAvailable();
        var session = Session.New(NewChat(), Now);
        Assert.True(await Sessions.TrySaveAsync(session, TimeSpan.FromDays(30), default));
        var stale = (await Sessions.LoadAsync(session.Chat, default))!;
        Assert.True(await Sessions.TrySaveAsync(session, TimeSpan.FromDays(30), default));

        Assert.False(await Sessions.TrySaveAsync(stale, null, default));

        Assert.NotNull(await Db.KeyTimeToLiveAsync(keys.Session(session.Chat)));
    }

    [SkippableFact]
    public async Task Delete_removes_every_key_of_the_chat()
    {
        SkipUnlessAvailable();
        var session = Session.New(NewChat(), Now);
        Assert.True(await Sessions.TrySaveAsync(session, null, default));

        await Sessions.DeleteAsync(session.Chat, default);

        Assert.Null(await Sessions.LoadAsync(session.Chat, default));
        foreach (var key in keys.ChatKeys(session.Chat))
        {
            Assert.False(await Db.KeyExistsAsync(key));
        }

        Assert.True(await Sessions.TrySaveAsync(Session.New(session.Chat, Now), null, default));
    }

    [SkippableFact]
    public async Task Fifty_concurrent_updates_of_one_chat_lose_nothing()
    {
        SkipUnlessAvailable();
        const int Writers = 50;
        var chat = NewChat();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var conflicts = 0;

        var writers = Enumerable.Range(0, Writers).Select(async _ =>
        {
            await go.Task;
            while (true)
            {
                var session = await Sessions.LoadAsync(chat, default) ?? Session.New(chat, Now);
                session.StatePage++;
                if (await Sessions.TrySaveAsync(session, TimeSpan.FromDays(1), default))
                {
                    return;
                }

                Interlocked.Increment(ref conflicts);
            }
        }).ToArray();
        go.SetResult();
        await Task.WhenAll(writers);

        var stored = (await Sessions.LoadAsync(chat, default))!;
        Assert.Equal(Writers, stored.StatePage);
        Assert.Equal(Writers, stored.Version);
    }

    [SkippableFact]
    public async Task Joining_adds_the_supporter_to_every_index()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var joined = JoinedSession(chat, "RJ", "hi").Snapshot();

        await Directory.ApplyAsync(null, joined, default);

        Assert.Equal(new SupporterCounts(1, 1, 0), await Directory.CountAsync(default));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), await Db.SortedSetScoreAsync(keys.SupportersJoined, RedisKeys.Member(chat)));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("RJ"), RedisKeys.Member(chat)));
        Assert.True(await Db.SetContainsAsync(keys.SupportersWithLanguage("hi"), RedisKeys.Member(chat)));
    }

    [SkippableFact]
    public async Task Moving_state_rj_to_up_moves_the_supporter_between_state_sets()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var inRajasthan = JoinedSession(chat, "RJ", "hi").Snapshot();
        var inUttarPradesh = inRajasthan with { StateCode = "UP" };
        await Directory.ApplyAsync(null, inRajasthan, default);

        await Directory.ApplyAsync(inRajasthan, inUttarPradesh, default);

        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("RJ"), RedisKeys.Member(chat)));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("UP"), RedisKeys.Member(chat)));
        Assert.Equal(new SupporterCounts(1, 1, 0), await Directory.CountAsync(default));
    }

    [SkippableFact]
    public async Task Becoming_unreachable_stops_prompts_and_counts_as_unreachable()
    {
        SkipUnlessAvailable();
        var session = JoinedSession(NewChat(), "RJ", "hi");
        var reachable = session.Snapshot();
        session.Unreachable = true;
        var unreachable = session.Snapshot();
        await Directory.ApplyAsync(null, reachable, default);

        await Directory.ApplyAsync(reachable, unreachable, default);

        Assert.Equal(new SupporterCounts(1, 0, 1), await Directory.CountAsync(default));
    }

    [SkippableFact]
    public async Task Forgetting_removes_the_supporter_from_every_index()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var other = JoinedSession(NewChat(), "RJ", "hi").Snapshot();
        var joined = JoinedSession(chat, "RJ", "hi").Snapshot() with { Unreachable = true };
        await Directory.ApplyAsync(null, other, default);
        await Directory.ApplyAsync(null, joined, default);

        await Directory.ApplyAsync(joined, null, default);

        Assert.Equal(new SupporterCounts(1, 1, 0), await Directory.CountAsync(default));
        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("RJ"), RedisKeys.Member(chat)));
        Assert.False(await Db.SetContainsAsync(keys.SupportersWithLanguage("hi"), RedisKeys.Member(chat)));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("RJ"), RedisKeys.Member(other.Chat)));
    }

    [SkippableFact]
    public async Task Applying_the_same_snapshot_twice_changes_nothing()
    {
        SkipUnlessAvailable();
        var joined = JoinedSession(NewChat(), "DL", "en").Snapshot();
        await Directory.ApplyAsync(null, joined, default);

        await Directory.ApplyAsync(joined, joined, default);
        await Directory.ApplyAsync(null, joined, default);

        Assert.Equal(new SupporterCounts(1, 1, 0), await Directory.CountAsync(default));
    }

    [SkippableFact]
    public async Task Supporters_still_onboarding_are_not_indexed()
    {
        SkipUnlessAvailable();
        var onboarding = Session.New(NewChat(), Now);
        onboarding.Language = "hi";
        onboarding.StateCode = "RJ";
        onboarding.OptedIn = true;

        await Directory.ApplyAsync(null, onboarding.Snapshot(), default);

        Assert.Equal(new SupporterCounts(0, 0, 0), await Directory.CountAsync(default));
        Assert.False(await Db.KeyExistsAsync(keys.SupportersInState("RJ")));
    }

    [SkippableFact]
    public async Task A_completed_move_leaves_no_record_to_repair()
    {
        SkipUnlessAvailable();
        var session = JoinedSession(NewChat(), "RJ", "hi");
        var before = session.Snapshot();
        await Directory.ApplyAsync(null, before, default);
        session.StateCode = "UP";

        await Directory.BeginMoveAsync(session.Chat, before, "m1", Now, default);
        var recorded = await Db.HashGetAsync(keys.SupporterMoves.Records, session.Chat + "|m1");
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        await Directory.ApplyAsync(before, session.Snapshot(), "m1", default);

        Assert.Contains(keys.SupportersInState("RJ").ToString(), recorded.ToString().Split('\n'));
        Assert.False(await Db.KeyExistsAsync(keys.SupporterMoves.Records));
        Assert.False(await Db.KeyExistsAsync(keys.SupporterMoves.ByTime));
        Assert.Equal(0, await Repair(Now.AddHours(1)).RepairDueAsync(default));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("UP"), RedisKeys.Member(session.Chat)));
        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("RJ"), RedisKeys.Member(session.Chat)));
    }

    [SkippableFact]
    public async Task A_move_killed_after_the_session_save_is_repaired_from_the_session_once_its_grace_is_over()
    {
        SkipUnlessAvailable();

        // Joined in Rajasthan and receiving prompts; then "stop" and a move to Uttar Pradesh are saved, and the process
        // dies before the index move: the indexes still say Rajasthan and prompts.
        var session = JoinedSession(NewChat(), "RJ", "hi");
        var before = session.Snapshot();
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        await Directory.ApplyAsync(null, before, default);
        session.OptedIn = false;
        session.StateCode = "UP";
        await Directory.BeginMoveAsync(session.Chat, before, "killed", Now, default);
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        var member = RedisKeys.Member(session.Chat);
        var staleBeforeRepair = await Db.SetContainsAsync(keys.SupportersReceivingPrompts, member);

        var early = await Repair(Now + SupporterIndexRepair.Grace - TimeSpan.FromSeconds(1)).RepairDueAsync(default);
        var repaired = await Repair(Now + SupporterIndexRepair.Grace + TimeSpan.FromSeconds(1)).RepairDueAsync(default);

        Assert.True(staleBeforeRepair);
        Assert.Equal((0, 1), (early, repaired));
        Assert.False(await Db.SetContainsAsync(keys.SupportersReceivingPrompts, member));
        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("RJ"), member));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("UP"), member));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), await Db.SortedSetScoreAsync(keys.SupportersJoined, member));
        Assert.False(await Db.KeyExistsAsync(keys.SupporterMoves.Records));
        Assert.False(await Db.KeyExistsAsync(keys.SupporterMoves.ByTime));
        Assert.Equal(new SupporterCounts(1, 0, 0), await Directory.CountAsync(default));
    }

    [SkippableFact]
    public async Task A_forget_killed_after_the_session_delete_takes_the_chat_out_of_every_index()
    {
        SkipUnlessAvailable();
        var session = JoinedSession(NewChat(), "MH", "en");
        session.JoinCampaign("farmers-2025-08");
        var before = session.Snapshot();
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        await Directory.ApplyAsync(null, before, default);
        await Directory.BeginMoveAsync(session.Chat, before, "forget", Now, default);
        await Sessions.DeleteAsync(session.Chat, default);

        Assert.Equal(1, await Repair(Now.AddMinutes(10)).RepairDueAsync(default));

        var member = RedisKeys.Member(session.Chat);
        foreach (var key in new[] { keys.SupportersReceivingPrompts, keys.SupportersInState("MH"), keys.SupportersWithLanguage("en"), keys.SupportersInCampaign("farmers-2025-08") })
        {
            Assert.False(await Db.SetContainsAsync(key, member), key.ToString());
        }

        Assert.Null(await Db.SortedSetScoreAsync(keys.SupportersJoined, member));
        Assert.Equal(new SupporterCounts(0, 0, 0), await Directory.CountAsync(default));
        Assert.False(await Db.KeyExistsAsync(keys.SupporterMoves.Records));
    }

    [SkippableFact]
    public async Task A_later_completed_move_and_the_repair_of_an_earlier_killed_one_end_where_the_session_is()
    {
        SkipUnlessAvailable();

        // RJ → UP is saved and killed before its index move; UP → MH then completes normally (its move removes UP, which
        // was never added, and adds MH). The indexes hold RJ and MH until the repair, which leaves MH only.
        var session = JoinedSession(NewChat(), "RJ", "hi");
        var inRajasthan = session.Snapshot();
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        await Directory.ApplyAsync(null, inRajasthan, default);
        session.StateCode = "UP";
        await Directory.BeginMoveAsync(session.Chat, inRajasthan, "killed", Now, default);
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        var inUttarPradesh = session.Snapshot();
        session.StateCode = "MH";
        await Directory.BeginMoveAsync(session.Chat, inUttarPradesh, "completed", Now.AddSeconds(5), default);
        Assert.True(await Sessions.TrySaveAsync(session, null, default));
        await Directory.ApplyAsync(inUttarPradesh, session.Snapshot(), "completed", default);
        var member = RedisKeys.Member(session.Chat);
        var beforeRepair = (await Db.SetContainsAsync(keys.SupportersInState("RJ"), member), await Db.SetContainsAsync(keys.SupportersInState("MH"), member));

        Assert.Equal(1, await Repair(Now.AddMinutes(10)).RepairDueAsync(default));

        Assert.Equal((true, true), beforeRepair);
        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("RJ"), member));
        Assert.False(await Db.SetContainsAsync(keys.SupportersInState("UP"), member));
        Assert.True(await Db.SetContainsAsync(keys.SupportersInState("MH"), member));
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.SupporterMoves.ByTime));
    }

    private SupporterIndexRepair Repair(DateTimeOffset now) =>
        new(Directory, Sessions, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now), Microsoft.Extensions.Logging.Abstractions.NullLogger<SupporterIndexRepair>.Instance);

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    private static ChatKey NewChat() => new("tg", Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Session JoinedSession(ChatKey chat, string stateCode, string language)
    {
        var session = Session.New(chat, Now);
        session.State = SupporterState.Joined;
        session.Language = language;
        session.StateCode = stateCode;
        session.OptedIn = true;
        session.JoinedAt = Now;
        session.FirstName = "Asha";
        return session;
    }
}

public sealed class StorageOnRedisServerTests(RedisServerFixture server) : StorageContractTests(server), IClassFixture<RedisServerFixture>;

public sealed class StorageOnGarnetTests(GarnetFixture server) : StorageContractTests(server), IClassFixture<GarnetFixture>;
