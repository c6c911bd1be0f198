using Microsoft.Extensions.Logging;

namespace SpeakUp.Redis;

/// <summary>
/// Every log line of the storage layer. Event names are a contract (dashboards and alerts use them): don't rename.
/// Connection strings are logged without their password.
/// </summary>
internal static partial class Log
{
    // 1xx: embedded Garnet
    [LoggerMessage(100, LogLevel.Information, "Embedded Garnet listening on 127.0.0.1:{Port}, data in {DataDir}, memory {Memory}", EventName = "EmbeddedGarnetStarted")]
    public static partial void EmbeddedGarnetStarted(ILogger logger, int port, string dataDir, string memory);

    [LoggerMessage(101, LogLevel.Information, "Embedded Garnet checkpoint taken in {DataDir}", EventName = "EmbeddedGarnetCheckpointed")]
    public static partial void EmbeddedGarnetCheckpointed(ILogger logger, string dataDir);

    [LoggerMessage(102, LogLevel.Warning, "Embedded Garnet checkpoint in {DataDir} failed; the next start replays the append-only file instead", EventName = "EmbeddedGarnetCheckpointFailed")]
    public static partial void EmbeddedGarnetCheckpointFailed(ILogger logger, string dataDir, Exception exception);

    [LoggerMessage(103, LogLevel.Information, "Embedded Garnet on port {Port} stopped", EventName = "EmbeddedGarnetStopped")]
    public static partial void EmbeddedGarnetStopped(ILogger logger, int port);

    [LoggerMessage(104, LogLevel.Debug, "Port {Port} was taken before Garnet could bind it; trying another", EventName = "EmbeddedGarnetPortTaken")]
    public static partial void EmbeddedGarnetPortTaken(ILogger logger, int port, Exception exception);

    // 2xx: connection
    [LoggerMessage(200, LogLevel.Information, "Connecting to Redis at {Configuration}", EventName = "RedisConnecting")]
    public static partial void Connecting(ILogger logger, string configuration);

    [LoggerMessage(201, LogLevel.Warning, "Redis connection to {EndPoint} failed ({FailureType}); reconnecting", EventName = "RedisConnectionFailed")]
    public static partial void ConnectionFailed(ILogger logger, string? endPoint, string failureType, Exception? exception);

    [LoggerMessage(202, LogLevel.Information, "Redis connection to {EndPoint} restored", EventName = "RedisConnectionRestored")]
    public static partial void ConnectionRestored(ILogger logger, string? endPoint);

    [LoggerMessage(203, LogLevel.Debug, "Redis did not answer PING", EventName = "RedisPingFailed")]
    public static partial void PingFailed(ILogger logger, Exception exception);
}
