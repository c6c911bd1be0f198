using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

public sealed class TelegramSenderTests : IAsyncLifetime
{
    private FakeTelegramServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync() => _server = await FakeTelegramServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private TelegramSender Sender(Action<TelegramOptions>? configure = null) => TestBots.Sender(_server, _http, configure);

    private static OutboundMessage Hello(long chat) => new(TestBots.Chat(chat), new MessageText([
        new TextSpan("Namaste "),
        new TextSpan("<Sunita>", SpanStyle.Bold),
    ]));

    [Fact]
    public async Task Sends_html_with_inline_keyboard_and_returns_the_message_id()
    {
        var chat = TestBots.NewChatId();
        var message = Hello(chat) with { Buttons = [[Button.Callback("Yes", "consent:yes"), Button.Link("Why", new Uri("https://example.org/why"))]] };

        var result = await Sender().SendAsync(message, default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        var sent = Assert.Single(_server.MessagesTo(chat));
        Assert.Equal(sent.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.MessageId);
        Assert.Equal("Namaste <b>&lt;Sunita&gt;</b>", sent.Text);
        Assert.Equal("HTML", sent.ParseMode, ignoreCase: true);
        Assert.Equal("Namaste <Sunita>", sent.VisibleText);
        Assert.Equal(["consent:yes"], sent.CallbackData);
        Assert.Equal("https://example.org/why", sent.Buttons[0][1].Url);
    }

    [Fact]
    public async Task Long_text_goes_out_as_several_messages_with_buttons_on_the_last()
    {
        var chat = TestBots.NewChatId();
        var body = string.Concat(Enumerable.Repeat(new string('a', 99) + "\n", 50)); // 5,000 chars
        var message = new OutboundMessage(TestBots.Chat(chat), MessageText.Plain(body)) { Buttons = [[Button.Callback("Next", "next")]] };

        var result = await Sender().SendAsync(message, default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        var sent = _server.MessagesTo(chat);
        Assert.Equal(2, sent.Count);
        Assert.Empty(sent[0].Buttons);
        Assert.Equal(["next"], sent[1].CallbackData);
        Assert.Equal(sent[1].MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.MessageId);
    }

    [Fact]
    public async Task Rate_limit_429_waits_retry_after_then_delivers()
    {
        var chat = TestBots.NewChatId();
        _server.RateLimitNext("sendMessage", retryAfterSeconds: 1, chatId: chat);

        var result = await Sender().SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        var calls = _server.CallsTo("sendMessage").Where(c => c.ChatId == chat).ToList();
        Assert.Equal([429, 200], calls.Select(c => c.StatusCode));
        Assert.Single(_server.MessagesTo(chat));
    }

    [Fact]
    public async Task Rate_limit_asking_longer_than_the_cap_fails_at_once()
    {
        var chat = TestBots.NewChatId();
        _server.RateLimitNext("sendMessage", retryAfterSeconds: 120, chatId: chat);

        var result = await Sender(o => o.MaxRetryAfterSeconds = 60).SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Contains("120", result.Error, StringComparison.Ordinal);
        Assert.Single(_server.CallsTo("sendMessage"), c => c.ChatId == chat);
    }

    [Fact]
    public async Task Waiting_out_a_rate_limit_stops_when_cancelled()
    {
        var chat = TestBots.NewChatId();
        _server.RateLimitNext("sendMessage", retryAfterSeconds: 30, chatId: chat);
        using var cts = new CancellationTokenSource();
        var sender = Sender();

        var sending = sender.SendAsync(Hello(chat), cts.Token);
        await _server.WaitForCallAsync("sendMessage", c => c.ChatId == chat);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }

    [Theory]
    [InlineData(403, FakeTelegramErrors.BotBlocked)]
    [InlineData(403, FakeTelegramErrors.UserDeactivated)]
    [InlineData(400, FakeTelegramErrors.ChatNotFound)]
    public async Task Blocked_deactivated_or_unknown_chat_is_unreachable_without_retry(int code, string description)
    {
        var chat = TestBots.NewChatId();
        _server.FailNext("sendMessage", code, description, chatId: chat);

        var result = await Sender().SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Unreachable, result.Outcome);
        Assert.Equal(description, result.Error);
        Assert.Single(_server.CallsTo("sendMessage"), c => c.ChatId == chat);
    }

    [Fact]
    public async Task Server_error_500_then_success_is_retried_and_delivered()
    {
        var chat = TestBots.NewChatId();
        _server.FailNext("sendMessage", 500, FakeTelegramErrors.InternalServerError, chatId: chat);

        var result = await Sender().SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal([500, 200], _server.CallsTo("sendMessage").Where(c => c.ChatId == chat).Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Proxy_html_502_and_dropped_connection_are_retried()
    {
        var chat = TestBots.NewChatId();
        _server.RespondRawNext("sendMessage", 502, "<html>Bad Gateway</html>", chatId: chat);
        _server.AbortNext("sendMessage", chatId: chat);

        var result = await Sender().SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal([502, -1, 200], _server.CallsTo("sendMessage").Where(c => c.ChatId == chat).Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Server_errors_on_every_attempt_end_in_failed()
    {
        var chat = TestBots.NewChatId();
        _server.FailNext("sendMessage", 500, FakeTelegramErrors.InternalServerError, chatId: chat, times: 10);

        var result = await Sender(o => o.MaxSendAttempts = 3).SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal(3, _server.CallsTo("sendMessage").Count(c => c.ChatId == chat));
    }

    [Fact]
    public async Task Other_bad_request_fails_without_retry()
    {
        var chat = TestBots.NewChatId();
        _server.FailNext("sendMessage", 400, "Bad Request: can't parse entities", chatId: chat);

        var result = await Sender().SendAsync(Hello(chat), default);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Single(_server.CallsTo("sendMessage"), c => c.ChatId == chat);
    }

    [Fact]
    public async Task Replacing_a_message_edits_it_in_place()
    {
        var chat = TestBots.NewChatId();
        var sender = Sender();
        var first = await sender.SendAsync(Hello(chat) with { Buttons = [[Button.Callback("2", "page:2")]] }, default);

        var second = await sender.SendAsync(
            new OutboundMessage(TestBots.Chat(chat), MessageText.Plain("Page 2")) { ReplacesMessageId = first.MessageId, Buttons = [[Button.Callback("1", "page:1")]] },
            default);

        Assert.Equal(SendOutcome.Sent, second.Outcome);
        Assert.Equal(first.MessageId, second.MessageId);
        var message = Assert.Single(_server.MessagesTo(chat));
        Assert.Equal("Page 2", message.VisibleText);
        Assert.Equal(["page:1"], message.CallbackData);
        Assert.Equal(1, message.Edits);
    }

    [Fact]
    public async Task Replacing_with_identical_content_is_sent_without_a_duplicate()
    {
        var chat = TestBots.NewChatId();
        var sender = Sender();
        var first = await sender.SendAsync(Hello(chat), default);

        var again = await sender.SendAsync(Hello(chat) with { ReplacesMessageId = first.MessageId }, default);

        Assert.Equal(SendResult.Ok(first.MessageId), again);
        Assert.Single(_server.MessagesTo(chat));
        Assert.Equal(400, _server.CallsTo("editMessageText").Single(c => c.ChatId == chat).StatusCode);
    }

    [Fact]
    public async Task Replacing_a_message_that_cannot_be_edited_sends_a_new_one()
    {
        var chat = TestBots.NewChatId();

        var result = await Sender().SendAsync(Hello(chat) with { ReplacesMessageId = "999999" }, default);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.NotEqual("999999", result.MessageId);
        Assert.Single(_server.MessagesTo(chat));
    }

    [Fact]
    public async Task Replacing_in_a_blocked_chat_is_unreachable()
    {
        var chat = TestBots.NewChatId();
        var sender = Sender();
        var first = await sender.SendAsync(Hello(chat), default);
        _server.BlockChat(chat);

        var result = await sender.SendAsync(new OutboundMessage(TestBots.Chat(chat), MessageText.Plain("x")) { ReplacesMessageId = first.MessageId }, default);

        Assert.Equal(SendOutcome.Unreachable, result.Outcome);
        Assert.DoesNotContain(_server.CallsTo("sendMessage"), c => c.ChatId == chat && c.StatusCode == 403);
    }

    [Fact]
    public async Task Empty_text_and_foreign_chats_fail_without_calling_telegram()
    {
        var sender = Sender();

        var empty = await sender.SendAsync(new OutboundMessage(TestBots.Chat(TestBots.NewChatId()), MessageText.Empty), default);
        var web = await sender.SendAsync(new OutboundMessage(new ChatKey("web", "abc"), MessageText.Plain("hi")), default);

        Assert.Equal(SendOutcome.Failed, empty.Outcome);
        Assert.Equal(SendOutcome.Failed, web.Outcome);
        Assert.Empty(_server.CallsTo("sendMessage"));
        Assert.Equal("tg", sender.Channel);
    }

    [Fact]
    public async Task Unreachable_network_ends_in_failed_not_an_exception()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadBaseUrl = "http://127.0.0.1:1";
        var sender = new TelegramSender(
            new global::Telegram.Bot.TelegramBotClient(new global::Telegram.Bot.TelegramBotClientOptions(_server.Token, deadBaseUrl) { RetryThreshold = 0, RetryCount = 0 }, http),
            TestBots.Wrap(new TelegramOptions { BotToken = _server.Token, MaxSendAttempts = 2, RetryBaseDelayMilliseconds = 1 }),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TelegramSender>.Instance);

        var result = await sender.SendAsync(Hello(1), default);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
    }
}
