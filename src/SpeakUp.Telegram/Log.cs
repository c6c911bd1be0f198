using Microsoft.Extensions.Logging;

namespace SpeakUp.Telegram;

/// <summary>
/// Every log line of the Telegram channel. Event names are a contract (dashboards and alerts use them): don't rename.
/// No message bodies and never the token; chat ids only where a person has to act on the line.
/// </summary>
internal static partial class Log
{
    // 1xx: setup
    [LoggerMessage(100, LogLevel.Information, "Telegram is off: no bot token. Set Telegram__BotToken (environment) or `dotnet user-secrets set Telegram:BotToken <token> --project src/BotHost` to turn it on.", EventName = "TelegramOff")]
    public static partial void TelegramOff(ILogger logger);

    [LoggerMessage(101, LogLevel.Information, "Telegram commands set for {Languages} language(s)", EventName = "CommandsSet")]
    public static partial void CommandsSet(ILogger logger, int languages);

    [LoggerMessage(102, LogLevel.Warning, "Could not set Telegram commands for language '{Language}'", EventName = "CommandsFailed")]
    public static partial void CommandsFailed(ILogger logger, string language, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "No ILocalizer registered: Telegram command menu not set", EventName = "CommandsNoLocalizer")]
    public static partial void CommandsNoLocalizer(ILogger logger);

    [LoggerMessage(104, LogLevel.Warning, "Language '{Language}' is not a two-letter code: Telegram command menu not set for it", EventName = "CommandsBadLanguage")]
    public static partial void CommandsBadLanguage(ILogger logger, string language);

    [LoggerMessage(110, LogLevel.Information, "Telegram webhook set to {Url}", EventName = "WebhookSet")]
    public static partial void WebhookSet(ILogger logger, string url);

    [LoggerMessage(111, LogLevel.Error, "Could not set the Telegram webhook; retrying in {Delay}", EventName = "WebhookSetFailed")]
    public static partial void WebhookSetFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(112, LogLevel.Warning, "Could not delete the Telegram webhook before polling", EventName = "WebhookDeleteFailed")]
    public static partial void WebhookDeleteFailed(ILogger logger, Exception exception);

    // 2xx: receiving
    [LoggerMessage(200, LogLevel.Information, "Telegram polling started (timeout {TimeoutSeconds}s)", EventName = "PollingStarted")]
    public static partial void PollingStarted(ILogger logger, int timeoutSeconds);

    [LoggerMessage(201, LogLevel.Information, "Telegram polling stopped at offset {Offset}", EventName = "PollingStopped")]
    public static partial void PollingStopped(ILogger logger, int? offset);

    [LoggerMessage(202, LogLevel.Warning, "getUpdates failed ({Reason}); retrying in {Delay}", EventName = "PollingFailed")]
    public static partial void PollingFailed(ILogger logger, string reason, TimeSpan delay, Exception exception);

    [LoggerMessage(203, LogLevel.Error, "Telegram rejected the bot token (HTTP {Code}); retrying in {Delay}", EventName = "TokenRejected")]
    public static partial void TokenRejected(ILogger logger, int code, TimeSpan delay);

    [LoggerMessage(204, LogLevel.Warning, "Telegram update {UpdateId} could not be read; skipped", EventName = "UpdateMalformed")]
    public static partial void UpdateMalformed(ILogger logger, long? updateId, Exception exception);

    [LoggerMessage(205, LogLevel.Debug, "Telegram update {UpdateId} skipped: {Reason}", EventName = "UpdateSkipped")]
    public static partial void UpdateSkipped(ILogger logger, int updateId, string? reason);

    [LoggerMessage(206, LogLevel.Error, "Handling Telegram update {UpdateId} failed; it is acknowledged and not retried", EventName = "UpdateFailed")]
    public static partial void UpdateFailed(ILogger logger, int updateId, Exception exception);

    [LoggerMessage(207, LogLevel.Warning, "Handling Telegram update {UpdateId} was cancelled by shutdown", EventName = "UpdateCancelled")]
    public static partial void UpdateCancelled(ILogger logger, int updateId);

    [LoggerMessage(208, LogLevel.Debug, "Could not answer callback query of update {UpdateId}", EventName = "CallbackAnswerFailed")]
    public static partial void CallbackAnswerFailed(ILogger logger, int updateId, Exception exception);

    [LoggerMessage(209, LogLevel.Warning, "Telegram update {UpdateId} could not be mapped; skipped", EventName = "UpdateMapFailed")]
    public static partial void UpdateMapFailed(ILogger logger, int updateId, Exception exception);

    [LoggerMessage(210, LogLevel.Warning, "Could not put {Count} Telegram update(s) in the inbox; the offset stays and getUpdates is asked again in {Delay}", EventName = "InboxPutFailed")]
    public static partial void InboxPutFailed(ILogger logger, int count, TimeSpan delay, Exception exception);

    [LoggerMessage(211, LogLevel.Warning, "Could not mark {Count} handled Telegram update(s) done in the inbox; retrying in {Delay}", EventName = "InboxDoneFailed")]
    public static partial void InboxDoneFailed(ILogger logger, int count, TimeSpan delay, Exception exception);

    [LoggerMessage(212, LogLevel.Information, "{Count} Telegram update(s) left in the inbox by the last run are handled again", EventName = "InboxRecovered")]
    public static partial void InboxRecovered(ILogger logger, int count);

    [LoggerMessage(213, LogLevel.Warning, "Could not read the Telegram update inbox at start; retrying in {Delay}", EventName = "InboxReadFailed")]
    public static partial void InboxReadFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(214, LogLevel.Debug, "{Count} Telegram updates in hand (Telegram:MaxUpdatesInFlight); the next getUpdates waits for room", EventName = "InFlightFull")]
    public static partial void InFlightFull(ILogger logger, int count);

    [LoggerMessage(215, LogLevel.Warning, "{Count} Telegram update(s) were not finished at shutdown; they stay in the inbox and are handled at the next start", EventName = "InboxLeftAtShutdown")]
    public static partial void InboxLeftAtShutdown(ILogger logger, int count);

    // 3xx: webhook endpoint
    [LoggerMessage(300, LogLevel.Warning, "Telegram webhook call with a missing or wrong secret from {RemoteIp}", EventName = "WebhookUnauthorized")]
    public static partial void WebhookUnauthorized(ILogger logger, string? remoteIp);

    [LoggerMessage(301, LogLevel.Warning, "Telegram webhook body is not JSON", EventName = "WebhookNotJson")]
    public static partial void WebhookNotJson(ILogger logger, Exception exception);

    [LoggerMessage(302, LogLevel.Warning, "Telegram webhook body is larger than {Limit} bytes", EventName = "WebhookTooLarge")]
    public static partial void WebhookTooLarge(ILogger logger, int limit);

    // 4xx: sending
    [LoggerMessage(400, LogLevel.Debug, "Sent to Telegram chat {ChatId} as message {MessageId}", EventName = "Sent")]
    public static partial void Sent(ILogger logger, long chatId, int messageId);

    [LoggerMessage(401, LogLevel.Information, "Telegram chat {ChatId} is unreachable: {Description}", EventName = "Unreachable")]
    public static partial void Unreachable(ILogger logger, long chatId, string description);

    [LoggerMessage(402, LogLevel.Warning, "Telegram rate limit for chat {ChatId}: waiting {RetryAfterSeconds}s", EventName = "RateLimited")]
    public static partial void RateLimited(ILogger logger, long chatId, int retryAfterSeconds);

    [LoggerMessage(403, LogLevel.Warning, "{Method} to chat {ChatId} failed (attempt {Attempt}); retrying in {Delay}", EventName = "SendRetry")]
    public static partial void SendRetry(ILogger logger, string method, long chatId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(404, LogLevel.Error, "{Method} to chat {ChatId} failed: {Error}", EventName = "SendFailed")]
    public static partial void SendFailed(ILogger logger, string method, long chatId, string error, Exception? exception);

    [LoggerMessage(405, LogLevel.Debug, "Editing message {MessageId} in chat {ChatId} failed ({Description}); sending a new message", EventName = "EditFallback")]
    public static partial void EditFallback(ILogger logger, int messageId, long chatId, string description);

    [LoggerMessage(406, LogLevel.Error, "Cannot send to {Chat}: not a Telegram chat", EventName = "NotTelegramChat")]
    public static partial void NotTelegramChat(ILogger logger, string chat);
}
