using Microsoft.Extensions.Logging;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// The one rule for a message sent outside a broadcast job (a reply to a supporter, a progress edit, a composer preview
/// or a test to staff): it takes its share of the bot's shared rate without waiting, so interactive messages always go
/// first and broadcasts fill what is left of the budget. Every such send goes through here, the reply decorator and
/// <see cref="BroadcastService.SendToStaffAsync"/> alike, so the order of the steps cannot drift between two copies.
/// </summary>
public sealed partial class InteractiveRateShare(IBroadcastStore store, BroadcastSendWindow window, ILogger<InteractiveRateShare> logger)
{
    /// <summary>
    /// Sends one message to <paramref name="chat"/> by calling <paramref name="send"/> with <paramref name="state"/>.
    /// Its slot of the shared rate is recorded alongside the send, not before it, and it counts in this instance's send
    /// window (taking a place without waiting for one). A debit that fails is logged and the send's result returned all
    /// the same; a send that throws still leaves the window, and its exception is the caller's.
    /// </summary>
    public async Task<TResult> SendAsync<TState, TResult>(ChatKey chat, TState state, Func<TState, CancellationToken, Task<TResult>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);

        // A reply never waits on the rate bookkeeping: the debit runs alongside the send. The window counts it too, so a
        // broadcast send of this instance does not follow it into a second that is already full.
        var debit = store.DebitInteractiveAsync(chat, cancellationToken);
        TResult result;
        var started = window.Enter();
        try
        {
            result = await send(state, cancellationToken);
        }
        catch
        {
            // The caller gets the send's exception; a debit failing as well must not surface later as an unobserved one.
            _ = debit.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        finally
        {
            window.Exit(started);
        }

        try
        {
            await debit;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage down or slow: the message went (or not) regardless; broadcasts lose one slot of accuracy, not a reply.
            LogDebitFailed(logger, ex);
        }

        return result;
    }

    [LoggerMessage(EventId = 512, EventName = "RateDebitFailed", Level = LogLevel.Debug, Message = "Could not record an interactive send in the shared rate")]
    private static partial void LogDebitFailed(ILogger logger, Exception exception);
}
