using Microsoft.Extensions.Logging;
using SpeakUp.Core.Conversations;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// Hands one Telegram update to the core: map, dispatch, answer a button press. Shared by polling and the webhook.
/// Never throws: a failed handler is logged and the update still counts as handled (it is not retried).
/// </summary>
internal sealed class TelegramUpdateHandler(IInboundDispatcher dispatcher, ITelegramBotClient bot, ILogger<TelegramUpdateHandler> logger)
{
    /// <summary>
    /// Starts handling. The dispatch is started before this method first awaits, so calls made in update order reach
    /// the dispatcher in update order (it keeps each chat's events in arrival order).
    /// </summary>
    public Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        MappedUpdate mapped;
        try
        {
            mapped = TelegramUpdateMapper.Map(update);
        }
        catch (Exception ex)
        {
            Log.UpdateMapFailed(logger, update.Id, ex);
            return Task.CompletedTask;
        }

        Task dispatch;
        if (mapped.Event is { } inbound)
        {
            try
            {
                dispatch = dispatcher.DispatchAsync(inbound, cancellationToken);
            }
            catch (Exception ex)
            {
                dispatch = Task.FromException(ex);
            }
        }
        else
        {
            Log.UpdateSkipped(logger, update.Id, mapped.SkipReason);
            dispatch = Task.CompletedTask;
        }

        return CompleteAsync(update.Id, mapped.CallbackQueryId, dispatch, cancellationToken);
    }

    private async Task CompleteAsync(int updateId, string? callbackQueryId, Task dispatch, CancellationToken cancellationToken)
    {
        if (callbackQueryId is not null)
        {
            // Stops the spinner on the person's button; the reply itself comes from the workflow.
            try
            {
                await bot.AnswerCallbackQuery(callbackQueryId, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.CallbackAnswerFailed(logger, updateId, ex);
            }
            catch (OperationCanceledException)
            {
                // Shutting down hard; the dispatch below reports it.
            }
        }

        try
        {
            await dispatch;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.UpdateCancelled(logger, updateId);
        }
        catch (Exception ex)
        {
            Log.UpdateFailed(logger, updateId, ex);
        }
    }
}
