using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;

namespace BotHost.Tests;

/// <summary>A supporter's whole way through the real host, as Telegram would drive it, on both Redis servers.</summary>
public abstract class SupporterJourneyTests(RedisTestServer redis)
{
    private static long _nextChat = 7_000_000;

    private static long NewChat() => Interlocked.Increment(ref _nextChat);

    private void SkipWhenUnavailable() => Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);

    [SkippableFact]
    public async Task Start_to_joined_to_today_in_hindi()
    {
        SkipWhenUnavailable();
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();

        var welcome = Assert.Single(await host.SayAsync(chat, "/start"));
        Assert.Contains("नमस्ते!", welcome.VisibleText);
        var consent = Assert.Single(await host.PressAsync(welcome, "l:hi"));
        Assert.Contains("रोज़ सुबह", consent.VisibleText);
        var states = Assert.Single(await host.PressAsync(consent, "c:y"));
        Assert.Contains(states.Buttons.SelectMany(r => r), b => b.Text == "असम");
        states = await host.TurnToPageAsync(states, 2);
        Assert.Equal(2, states.Edits);
        var joined = await host.PressAsync(states, "s:RJ", replies: 2);
        Assert.Contains("आप *राजस्थान* से अभियान से जुड़ गए हैं".Replace("*", "", StringComparison.Ordinal), joined[0].VisibleText);
        Assert.Contains("आज का हैशटैग: #SpeakUpForFarmers", joined[1].VisibleText);

        var today = Assert.Single(await host.SayAsync(chat, "/today"));

        Assert.Contains("आज का हैशटैग: #SpeakUpForFarmers", today.VisibleText);
        Assert.Contains("<b>#SpeakUpForFarmers</b>", today.Text);
        Assert.Contains("मुख्य बातें", today.VisibleText);
        Assert.Contains(today.Buttons.SelectMany(r => r), b => b.Text == "WhatsApp पर शेयर करें");
        var session = await host.LoadSessionAsync(chat);
        Assert.Equal(SupporterState.Joined, session!.State);
        Assert.Equal("RJ", session.StateCode);
    }

    [SkippableFact]
    public async Task Start_to_joined_to_today_in_english_with_a_typed_state()
    {
        SkipWhenUnavailable();
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();

        var welcome = Assert.Single(await host.SayAsync(chat, "/start", languageCode: "en"));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:en"));
        Assert.Contains("every morning", consent.VisibleText);
        _ = Assert.Single(await host.PressAsync(consent, "c:n"));
        var joined = await host.SayAsync(chat, "rajsthan", replies: 2);
        Assert.Contains("You have joined the campaign from Rajasthan", joined[0].VisibleText);
        Assert.Contains("You chose not to get daily messages", joined[0].VisibleText);

        var today = Assert.Single(await host.SayAsync(chat, "/today"));

        Assert.Contains("Today's hashtag: #SpeakUpForFarmers", today.VisibleText);
        Assert.Contains("Talking points:", today.VisibleText);
        Assert.Contains("Post together at 11:00", today.VisibleText);
        Assert.Contains(today.Buttons.SelectMany(r => r), b => b.Text == "Share on X" && b.Url!.StartsWith("https://x.com/intent/tweet?text=", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_joined_supporter_stays_joined_across_a_host_restart()
    {
        SkipWhenUnavailable();
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        var welcome = Assert.Single(await host.SayAsync(chat, "/start"));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:en"));
        var states = Assert.Single(await host.PressAsync(consent, "c:y"));
        await host.PressAsync(await host.TurnToPageAsync(states, 2), "s:UP", replies: 2);

        var settings = BotHostHarness.BaseSettings(host.Telegram, redis, host.KeyPrefix);
        await host.RestartAsync(settings);
        var today = Assert.Single(await host.SayAsync(chat, "/today"));

        Assert.Contains("Today's hashtag", today.VisibleText);
        Assert.Equal("UP", (await host.LoadSessionAsync(chat))!.StateCode);
    }

    [SkippableFact]
    public async Task Forgetme_after_confirmation_leaves_nothing_stored()
    {
        SkipWhenUnavailable();
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        var welcome = Assert.Single(await host.SayAsync(chat, "/start"));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:en"));
        var states = Assert.Single(await host.PressAsync(consent, "c:y"));
        await host.PressAsync(states, "s:AS", replies: 2);

        var confirm = Assert.Single(await host.SayAsync(chat, "/forgetme"));
        Assert.NotNull(await host.LoadSessionAsync(chat));
        var done = Assert.Single(await host.PressAsync(confirm, "ok"));

        Assert.Contains("Your data has been deleted", done.VisibleText);
        Assert.Null(await host.LoadSessionAsync(chat));
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        Assert.Empty(server.Keys(pattern: host.KeyPrefix + "{tg:" + chat.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}*").ToList());
        Assert.Equal(0, await redis.Connection.GetDatabase().SortedSetLengthAsync(host.KeyPrefix + "{supporters}:joined"));
    }

    [SkippableFact]
    public async Task Twenty_messages_at_once_from_one_chat_are_all_answered_in_order()
    {
        SkipWhenUnavailable();

        // 21 messages in a second is over the default flood limit (20 a minute); this test is about order, not flooding.
        await using var host = await BotHostHarness.StartAsync(redis, s => s["Submissions:FloodPerMinute"] = "100");
        var chat = NewChat();
        Assert.Single(await host.SayAsync(chat, "/start"));

        for (var i = 0; i < 20; i++)
        {
            host.Telegram.EnqueueText(chat, i % 2 == 0 ? "/help" : "/language");
        }

        var all = await host.Telegram.WaitForMessagesAsync(chat, 21);

        Assert.Equal(21, all.Count);
        for (var i = 0; i < 20; i++)
        {
            var expected = i % 2 == 0 ? "/today" : "अपनी भाषा चुनें";
            Assert.Contains(expected, all[i + 1].VisibleText);
        }
    }
}

[Collection(OnGarnet.Name)]
public sealed class SupporterJourneyOnGarnetTests(GarnetFixture garnet) : SupporterJourneyTests(garnet);

[Collection(OnRedisServer.Name)]
public sealed class SupporterJourneyOnRedisServerTests(RedisServerFixture redis) : SupporterJourneyTests(redis);
