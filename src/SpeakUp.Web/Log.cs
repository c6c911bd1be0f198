using Microsoft.Extensions.Logging;

namespace SpeakUp.Web;

/// <summary>
/// Every log line of the web channel. Event names are a contract (dashboards and alerts use them): don't rename.
/// Never message bodies; chat ids are the derived web chat ids, never the browser's cookie value.
/// </summary>
internal static partial class Log
{
    // 1xx: setup
    [LoggerMessage(100, LogLevel.Information, "Web chat open at {Url}", EventName = "WebChatUrl")]
    public static partial void ChatUrl(ILogger logger, string url);

    [LoggerMessage(101, LogLevel.Warning, "Web:Simulator is on while a Telegram bot token is set: anyone who can open the web chat can act as any user id, admins included. Set Web__Simulator=false in production.", EventName = "SimulatorWithToken")]
    public static partial void SimulatorWithToken(ILogger logger);

    [LoggerMessage(102, LogLevel.Information, "Web chat simulator is on: the page can act as any user id (local development only)", EventName = "SimulatorOn")]
    public static partial void SimulatorOn(ILogger logger);

    [LoggerMessage(103, LogLevel.Information, "Web chat is off (Web:Enabled=false)", EventName = "WebChatOff")]
    public static partial void WebChatOff(ILogger logger);

    // 2xx: inbound
    [LoggerMessage(200, LogLevel.Warning, "Web chat post refused: {Reason} (from {RemoteIp})", EventName = "PostRefused")]
    public static partial void PostRefused(ILogger logger, string reason, string? remoteIp);

    [LoggerMessage(201, LogLevel.Information, "Web chat {ChatId} is sending too fast ({Count} posts this minute)", EventName = "RateLimited")]
    public static partial void RateLimited(ILogger logger, string chatId, long count);

    [LoggerMessage(202, LogLevel.Error, "Handling a web chat post for {ChatId} failed", EventName = "PostFailed")]
    public static partial void PostFailed(ILogger logger, string chatId, Exception exception);

    [LoggerMessage(203, LogLevel.Warning, "Storage unavailable for web chat {ChatId}", EventName = "StorageUnavailable")]
    public static partial void StorageUnavailable(ILogger logger, string chatId, Exception exception);

    [LoggerMessage(204, LogLevel.Information, "Web chat {ChatId} uploaded a {Kind} of {Bytes} bytes", EventName = "MediaStored")]
    public static partial void MediaStored(ILogger logger, string chatId, string kind, long bytes);

    [LoggerMessage(206, LogLevel.Information, "Deleted {Count} upload(s) of web chat {ChatId} at their request", EventName = "UploadsErased")]
    public static partial void UploadsErased(ILogger logger, string chatId, int count);

    [LoggerMessage(205, LogLevel.Debug, "Web chat {ChatId} acts as user {UserId} (simulator)", EventName = "ActingAs")]
    public static partial void ActingAs(ILogger logger, string chatId, string userId);

    // 3xx: sending
    [LoggerMessage(300, LogLevel.Debug, "Sent to web chat {ChatId} as message {MessageId}", EventName = "Sent")]
    public static partial void Sent(ILogger logger, string chatId, string messageId);

    [LoggerMessage(301, LogLevel.Error, "Sending to web chat {ChatId} failed", EventName = "SendFailed")]
    public static partial void SendFailed(ILogger logger, string chatId, Exception exception);

    [LoggerMessage(302, LogLevel.Error, "Cannot send to {Chat}: not a web chat", EventName = "NotWebChat")]
    public static partial void NotWebChat(ILogger logger, string chat);

    // 4xx: event streams
    [LoggerMessage(400, LogLevel.Debug, "Event stream for web chat {ChatId} opened after {AfterSeq}", EventName = "StreamOpened")]
    public static partial void StreamOpened(ILogger logger, string chatId, long afterSeq);

    [LoggerMessage(401, LogLevel.Debug, "Event stream for web chat {ChatId} refilled from history after {AfterSeq}", EventName = "StreamRefilled")]
    public static partial void StreamRefilled(ILogger logger, string chatId, long afterSeq);

    [LoggerMessage(402, LogLevel.Warning, "A web chat notice on the Redis channel could not be read; skipped", EventName = "BadNotice")]
    public static partial void BadNotice(ILogger logger);

    [LoggerMessage(403, LogLevel.Debug, "Event stream for web chat {ChatId} lost its storage connection", EventName = "StreamStorageError")]
    public static partial void StreamStorageError(ILogger logger, string chatId, Exception exception);
}
