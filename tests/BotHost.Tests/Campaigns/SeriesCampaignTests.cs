using BotHost.Tests.Broadcasts;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests.Campaigns;

/// <summary>The heritage series of config/campaigns.yaml through the real host: the second day's post on the second day.</summary>
[Collection(OnRedisServer.Name)]
public sealed class SeriesCampaignTests(RedisServerFixture redis)
{
    [SkippableFact]
    public async Task On_day_two_of_a_series_the_daily_prompt_and_today_both_deliver_the_second_post()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        var series = CampaignFileParser.LoadFile(Path.Combine(RepoPaths.Root, "config", "campaigns.yaml"), ["en", "hi"]).Single(c => c.IsSeries);
        var dayTwo = series.Starts.AddDays(1);

        // 09:29:56 in India on the series' second day: the prompt is due four seconds after the host starts.
        var beforePrompt = new DateTimeOffset(dayTwo.ToDateTime(new TimeOnly(3, 59, 56)), TimeSpan.Zero);
        await using var host = await BotHostHarness.StartAsync(
            redis,
            s =>
            {
                s["Bot:DailyPromptTime"] = "09:30";
                s["Broadcast:PollMilliseconds"] = "100";
            },
            now: beforePrompt);
        const long Hindi = 93_000_001, English = 93_000_002;
        var sessions = host.App.Services.GetRequiredService<ISessionStore>();
        var directory = host.App.Services.GetRequiredService<ISupporterDirectory>();
        await Supporters.SeedAsync(sessions, directory, [Hindi], language: "hi");
        await Supporters.SeedAsync(sessions, directory, [English], language: "en");

        var hindiPrompt = Assert.Single(await host.Telegram.WaitForMessagesAsync(Hindi, 1, TimeSpan.FromSeconds(30)));
        var englishPrompt = Assert.Single(await host.Telegram.WaitForMessagesAsync(English, 1, TimeSpan.FromSeconds(30)));
        var hindiToday = Assert.Single(await host.SayAsync(Hindi, "/today"));
        var englishToday = Assert.Single(await host.SayAsync(English, "/today", languageCode: "en"));

        var second = series.Series![1];
        Assert.Contains(second.Text["hi"], hindiPrompt.VisibleText);
        Assert.Contains($"दिन 2/7: {second.Title!["hi"]}", hindiPrompt.VisibleText);
        Assert.Contains(second.Points!["hi"][0], hindiPrompt.VisibleText);
        Assert.DoesNotContain(series.Series[0].Text["hi"], hindiPrompt.VisibleText);
        Assert.Contains(second.Text["en"], englishPrompt.VisibleText);
        Assert.Contains($"Day 2 of 7: {second.Title["en"]}", englishPrompt.VisibleText);
        Assert.Equal(hindiPrompt.VisibleText, hindiToday.VisibleText);
        Assert.Equal(englishPrompt.VisibleText, englishToday.VisibleText);
    }
}
