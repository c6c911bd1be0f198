using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Submissions;

namespace SpeakUp.Redis.Submissions;

public static class RedisSubmissionServiceCollectionExtensions
{
    /// <summary>Submissions and review (<see cref="SubmissionServiceCollectionExtensions.AddSubmissions"/>) stored in Redis.</summary>
    public static IServiceCollection AddRedisSubmissions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISubmissionStore, RedisSubmissionStore>();
        services.AddSingleton<IFloodGate, RedisFloodGate>();
        return services.AddSubmissions(configuration);
    }
}
