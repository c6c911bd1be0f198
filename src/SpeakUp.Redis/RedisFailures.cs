using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>Turns the client's "server not reachable right now" errors into the core's <see cref="StorageUnavailableException"/>.</summary>
internal static class RedisFailures
{
    public static async Task<T> GuardAsync<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException("Redis is unreachable: " + ex.Message, ex);
        }
    }

    public static async Task GuardAsync(Task call, CancellationToken cancellationToken)
    {
        try
        {
            await call.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new StorageUnavailableException("Redis is unreachable: " + ex.Message, ex);
        }
    }

    /// <summary>Connection loss, timeouts, and a server still loading its data after a restart.</summary>
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal),
        _ => false,
    };
}
