using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;

namespace SpeakUp.Redis.Admin;

public static class RedisAdminServiceCollectionExtensions
{
    /// <summary>
    /// Admin storage in Redis: the staff roster (replacing the configuration-only <see cref="IRoleDirectory"/>, seeded from
    /// Bot:AdminIds and Bot:ModeratorIds at start), stats, referrals and the supporter and submission exports. Call after AddRedisStorage.
    /// </summary>
    public static IServiceCollection AddRedisAdmin(this IServiceCollection services)
    {
        services.AddSingleton<RedisRoleDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IRoleDirectory>(sp => sp.GetRequiredService<RedisRoleDirectory>()));
        services.AddSingleton<IRoleStore>(sp => sp.GetRequiredService<RedisRoleDirectory>());
        services.AddSingleton<IStatsReader, RedisStatsReader>();
        services.AddSingleton<RedisReferrals>();
        services.AddSingleton<IReferralStore>(sp => sp.GetRequiredService<RedisReferrals>());
        services.AddSingleton<ISupporterExportSource, RedisSupporterExport>();
        services.AddSingleton<ISubmissionExportSource, RedisSubmissionExport>();
        services.AddSingleton<IStaffDrafts, RedisStaffDrafts>();
        services.AddHostedService<RosterWarmUp>();

        // The calendar: the file as parsed by the core (so a broken file still stops the host), merged into Redis at start
        // and again whenever the file changes, served from memory and swapped when the store changes.
        var fileCalendar = services.LastOrDefault(d => d.ServiceType == typeof(ICampaignCalendar));
        if (fileCalendar?.ImplementationFactory is { } parseFile)
        {
            services.AddSingleton(sp => new CampaignFileCalendar((ICampaignCalendar)parseFile(sp)));
            services.AddSingleton(sp => new LiveCampaignCalendar(sp.GetRequiredService<CampaignFileCalendar>().Calendar.All));
            services.Replace(ServiceDescriptor.Singleton<ICampaignCalendar>(sp => sp.GetRequiredService<LiveCampaignCalendar>()));
            services.AddSingleton<RedisCampaignStore>();
            services.AddSingleton<ICampaignStore>(sp => sp.GetRequiredService<RedisCampaignStore>());
            services.AddSingleton<CampaignImporter>();
            services.AddSingleton<CampaignCalendarSync>();
            services.AddHostedService(sp => sp.GetRequiredService<CampaignCalendarSync>());
        }

        return services;
    }
}

/// <summary>
/// Seeds the roster from configuration and subscribes to changes while the host starts, not on the first message. With
/// Redis down the host still starts; the first lookup tries again.
/// </summary>
internal sealed partial class RosterWarmUp(RedisRoleDirectory roles, ILogger<RosterWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await roles.InitializeAsync(cancellationToken);
        }
        catch (StorageUnavailableException ex)
        {
            LogDeferred(logger, ex);
        }
    }

    [LoggerMessage(EventId = 602, EventName = "RosterDeferred", Level = LogLevel.Warning, Message = "Redis is unreachable at start: the staff roster is loaded on first use")]
    private static partial void LogDeferred(ILogger logger, Exception exception);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
