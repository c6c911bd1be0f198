using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>Whether the store answers right now (for /readyz).</summary>
public interface IRedisHealth
{
    /// <summary>True when a PING is answered; false when disconnected, timed out or refused. Never throws for an outage.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

internal sealed class RedisHealth(IConnectionMultiplexer redis, ILogger<RedisHealth> logger) : IRedisHealth
{
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            return false;
        }

        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PingFailed(logger, ex);
            return false;
        }
    }
}
