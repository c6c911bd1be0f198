using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Redis;
using SpeakUp.Web.Tests.Support;
using StackExchange.Redis;

namespace SpeakUp.Web.Tests;

/// <summary>
/// The history and the sender against a real server; run on both backends the bot supports. Each test has its own key
/// prefix and chat.
/// </summary>
public abstract class WebChatHistoryTests(RedisTestServer server)
{
    private static readonly DateTimeOffset Now = ShiftedTimeProvider.CampaignDay;

    private readonly string prefix = RedisTestServer.NewKeyPrefix();

    private IDatabase Db => server.Connection.GetDatabase();

    [SkippableFact]
    public async Task Sender_appends_each_message_with_the_next_sequence_number_as_its_id()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var sender = Sender(History());

        var first = await sender.SendAsync(new OutboundMessage(chat, MessageText.Plain("one")), default);
        var second = await sender.SendAsync(new OutboundMessage(chat, MessageText.Plain("two")), default);

        Assert.Equal(SendResult.Ok("1"), first);
        Assert.Equal(SendResult.Ok("2"), second);
        var page = await History().ReadAsync(chat, 0, default);
        Assert.Equal(2, page.Last);
        Assert.Equal([1L, 2L], page.Entries.Select(e => e.Seq));
        Assert.Equal("two", (string)JsonNode.Parse(page.Entries[1].Json)!["spans"]![0]!["t"]!);
    }

    [SkippableFact]
    public async Task Replacement_keeps_the_id_of_the_message_it_replaces()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var sender = Sender(History());
        await sender.SendAsync(new OutboundMessage(chat, MessageText.Plain("page 1")), default);

        var replaced = await sender.SendAsync(new OutboundMessage(chat, MessageText.Plain("page 2")) { ReplacesMessageId = "1" }, default);

        Assert.Equal(SendResult.Ok("1"), replaced);
        var entries = (await History().ReadAsync(chat, 0, default)).Entries;
        Assert.Equal("1", (string?)JsonNode.Parse(entries[1].Json)!["replaces"]);
    }

    [SkippableFact]
    public async Task Sender_refuses_a_chat_of_another_channel()
    {
        SkipUnlessAvailable();

        var result = await Sender(History()).SendAsync(new OutboundMessage(new ChatKey("tg", "1"), MessageText.Plain("x")), default);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
    }

    [SkippableFact]
    public async Task History_keeps_only_the_newest_entries_up_to_the_limit()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var history = History(limit: 10);

        for (var i = 1; i <= 25; i++)
        {
            await history.AppendAsync(chat, WebMessageRenderer.FromSupporter("m" + i, Now), null, default);
        }

        var page = await history.ReadAsync(chat, 0, default);
        Assert.Equal(25, page.Last);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), page.Entries.Select(e => e.Seq));
        Assert.Equal(10, await Db.ListLengthAsync(Keys().History(chat)));
    }

    [SkippableFact]
    public async Task Reading_after_a_sequence_number_returns_only_newer_entries()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var history = History();
        for (var i = 1; i <= 5; i++)
        {
            await history.AppendAsync(chat, WebMessageRenderer.FromSupporter("m" + i, Now), null, default);
        }

        var page = await history.ReadAsync(chat, 3, default);

        Assert.Equal([4L, 5L], page.Entries.Select(e => e.Seq));
        Assert.Equal(5, page.Last);
    }

    [SkippableFact]
    public async Task Retried_delivery_is_recorded_once()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var history = History();

        var first = await history.AppendAsync(chat, WebMessageRenderer.FromSupporter("hello", Now), "d-1", default);
        var retry = await history.AppendAsync(chat, WebMessageRenderer.FromSupporter("hello", Now), "d-1", default);

        Assert.NotNull(first);
        Assert.Null(retry);
        Assert.Single((await history.ReadAsync(chat, 0, default)).Entries);
    }

    [SkippableFact]
    public async Task Keys_carry_the_chat_hash_tag_and_expire()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        await History().AppendAsync(chat, WebMessageRenderer.FromSupporter("hi", Now), "d-1", default);

        var keys = Keys();
        foreach (var key in new[] { keys.History(chat), keys.Sequence(chat), keys.Deliveries(chat) })
        {
            Assert.StartsWith(prefix + "{web:" + chat.ChatId + "}:", (string)key!, StringComparison.Ordinal);
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromDays(89), TimeSpan.FromDays(90));
        }
    }

    [SkippableFact]
    public async Task Entry_reaches_a_listener_on_another_instance()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        using var otherInstance = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        using var hub = new WebChatHub(otherInstance, Keys(), NullLogger<WebChatHub>.Instance);
        using var listener = await hub.ListenAsync(chat.ChatId, default);

        await Sender(History()).SendAsync(new OutboundMessage(chat, MessageText.Plain("live")), default);

        var entry = await listener.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, entry.Seq);
        Assert.Equal("live", (string)JsonNode.Parse(entry.Json)!["spans"]![0]!["t"]!);
    }

    [SkippableFact]
    public async Task Listener_gets_only_its_own_chat()
    {
        SkipUnlessAvailable();
        var mine = NewChat();
        using var hub = new WebChatHub(server.Connection, Keys(), NullLogger<WebChatHub>.Instance);
        using var listener = await hub.ListenAsync(mine.ChatId, default);
        var sender = Sender(History());

        await sender.SendAsync(new OutboundMessage(NewChat(), MessageText.Plain("not mine")), default);
        await sender.SendAsync(new OutboundMessage(mine, MessageText.Plain("mine")), default);

        var entry = await listener.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("mine", (string)JsonNode.Parse(entry.Json)!["spans"]![0]!["t"]!);
    }

    [SkippableFact]
    public async Task Rate_counter_counts_posts_in_a_one_minute_window()
    {
        SkipUnlessAvailable();
        var chat = NewChat();
        var history = History();

        Assert.Equal(1, await history.CountPostAsync(chat, default));
        Assert.Equal(2, await history.CountPostAsync(chat, default));
        var ttl = await Db.KeyTimeToLiveAsync(Keys().Rate(chat));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [SkippableFact]
    public async Task Csrf_secret_is_shared_by_every_instance()
    {
        SkipUnlessAvailable();

        var one = await History().SecretAsync(default);
        var two = await History().SecretAsync(default);

        Assert.Equal(32, one.Length);
        Assert.Equal(one, two);
    }

    private WebChatKeys Keys() => new(prefix);

    private WebChatHistory History(int limit = 200) =>
        new(server.Connection, Keys(), Options.Create(new WebChatOptions { HistoryLimit = limit }));

    private static WebChatSender Sender(WebChatHistory history) =>
        new(history, new ShiftedTimeProvider(Now), NullLogger<WebChatSender>.Instance);

    private static ChatKey NewChat() => new("web", WebIdentity.ChatIdFor(WebIdentity.NewBrowserId()));

    private void SkipUnlessAvailable() => Skip.IfNot(server.IsAvailable, server.UnavailableReason);
}

public sealed class WebChatHistoryOnRedisServerTests(RedisServerFixture server) : WebChatHistoryTests(server), IClassFixture<RedisServerFixture>;

public sealed class WebChatHistoryOnGarnetTests(GarnetFixture server) : WebChatHistoryTests(server), IClassFixture<GarnetFixture>;
