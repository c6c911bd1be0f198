using System.Globalization;
using BotHost.Tests.Broadcasts;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Admin;

/// <summary>/stats shows the last broadcasts' delivery, after real broadcasts ran through the host and the fake Bot API.</summary>
[Collection(OnRedisServer.Name)]
public sealed class StatsBroadcastsEndToEndTests(RedisServerFixture redis)
{
    private const long Owner = 8_500_001;
    private const long Coordinator = 8_500_002;

    [SkippableFact]
    public async Task Stats_show_the_last_broadcasts_delivery_and_a_coordinator_sees_only_those_for_their_states()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
            s["Admin:ApiKey"] = Supporters.ApiKey;
            s["Broadcast:DailyPrompts"] = "false";
            s["Broadcast:PollMilliseconds"] = "50";
        });
        var sessions = host.App.Services.GetRequiredService<ISessionStore>();
        var directory = host.App.Services.GetRequiredService<ISupporterDirectory>();
        await Supporters.SeedAsync(sessions, directory, [8_510_001, 8_510_002, 8_510_003], state: "RJ");
        await Supporters.SeedAsync(sessions, directory, [8_520_001, 8_520_002], state: "UP");
        host.Telegram.BlockChat(8_510_003);
        Assert.Contains("राजस्थान", Assert.Single(await host.SayAsync(Owner, $"/admins add {Coordinator} coordinator RJ")).VisibleText);
        using var admin = Supporters.Admin(host.BaseAddress);

        var rajasthan = await Supporters.CreateBroadcastAsync(admin, "जयपुर में कल 11 बजे", new { states = new[] { "RJ" } });
        await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, rajasthan, TimeSpan.FromMinutes(1));
        var country = await Supporters.CreateBroadcastAsync(admin, "सब एक साथ #SpeakUpForFarmers");
        await Supporters.WaitForFinishAsync(redis.Connection.GetDatabase(), host.KeyPrefix, country, TimeSpan.FromMinutes(1));

        var owner = Assert.Single(await host.SayAsync(Owner, "/stats")).VisibleText;
        var coordinator = Assert.Single(await host.SayAsync(Coordinator, "/stats")).VisibleText;

        Assert.Contains("पिछले प्रसारण:", owner);
        Assert.Contains($"{rajasthan} — संदेश, पूरा हुआ", owner);
        Assert.Contains("भेजे गए 2 · असफल 0 · पहुँच से बाहर 1 · पता नहीं 0 · बाकी 0 (कुल 3)", owner);

        // The blocked supporter was marked unreachable by the first broadcast, so the second one skipped them.
        Assert.Contains($"{country} — संदेश, पूरा हुआ", owner);
        Assert.Contains("भेजे गए 4 · असफल 0 · पहुँच से बाहर 0 · पता नहीं 0 · बाकी 0 (कुल 4)", owner);
        Assert.True(owner.IndexOf(country, StringComparison.Ordinal) < owner.IndexOf(rajasthan, StringComparison.Ordinal), owner);

        Assert.Contains($"{rajasthan} — संदेश, पूरा हुआ", coordinator);
        Assert.DoesNotContain(country, coordinator);
    }
}
