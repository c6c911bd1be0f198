using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpeakUp.Telegram;

/// <summary>
/// The broadcast send path: one Bot API call per message and an honest report. A 429 is returned with its retry_after
/// (the engine pauses every instance), never waited out here; the client's own retry is off (RetryThreshold = 0).
/// With Broadcast:PaidBroadcast the calls set allow_paid_broadcast.
/// </summary>
internal sealed class TelegramBroadcastSender(
    ITelegramBotClient bot,
    IOptions<BroadcastOptions> options,
    ILogger<TelegramBroadcastSender> logger) : IBroadcastChannel
{
    // The last message rendered: a job sends one message to everyone, so its HTML and keyboard are built once, not per send.
    private volatile Rendered? _last;

    public string Channel => TelegramChatKeys.Channel;

    public async Task<BroadcastDelivery> SendAsync(ChatKey chat, BroadcastMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!TelegramChatKeys.TryGetChatId(chat, out var chatId))
        {
            return new BroadcastDelivery(DeliveryOutcome.Failed, Error: "not a Telegram chat");
        }

        var paid = options.Value.PaidBroadcast;
        var rendered = _last is { } last && ReferenceEquals(last.Message, message) ? last : (_last = Rendered.From(message));
        var keyboard = rendered.Keyboard;
        try
        {
            Message sent;
            if (message.Media == BroadcastMedia.None)
            {
                var parts = rendered.Html;
                if (parts.Count != 1)
                {
                    return new BroadcastDelivery(DeliveryOutcome.Failed, Error: parts.Count == 0 ? "empty text" : "text longer than one message");
                }

                sent = await bot.SendMessage(chatId, parts[0], ParseMode.Html, replyMarkup: keyboard, allowPaidBroadcast: paid, cancellationToken: cancellationToken);
            }
            else
            {
                var caption = rendered.Html;
                if (caption.Count > 1)
                {
                    return new BroadcastDelivery(DeliveryOutcome.Failed, Error: "caption longer than 1024 characters");
                }

                var file = InputFile.FromString(message.MediaFile!);
                var text = caption.Count == 1 ? caption[0] : null;
                sent = message.Media == BroadcastMedia.Photo
                    ? await bot.SendPhoto(chatId, file, text, ParseMode.Html, replyMarkup: keyboard, allowPaidBroadcast: paid, cancellationToken: cancellationToken)
                    : await bot.SendVideo(chatId, file, text, ParseMode.Html, replyMarkup: keyboard, allowPaidBroadcast: paid, cancellationToken: cancellationToken);
            }

            Log.Sent(logger, chatId, sent.Id);
            return new BroadcastDelivery(DeliveryOutcome.Sent);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429)
        {
            var wait = Math.Max(ex.Parameters?.RetryAfter ?? 1, 1);
            return new BroadcastDelivery(DeliveryOutcome.RateLimited, TimeSpan.FromSeconds(wait), string.Create(CultureInfo.InvariantCulture, $"429 retry after {wait}s"));
        }
        catch (ApiRequestException ex) when (TelegramSender.IsUnreachable(ex))
        {
            Log.Unreachable(logger, chatId, ex.Message);
            return new BroadcastDelivery(DeliveryOutcome.Unreachable, Error: ex.Message);
        }
        catch (Exception ex) when (TelegramSender.IsTransient(ex, cancellationToken))
        {
            return new BroadcastDelivery(DeliveryOutcome.Transient, Error: ex.GetType().Name + ": " + ex.Message);
        }
        catch (ApiRequestException ex)
        {
            Log.SendFailed(logger, "broadcast", chatId, ex.ErrorCode + " " + ex.Message, ex);
            return new BroadcastDelivery(DeliveryOutcome.Failed, Error: ex.Message);
        }
        catch (Exception ex)
        {
            Log.SendFailed(logger, "broadcast", chatId, "unexpected " + ex.GetType().Name, ex);
            return new BroadcastDelivery(DeliveryOutcome.Failed, Error: ex.GetType().Name + ": " + ex.Message);
        }
    }

    private sealed record Rendered(BroadcastMessage Message, IReadOnlyList<string> Html, InlineKeyboardMarkup? Keyboard)
    {
        public static Rendered From(BroadcastMessage message) => new(
            message,
            message.Media == BroadcastMedia.None ? TelegramMessageRenderer.RenderHtml(message.Text) : TelegramMessageRenderer.RenderHtml(message.Text, 1024),
            TelegramMessageRenderer.RenderKeyboard(message.Buttons));
    }
}
