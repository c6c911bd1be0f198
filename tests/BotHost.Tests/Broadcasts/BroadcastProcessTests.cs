using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;
using Xunit.Abstractions;

namespace BotHost.Tests.Broadcasts;

/// <summary>
/// BotHost as separate OS processes on one redis-server and one fake Bot API: SIGKILL mid-job, and three instances on one
/// job. Recipients are seeded through an in-process host on the same key prefix whose broadcast workers are off.
/// </summary>
[Collection(OnRedisServer.Name)]
public sealed class BroadcastProcessTests(RedisServerFixture redis, ITestOutputHelper output)
{
    private const int Workers = 8;

    private const int BatchSize = 4;

    private static Dictionary<string, string?> ProcessSettings(FakeTelegramServer telegram, RedisTestServer redis, string prefix) => new(BotHostHarness.BaseSettings(telegram, redis, prefix))
    {
        ["Admin:ApiKey"] = Supporters.ApiKey,
        ["Web:Enabled"] = "false",
        ["Broadcast:PaidBroadcast"] = "true",
        ["Broadcast:MaxPerSecond"] = "200",
        ["Broadcast:LeaseSeconds"] = "3",
        ["Broadcast:Workers"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Broadcast:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Broadcast:PollMilliseconds"] = "50",
        ["Broadcast:DailyPrompts"] = "false",
    };

    private async Task<(long[] Ids, HashSet<long> Blocked)> SeedAsync(FakeTelegramServer telegram, string prefix, long first, int count)
    {
        await using var seeder = await BotHostHarness.StartAsync(redis, s => s["Broadcast:Enabled"] = "false", prefix);
        var ids = Enumerable.Range(0, count).Select(i => first + i).ToArray();
        var blocked = ids.Where((_, i) => i % 20 == 3).ToHashSet();
        foreach (var b in blocked)
        {
            telegram.BlockChat(b);
        }

        await Supporters.SeedAsync(seeder.App.Services.GetRequiredService<ISessionStore>(), seeder.App.Services.GetRequiredService<ISupporterDirectory>(), ids);
        return (ids, blocked);
    }

    [SkippableFact]
    public async Task A_host_killed_mid_broadcast_and_restarted_finishes_it_without_sending_anyone_twice()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var telegram = await FakeTelegramServer.StartAsync();
        telegram.RateLimit = new FakeTelegramRateLimit { PaidPerSecond = 200 };
        var prefix = RedisTestServer.NewKeyPrefix();
        var (ids, blocked) = await SeedAsync(telegram, prefix, 81_000_000, 2000);
        var settings = ProcessSettings(telegram, redis, prefix);

        string id;
        await using (var first = await BotHostProcess.StartAsync(settings))
        {
            using var admin = Supporters.Admin(first.BaseAddress);
            id = await Supporters.CreateBroadcastAsync(admin, "#SpeakUpForFarmers");
            await telegram.WaitForCallsAsync("sendMessage", 500, timeout: TimeSpan.FromSeconds(60));
            first.Kill();
        }

        var sentBeforeRestart = telegram.CallsTo("sendMessage").Count;
        await using var second = await BotHostProcess.StartAsync(settings);
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), prefix, id, TimeSpan.FromMinutes(2));
        var outcomes = await Supporters.OutcomesAsync(redis.Connection.GetDatabase(), prefix, id);

        output.WriteLine($"killed after {sentBeforeRestart} sends; {string.Join(", ", meta.Where(m => m.Key != "def"))}");
        Assert.All(ids, chat => Assert.InRange(telegram.MessagesTo(chat).Count, 0, 1));
        var unknown = outcomes.Where(o => o.Value == "x").Select(o => long.Parse(o.Key[3..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        // Each worker holds at most one batch: claimed, being sent, or sent and not yet recorded.
        Assert.InRange(unknown.Count, 0, Workers * BatchSize);
        Assert.All(ids.Where(c => !blocked.Contains(c) && !unknown.Contains(c)), chat => Assert.Single(telegram.MessagesTo(chat)));
        Assert.All(blocked.Where(c => !unknown.Contains(c)), chat => Assert.Equal("u", outcomes[$"tg:{chat}"]));
        Assert.Equal(2000, outcomes.Count);
        output.WriteLine($"429s from the fake: {telegram.RateLimit.Violations} (each paused every instance and was resent once)");
    }

    [SkippableFact]
    public async Task Three_host_processes_share_one_broadcast_and_nobody_gets_it_twice()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var telegram = await FakeTelegramServer.StartAsync();
        telegram.RateLimit = new FakeTelegramRateLimit { PaidPerSecond = 200 };
        var prefix = RedisTestServer.NewKeyPrefix();
        var (ids, blocked) = await SeedAsync(telegram, prefix, 82_000_000, 1500);
        var settings = ProcessSettings(telegram, redis, prefix);
        await using var a = await BotHostProcess.StartAsync(settings);
        await using var b = await BotHostProcess.StartAsync(settings);
        await using var c = await BotHostProcess.StartAsync(settings);

        using var admin = Supporters.Admin(b.BaseAddress);
        var id = await Supporters.CreateBroadcastAsync(admin, "#SpeakUpForFarmers");
        var meta = await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), prefix, id, TimeSpan.FromMinutes(2));

        output.WriteLine(string.Join(", ", meta.Where(m => m.Key != "def")));
        Assert.All(ids, chat => Assert.Equal(blocked.Contains(chat) ? 0 : 1, telegram.MessagesTo(chat).Count));
        Assert.Equal(("1500", "75", "0"), (meta["total"], meta["unreachable"], meta["unknown"]));
        Assert.All(telegram.CallsTo("sendMessage"), call => Assert.Equal("true", call["allow_paid_broadcast"]?.ToString().ToLowerInvariant()));

        // Three processes on two cores with the test runner: a scheduling hiccup can bunch sends past the fake's window.
        // That is a 429, a shared pause and a resend, never a duplicate; the single-host tests hold the limit exactly.
        output.WriteLine($"429s from the fake: {telegram.RateLimit.Violations}");
    }
}
