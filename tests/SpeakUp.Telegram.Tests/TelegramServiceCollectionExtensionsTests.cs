using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using Telegram.Bot;

namespace SpeakUp.Telegram.Tests;

public class TelegramServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, ListLoggerProvider? logs = null, IUpdateInbox? inbox = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddSingleton<IInboundDispatcher>(new RecordingDispatcher());
        if (inbox is not null)
        {
            services.AddSingleton(inbox);
        }

        services.AddTelegramChannel(config);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Without_a_token_nothing_talks_to_telegram_and_one_line_says_how_to_turn_it_on()
    {
        var logs = new ListLoggerProvider();
        await using var provider = Build(new() { ["Telegram:Mode"] = "Webhook" }, logs);

        Assert.Empty(provider.GetServices<IChannelSender>());
        Assert.Null(provider.GetService<ITelegramBotClient>());
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        await hosted.StartAsync(default);

        var line = Assert.Single(logs.Lines);
        Assert.StartsWith("Telegram is off: no bot token. Set Telegram__BotToken", line, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set Telegram:BotToken <token> --project src/BotHost", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_in_polling_mode_registers_the_sender_and_the_polling_service()
    {
        // Polling needs the update inbox the host's storage registers; this one is never reached.
        await using var storage = PollingInbox.Services("127.0.0.1:1,connectTimeout=200").BuildServiceProvider();
        await using var provider = Build(new() { ["Telegram:BotToken"] = "123:abc", ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9" }, inbox: storage.GetRequiredService<IUpdateInbox>());

        var sender = Assert.Single(provider.GetServices<IChannelSender>());
        Assert.Equal("tg", sender.Channel);
        Assert.IsType<TelegramPollingService>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Equal(123, provider.GetRequiredService<ITelegramBotClient>().BotId);
    }

    [Fact]
    public async Task With_a_token_in_webhook_mode_registers_the_webhook_service()
    {
        await using var provider = Build(new()
        {
            ["Telegram:BotToken"] = "123:abc",
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = "https://bot.example.org/telegram/webhook",
            ["Telegram:WebhookSecret"] = "abc",
        });

        Assert.IsType<TelegramWebhookRegistration>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Single(provider.GetServices<IChannelSender>());
    }

    [Fact]
    public async Task Another_channel_sender_can_coexist()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Telegram:BotToken"] = "123:abc" }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IChannelSender, OtherSender>();
        services.AddSingleton<IInboundDispatcher>(new RecordingDispatcher());
        services.AddTelegramChannel(config);
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(["web", "tg"], provider.GetServices<IChannelSender>().Select(s => s.Channel));
    }

    private sealed class OtherSender : IChannelSender
    {
        public string Channel => "web";

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) => Task.FromResult(SendResult.Ok());
    }
}

internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new ListLogger(_lines);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
