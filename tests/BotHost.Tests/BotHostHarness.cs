using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.BotHost;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests;

/// <summary>
/// The real host (SpeakUpApp, the same composition Program.cs runs) on a free loopback port, with the real Telegram.Bot
/// client talking HTTP to a <see cref="FakeTelegramServer"/>, and a real Redis-protocol server from a fixture.
/// Each harness gets its own key prefix, so harnesses share one server and run in parallel.
/// </summary>
internal sealed class BotHostHarness : IAsyncDisposable
{
    /// <summary>26 November 2026, 09:30 in India: the sample calendar runs #SpeakUpForFarmers that day.</summary>
    public static readonly DateTimeOffset CampaignMorning = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    private BotHostHarness(FakeTelegramServer telegram, WebApplication app, string keyPrefix, RedisTestServer redis)
    {
        Telegram = telegram;
        App = app;
        KeyPrefix = keyPrefix;
        Redis = redis;
    }

    public FakeTelegramServer Telegram { get; }

    public WebApplication App { get; private set; }

    public string KeyPrefix { get; }

    public RedisTestServer Redis { get; }

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<BotHostHarness> StartAsync(
        RedisTestServer redis,
        Action<Dictionary<string, string?>>? settings = null,
        string? keyPrefix = null,
        DateTimeOffset? now = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var telegram = await FakeTelegramServer.StartAsync();
        keyPrefix ??= RedisTestServer.NewKeyPrefix();
        var values = BaseSettings(telegram, redis, keyPrefix);
        settings?.Invoke(values);
        var app = BuildApp(values, now, configure);
        await app.StartAsync();
        return new BotHostHarness(telegram, app, keyPrefix, redis);
    }

    public static Dictionary<string, string?> BaseSettings(FakeTelegramServer telegram, RedisTestServer redis, string keyPrefix) => new()
    {
        ["Telegram:BotToken"] = telegram.Token,
        ["Telegram:ApiBaseUrl"] = telegram.BaseUrl.ToString(),
        ["Telegram:PollingTimeoutSeconds"] = "1",
        ["Telegram:RetryBaseDelayMilliseconds"] = "20",
        ["Redis:ConnectionString"] = redis.ConnectionString,
        ["Redis:KeyPrefix"] = keyPrefix,
        ["Http:Urls"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Builds the host as Program.cs does, with test settings layered last and the clock set to a campaign day.</summary>
    public static WebApplication BuildApp(Dictionary<string, string?> values, DateTimeOffset? now = null, Action<WebApplicationBuilder>? configure = null) =>
        SpeakUpApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(now ?? CampaignMorning));
            configure?.Invoke(builder);
        },
        services => services.ObserveUpdateInbox());

    /// <summary>Stops the host (finishing in-flight work) and starts a new one on the same settings and Redis.</summary>
    public async Task RestartAsync(Dictionary<string, string?> values)
    {
        await App.StopAsync();
        await App.DisposeAsync();
        App = BuildApp(values);
        await App.StartAsync();
    }

    public Task<Session?> LoadSessionAsync(long chatId) =>
        App.Services.GetRequiredService<ISessionStore>().LoadAsync(new ChatKey("tg", chatId.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);

    /// <summary>Sends text as the person and waits until the bot has sent <paramref name="replies"/> more messages to them.</summary>
    public async Task<IReadOnlyList<FakeSentMessage>> SayAsync(long chatId, string text, int replies = 1, string? languageCode = "hi")
    {
        var before = Telegram.MessagesTo(chatId).Count;
        Telegram.EnqueueText(chatId, text, languageCode: languageCode);
        var all = await Telegram.WaitForMessagesAsync(chatId, before + replies);
        return all.Skip(before).ToList();
    }

    /// <summary>Presses a button under one of the bot's messages and waits for the replies.</summary>
    public async Task<IReadOnlyList<FakeSentMessage>> PressAsync(FakeSentMessage message, string data, int replies = 1)
    {
        var before = Telegram.MessagesTo(message.ChatId).Count;
        var updateId = Telegram.Press(message, data);
        if (replies == 0)
        {
            await WaitForHandledAsync(updateId);
            return [];
        }

        var all = await Telegram.WaitForMessagesAsync(message.ChatId, before + replies);
        return all.Skip(before).ToList();
    }

    /// <summary>
    /// Waits until the bot has handled every update up to <paramref name="updateId"/>. Confirmed to Telegram (the offset)
    /// only says it is in the bot's inbox; it is handled once it has left the inbox as well.
    /// </summary>
    public async Task WaitForHandledAsync(long updateId)
    {
        // The offset moves only after the put, so by then the inbox's mirror holds the update.
        await Telegram.WaitForOffsetAsync(updateId + 1);
        await App.Services.GetRequiredService<ObservedUpdateInbox>().WaitUntilHandledAsync(updateId, TimeSpan.FromSeconds(30));
    }

    /// <summary>Pages the state keyboard forward with its "next" button, which edits the same message.</summary>
    public async Task<FakeSentMessage> TurnToPageAsync(FakeSentMessage keyboard, int page)
    {
        for (var p = 1; p <= page; p++)
        {
            await PressAsync(keyboard, "p:" + p.ToString(System.Globalization.CultureInfo.InvariantCulture), replies: 0);
            keyboard = Telegram.GetMessage(keyboard.ChatId, keyboard.MessageId)!;
        }

        return keyboard;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Telegram.DisposeAsync();
    }
}

/// <summary>Real time shifted to a fixed start, so "today" is a known campaign day while timers and delays stay real.</summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
