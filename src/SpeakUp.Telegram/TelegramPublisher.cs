using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// Publishes approved submissions to the campaign channel (Publishing:ChannelId) with copyMessage, so the file is never
/// downloaded: the post shows the supporter's media with our caption (hashtag and credit). Albums are copied item by item
/// with the caption on the first; texts are sent as a new message. Reviewers see items the same way, copied into their chat.
/// Web-chat uploads (file id = a path under the upload folder) are uploaded instead, by type (sendPhoto, sendVideo…).
/// A 429 waits retry_after once; other errors are reported, never thrown.
/// </summary>
internal sealed partial class TelegramPublisher(
    ITelegramBotClient bot,
    IOptions<PublishingOptions> options,
    TimeProvider time,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<TelegramPublisher> logger) : IChannelPublisher
{
    /// <summary>
    /// Where the web chat stores uploads: the same rule as the web channel (Web:UploadDir, else uploads/ in
    /// Redis:EmbeddedDataDir, relative to the content root), read here so the Telegram project needs no reference to it.
    /// </summary>
    private string UploadRoot
    {
        get
        {
            var dir = configuration["Web:UploadDir"];
            if (string.IsNullOrWhiteSpace(dir))
            {
                dir = Path.Combine(configuration["Redis:EmbeddedDataDir"] is { Length: > 0 } data ? data : "./data", "uploads");
            }

            return Path.GetFullPath(Path.Combine(environment.ContentRootPath, dir));
        }
    }

    public async Task<PublishResult> PublishAsync(Submission submission, string caption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var channel = options.Value.ChannelId?.Trim();
        if (string.IsNullOrEmpty(channel))
        {
            return new PublishResult(false, Error: "Publishing:ChannelId is not set");
        }

        var target = long.TryParse(channel, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numeric) ? new ChatId(numeric) : new ChatId(channel);
        try
        {
            int? first = null;
            if (submission.IsText)
            {
                var sent = await WithRateLimitAsync(ct => bot.SendMessage(target, caption, cancellationToken: ct), cancellationToken);
                first = sent.Id;
            }
            else
            {
                if (!TelegramChatKeys.TryGetChatId(submission.ChatKey, out var from))
                {
                    foreach (var item in submission.Items)
                    {
                        var uploaded = await UploadAsync(target, item, first is null ? caption : null, cancellationToken);
                        if (uploaded is null)
                        {
                            return new PublishResult(false, Error: "the uploaded file is missing");
                        }

                        first ??= uploaded.Id;
                    }

                    var webLink = first is { } webPost ? PostLink(channel, options.Value.ChannelUsername, webPost) : null;
                    LogPublished(logger, submission.Id, first ?? 0);
                    return new PublishResult(true, webLink);
                }

                for (var i = 0; i < submission.Items.Count; i++)
                {
                    var item = submission.Items[i];
                    if (!int.TryParse(item.MessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
                    {
                        return new PublishResult(false, Error: "the submission has no message id to copy");
                    }

                    var itemCaption = i == 0 ? caption : null;
                    var copied = await WithRateLimitAsync(ct => bot.CopyMessage(target, from, messageId, caption: itemCaption, cancellationToken: ct), cancellationToken);
                    first ??= copied.Id;
                }
            }

            var link = first is { } id ? PostLink(channel, options.Value.ChannelUsername, id) : null;
            LogPublished(logger, submission.Id, first ?? 0);
            return new PublishResult(true, link);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException)
        {
            LogPublishFailed(logger, ex, submission.Id);
            return new PublishResult(false, Error: ex.Message);
        }
    }

    public async Task<bool> ShowAsync(Submission submission, ChatKey reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (!TelegramChatKeys.TryGetChatId(reviewer, out var to))
        {
            return false;
        }

        try
        {
            if (!TelegramChatKeys.TryGetChatId(submission.ChatKey, out var from))
            {
                foreach (var item in submission.Items)
                {
                    await UploadAsync(to, item, null, cancellationToken);
                }

                return true;
            }

            foreach (var item in submission.Items)
            {
                if (int.TryParse(item.MessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
                {
                    await WithRateLimitAsync(ct => bot.CopyMessage(to, from, messageId, cancellationToken: ct), cancellationToken);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException)
        {
            // The supporter may have deleted the message, or blocked the bot: the card still says what it was.
            LogShowFailed(logger, ex, submission.Id);
            return false;
        }
    }

    /// <summary>Uploads a web-chat file by its type; null when the file is not (or no longer) in the upload folder.</summary>
    private async Task<Message?> UploadAsync(ChatId target, SubmissionItem item, string? caption, CancellationToken cancellationToken)
    {
        var root = UploadRoot;
        var path = Path.GetFullPath(Path.Combine(root, item.FileId ?? string.Empty));

        // The id came from our own upload handler, but a path is never trusted to stay inside its folder.
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        return await WithRateLimitAsync(
            async ct =>
            {
                await using var stream = File.OpenRead(path);
                var file = InputFile.FromStream(stream, Path.GetFileName(path));
                return item.Kind switch
                {
                    MediaKind.Photo => await bot.SendPhoto(target, file, caption, cancellationToken: ct),
                    MediaKind.Video => await bot.SendVideo(target, file, caption, cancellationToken: ct),
                    MediaKind.Voice => await bot.SendVoice(target, file, caption, cancellationToken: ct),
                    _ => await bot.SendDocument(target, file, caption, cancellationToken: ct),
                };
            },
            cancellationToken);
    }

    /// <summary>t.me/&lt;username&gt;/&lt;post&gt; for public channels, t.me/c/&lt;id&gt;/&lt;post&gt; (members only) for private ones.</summary>
    internal static Uri? PostLink(string channelId, string? username, int messageId)
    {
        var post = messageId.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(username))
        {
            return new Uri("https://t.me/" + username.Trim().TrimStart('@') + "/" + post);
        }

        if (channelId.StartsWith('@'))
        {
            return new Uri("https://t.me/" + channelId[1..] + "/" + post);
        }

        return channelId.StartsWith("-100", StringComparison.Ordinal) && channelId.Length > 4
            ? new Uri("https://t.me/c/" + channelId[4..] + "/" + post)
            : null;
    }

    private async Task<T> WithRateLimitAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429 && ex.Parameters?.RetryAfter is { } wait && wait <= 60)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(wait, 1)), time, cancellationToken);
            return await call(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 300, EventName = "SubmissionPublished", Level = LogLevel.Information, Message = "Submission {Id} published as channel post {PostId}")]
    private static partial void LogPublished(ILogger logger, string id, int postId);

    [LoggerMessage(EventId = 301, EventName = "SubmissionPublishFailed", Level = LogLevel.Warning, Message = "Submission {Id} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 302, EventName = "SubmissionShowFailed", Level = LogLevel.Warning, Message = "Submission {Id} could not be shown to a reviewer")]
    private static partial void LogShowFailed(ILogger logger, Exception exception, string id);
}
