using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpeakUp.Core;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis.Admin;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;

namespace SpeakUp.Redis.Tests.Admin;

/// <summary>The roster, stats, referrals and export against a real server; every test has its own key prefix.</summary>
public abstract class AdminStorageTests(RedisTestServer server)
{
    /// <summary>26 November 2026, 15:00 in India.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static readonly ILocalizer Localizer = JsonLocalizer.FromDirectory(Path.Combine(RepoPaths.Root, "config", "locales"), "hi");

    private readonly RedisKeys keys = new(RedisTestServer.NewKeyPrefix());

    private readonly FakeTimeProvider time = new(Now);

    private TodayClock Clock => new(time, India);

    [SkippableFact]
    public async Task Roster_is_seeded_from_configuration_owners_and_moderators()
    {
        SkipUnlessAvailable();
        using var roles = Roles(owners: ["100"], moderators: ["200"]);

        Assert.True((await roles.GetAsync("tg", "100", default)).IsOwner);
        Assert.True((await roles.GetAsync("tg", "200", default)).IsModerator);
        Assert.False((await roles.GetAsync("tg", "300", default)).IsStaff);
        Assert.False((await roles.GetAsync("tg", null, default)).IsStaff);
    }

    [SkippableFact]
    public async Task Moderator_removed_in_chat_stays_removed_after_a_restart_and_dropped_owner_loses_the_role()
    {
        SkipUnlessAvailable();
        using (var first = Roles(owners: ["100", "101"], moderators: ["200"]))
        {
            Assert.True(await first.RemoveAsync("200", default));
        }

        using var second = Roles(owners: ["100"], moderators: ["200"]);

        Assert.False((await second.GetAsync("tg", "200", default)).IsStaff);
        Assert.False((await second.GetAsync("tg", "101", default)).IsStaff);
        Assert.True((await second.GetAsync("tg", "100", default)).IsOwner);
    }

    [SkippableFact]
    public async Task Coordinator_added_on_one_instance_is_known_to_another_through_pub_sub()
    {
        SkipUnlessAvailable();
        using var here = Roles(owners: ["100"]);
        using var there = Roles(owners: ["100"]);
        Assert.False((await there.GetAsync("tg", "300", default)).IsStaff);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        there.Reloaded += () => reloaded.TrySetResult();

        await here.SetAsync(new StaffMember("300", StaffRole.Coordinator, ["RJ", "UP"], "100", Now), default);
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var roles = await there.GetAsync("tg", "300", default);
        Assert.Equal(["RJ", "UP"], roles.CoordinatorStates);
        Assert.True(roles.CanBroadcastTo(["RJ"]));
        Assert.False(roles.CanBroadcastTo(["DL"]));
    }

    [SkippableFact]
    public async Task Owner_role_cannot_be_written_from_chat()
    {
        SkipUnlessAvailable();
        using var roles = Roles(owners: ["100"]);

        await Assert.ThrowsAsync<ArgumentException>(() => roles.SetAsync(new StaffMember("5", StaffRole.Owner, [], "100", Now), default));
    }

    [SkippableFact]
    public async Task Stats_stay_exact_under_a_thousand_concurrent_joins()
    {
        SkipUnlessAvailable();
        var directory = new RedisSupporterDirectory(server.Connection, keys);
        string[] states = ["RJ", "UP", "BR", "DL"];
        var joins = Enumerable.Range(0, 1000).Select(i =>
        {
            // Spread over the last 10 days (in India's time), 4 states, 2 languages; every 10th does not want prompts.
            var session = Joined(new ChatKey("tg", (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), states[i % 4], i % 3 == 0 ? "en" : "hi", Now.AddDays(-(i % 10)));
            session.OptedIn = i % 10 != 0;
            return session.Snapshot();
        }).ToList();

        using var start = new SemaphoreSlim(0);
        var tasks = joins.Select(async s =>
        {
            await start.WaitAsync();
            await directory.ApplyAsync(null, s, default);
        }).ToList();
        start.Release(joins.Count);
        await Task.WhenAll(tasks);

        var stats = await new RedisStatsReader(server.Connection, keys, Localizer).ReadAsync(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, India).DateTime), India, 30, default);

