using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpeakUp.Core.Conversations;

namespace SpeakUp.Core.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// The admin side in chat: staff commands (/admins, /stats, /export, /audit) and referrals (/invite, /leaderboard) as
    /// interceptors. Needs storage (<see cref="IRoleStore"/>, <see cref="IStatsReader"/>, <see cref="IReferralStore"/>,
    /// <see cref="ISupporterExportSource"/>) and an <see cref="IStatsChart"/> registered by other projects.
    /// </summary>
    public static IServiceCollection AddSpeakUpAdmin(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundInterceptor, StaffCommands>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundInterceptor, ReferralCommands>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundInterceptor, CampaignCommands>());
        return services;
    }
}
