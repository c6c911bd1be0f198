using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

/// <summary>
/// Polling with the durable inbox: the real polling service and Telegram.Bot client against the fake Bot API, the real
/// Redis inbox on Garnet (or on a redis-server of the test's own, where the test kills it).
/// </summary>
public sealed class TelegramPollingInboxTests(GarnetFixture garnet) : IAsyncLifetime, IClassFixture<GarnetFixture>
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly RecordingDispatcher _dispatcher = new();
    private FakeTelegramServer _server = null!;
    private ServiceProvider _services = null!;
    private PollingInbox _inbox = null!;
    private TelegramPollingService? _service;

    public async Task InitializeAsync()
    {
        _server = await FakeTelegramServer.StartAsync();
        _services = PollingInbox.Services(garnet.ConnectionString).AddSingleton<ILocalizer, FakeLocalizer>().BuildServiceProvider();
        _inbox = new PollingInbox(_services, _server);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<TelegramPollingService> StartAsync(IUpdateInbox? inbox = null, Action<TelegramOptions>? configure = null)
    {
        var bot = TestBots.Client(_server, _http);
        _service = new TelegramPollingService(
            bot,
            new TelegramUpdateHandler(_dispatcher, bot, NullLogger<TelegramUpdateHandler>.Instance),
            new TelegramCommandsPublisher(bot, _services, NullLogger<TelegramCommandsPublisher>.Instance),
            inbox ?? _inbox.Inbox,
            TestBots.Wrap(TestBots.Options(_server, configure)),
            TimeProvider.System,
            NullLogger<TelegramPollingService>.Instance);
        await _service.StartAsync(CancellationToken.None);
        return _service;
    }

    private async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_service is { } service)
        {
            _service = null;
            await service.StopAsync(cancellationToken);
            await service.ExecuteTask!;
            service.Dispose();
        }
    }

    private static InboxUpdate Stored(long id, long chatId, string text) =>
        new(id, FakeUpdates.Text(chatId, text, updateId: id).ToJsonString());

    [Fact]
    public async Task A_slow_chat_does_not_hold_up_the_updates_that_come_after_it()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.OnDispatch = e => e.Chat == TestBots.Chat(131) ? slow.Task : Task.CompletedTask;
        await StartAsync();

        var held = _server.EnqueueText(131, "slow");
        await _dispatcher.WaitForAsync(1);
        var next = _server.EnqueueText(132, "fast");

        // Received, confirmed, handled and removed while the first one is still in hand.
        await _server.WaitForOffsetAsync(next + 1);
        await _inbox.WaitUntilPendingAsync(held);
        Assert.Equal(["slow", "fast"], _dispatcher.Events.Select(e => e.Text));
        Assert.False(slow.Task.IsCompleted);

        slow.SetResult();
        await _inbox.WaitUntilEmptyAsync();
    }

    [Fact]
    public async Task Updates_left_in_the_inbox_are_handled_at_start_in_update_id_order_then_polling_goes_on()
    {
        await _inbox.Inbox.PutAsync(_inbox.Source, [Stored(30, 141, "third"), Stored(10, 141, "first"), Stored(20, 142, "second")], [], default);

        await StartAsync();
        await _dispatcher.WaitForAsync(3);
        await _inbox.WaitUntilEmptyAsync();

        Assert.Equal(["10", "20", "30"], _dispatcher.Events.Select(e => e.DeliveryId));
        Assert.Equal(["first", "second", "third"], _dispatcher.Events.Select(e => e.Text));
        var later = _server.EnqueueText(141, "fourth");
        await _server.WaitForOffsetAsync(later + 1);
        Assert.Equal("fourth", _dispatcher.Events.Last().Text);
    }

    [Fact]
    public async Task Unreadable_entries_left_in_the_inbox_are_removed_at_start_not_kept_forever()
    {
        await _inbox.Inbox.PutAsync(
            _inbox.Source,
            [new InboxUpdate(5, FakeUpdates.Malformed(151, updateId: 5).ToJsonString()), new InboxUpdate(6, "not json {"), Stored(7, 151, "readable")],
            [],
            default);

        await StartAsync();
        await _dispatcher.WaitForAsync(1);
        await _inbox.WaitUntilEmptyAsync();

        Assert.Equal("readable", Assert.Single(_dispatcher.Events).Text);
    }

    [Fact]
    public async Task At_the_in_flight_bound_the_next_getUpdates_waits_until_an_update_is_done()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releasedBefore = new ConcurrentDictionary<string, bool>();
        _dispatcher.OnDispatch = e =>
        {
            releasedBefore[e.Text!] = release.Task.IsCompleted;
            return release.Task;
        };
        _server.EnqueueText(171, "a");
        _server.EnqueueText(172, "b");
        var last = _server.EnqueueText(173, "c");
        await StartAsync(configure: o => o.MaxUpdatesInFlight = 2);

        await _dispatcher.WaitForAsync(2);
        release.SetResult();
        await _dispatcher.WaitForAsync(3);
        await _server.WaitForOffsetAsync(last + 1);
        await _inbox.WaitUntilEmptyAsync();

        Assert.Equal(["a", "b", "c"], _dispatcher.Events.Select(e => e.Text));
        Assert.True(releasedBefore["c"], "the third update was taken while two were in hand");
        Assert.All(_server.CallsTo("getUpdates"), call => Assert.InRange(call.GetLong("limit") ?? 100, 1, 2));
    }

    [Fact]
    public async Task Handling_cut_short_by_the_shutdown_timeout_stays_in_the_inbox_and_is_handled_at_the_next_start()
    {
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dispatcher.OnDispatch = _ => never.Task;
        await StartAsync();
        var id = _server.EnqueueText(161, "cut short");
        await _dispatcher.WaitForAsync(1);

        // The host's shutdown timeout has run out: the work in hand is cancelled.
        using var timedOut = new CancellationTokenSource();
        await timedOut.CancelAsync();
        await StopAsync(timedOut.Token);
        Assert.True(Assert.Single(_dispatcher.Tokens).IsCancellationRequested);
        Assert.Equal([id], (await _inbox.PendingAsync()).Select(u => u.Id));

        _dispatcher.OnDispatch = null;
        await StartAsync();
        await _dispatcher.WaitForAsync(2);
        await _inbox.WaitUntilEmptyAsync();
        Assert.All(_dispatcher.Events, e => Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.DeliveryId));
    }

    [SkippableFact]
    public async Task Redis_down_at_the_put_keeps_the_offset_and_the_updates_are_handled_once_it_is_back()
    {
        using var redis = new RedisServerFixture();
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var storage = PollingInbox.Services(redis.ConnectionString + ",connectTimeout=500,asyncTimeout=500,syncTimeout=500").BuildServiceProvider();
        var inbox = new PollingInbox(storage, _server);
        await StartAsync(inbox.Inbox);
        var before = _server.EnqueueText(181, "before");
        await _server.WaitForOffsetAsync(before + 1);
        await inbox.WaitUntilEmptyAsync();

        redis.Kill();
        var id = _server.EnqueueText(182, "while redis is down");
        await _server.WaitForDeliveryAsync(id);
        var polls = _server.CallsTo("getUpdates").Count;

        // Asked for again and again: each answer carries the same update, each put fails, the offset stays.
        await _server.WaitForCallsAsync("getUpdates", polls + 2, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(before + 1, _server.ConfirmedOffset);
        Assert.Equal(1, _server.PendingUpdateCount);
        Assert.Equal(["before"], _dispatcher.Events.Select(e => e.Text));

        redis.StartAgain();
        await _server.WaitForOffsetAsync(id + 1, TimeSpan.FromSeconds(30));
        await inbox.WaitUntilEmptyAsync();
        Assert.Equal(["before", "while redis is down"], _dispatcher.Events.Select(e => e.Text));
    }
}