        Assert.Equal(1000, stats.Supporters);
        Assert.Equal(900, stats.ReceivingPrompts);
        Assert.Equal(100, stats.JoinsToday);
        Assert.Equal(700, stats.JoinsLast(7));
        Assert.Equal(1000, stats.JoinsLast(30));
        Assert.Equal(30, stats.JoinsPerDay.Count);
        Assert.All(stats.ByState, s => Assert.Equal(250, s.Count));
        Assert.Equal(["BR", "DL", "RJ", "UP"], stats.ByState.Select(s => s.Key));
        Assert.Equal(334, stats.ByLanguage.Single(l => l.Key == "en").Count);
        Assert.Equal(666, stats.ByLanguage.Single(l => l.Key == "hi").Count);
    }

    [SkippableFact]
    public async Task A_join_is_counted_on_the_day_it_happened_in_the_bots_time_zone()
    {
        SkipUnlessAvailable();
        var directory = new RedisSupporterDirectory(server.Connection, keys);

        // 20:00 UTC on the 25th is 01:30 on the 26th in India: today, not yesterday.
        await directory.ApplyAsync(null, Joined(NewChat(), "RJ", "hi", new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero)).Snapshot(), default);
        var stats = await new RedisStatsReader(server.Connection, keys, Localizer).ReadAsync(new DateOnly(2026, 11, 26), India, 30, default);

        Assert.Equal(1, stats.JoinsToday);
    }

    [SkippableFact]
    public async Task A_join_through_a_referral_link_is_credited_once()
    {
        SkipUnlessAvailable();
        var referrals = new RedisReferrals(server.Connection, keys, Clock);
        var directory = new RedisSupporterDirectory(server.Connection, keys, referrals);
        var recruiter = NewChat();
        var code = await referrals.GetOrCreateCodeAsync(recruiter, default);
        Assert.Equal(code, await referrals.GetOrCreateCodeAsync(recruiter, default));

        var friend = Joined(NewChat(), "RJ", "hi", Now);
        friend.Referrer = code;
        await directory.ApplyAsync(null, friend.Snapshot(), default);
        await directory.ApplyAsync(null, friend.Snapshot(), default); // a retried index update
        await directory.ApplyAsync(friend.Snapshot(), null, default); // /forgetme…
        await directory.ApplyAsync(null, friend.Snapshot(), default); // …and joins again
        var self = Joined(recruiter, "RJ", "hi", Now);
        self.Referrer = code;
        await directory.ApplyAsync(null, self.Snapshot(), default); // own link: no credit

        var week = Assert.Single(await referrals.TopAsync(thisWeek: true, 10, default));
        var all = Assert.Single(await referrals.TopAsync(thisWeek: false, 10, default));
        Assert.Equal(1, week.Count);
        Assert.Equal(1, all.Count);
        Assert.Equal(recruiter.ToString(), all.Member);
        Assert.Null(all.FirstName);

        await referrals.SetShownNameAsync(recruiter, "सुनीता", default);
        Assert.Equal("सुनीता", (await referrals.TopAsync(false, 10, default))[0].FirstName);
    }

    [SkippableFact]
    public async Task Forgetting_a_recruiter_removes_their_code_and_leaderboard_places()
    {
        SkipUnlessAvailable();
        var referrals = new RedisReferrals(server.Connection, keys, Clock);
        var directory = new RedisSupporterDirectory(server.Connection, keys, referrals);
        var recruiter = Joined(NewChat(), "RJ", "hi", Now);
        await directory.ApplyAsync(null, recruiter.Snapshot(), default);
        var code = await referrals.GetOrCreateCodeAsync(recruiter.Chat, default);
        var friend = Joined(NewChat(), "RJ", "hi", Now);
        friend.Referrer = code;
        await directory.ApplyAsync(null, friend.Snapshot(), default);

        await directory.ApplyAsync(recruiter.Snapshot(), null, default);

        Assert.Empty(await referrals.TopAsync(thisWeek: false, 10, default));
        Assert.Empty(await referrals.TopAsync(thisWeek: true, 10, default));
        Assert.NotEqual(code, await referrals.GetOrCreateCodeAsync(recruiter.Chat, default));
    }

    [SkippableFact]
    public async Task Export_of_some_states_yields_only_their_supporters()
    {
        SkipUnlessAvailable();
        var sessions = new RedisSessionStore(server.Connection, keys);
        var directory = new RedisSupporterDirectory(server.Connection, keys);
        foreach (var (state, n) in new[] { ("RJ", 300), ("UP", 5), ("DL", 7) })
        {
            for (var i = 0; i < n; i++)
            {
                var session = Joined(NewChat(), state, "hi", Now);
                Assert.True(await sessions.TrySaveAsync(session, null, default));
                await directory.ApplyAsync(null, session.Snapshot(), default);
            }
        }

        var export = new RedisSupporterExport(server.Connection, keys, sessions);
        var some = await export.ReadAsync(["RJ", "UP"], default).ToListAsync();
        var all = await export.ReadAsync(null, default).ToListAsync();

        Assert.Equal(305, some.Count);
        Assert.All(some, r => Assert.Contains(r.StateCode, new[] { "RJ", "UP" }));
        Assert.Equal(312, all.Count);
        Assert.Equal(312, all.Select(r => r.Id).Distinct().Count());
    }

    private RedisRoleDirectory Roles(string[] owners, string[]? moderators = null) => new(
        server.Connection,
        keys,
        Options.Create(new BotOptions { AdminIds = owners, ModeratorIds = moderators ?? [] }),
        time,
        NullLogger<RedisRoleDirectory>.Instance);

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);

    private static ChatKey NewChat() => new("tg", Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Session Joined(ChatKey chat, string state, string language, DateTimeOffset at)
    {
        var session = Session.New(chat, at);
        session.State = SupporterState.Joined;
        session.Language = language;
        session.StateCode = state;
        session.OptedIn = true;
        session.JoinedAt = at;
        session.FirstName = "सुनीता, \"Sunita\"";
        return session;
    }
}

public sealed class AdminStorageOnRedisServerTests(RedisServerFixture server) : AdminStorageTests(server), IClassFixture<RedisServerFixture>;

public sealed class AdminStorageOnGarnetTests(GarnetFixture server) : AdminStorageTests(server), IClassFixture<GarnetFixture>;
