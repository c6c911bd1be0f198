using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis;

namespace SpeakUp.Web;

/// <summary>Wires the web chat channel into a host.</summary>
public static class WebChatServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the "Web" section (<see cref="WebChatOptions"/>; Web:Simulator defaults to on only when
    /// Telegram:BotToken is empty). When Web:Enabled: the <see cref="IChannelSender"/> for "web", the history in Redis and
    /// the services behind <see cref="MapWebChat"/>. Needs the core (IInboundDispatcher, ILocalizer) and the Redis storage
    /// (IConnectionMultiplexer, ISessionStore, RedisOptions for the key prefix).
    /// </summary>
    public static IServiceCollection AddWebChannel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(WebChatOptions.Section);
        var hasTelegramToken = !string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]);

        // Web:Simulator unset (or empty) means "on unless there is a bot token"; an explicit value wins.
        services.AddOptions<WebChatOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(section[nameof(WebChatOptions.Simulator)]))
                {
                    o.Simulator = !hasTelegramToken;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebChatOptions>, WebChatOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService(sp => new WebChatNotice(
            sp.GetRequiredService<IOptions<WebChatOptions>>(),
            hasTelegramToken,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetService<IServer>(),
            sp.GetRequiredService<ILogger<WebChatNotice>>()));

        if (!section.GetValue(nameof(WebChatOptions.Enabled), true))
        {
            return services;
        }

        services.TryAddSingleton(sp => new WebChatKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton<WebChatHistory>();
        services.TryAddSingleton<WebChatHub>();
        services.TryAddSingleton<WebIdentity>();
        services.TryAddSingleton<WebAssets>();
        services.TryAddSingleton<WebChatHandlers>();
        services.AddSingleton<IChannelSender, WebChatSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISupporterDataEraser, WebUploadEraser>());
        return services;
    }

    /// <summary>
    /// Maps the chat: <c>GET /</c> and <c>/chat</c> (the page), <c>/chat/chat.js</c>, <c>/chat/chat.css</c>, <c>/widget.js</c>,
    /// <c>GET /chat/session</c>, <c>/chat/history</c>, <c>/chat/events</c> (SSE), <c>POST /chat/messages</c>,
    /// <c>/chat/buttons</c>, <c>/chat/media</c>, and CORS preflights. Maps nothing when Web:Enabled is false, so a host can
    /// always call it. Needs no middleware: security headers and CORS are answered by the endpoints themselves.
    /// </summary>
    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<WebChatOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }

        if (endpoints.ServiceProvider.GetService<WebChatHandlers>() is null)
        {
            throw new InvalidOperationException("MapWebChat needs AddWebChannel(configuration) on the services first.");
        }

        Map(endpoints, "GET", "/", (h, c) => h.PageAsync(c), "Web chat page");
        Map(endpoints, "GET", "/chat", (h, c) => h.PageAsync(c), "Web chat page (/chat)");
        Map(endpoints, "GET", "/chat/chat.js", (h, c) => h.AssetAsync(c, WebAssets.Script), "Web chat script");
        Map(endpoints, "GET", "/chat/chat.css", (h, c) => h.AssetAsync(c, WebAssets.Style), "Web chat style");
        Map(endpoints, "GET", "/widget.js", (h, c) => h.WidgetAsync(c), "Web chat widget");
        Map(endpoints, "GET", "/chat/session", (h, c) => h.SessionAsync(c), "Web chat session");
        Map(endpoints, "GET", "/chat/history", (h, c) => h.HistoryAsync(c), "Web chat history");
        Map(endpoints, "GET", "/chat/events", (h, c) => h.EventsAsync(c), "Web chat events");
        Map(endpoints, "POST", "/chat/messages", (h, c) => h.PostMessageAsync(c), "Web chat message");
        Map(endpoints, "POST", "/chat/buttons", (h, c) => h.PostButtonAsync(c), "Web chat button");
        Map(endpoints, "POST", "/chat/media", (h, c) => h.PostMediaAsync(c), "Web chat media");
        Map(endpoints, "OPTIONS", "/chat/{**rest}", (h, c) => h.PreflightAsync(c), "Web chat CORS preflight");
        Map(endpoints, "OPTIONS", "/widget.js", (h, c) => h.PreflightAsync(c), "Web chat widget CORS preflight");
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string method, string pattern, Func<WebChatHandlers, HttpContext, Task> handler, string name)
    {
        var methods = method == "GET" ? new[] { "GET", "HEAD" } : [method];
        endpoints.MapMethods(pattern, methods, (RequestDelegate)(context =>
        {
            var handlers = context.RequestServices.GetRequiredService<WebChatHandlers>();
            WebSecurity.ApplyDefaults(context, context.RequestServices.GetRequiredService<IOptions<WebChatOptions>>().Value);
            return handler(handlers, context);
        })).WithDisplayName(name);
    }
}

/// <summary>Says at start whether the web chat runs, where, and warns when the simulator is on next to a real bot token.</summary>
internal sealed class WebChatNotice(
    IOptions<WebChatOptions> options,
    bool hasTelegramToken,
    IHostApplicationLifetime lifetime,
    IServer? server,
    ILogger<WebChatNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            Log.WebChatOff(logger);
            return Task.CompletedTask;
        }

        if (o.Simulator && hasTelegramToken)
        {
            Log.SimulatorWithToken(logger);
        }
        else if (o.Simulator)
        {
            Log.SimulatorOn(logger);
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            {
                Log.ChatUrl(logger, address.TrimEnd('/') + "/");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
