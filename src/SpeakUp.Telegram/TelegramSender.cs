using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpeakUp.Telegram;

/// <summary>
/// Delivers <see cref="OutboundMessage"/>s to Telegram. Maps Telegram's errors to <see cref="SendOutcome"/>:
/// 429 waits retry_after and tries again; blocked, deactivated and unknown chats are Unreachable; network and
/// server errors are retried with exponential backoff, then Failed. Throws only when cancelled.
/// </summary>
internal sealed class TelegramSender(
    ITelegramBotClient bot,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramSender> logger) : IChannelSender
{
    private readonly TelegramOptions _options = options.Value;

    public string Channel => TelegramChatKeys.Channel;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!TelegramChatKeys.TryGetChatId(message.Chat, out var chatId))
        {
            Log.NotTelegramChat(logger, message.Chat.ToString());
            return new SendResult(SendOutcome.Failed, Error: "not a Telegram chat");
        }

        try
        {
            var parts = TelegramMessageRenderer.RenderHtml(message.Text);
            if (parts.Count == 0)
            {
                Log.SendFailed(logger, "sendMessage", chatId, "empty text", null);
                return new SendResult(SendOutcome.Failed, Error: "empty text");
            }

            var keyboard = TelegramMessageRenderer.RenderKeyboard(message.Buttons);

            if (parts.Count == 1
                && int.TryParse(message.ReplacesMessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var editId))
            {
                var edited = await EditAsync(chatId, editId, parts[0], keyboard, cancellationToken);
                if (edited is { } result)
                {
                    return result;
                }
            }

            var last = default(SendResult);
            for (var i = 0; i < parts.Count; i++)
            {
                var text = parts[i];
                var markup = i == parts.Count - 1 ? keyboard : null;
                var call = await CallAsync(
                    "sendMessage",
                    chatId,
                    ct => bot.SendMessage(chatId, text, ParseMode.Html, replyMarkup: markup, cancellationToken: ct),
                    cancellationToken);
                last = call.Result;
                if (last.Outcome != SendOutcome.Sent)
                {
                    return last;
                }
            }

            return last;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The contract is "never throws for delivery problems": a bug here must not take a broadcast down.
            Log.SendFailed(logger, "sendMessage", chatId, "unexpected " + ex.GetType().Name, ex);
            return new SendResult(SendOutcome.Failed, Error: ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Null: the message cannot be edited, send a new one instead.</summary>
    private async Task<SendResult?> EditAsync(long chatId, int messageId, string html, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        var call = await CallAsync(
            "editMessageText",
            chatId,
            ct => bot.EditMessageText(chatId, messageId, html, ParseMode.Html, replyMarkup: keyboard, cancellationToken: ct),
            cancellationToken);
        if (call.Result.Outcome != SendOutcome.Failed || call.Error is not { ErrorCode: 400 } error)
        {
            return call.Result;
        }

        if (error.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            // The person already sees exactly this: a new copy would only duplicate it (a double tap on a page button).
            return SendResult.Ok(messageId.ToString(CultureInfo.InvariantCulture));
        }

        // "message can't be edited", "message to edit not found", too old, not ours…
        Log.EditFallback(logger, messageId, chatId, error.Message);
        return null;
    }

    private readonly record struct CallResult(SendResult Result, ApiRequestException? Error);

    private async Task<CallResult> CallAsync(string method, long chatId, Func<CancellationToken, Task<Message>> call, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var rateLimited = 0;
        while (true)
        {
            attempt++;
            try
            {
                var sent = await call(cancellationToken);
                Log.Sent(logger, chatId, sent.Id);
                return new CallResult(SendResult.Ok(sent.Id.ToString(CultureInfo.InvariantCulture)), null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 429)
            {
                var wait = Math.Max(ex.Parameters?.RetryAfter ?? 1, 1);
                if (++rateLimited > _options.MaxRateLimitRetries || wait > _options.MaxRetryAfterSeconds)
                {
                    var error = string.Create(CultureInfo.InvariantCulture, $"rate limited (retry after {wait}s)");
                    Log.SendFailed(logger, method, chatId, error, ex);
                    return new CallResult(new SendResult(SendOutcome.Failed, Error: error), ex);
                }

                Log.RateLimited(logger, chatId, wait);
                await Task.Delay(TimeSpan.FromSeconds(wait), time, cancellationToken);
                attempt--; // waiting out a rate limit is not a failed attempt
            }
            catch (ApiRequestException ex) when (IsUnreachable(ex))
            {
                Log.Unreachable(logger, chatId, ex.Message);
                return new CallResult(new SendResult(SendOutcome.Unreachable, Error: ex.Message), ex);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                if (attempt >= _options.MaxSendAttempts)
                {
                    Log.SendFailed(logger, method, chatId, "gave up after " + attempt + " attempts", ex);
                    return new CallResult(new SendResult(SendOutcome.Failed, Error: ex.Message), ex as ApiRequestException);
                }

                var delay = Backoff(attempt);
                Log.SendRetry(logger, method, chatId, attempt, delay, ex);
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (ApiRequestException ex)
            {
                // 400 bad markup, message too long…: trying again gives the same answer.
                Log.SendFailed(logger, method, chatId, ex.ErrorCode + " " + ex.Message, ex);
                return new CallResult(new SendResult(SendOutcome.Failed, Error: ex.Message), ex);
            }
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(_options.RetryBaseDelayMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16)));

    /// <summary>The person blocked the bot, deleted the account, or the chat does not exist: writing again will not help.</summary>
    internal static bool IsUnreachable(ApiRequestException ex) => ex.ErrorCode switch
    {
        // "bot was blocked by the user", "user is deactivated", "bot was kicked…", "bot can't initiate conversation…"
        403 => true,
        400 => ex.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("user not found", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("user is deactivated", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("PEER_ID_INVALID", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Worth another try: the network, a timeout, Telegram's servers (5xx), or an unreadable answer from a proxy.</summary>
    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ApiRequestException api => api.ErrorCode >= 500 || api.ErrorCode == 0,
        RequestException => true,
        HttpRequestException => true,
        TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
