using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis;

namespace SpeakUp.Web;

/// <summary>Where web-chat uploads live: <c>&lt;root&gt;/&lt;yyyy-MM&gt;/&lt;chat id&gt;/&lt;delivery id&gt;.&lt;ext&gt;</c>.</summary>
internal static class WebUploads
{
    /// <summary>Web:UploadDir, else uploads/ in Redis:EmbeddedDataDir; relative paths start at the content root.</summary>
    public static string Root(IHostEnvironment environment, WebChatOptions options, RedisOptions redis) => Path.GetFullPath(Path.Combine(
        environment.ContentRootPath,
        string.IsNullOrWhiteSpace(options.UploadDir) ? Path.Combine(redis.EmbeddedDataDir, "uploads") : options.UploadDir));
}

/// <summary>
/// /forgetme reaches the upload folder: every file a web chat uploaded is deleted, whatever became of the submission. Files
/// of a submission already published stay on the channel (they are public there) but not on our disk.
/// </summary>
internal sealed class WebUploadEraser(
    IOptions<WebChatOptions> options,
    IOptions<RedisOptions> redisOptions,
    IHostEnvironment environment,
    ILogger<WebUploadEraser> logger) : ISupporterDataEraser
{
    public Task EraseAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        if (chat.Channel != WebChatKeys.Channel || !IsSafeSegment(chat.ChatId))
        {
            return Task.CompletedTask;
        }

        var root = WebUploads.Root(environment, options.Value, redisOptions.Value);
        if (!Directory.Exists(root))
        {
            return Task.CompletedTask;
        }

        var deleted = 0;
        foreach (var month in Directory.EnumerateDirectories(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = Path.Combine(month, chat.ChatId);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            deleted += Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Retried with the rest of the forget: the engine repeats it while storage reports unavailable.
                throw new StorageUnavailableException($"The uploads of {chat} could not be deleted.", ex);
            }
        }

        if (deleted > 0)
        {
            Log.UploadsErased(logger, chat.ChatId, deleted);
        }

        return Task.CompletedTask;
    }

    // Web chat ids are base64url or "as.<user id>": never a path separator or a bare dot name, but checked anyway because
    // a folder named ".." would make this delete far more than one chat's files.
    private static bool IsSafeSegment(string chatId) =>
        chatId is { Length: > 0 } && chatId is not ("." or "..") && chatId.IndexOfAny(['/', '\\', '\0']) < 0;
}
