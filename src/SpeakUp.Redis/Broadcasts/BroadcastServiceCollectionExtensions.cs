using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpeakUp.Core;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Redis.Broadcasts;

/// <summary>Settings of the daily prompt, read from the "Bot" section.</summary>
public sealed class DailyPromptOptions
{
    /// <summary>When the day's prompt goes out (HH:mm in Bot:TimeZone).</summary>
    public string DailyPromptTime { get; set; } = "09:00";
}

public static class BroadcastServiceCollectionExtensions
{
    /// <summary>
    /// Registers broadcasts: <see cref="BroadcastOptions"/> (validated at start), the Redis job store, the runner and its
    /// hosted loops, the daily prompt planner, <see cref="BroadcastService"/>, and the decorator that makes every
    /// interactive send count against the shared rate. Call after AddSpeakUpCore and AddRedisStorage.
    /// </summary>
    public static IServiceCollection AddBroadcasts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BroadcastOptions>().Bind(configuration.GetSection(BroadcastOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BroadcastOptions>, BroadcastOptionsValidator>();
        services.AddOptions<DailyPromptOptions>().Bind(configuration.GetSection(BotOptions.Section)).Validate(
            o => TimeOnly.TryParseExact(o.DailyPromptTime, "HH:mm", out _),
            "Bot:DailyPromptTime must be HH:mm (e.g. 09:00).").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisBroadcastStore>();
        services.AddSingleton<IBroadcastStore>(sp => sp.GetRequiredService<RedisBroadcastStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<SpeakUp.Core.Sessions.ISupporterDataEraser, BroadcastEraser>());
        services.AddSingleton<BroadcastRenderer>();
        services.AddSingleton<BroadcastSendWindow>();
        services.AddSingleton<InteractiveRateShare>();
        services.AddSingleton<BroadcastRunner>();
        services.AddSingleton<BroadcastService>();
        services.AddSingleton<IBroadcastDraftStore, RedisBroadcastDraftStore>();
        services.AddSingleton<SpeakUp.Core.Conversations.IInboundInterceptor, BroadcastComposer>();
        services.AddSingleton(sp => new DailyPromptPlanner(
            sp.GetRequiredService<ICampaignCalendar>(),
            sp.GetRequiredService<ILocalizer>(),
            sp.GetRequiredService<TodayClock>(),
            TimeOnly.ParseExact(sp.GetRequiredService<IOptions<DailyPromptOptions>>().Value.DailyPromptTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        services.AddHostedService<BroadcastHostedService>();

        // Decorate the router registered by the core: replies take their share of the rate first.
        var router = services.LastOrDefault(d => d.ServiceType == typeof(IMessageSender));
        if (router?.ImplementationType is { } routerType)
        {
            services.Remove(router);
            services.AddSingleton(routerType);
            services.AddSingleton<IMessageSender>(sp => ActivatorUtilities.CreateInstance<RateSharingMessageSender>(sp, (IMessageSender)sp.GetRequiredService(routerType)));
        }

        return services;
    }
}
