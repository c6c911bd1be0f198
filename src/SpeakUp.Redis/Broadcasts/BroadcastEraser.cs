using Microsoft.Extensions.Logging;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;

namespace SpeakUp.Redis.Broadcasts;

/// <summary>
/// /forgetme reaches the broadcast jobs: a job's records name each recipient's chat (waiting, outcome, attempts), and those
/// go; the jobs' counts stay, being numbers. A broadcast still under way simply no longer has them in its audience.
/// </summary>
internal sealed partial class BroadcastEraser(RedisBroadcastStore store, ILogger<BroadcastEraser> logger) : ISupporterDataEraser
{
    public async Task EraseAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var jobs = await store.ForgetRecipientAsync(chat, cancellationToken);
        if (jobs > 0)
        {
            LogErased(logger, chat, jobs);
        }
    }

    [LoggerMessage(EventId = 560, EventName = "BroadcastRecipientForgotten", Level = LogLevel.Information, Message = "Removed {Chat} from {Jobs} broadcast job(s) at their request")]
    private static partial void LogErased(ILogger logger, ChatKey chat, long jobs);
}
