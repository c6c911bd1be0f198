using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Sessions;

namespace SpeakUp.Core.Submissions;

public static class SubmissionServiceCollectionExtensions
{
    /// <summary>
    /// Submissions and review: options (validated at start), the flood limit, the confirmation step, /review, and the
    /// eraser that deletes a supporter's submissions when they send /forgetme.
    /// Needs an <see cref="ISubmissionStore"/> and an <see cref="IFloodGate"/> (Redis), and uses the channel's
    /// <see cref="IChannelPublisher"/> when one is registered before this call (Telegram), else approvals are not posted.
    /// </summary>
    public static IServiceCollection AddSubmissions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SubmissionOptions>().Bind(configuration.GetSection(SubmissionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection(PublishingOptions.Section));
        services.TryAddSingleton<IChannelPublisher, NoChannelPublisher>();
        services.AddSingleton<ModeratorNotifier>();
        services.AddSingleton<IInboundInterceptor, FloodInterceptor>();
        services.AddSingleton<IInboundInterceptor, ReviewInterceptor>();
        services.AddSingleton<IInboundInterceptor, SubmissionConfirmInterceptor>();
        services.AddSingleton<ISupporterDataEraser, SubmissionEraser>();
        return services;
    }
}
