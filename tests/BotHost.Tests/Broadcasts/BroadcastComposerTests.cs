using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Broadcasts;

/// <summary>Composing a broadcast in Telegram, as an admin and as someone who is not one.</summary>
[Collection(OnRedisServer.Name)]
public sealed class BroadcastComposerTests(RedisServerFixture redis)
{
    private const long AdminId = 93_999_001;

    private Task<BotHostHarness> StartAsync() => BotHostHarness.StartAsync(redis, s =>
    {
        s["Bot:AdminIds:0"] = AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Broadcast:DailyPrompts"] = "false";
        s["Broadcast:PollMilliseconds"] = "50";
        s["Broadcast:ProgressSeconds"] = "3";
    });

    [SkippableFact]
    public async Task An_admin_composes_previews_and_sends_and_the_preview_turns_into_the_final_report()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        var ids = Enumerable.Range(0, 40).Select(i => 93_000_000L + i).ToArray();
        await Supporters.SeedAsync(host.App.Services.GetRequiredService<ISessionStore>(), host.App.Services.GetRequiredService<ISupporterDirectory>(), ids);

        var ask = await host.SayAsync(AdminId, "/broadcast");
        var audience = await host.SayAsync(AdminId, "Kal 11 baje sab ek saath!\nButton: Petition | https://example.org/p");
        var preview = await host.PressAsync(audience[0], "bc:all", replies: 2);
        var report = await host.PressAsync(preview[1], "bc:now", replies: 1);

        Assert.Contains("प्रसारण", ask[0].Text);
        Assert.Equal("Kal 11 baje sab ek saath!", preview[0].Text);
        Assert.Contains("https://example.org/p", preview[0].ReplyMarkup!.ToJsonString());
        Assert.Contains("40", preview[1].Text);
        Assert.Contains("पूरा हो गया", report[0].Text);
        Assert.Contains("भेजे गए 40", host.Telegram.GetMessage(AdminId, preview[1].MessageId)!.Text);
        Assert.All(ids, chat => Assert.Contains("example.org/p", Assert.Single(host.Telegram.MessagesTo(chat)).ReplyMarkup!.ToJsonString()));
    }

    [SkippableFact]
    public async Task A_supporter_cannot_broadcast_by_command_or_by_a_forged_button()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var host = await StartAsync();
        const long supporter = 93_500_001;

        var reply = await host.SayAsync(supporter, "/broadcast");
        host.Telegram.EnqueueCallback(supporter, "bc:now", reply[0].MessageId);
        var forged = (await host.Telegram.WaitForMessagesAsync(supporter, 2)).Skip(1).ToList();
        var jobs = await host.App.Services.GetRequiredService<BroadcastService>().ListAsync(10, default);

        Assert.DoesNotContain("प्रसारण", reply[0].Text);
        Assert.DoesNotContain("प्रसारण", forged[0].Text);
        Assert.Empty(jobs);
    }
}
