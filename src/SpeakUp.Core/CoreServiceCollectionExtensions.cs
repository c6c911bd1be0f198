using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core;

/// <summary>Settings of the campaign calendar (section "Campaigns").</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Path of the calendar; relative paths are read from the config folder's parent (the repo root or the app folder).</summary>
    public string File { get; set; } = "config/campaigns.yaml";

    /// <summary>How often (seconds) the file is checked for changes and re-imported; 0 = only at start.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public double CheckSeconds { get; set; } = 5;
}

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the channel-agnostic core: options, locales from <paramref name="configRoot"/>/config/locales, the campaign
    /// calendar, the supporter workflow, the conversation engine and the per-chat dispatcher.
    /// Locales and the calendar are loaded once at start; a broken file stops the host with its name and line.
    /// </summary>
    public static IServiceCollection AddSpeakUpCore(this IServiceCollection services, IConfiguration configuration, string configRoot)
    {
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CampaignOptions>().Bind(configuration.GetSection(CampaignOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new TodayClock(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<BotOptions>>().Value.ResolveTimeZone()));
        services.AddSingleton<ILocalizer>(sp => JsonLocalizer.FromDirectory(
            Path.Combine(configRoot, "config", "locales"),
            sp.GetRequiredService<IOptions<BotOptions>>().Value.DefaultLanguage));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CampaignOptions>>().Value;
            var path = Path.IsPathRooted(options.File) ? options.File : Path.Combine(configRoot, options.File);
            return new CampaignFileLocation(path, TimeSpan.FromSeconds(options.CheckSeconds));
        });
        services.AddSingleton<ICampaignCalendar>(sp => new CampaignCalendar(
            CampaignFileParser.LoadFile(sp.GetRequiredService<CampaignFileLocation>().Path, sp.GetRequiredService<ILocalizer>().Languages)));
        services.TryAddSingleton<IRoleDirectory, ConfiguredRoleDirectory>();
        services.AddSingleton<SupporterWorkflow>();
        services.AddSingleton<ConversationEngine>();
        services.AddSingleton<IMessageSender, MessageRouter>();
        services.AddSingleton<IInboundDispatcher>(sp => new InboundDispatcher(
            sp.GetRequiredService<ConversationEngine>(),
            sp.GetRequiredService<ILogger<InboundDispatcher>>()));
        return services;
    }
}
