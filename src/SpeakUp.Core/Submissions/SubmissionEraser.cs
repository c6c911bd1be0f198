using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;

namespace SpeakUp.Core.Submissions;

/// <summary>/forgetme reaches the review queue: the supporter's submissions (pending, claimed or decided) are deleted.</summary>
internal sealed partial class SubmissionEraser(ISubmissionStore store, IOptions<SubmissionOptions> options, ILogger<SubmissionEraser> logger) : ISupporterDataEraser
{
    public async Task EraseAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var deleted = await store.ForgetAuthorAsync(chat, options.Value.NotifyAt, cancellationToken);
        if (deleted > 0)
        {
            LogErased(logger, deleted, chat);
        }
    }

    [LoggerMessage(EventId = 420, EventName = "SubmissionsForgotten", Level = LogLevel.Information, Message = "Deleted {Count} submission(s) of {Chat} at their request")]
    private static partial void LogErased(ILogger logger, long count, ChatKey chat);
}
