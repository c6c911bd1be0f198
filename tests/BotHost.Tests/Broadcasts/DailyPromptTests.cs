using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Broadcasts;

[Collection(OnRedisServer.Name)]
public sealed class DailyPromptTests(RedisServerFixture redis)
{
    [SkippableFact]
    public async Task The_daily_prompt_fires_once_per_supporter_with_two_instances_in_their_language()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var telegram = await FakeTelegramServer.StartAsync();
        var prefix = RedisTestServer.NewKeyPrefix();
        var values = BotHostHarness.BaseSettings(telegram, redis, prefix);
        values["Bot:DailyPromptTime"] = "09:30";
        values["Broadcast:PollMilliseconds"] = "100";

        // 09:29:56 in India on a campaign day: the prompt is due four seconds after the hosts start.
        var beforePrompt = new DateTimeOffset(2026, 11, 26, 3, 59, 56, TimeSpan.Zero);
        await using var first = BotHostHarness.BuildApp(values, beforePrompt);
        await first.StartAsync();
        var hindi = Enumerable.Range(0, 30).Select(i => 91_000_000L + i).ToArray();
        var english = Enumerable.Range(0, 10).Select(i => 91_100_000L + i).ToArray();
        var sessions = first.Services.GetRequiredService<ISessionStore>();
        var directory = first.Services.GetRequiredService<ISupporterDirectory>();
        await Supporters.SeedAsync(sessions, directory, hindi, language: "hi");
        await Supporters.SeedAsync(sessions, directory, english, language: "en");
        await using var second = BotHostHarness.BuildApp(values, beforePrompt);
        await second.StartAsync();

        await telegram.WaitForCallsAsync("sendMessage", 40, timeout: TimeSpan.FromSeconds(30));
        var db = redis.Connection.GetDatabase();
        await Supporters.WaitForFinishAsync(db, prefix, "daily-20261126-prompt-hi", TimeSpan.FromSeconds(30));
        await Supporters.WaitForFinishAsync(db, prefix, "daily-20261126-prompt-en", TimeSpan.FromSeconds(30));
        await first.StopAsync();
        await second.StopAsync();

        Assert.All(hindi, chat => Assert.Contains("आज का हैशटैग", Assert.Single(telegram.MessagesTo(chat)).Text));
        Assert.All(english, chat => Assert.Contains("#SpeakUpForFarmers", Assert.Single(telegram.MessagesTo(chat)).Text));
        Assert.Equal(40, telegram.CallsTo("sendMessage").Count);
    }
}
