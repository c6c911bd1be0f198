using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core.Conversations;

/// <summary>
/// Applies one inbound event to its chat's session: load, run the workflow, compare-and-set save (reload and re-apply on a
/// conflict), keep the indexes in step, then send the replies. Two Redis round trips for most events: one load, one save.
/// Callers serialise events per chat (<see cref="InboundDispatcher"/>); the version check covers other host instances.
/// </summary>
public sealed partial class ConversationEngine(
    ISessionStore sessions,
    ISupporterDirectory directory,
    SupporterWorkflow workflow,
    IMessageSender sender,
    TodayClock clock,
    IOptions<BotOptions> options,
    IRoleDirectory roles,
    IEnumerable<IInboundInterceptor> interceptors,
    ILogger<ConversationEngine> logger,
    IEnumerable<ISupporterDataEraser>? erasers = null)
{
    private readonly IInboundInterceptor[] _interceptors = [.. interceptors.OrderBy(i => i.Order)];

    // The flood limit's count rides on the session load, so it costs no round trip of its own.
    private readonly IInboundFloodLimit? _floodLimit = interceptors.OfType<IInboundFloodLimit>().FirstOrDefault();

    private readonly ISupporterDataEraser[] _erasers = [.. erasers ?? []];

    /// <summary>Conflicts mean another instance wrote the same chat at the same moment; a handful of retries always settles it.</summary>
    private const int MaxConflictRetries = 20;

    /// <summary>How long to keep retrying while the store is unreachable (a Redis restart takes seconds) before giving up.</summary>
    private static readonly TimeSpan StorageOutageBudget = TimeSpan.FromSeconds(60);

    public async Task HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        Session? loaded = null;
        var wasLoaded = false;
        if (_interceptors.Length > 0 && inbound.Kind != InboundKind.Blocked)
        {
            // Roles come from memory. The session loaded for the interceptors (with the flood count, in the same round
            // trip) is reused for the workflow's first attempt: no extra round trip.
            var who = await roles.GetAsync(inbound.Chat.Channel, inbound.UserId, cancellationToken);
            var hit = _floodLimit?.HitFor(inbound, who);
            var load = await WhileStorageIsDownAsync(
                async () => hit is null ? new SessionLoad(await sessions.LoadAsync(inbound.Chat, cancellationToken), null) : await sessions.LoadCountingAsync(inbound.Chat, hit, cancellationToken),
                inbound.Chat,
                cancellationToken);
            loaded = load.Session;
            wasLoaded = true;
            if (loaded?.HasSeen(inbound.DeliveryId) == true)
            {
                LogDuplicate(logger, inbound.Chat, inbound.DeliveryId);
                return;
            }

            var context = new InboundContext(inbound, who, loaded, loaded?.Language ?? options.Value.DefaultLanguage) { Flood = load.Flood };
            foreach (var interceptor in _interceptors)
            {
                if (await interceptor.TryHandleAsync(context, cancellationToken))
                {
                    return;
                }
            }
        }

        // The preloaded session serves the first try only: the workflow changes it in place (it remembers the delivery id),
        // so a try repeated after an outage must load afresh, or it would take its own event for a duplicate and drop it.
        var preloaded = (wasLoaded, loaded);
        var moveId = Guid.NewGuid().ToString("N");
        var outcome = await WhileStorageIsDownAsync(
            () =>
            {
                var first = preloaded;
                preloaded = (false, null);
                return ApplyAsync(inbound, first, moveId, cancellationToken);
            },
            inbound.Chat,
            cancellationToken);
        if (outcome is null)
        {
            return;
        }

        var (result, before, after) = outcome.Value;
        if (IndexMove(before, after) is (var from, var to))
        {
            await WhileStorageIsDownAsync(
                async () =>
                {
                    await directory.ApplyAsync(from, to, moveId, cancellationToken);
                    return true;
                },
                inbound.Chat,
                cancellationToken);
        }

        await SendAsync(inbound.Chat, result.Replies, cancellationToken);
    }

    /// <summary>
    /// Where the supporter moves between indexes, as (from, to) with only joined supporters indexed; null when the
    /// indexes stay as they are.
    /// </summary>
    private static (SupporterSnapshot? From, SupporterSnapshot? To)? IndexMove(SupporterSnapshot? before, SupporterSnapshot? after)
    {
        var from = before?.Joined == true ? before : null;
        var to = after?.Joined == true ? after : null;
        return from == to ? null : (from, to);
    }

    /// <summary>Load, apply, save; null when there is nothing to send (a duplicate, or a block from a stranger).</summary>
    private async Task<(WorkflowResult Result, SupporterSnapshot? Before, SupporterSnapshot? After)?> ApplyAsync(InboundEvent inbound, (bool Loaded, Session? Session) preloaded, string moveId, CancellationToken cancellationToken)
    {
        WorkflowResult? result = null;
        SupporterSnapshot? before = null;
        SupporterSnapshot? after = null;
        for (var attempt = 1; ; attempt++)
        {
            var session = (attempt == 1 && preloaded.Loaded ? preloaded.Session : await sessions.LoadAsync(inbound.Chat, cancellationToken))
                ?? Session.New(inbound.Chat, clock.UtcNow);
            session.Chat = inbound.Chat;
            if (session.HasSeen(inbound.DeliveryId))
            {
                LogDuplicate(logger, inbound.Chat, inbound.DeliveryId);
                return null;
            }

            before = session.Version == 0 ? null : session.Snapshot();
            result = workflow.Handle(session, inbound);
            if (result.ForgetSupporter)
            {
                await BeginIndexMoveAsync(inbound.Chat, before, null, moveId, cancellationToken);

                // The other stores first: if one is down, the session (still asking to confirm) lets a retry or a
                // redelivery run the whole forget again; the erasers repeat safely.
                foreach (var eraser in _erasers)
                {
                    await eraser.EraseAsync(inbound.Chat, cancellationToken);
                }

                await sessions.DeleteAsync(inbound.Chat, cancellationToken);
                after = null;
                LogForgotten(logger, inbound.Chat);
                break;
            }

            if (session.Version == 0 && inbound.Kind == InboundKind.Blocked)
            {
                // Someone we never spoke to blocked us: nothing to remember.
                return null;
            }

            // Recorded before the save: a kill between the save and the index move leaves the record for the repair.
            // The snapshot is what the save stores (the delivery id and the version are not in it), so it is taken once.
            var saving = session.Snapshot();
            await BeginIndexMoveAsync(inbound.Chat, before, saving, moveId, cancellationToken);
            session.RememberDelivery(inbound.DeliveryId);
            var ttl = session.IsJoined ? (TimeSpan?)null : TimeSpan.FromDays(options.Value.OnboardingExpiryDays);
            if (await sessions.TrySaveAsync(session, ttl, cancellationToken))
            {
                after = saving;
                break;
            }

            if (attempt >= MaxConflictRetries)
            {
                throw new InvalidOperationException($"Session {inbound.Chat} kept changing under {MaxConflictRetries} attempts to save it.");
            }

            LogConflict(logger, inbound.Chat, attempt);
        }

        return (result, before, after);
    }

    private Task BeginIndexMoveAsync(ChatKey chat, SupporterSnapshot? before, SupporterSnapshot? after, string moveId, CancellationToken cancellationToken) =>
        IndexMove(before, after) is (var from, _) ? directory.BeginMoveAsync(chat, from, moveId, clock.UtcNow, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Retries a storage step with backoff while the store is down. Only steps that are safe to repeat go through here:
    /// a load-apply-save (the delivery id makes a repeat a no-op) and an index move (idempotent).
    /// </summary>
    private async Task<T> WhileStorageIsDownAsync<T>(Func<Task<T>> step, ChatKey chat, CancellationToken cancellationToken)
    {
        var started = clock.Time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await step();
            }
            catch (StorageUnavailableException ex) when (clock.Time.GetElapsedTime(started) < StorageOutageBudget)
            {
                LogStorageDown(logger, ex, chat, delay);
                await Task.Delay(delay, clock.Time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task SendAsync(ChatKey chat, IReadOnlyList<OutboundMessage> replies, CancellationToken cancellationToken)
    {
        foreach (var reply in replies)
        {
            var sent = await sender.SendAsync(reply, cancellationToken);
            if (sent.Outcome == SendOutcome.Unreachable)
            {
                // The person blocked us between writing and our answer: remember it, and stop talking.
                await HandleAsync(new InboundEvent { Chat = chat, Kind = InboundKind.Blocked }, cancellationToken);
                return;
            }

            if (sent.Outcome == SendOutcome.Failed)
            {
                LogReplyFailed(logger, chat, sent.Error);
            }
        }
    }

    [LoggerMessage(EventId = 104, EventName = "StorageDown", Level = LogLevel.Warning, Message = "Storage unavailable while handling {Chat}; retrying in {Delay}")]
    private static partial void LogStorageDown(ILogger logger, Exception exception, ChatKey chat, TimeSpan delay);

    [LoggerMessage(EventId = 100, EventName = "DuplicateDelivery", Level = LogLevel.Debug, Message = "Skipped delivery {DeliveryId} for {Chat}: already handled")]
    private static partial void LogDuplicate(ILogger logger, ChatKey chat, string? deliveryId);

    [LoggerMessage(EventId = 101, EventName = "SessionConflict", Level = LogLevel.Debug, Message = "Session {Chat} changed while handling an event (attempt {Attempt}); re-applying")]
    private static partial void LogConflict(ILogger logger, ChatKey chat, int attempt);

    [LoggerMessage(EventId = 102, EventName = "SupporterForgotten", Level = LogLevel.Information, Message = "Deleted everything stored for {Chat} at their request")]
    private static partial void LogForgotten(ILogger logger, ChatKey chat);

    [LoggerMessage(EventId = 103, EventName = "ReplyFailed", Level = LogLevel.Warning, Message = "A reply to {Chat} could not be delivered: {Error}")]
    private static partial void LogReplyFailed(ILogger logger, ChatKey chat, string? error);
}
