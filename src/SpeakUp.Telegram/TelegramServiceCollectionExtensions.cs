using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using Telegram.Bot;

namespace SpeakUp.Telegram;

/// <summary>Wires the Telegram channel into a host.</summary>
public static class TelegramServiceCollectionExtensions
{
    private const string HttpClientKey = "SpeakUp.Telegram";

    /// <summary>
    /// Binds and validates the "Telegram" section. With a bot token: the Bot API client, an <see cref="IChannelSender"/>
    /// for "tg", and the polling service or the webhook registration (per <see cref="TelegramOptions.Mode"/>).
    /// Without one: nothing that talks to Telegram, and one log line at start saying how to turn it on.
    /// Needs an <c>IInboundDispatcher</c> and (for the command menu) an <c>ILocalizer</c> registered by the core, and in
    /// polling mode an <c>IUpdateInbox</c> (<c>AddRedisStorage</c> registers one).
    /// </summary>
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelegramOptions.SectionName);
        services.AddOptions<TelegramOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Which services exist is decided now; the values they use are validated at start.
        var settings = section.Get<TelegramOptions>() ?? new TelegramOptions();
        if (!settings.Enabled)
        {
            services.AddHostedService<TelegramOffNotice>();
            return services;
        }

        services.AddKeyedSingleton(HttpClientKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            };
            return new HttpClient(handler) { Timeout = o.HttpTimeout };
        });
        services.TryAddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var http = sp.GetRequiredKeyedService<HttpClient>(HttpClientKey);

            // Retries are ours (TelegramSender, the polling loop): the library's own 429 retry would block silently.
            var clientOptions = new TelegramBotClientOptions(o.BotToken!.Trim(), o.ApiBaseUrl) { RetryThreshold = 0, RetryCount = 0 };
            return new TelegramBotClient(clientOptions, http);
        });
        services.AddSingleton<IChannelSender, TelegramSender>();
        services.AddSingleton<SpeakUp.Core.Broadcasts.IBroadcastChannel, TelegramBroadcastSender>();
        services.AddSingleton<SpeakUp.Core.Submissions.IChannelPublisher, TelegramPublisher>();
        services.AddSingleton<SpeakUp.Core.Admin.IFileSender, TelegramFileSender>().AddSingleton<SpeakUp.Core.Admin.IBotLinks, TelegramBotLinks>();
        services.TryAddSingleton<TelegramUpdateHandler>();
        services.TryAddSingleton<TelegramCommandsPublisher>();
        if (settings.Mode == TelegramMode.Webhook)
        {
            services.AddHostedService<TelegramWebhookRegistration>();
        }
        else
        {
            services.AddHostedService<TelegramPollingService>();
        }

        return services;
    }

    /// <inheritdoc cref="AddTelegramChannel(IServiceCollection, IConfiguration)"/>
    public static IHostApplicationBuilder AddTelegramChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTelegramChannel(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Maps <c>POST</c> on the path of <see cref="TelegramOptions.WebhookUrl"/> (default /telegram/webhook) when Telegram
    /// is on in Webhook mode; maps nothing otherwise, so a host can always call it.
    /// </summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (options.Enabled && options.Mode == TelegramMode.Webhook)
        {
            endpoints.MapPost(options.WebhookPath, TelegramWebhookEndpoint.HandleAsync).WithDisplayName("Telegram webhook");
        }

        return endpoints;
    }
}

/// <summary>Says once, at start, that Telegram is off and how to turn it on.</summary>
internal sealed class TelegramOffNotice(ILogger<TelegramOffNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.TelegramOff(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
