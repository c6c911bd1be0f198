using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.BotHost;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Submissions;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Submissions;

/// <summary>A state coordinator (given the role through the staff roster) reviews their states' submissions only.</summary>
[Collection(OnGarnet.Name)]
public sealed class CoordinatorReviewTests(GarnetFixture redis)
{
    private const long Coordinator = 6_600_001;
    private const long Channel = -1005555555555;

    private static async Task<FakeSentMessage> SayAsync(FakeTelegramServer telegram, long chat, string text, int replies = 1)
    {
        var before = telegram.MessagesTo(chat).Count;
        telegram.EnqueueText(chat, text);
        return (await telegram.WaitForMessagesAsync(chat, before + replies))[^1];
    }

    private static async Task<FakeSentMessage> PressAsync(FakeTelegramServer telegram, FakeSentMessage message, string data)
    {
        var before = telegram.MessagesTo(message.ChatId).Count;
        telegram.Press(message, data);
        return (await telegram.WaitForMessagesAsync(message.ChatId, before + 1))[before];
    }

    private static async Task SubmitPhotoAsync(FakeTelegramServer telegram, long chat, string state)
    {
        var welcome = await SayAsync(telegram, chat, "/start");
        var consent = await PressAsync(telegram, welcome, "l:hi");
        await PressAsync(telegram, consent, "c:y");
        await SayAsync(telegram, chat, state, replies: 2);
        var before = telegram.MessagesTo(chat).Count;
        telegram.EnqueueUpdate(FakeUpdates.Photo(chat, "coord-" + chat.ToString(CultureInfo.InvariantCulture)));
        var summary = (await telegram.WaitForMessagesAsync(chat, before + 1))[before];
        await PressAsync(telegram, summary, "sb:n");
    }

    [SkippableFact]
    public async Task Coordinator_reviews_their_states_items_and_cannot_decide_another_states()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var telegram = await FakeTelegramServer.StartAsync();
        var values = BotHostHarness.BaseSettings(telegram, redis, RedisTestServer.NewKeyPrefix());
        values["Publishing:ChannelId"] = Channel.ToString(CultureInfo.InvariantCulture);
        var app = SpeakUpApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(BotHostHarness.CampaignMorning));
        });
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<IRoleStore>().SetAsync(
                new StaffMember(Coordinator.ToString(CultureInfo.InvariantCulture), StaffRole.Coordinator, ["RJ"], null, DateTimeOffset.UtcNow),
                default);
            await SubmitPhotoAsync(telegram, 8_600_001, "बिहार");
            await SubmitPhotoAsync(telegram, 8_600_002, "राजस्थान");

            var card = await SayAsync(telegram, Coordinator, "/review", replies: 2);
            Assert.Contains("राजस्थान", card.VisibleText, StringComparison.Ordinal);
            await PressAsync(telegram, card, Assert.Single(card.CallbackData, d => d.StartsWith("rv:a:", StringComparison.Ordinal)));
            Assert.Single(telegram.MessagesTo(Channel));

            var empty = await SayAsync(telegram, Coordinator, "/review");
            Assert.Equal("अभी जाँचने के लिए कुछ नहीं है। 👍", empty.VisibleText);

            var bihar = await app.Services.GetRequiredService<ISubmissionStore>().ClaimNextAsync("1", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), null, default);
            var before = telegram.MessagesTo(Coordinator).Count;
            telegram.EnqueueCallback(Coordinator, "rv:a:" + bihar!.Id, empty.MessageId);
            var refused = (await telegram.WaitForMessagesAsync(Coordinator, before + 1))[before];
            Assert.Equal("यह सिर्फ़ मॉडरेटर कर सकते हैं।", refused.VisibleText);
            Assert.Single(telegram.MessagesTo(Channel));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
