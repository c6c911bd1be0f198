using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

public sealed class TelegramPollingServiceTests(GarnetFixture garnet) : IAsyncLifetime, IClassFixture<GarnetFixture>
{
    private FakeTelegramServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly RecordingDispatcher _dispatcher = new();
    private ServiceProvider _services = null!;
    private TelegramPollingService? _service;
    private PollingInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeTelegramServer.StartAsync();
        _services = PollingInbox.Services(garnet.ConnectionString).AddSingleton<ILocalizer, FakeLocalizer>().BuildServiceProvider();
        _inbox = new PollingInbox(_services, _server);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        await _services.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<TelegramPollingService> StartAsync()
    {
        var bot = TestBots.Client(_server, _http);
        _service = new TelegramPollingService(
            bot,
            new TelegramUpdateHandler(_dispatcher, bot, NullLogger<TelegramUpdateHandler>.Instance),
            new TelegramCommandsPublisher(bot, _services, NullLogger<TelegramCommandsPublisher>.Instance),
            _inbox.Inbox,
            TestBots.Wrap(TestBots.Options(_server)),
            TimeProvider.System,
            NullLogger<TelegramPollingService>.Instance);
        await _service.StartAsync(CancellationToken.None);
        return _service;
    }

    [Fact]
    public async Task Update_is_dispatched_then_acknowledged()
    {
        await StartAsync();

        var id = _server.EnqueueText(101, "/start abc");
        await _server.WaitForOffsetAsync(id + 1);

        var e = Assert.Single(_dispatcher.Events);
        Assert.Equal(InboundKind.Command, e.Kind);
        Assert.Equal("start", e.Command);
        Assert.Equal("abc", e.Argument);
        Assert.Equal(new ChatKey("tg", "101"), e.Chat);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.DeliveryId);
        Assert.Equal(0, _server.PendingUpdateCount);
    }

    [Fact]
    public async Task Update_is_confirmed_once_it_is_in_the_inbox_and_removed_from_it_when_handled()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.OnDispatch = _ => release.Task;
        await StartAsync();

        var id = _server.EnqueueText(102, "hello");
        await _dispatcher.WaitForAsync(1);
        await _server.WaitForOffsetAsync(id + 1);

        // Confirmed to Telegram while its handler still runs: the inbox holds it until then.
        Assert.Equal(0, _server.PendingUpdateCount);
        var stored = Assert.Single(await _inbox.PendingAsync());
        Assert.Equal(id, stored.Id);
        Assert.Contains("\"hello\"", stored.Json, StringComparison.Ordinal);

        release.SetResult();
        await _inbox.WaitUntilEmptyAsync();
    }

    [Fact]
    public async Task A_batch_is_dispatched_concurrently_and_confirmed_before_any_of_it_is_handled()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.OnDispatch = _ => release.Task;
        var first = _server.EnqueueText(103, "a");
        _server.EnqueueText(104, "b");
        var last = _server.EnqueueText(105, "c");
        await StartAsync();

        // All three are in hand at once although none has finished, and Telegram has already forgotten them.
        await _dispatcher.WaitForAsync(3);
        await _server.WaitForOffsetAsync(last + 1);
        Assert.Equal([first, first + 1, last], (await _inbox.PendingAsync()).Select(u => u.Id));

        release.SetResult();
        await _inbox.WaitUntilEmptyAsync();
    }

    [Fact]
    public async Task Malformed_update_is_skipped_without_stopping_the_loop()
    {
        await StartAsync();

        _server.EnqueueUpdate(FakeUpdates.Malformed(106));
        var good = _server.EnqueueText(106, "after the bad one");
        await _server.WaitForOffsetAsync(good + 1);

        var e = Assert.Single(_dispatcher.Events);
        Assert.Equal("after the bad one", e.Text);

        var later = _server.EnqueueText(106, "still polling");
        await _server.WaitForOffsetAsync(later + 1);
        Assert.Equal(2, _dispatcher.Events.Count);
    }

    [Fact]
    public async Task Failing_handler_is_logged_and_its_update_acknowledged()
    {
        _dispatcher.OnDispatch = e => e.Text == "boom" ? Task.FromException(new InvalidOperationException("handler bug")) : Task.CompletedTask;
        await StartAsync();

        var bad = _server.EnqueueText(107, "boom");
        await _server.WaitForOffsetAsync(bad + 1);
        var next = _server.EnqueueText(107, "fine");
        await _server.WaitForOffsetAsync(next + 1);

        Assert.Equal(["boom", "fine"], _dispatcher.Events.Select(e => e.Text));
    }

    [Fact]
    public async Task Group_messages_and_edits_are_acknowledged_without_dispatch()
    {
        await StartAsync();

        _server.EnqueueUpdate(FakeUpdates.GroupText(-1001234567890, 108, "/start"));
        _server.EnqueueUpdate(Fixtures.Read("tg_official_edited_message"));
        var last = _server.EnqueueText(108, "private");
        await _server.WaitForOffsetAsync(last + 1);

        Assert.Equal(["private"], _dispatcher.Events.Select(e => e.Text));
    }

    [Fact]
    public async Task Button_press_is_dispatched_and_its_callback_answered()
    {
        await StartAsync();

        var id = _server.EnqueueCallback(109, "lang:hi", messageId: 55);
        await _server.WaitForOffsetAsync(id + 1);

        var e = Assert.Single(_dispatcher.Events);
        Assert.Equal(InboundKind.Button, e.Kind);
        Assert.Equal("lang:hi", e.ButtonData);
        Assert.Equal("55", e.SourceMessageId);
        await _server.WaitForCallAsync("answerCallbackQuery");
    }

    [Fact]
    public async Task Server_errors_and_rate_limits_on_getUpdates_are_retried()
    {
        _server.FailNext("getUpdates", 500, FakeTelegramErrors.InternalServerError);
        _server.AbortNext("getUpdates");
        _server.RateLimitNext("getUpdates", retryAfterSeconds: 1);
        var id = _server.EnqueueText(110, "eventually");

        await StartAsync();
        await _server.WaitForOffsetAsync(id + 1);

        Assert.Equal("eventually", Assert.Single(_dispatcher.Events).Text);
        Assert.Equal([500, -1, 429], _server.CallsTo("getUpdates").Take(3).Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Start_deletes_the_webhook_and_sets_the_command_menu_per_language()
    {
        await StartAsync();

        await _server.WaitForCallsAsync("setMyCommands", 3);

        Assert.Single(_server.CallsTo("deleteWebhook"));
        var hindi = _server.CommandsFor("hi")!;
        Assert.Equal(BotCommands.Menu, hindi.Select(c => c.Command));
        Assert.Equal("hi:command.today", hindi[0].Description);
        Assert.Equal(hindi, _server.CommandsFor(""));
        Assert.Equal("en:command.today", _server.CommandsFor("en")![0].Description);
    }

    [Fact]
    public async Task Shutdown_finishes_the_update_in_hand_and_confirms_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.OnDispatch = _ => release.Task;
        var service = await StartAsync();
        var id = _server.EnqueueText(111, "in flight");
        await _dispatcher.WaitForAsync(1);

        var stopping = service.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;
        _service = null;
        service.Dispose();

        Assert.False(Assert.Single(_dispatcher.Tokens).IsCancellationRequested);
        Assert.Equal(id + 1, _server.ConfirmedOffset);
        Assert.Equal(0, _server.PendingUpdateCount);
        Assert.Empty(await _inbox.PendingAsync());
    }

    [Fact]
    public async Task Polling_conflict_with_a_webhook_deletes_it_and_goes_on()
    {
        // Someone set a webhook while we poll: getUpdates answers 409 until it is deleted again.
        await StartAsync();
        await _server.WaitForCallAsync("getUpdates");
        using (var http = new HttpClient())
        {
            using var response = await http.PostAsync(new Uri($"{_server.BaseUrl}bot{_server.Token}/setWebhook?url=https://example.org/hook"), null);
            response.EnsureSuccessStatusCode();
        }

        await _server.WaitForCallAsync("getUpdates", c => c.StatusCode == 409);
        var id = _server.EnqueueText(112, "after conflict");
        await _server.WaitForOffsetAsync(id + 1);

        Assert.Equal("after conflict", Assert.Single(_dispatcher.Events).Text);
        Assert.Null(_server.WebhookUrl);
    }
}
