using System.Globalization;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// sendPhoto / sendDocument as multipart uploads (the /stats chart, CSV exports). The stream is rewound for each try:
/// 429 waits retry_after, network and 5xx errors are retried a few times; blocked chats are Unreachable.
/// </summary>
internal sealed class TelegramFileSender(ITelegramBotClient bot, TimeProvider time, ILogger<TelegramFileSender> logger) : IFileSender
{
    private const int MaxAttempts = 4;

    public string Channel => TelegramChatKeys.Channel;

    public Task<SendResult> SendPhotoAsync(ChatKey chat, Stream image, string fileName, string? caption, CancellationToken cancellationToken) =>
        UploadAsync("sendPhoto", chat, image, (id, file, ct) => bot.SendPhoto(id, file, caption: caption, cancellationToken: ct), fileName, cancellationToken);

    public Task<SendResult> SendDocumentAsync(ChatKey chat, Stream content, string fileName, string? caption, CancellationToken cancellationToken) =>
        UploadAsync("sendDocument", chat, content, (id, file, ct) => bot.SendDocument(id, file, caption: caption, cancellationToken: ct), fileName, cancellationToken);

    private async Task<SendResult> UploadAsync(string method, ChatKey chat, Stream content, Func<long, InputFile, CancellationToken, Task<Message>> call, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!TelegramChatKeys.TryGetChatId(chat, out var chatId))
        {
            return new SendResult(SendOutcome.Failed, Error: "not a Telegram chat");
        }

        var start = content.CanSeek ? content.Position : 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (content.CanSeek)
                {
                    content.Position = start;
                }

                var sent = await call(chatId, InputFile.FromStream(content, fileName), cancellationToken);
                Log.Sent(logger, chatId, sent.Id);
                return SendResult.Ok(sent.Id.ToString(CultureInfo.InvariantCulture));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ApiRequestException ex) when (TelegramSender.IsUnreachable(ex))
            {
                Log.Unreachable(logger, chatId, ex.Message);
                return new SendResult(SendOutcome.Unreachable, Error: ex.Message);
            }
            catch (Exception ex) when (attempt < MaxAttempts && content.CanSeek && (ex is ApiRequestException { ErrorCode: 429 } || TelegramSender.IsTransient(ex, cancellationToken)))
            {
                var wait = ex is ApiRequestException { ErrorCode: 429 } limited
                    ? TimeSpan.FromSeconds(Math.Max(limited.Parameters?.RetryAfter ?? 1, 1))
                    : TimeSpan.FromMilliseconds(250 * attempt);
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException or TimeoutException or OperationCanceledException)
            {
                Log.SendFailed(logger, method, chatId, ex.Message, ex);
                return new SendResult(SendOutcome.Failed, Error: ex.Message);
            }
        }
    }
}

/// <summary>t.me/&lt;bot&gt;?start=&lt;payload&gt; links; the bot's username is asked from Telegram once (getMe).</summary>
internal sealed class TelegramBotLinks(ITelegramBotClient bot) : IBotLinks
{
    private string? _username;

    public string Channel => TelegramChatKeys.Channel;

    public async Task<Uri?> StartLinkAsync(string payload, CancellationToken cancellationToken)
    {
        if (_username is null)
        {
            try
            {
                _username = (await bot.GetMe(cancellationToken)).Username;
            }
            catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException)
            {
                return null;
            }
        }

        return _username is null ? null : new Uri($"https://t.me/{_username}?start={Uri.EscapeDataString(payload)}");
    }
}
