using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Submissions;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests.Submissions;

/// <summary>
/// Supporters submit, moderators review, approved items are copied to the channel: the real host against the fake Bot API,
/// on both Redis servers.
/// </summary>
public abstract class SubmissionJourneyTests(RedisTestServer redis)
{
    private const long Moderator = 5_550_001;
    private const long Channel = -1001234567890;
    private static long s_nextChat = 8_100_000;

    private static long NewChat() => Interlocked.Increment(ref s_nextChat);

    private void SkipWhenUnavailable() => Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);

    private Task<BotHostHarness> StartAsync(Action<Dictionary<string, string?>>? settings = null) =>
        BotHostHarness.StartAsync(redis, s =>
        {
            s["Bot:ModeratorIds:0"] = Moderator.ToString(CultureInfo.InvariantCulture);
            s["Publishing:ChannelId"] = Channel.ToString(CultureInfo.InvariantCulture);
            settings?.Invoke(s);
        });

    private static async Task JoinAsync(BotHostHarness host, long chat)
    {
        var welcome = Assert.Single(await host.SayAsync(chat, "/start"));
        var consent = Assert.Single(await host.PressAsync(welcome, "l:hi"));
        Assert.Single(await host.PressAsync(consent, "c:y"));
        await host.SayAsync(chat, "राजस्थान", replies: 2);
    }

    /// <summary>Sends an update as the supporter and returns the bot's one reply (the summary with the credit buttons).</summary>
    private static async Task<FakeSentMessage> SendAsync(BotHostHarness host, long chat, JsonObject update)
    {
        var before = host.Telegram.MessagesTo(chat).Count;
        host.Telegram.EnqueueUpdate(update);
        return (await host.Telegram.WaitForMessagesAsync(chat, before + 1))[before];
    }

    private static async Task ConfirmAsync(BotHostHarness host, FakeSentMessage summary, string credit = "sb:n")
    {
        var received = Assert.Single(await host.PressAsync(summary, credit));
        Assert.Contains("मिल गया, जाँच के लिए भेजा गया", received.VisibleText, StringComparison.Ordinal);
    }

    /// <summary>/review as the moderator: the copied media (if any), then the card with the buttons.</summary>
    private static async Task<FakeSentMessage> ReviewAsync(BotHostHarness host, int copies)
    {
        var sent = await host.SayAsync(Moderator, "/review", replies: copies + 1);
        Assert.All(sent.Take(copies), m => Assert.Equal("copyMessage", m.Method));
        return sent[^1];
    }

    private static string Data(FakeSentMessage card, string verb) => Assert.Single(card.CallbackData, d => d.StartsWith("rv:" + verb + ":", StringComparison.Ordinal));

    [SkippableTheory]
    [InlineData("nutgram_photo", "फ़ोटो")]
    [InlineData("nutgram_video", "वीडियो")]
    [InlineData("nutgram_video_note", "गोल वीडियो")]
    [InlineData("nutgram_voice", "वॉइस नोट")]
    [InlineData("tg_official_voice", "वॉइस नोट")]
    public async Task Each_media_type_is_submitted_approved_and_copied_to_the_channel_with_hashtag_and_credit(string fixture, string kind)
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        var update = FakeSubmissionUpdates.FromFixture(fixture, chat);

        var summary = await SendAsync(host, chat, update);
        Assert.Contains(kind, summary.VisibleText, StringComparison.Ordinal);
        Assert.Contains(summary.Buttons.SelectMany(r => r), b => b.Text == "मेरे नाम से (Sunita)");
        await ConfirmAsync(host, summary);

        var card = await ReviewAsync(host, copies: 1);
        Assert.Contains("#SpeakUpForFarmers", card.VisibleText, StringComparison.Ordinal);
        var supporterBefore = host.Telegram.MessagesTo(chat).Count;
        var approved = Assert.Single(await host.PressAsync(card, Data(card, "a")));

        var copy = await host.Telegram.WaitForCallAsync("copyMessage", c => c.ChatId == Channel);
        Assert.Equal(chat, copy.GetLong("from_chat_id"));
        Assert.Equal(FakeSubmissionUpdates.MessageIdOf(update), copy.GetLong("message_id"));
        var caption = copy.GetString("caption")!;
        Assert.Contains("#SpeakUpForFarmers", caption, StringComparison.Ordinal);
        Assert.EndsWith("— Sunita, राजस्थान", caption, StringComparison.Ordinal);
        var post = Assert.Single(host.Telegram.MessagesTo(Channel));
        var link = "https://t.me/c/1234567890/" + post.MessageId.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(link, approved.VisibleText, StringComparison.Ordinal);

        var notice = (await host.Telegram.WaitForMessagesAsync(chat, supporterBefore + 1))[supporterBefore];
        Assert.Contains("प्रकाशित हो गया", notice.VisibleText, StringComparison.Ordinal);
        Assert.Contains(link, notice.Text, StringComparison.Ordinal);
        var stored = await host.App.Services.GetRequiredService<ISubmissionStore>().GetAsync(Data(card, "a")[5..], default);
        Assert.Equal(SubmissionStatus.Published, stored?.Status);
        Assert.Equal(link, stored?.PostUrl);
    }

    [SkippableFact]
    public async Task Text_submission_is_posted_as_a_message_with_hashtag_and_anonymous_credit()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        Assert.Single(await host.SayAsync(chat, "/submit"));

        var summary = Assert.Single(await host.SayAsync(chat, "किसान देश का पेट भरते हैं"));
        await ConfirmAsync(host, summary, "sb:a");
        var card = await ReviewAsync(host, copies: 0);
        Assert.Contains("किसान देश का पेट भरते हैं", card.VisibleText, StringComparison.Ordinal);
        Assert.Contains("बिना नाम के", card.VisibleText, StringComparison.Ordinal);
        await host.PressAsync(card, Data(card, "a"));

        var post = Assert.Single(host.Telegram.MessagesTo(Channel));
        Assert.Equal("sendMessage", post.Method);
        Assert.Equal("किसान देश का पेट भरते हैं\n\n#SpeakUpForFarmers\n\n— एक समर्थक", post.VisibleText);
    }

    [SkippableFact]
    public async Task Rejected_submission_tells_the_supporter_why_in_their_language_and_publishes_nothing()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        await ConfirmAsync(host, await SendAsync(host, chat, FakeUpdates.Video(chat, "reject-me", durationSeconds: 40)));
        var card = await ReviewAsync(host, copies: 1);
        var reasons = Assert.Single(await host.PressAsync(card, Data(card, "r")));
        Assert.Equal(4, reasons.CallbackData.Count);
        var supporterBefore = host.Telegram.MessagesTo(chat).Count;

        var done = Assert.Single(await host.PressAsync(reasons, reasons.CallbackData[1]));

        Assert.Contains("अस्वीकार किया", done.VisibleText, StringComparison.Ordinal);
        var told = (await host.Telegram.WaitForMessagesAsync(chat, supporterBefore + 1))[supporterBefore];
        Assert.Equal("इस बार प्रकाशित नहीं हो सका; कारण: तस्वीर या आवाज़ साफ़ नहीं है। हिस्सा लेने के लिए धन्यवाद — फिर से भेजिए!", told.VisibleText);
        Assert.Empty(host.Telegram.MessagesTo(Channel));
        var audit = await host.App.Services.GetRequiredService<IAuditLog>().RecentAsync(10, default);
        Assert.Contains(audit, e => e.Action == "review.reject" && e.ActorId == Moderator.ToString(CultureInfo.InvariantCulture) && e.Detail == "2");
    }

    [SkippableFact]
    public async Task An_album_of_three_is_one_submission_confirmed_once_and_copied_item_by_item()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        var before = host.Telegram.MessagesTo(chat).Count;

        host.Telegram.EnqueueUpdate(FakeUpdates.Photo(chat, "album-a", caption: "जयपुर की रैली", mediaGroupId: "g-1"));
        host.Telegram.EnqueueUpdate(FakeUpdates.Video(chat, "album-b", mediaGroupId: "g-1"));
        var last = host.Telegram.EnqueueUpdate(FakeUpdates.Photo(chat, "album-c", mediaGroupId: "g-1"));
        await host.WaitForHandledAsync(last);

        var replies = host.Telegram.MessagesTo(chat).Skip(before).ToList();
        var summary = Assert.Single(replies);
        Assert.Contains("एल्बम", summary.VisibleText, StringComparison.Ordinal);
        await ConfirmAsync(host, summary);
        var store = host.App.Services.GetRequiredService<ISubmissionStore>();
        Assert.Equal(1, await store.QueueLengthAsync(default));

        var card = await ReviewAsync(host, copies: 3);
        Assert.Contains("एल्बम (3)", card.VisibleText, StringComparison.Ordinal);
        await host.PressAsync(card, Data(card, "a"));

        var copies = await host.Telegram.WaitForCallsAsync("copyMessage", 3, c => c.ChatId == Channel);
        Assert.Contains("जयपुर की रैली", copies[0].GetString("caption"), StringComparison.Ordinal);
        Assert.Contains("#SpeakUpForFarmers", copies[0].GetString("caption"), StringComparison.Ordinal);
        Assert.All(copies.Skip(1), c => Assert.Null(c.GetString("caption")));
    }

    [SkippableFact]
    public async Task A_non_moderator_forging_an_approve_callback_is_refused_and_nothing_is_published()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        await ConfirmAsync(host, await SendAsync(host, chat, FakeUpdates.Photo(chat, "forged")));
        var card = await ReviewAsync(host, copies: 1);
        var approve = Data(card, "a");

        // The supporter themself, and a stranger who never talked to the bot, press a forged approve.
        foreach (var forger in new[] { chat, NewChat() })
        {
            var before = host.Telegram.MessagesTo(forger).Count;
            host.Telegram.EnqueueCallback(forger, approve, messageId: 1);
            var refused = (await host.Telegram.WaitForMessagesAsync(forger, before + 1))[before];
            Assert.Equal("यह सिर्फ़ मॉडरेटर कर सकते हैं।", refused.VisibleText);
        }

        Assert.Empty(host.Telegram.MessagesTo(Channel));
        Assert.DoesNotContain(host.Telegram.CallsTo("copyMessage"), c => c.ChatId == Channel);
        var stored = await host.App.Services.GetRequiredService<ISubmissionStore>().GetAsync(approve[5..], default);
        Assert.Equal(SubmissionStatus.Pending, stored?.Status);
        var audit = await host.App.Services.GetRequiredService<IAuditLog>().RecentAsync(10, default);
        Assert.Equal(2, audit.Count(e => e.Action == "review.refused"));
    }

    [SkippableFact]
    public async Task A_double_tap_on_approve_publishes_once()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);
        await ConfirmAsync(host, await SendAsync(host, chat, FakeUpdates.Photo(chat, "double")));
        var card = await ReviewAsync(host, copies: 1);

        var before = host.Telegram.MessagesTo(Moderator).Count;
        host.Telegram.Press(card, Data(card, "a"));
        host.Telegram.Press(card, Data(card, "a"));
        var answers = (await host.Telegram.WaitForMessagesAsync(Moderator, before + 2)).Skip(before).ToList();

        Assert.Contains("प्रकाशित किया", answers[0].VisibleText, StringComparison.Ordinal);
        Assert.Equal("इस पर फ़ैसला पहले ही हो चुका है। कुछ नहीं बदला।", answers[1].VisibleText);
        Assert.Single(host.Telegram.MessagesTo(Channel));
    }

    [SkippableFact]
    public async Task Stickers_and_locations_get_a_friendly_refusal_that_says_what_is_accepted()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);

        var sticker = await SendAsync(host, chat, FakeSubmissionUpdates.Sticker(chat));
        var location = await SendAsync(host, chat, FakeSubmissionUpdates.Location(chat));

        Assert.All([sticker, location], m => Assert.Contains("आप वीडियो, गोल वीडियो, वॉइस नोट, फ़ोटो", m.VisibleText, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Too_long_video_is_refused_with_the_limit()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync(s => s["Submissions:MaxVideoSeconds"] = "60");
        var chat = NewChat();
        await JoinAsync(host, chat);

        var reply = await SendAsync(host, chat, FakeUpdates.Video(chat, "long", durationSeconds: 61));

        Assert.Contains("60 सेकंड", reply.VisibleText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Moderators_get_one_notice_when_the_queue_reaches_the_threshold()
    {
        SkipWhenUnavailable();
        const long Owner = 5_550_009;
        const long AddedInChat = 5_550_010;
        await using var host = await StartAsync(s =>
        {
            s["Submissions:NotifyAt"] = "2";
            s["Bot:AdminIds:0"] = Owner.ToString(CultureInfo.InvariantCulture);
        });
        await host.SayAsync(Owner, $"/admins add {AddedInChat} moderator");
        for (var i = 0; i < 3; i++)
        {
            var chat = NewChat();
            await JoinAsync(host, chat);
            await ConfirmAsync(host, await SendAsync(host, chat, FakeUpdates.Photo(chat, "notice-" + i.ToString(CultureInfo.InvariantCulture))));
        }

        // The configured moderator, the owner, and the moderator added from chat: one notice each.
        foreach (var staff in new[] { Moderator, AddedInChat })
        {
            var notice = Assert.Single(host.Telegram.MessagesTo(staff));
            Assert.Equal("2 सबमिशन जाँच का इंतज़ार कर रहे हैं। शुरू करने के लिए /review भेजें।", notice.VisibleText);
        }

        Assert.Single(host.Telegram.MessagesTo(Owner), m => m.VisibleText.StartsWith("2 सबमिशन", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_flood_limit_answers_once_then_stays_quiet()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync(s => s["Submissions:FloodPerMinute"] = "3");
        var chat = NewChat();

        var last = 0L;
        for (var i = 0; i < 8; i++)
        {
            last = host.Telegram.EnqueueText(chat, "/help");
        }

        await host.WaitForHandledAsync(last);
        var sent = host.Telegram.MessagesTo(chat);
        Assert.Equal(4, sent.Count);
        Assert.Equal("कृपया थोड़ा रुककर भेजें: एक मिनट बाद फिर भेजिए।", sent[3].VisibleText);
    }

    [SkippableFact]
    public async Task Review_is_an_unknown_command_for_supporters()
    {
        SkipWhenUnavailable();
        await using var host = await StartAsync();
        var chat = NewChat();
        await JoinAsync(host, chat);

        var reply = Assert.Single(await host.SayAsync(chat, "/review"));

        Assert.Contains("/review", reply.VisibleText, StringComparison.Ordinal);
        Assert.DoesNotContain(reply.CallbackData, d => d.StartsWith("rv:", StringComparison.Ordinal));
    }
}

[Collection(OnGarnet.Name)]
public sealed class SubmissionJourneyOnGarnetTests(GarnetFixture garnet) : SubmissionJourneyTests(garnet);

[Collection(OnRedisServer.Name)]
public sealed class SubmissionJourneyOnRedisServerTests(RedisServerFixture redis) : SubmissionJourneyTests(redis);
