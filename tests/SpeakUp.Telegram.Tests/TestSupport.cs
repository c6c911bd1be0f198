using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Telegram;
using Telegram.Bot;

namespace SpeakUp.Telegram.Tests;

internal static class Fixtures
{
    public static string Directory { get; } = SpeakUp.Testing.RepoPaths.SharedFixtures("telegram");

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name + ".json"));
}

/// <summary>Records dispatched events; can hold handling until released, or fail.</summary>
internal sealed class RecordingDispatcher : IInboundDispatcher
{
    private readonly ConcurrentQueue<InboundEvent> _events = new();
    private readonly object _lock = new();
    private readonly List<(Func<IReadOnlyCollection<InboundEvent>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>When set, handling of an event waits for this task.</summary>
    public Func<InboundEvent, Task>? OnDispatch { get; set; }

    public IReadOnlyCollection<InboundEvent> Events => _events.ToArray();

    /// <summary>The cancellation token each dispatch was given.</summary>
    public IReadOnlyCollection<CancellationToken> Tokens => _tokens.ToArray();

    private readonly ConcurrentQueue<CancellationToken> _tokens = new();

    public async Task DispatchAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        _tokens.Enqueue(cancellationToken);
        _events.Enqueue(inbound);
        lock (_lock)
        {
            var all = _events.ToArray();
            foreach (var w in _waiters.Where(w => w.Condition(all)).ToList())
            {
                w.Done.TrySetResult();
                _waiters.Remove(w);
            }
        }

        if (OnDispatch is { } hook)
        {
            await hook(inbound).WaitAsync(cancellationToken);
        }
    }

    public Task WaitForAsync(int count, TimeSpan? timeout = null) => WaitForAsync(e => e.Count >= count, timeout);

    public async Task WaitForAsync(Func<IReadOnlyCollection<InboundEvent>, bool> condition, TimeSpan? timeout = null)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_events.ToArray()))
            {
                return;
            }

            _waiters.Add((condition, tcs));
        }

        await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
    }
}

internal sealed class FakeLocalizer : ILocalizer
{
    public IReadOnlyList<string> Languages { get; } = ["hi", "en"];

    public string DefaultLanguage => "hi";

    public bool Supports(string? language) => language is "hi" or "en";

    public MessageText Format(string language, string key, params ReadOnlySpan<(string Name, string Value)> values) => MessageText.Plain(Plain(language, key));

    public string Plain(string language, string key, params ReadOnlySpan<(string Name, string Value)> values) => $"{language}:{key}";

    public System.Globalization.CultureInfo Culture(string language) => System.Globalization.CultureInfo.GetCultureInfo(language);
}

internal static class TestBots
{
    public static TelegramOptions Options(FakeTelegramServer server, Action<TelegramOptions>? configure = null)
    {
        var o = new TelegramOptions
        {
            BotToken = server.Token,
            ApiBaseUrl = server.BaseUrl.ToString(),
            PollingTimeoutSeconds = 1,
            RetryBaseDelayMilliseconds = 10,
            MaxPollingBackoffSeconds = 1,
        };
        configure?.Invoke(o);
        return o;
    }

    public static TelegramBotClient Client(FakeTelegramServer server, HttpClient http) =>
        new(new TelegramBotClientOptions(server.Token, server.BaseUrl.ToString()) { RetryThreshold = 0, RetryCount = 0 }, http);

    public static TelegramSender Sender(FakeTelegramServer server, HttpClient http, Action<TelegramOptions>? configure = null) =>
        new(Client(server, http), Microsoft.Extensions.Options.Options.Create(Options(server, configure)), TimeProvider.System, NullLogger<TelegramSender>.Instance);

    private static long s_chat = 7_000_000;

    /// <summary>A chat id no other test uses.</summary>
    public static long NewChatId() => Interlocked.Increment(ref s_chat);

    public static ChatKey Chat(long id) => TelegramChatKeys.For(id);

    public static IOptions<TelegramOptions> Wrap(TelegramOptions o) => Microsoft.Extensions.Options.Options.Create(o);
}
