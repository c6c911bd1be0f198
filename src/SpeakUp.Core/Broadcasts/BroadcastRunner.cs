using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// The sending side of broadcasts in one instance: <see cref="BroadcastOptions.Workers"/> workers, each holding at most
/// <see cref="BroadcastOptions.BatchSize"/> claimed recipients at a time. A worker's one store call per batch records the
/// outcomes of its previous batch and claims the next recipients, each with its own slot of the shared rate; each
/// recipient then waits for its slot and is sent once. 429 pauses every instance and puts the recipient back; blocked
/// people are marked unreachable through the conversation engine; timeouts and 5xx go back with backoff until
/// MaxAttempts. If the process dies, the recipients a worker holds (claimed, being sent, or sent but not yet recorded)
/// are reported "unknown" after their lease: at most Workers × BatchSize per instance, never resent.
/// </summary>
public sealed partial class BroadcastRunner(
    IBroadcastStore store,
    IEnumerable<IBroadcastChannel> channels,
    BroadcastRenderer renderer,
    IInboundDispatcher dispatcher,
    BroadcastSendWindow window,
    IOptions<BroadcastOptions> options,
    TimeProvider time,
    ILogger<BroadcastRunner> logger)
{
    /// <summary>
    /// A claim takes slots after its first only while they are due this soon: enough to share one round trip among
    /// several sends when the rate is high, without one worker reserving seconds of a slow rate (30/s) ahead of the others
    /// — which would also hold more recipients in flight, to be cancelled or lost in a crash.
    /// </summary>
    internal static readonly TimeSpan Horizon = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, IBroadcastChannel> _channels = channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JobContent> _contents = new(StringComparer.Ordinal);
    private volatile string[] _active = [];
    private long _pausedUntil;

    /// <summary>This instance's id, recorded as the owner of its in-flight recipients.</summary>
    public string Instance { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// How late a slot may be kept. The pace leaves this much of each second free (PacingFactor 0.99: 10 ms); a send
    /// later than that would share a second with the sends a second after it, which other instances may make on time.
    /// </summary>
    private TimeSpan LateTolerance => TimeSpan.FromMilliseconds(Math.Max(2, 1000 * ((1 / options.Value.PacingFactor) - 1)));

    /// <summary>Runs every worker plus the loop that refreshes the list of running jobs, until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task> { RefreshLoopAsync(cancellationToken) };
        for (var slot = 0; slot < options.Value.Workers; slot++)
        {
            var index = slot;
            loops.Add(Task.Run(() => WorkerLoopAsync(index, cancellationToken), CancellationToken.None));
        }

        return Task.WhenAll(loops);
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _active = [.. await store.ActiveAsync(cancellationToken)];
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
            }

            try
            {
                await Task.Delay(poll, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WorkerLoopAsync(int worker, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var turn = worker;

        // The outcomes of this worker's last batch, until a store call has recorded them (kept across a failed call: the
        // claim token makes recording twice harmless).
        RecipientResults? unrecorded = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var active = _active;
                    if (active.Length == 0)
                    {
                        // A cancelled job leaves the list while its last outcomes are still here.
                        unrecorded = await RecordAsync(unrecorded);
                        wait = poll;
                    }
                    else
                    {
                        (wait, unrecorded) = await StepAsync(active[turn++ % active.Length], unrecorded, cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogLoopFailed(logger, ex);
                    wait = TimeSpan.FromSeconds(1);
                }

                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, time, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            try
            {
                await RecordAsync(unrecorded);
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
            }
        }
    }

    private async Task<RecipientResults?> RecordAsync(RecipientResults? results)
    {
        if (results is not null)
        {
            await store.RecordAsync(results, CancellationToken.None);
        }

        return null;
    }

    /// <summary>
    /// One store call (the previous batch's outcomes in, the next batch out), then the batch sent, each recipient at its
    /// slot. Returns how long this worker should wait before its next claim, and the outcomes it now holds.
    /// </summary>
    internal async Task<(TimeSpan Wait, RecipientResults? Unrecorded)> StepAsync(string id, RecipientResults? previous, CancellationToken cancellationToken)
    {
        var paused = PausedFor();
        if (paused > TimeSpan.Zero)
        {
            return (paused, await RecordAsync(previous));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Not cancellable once sent: a claim answered after we stopped listening would strand its recipients until their
        // lease ran out, and they would count as unknown.
        var asked = time.GetTimestamp();
        var claim = await store.ClaimAsync(id, Instance, options.Value.BatchSize, Horizon, previous, CancellationToken.None);
        var answered = time.GetTimestamp();
        switch (claim.Kind)
        {
            case ClaimKind.Done:
                _active = [.. _active.Where(a => a != id)];
                _contents.TryRemove(id, out _);
                return (TimeSpan.Zero, null);
            case ClaimKind.Wait or ClaimKind.Idle:
                return (claim.Wait, null);
        }

        // From here on the recipients are ours; whatever happens each gets an outcome or goes back, never lost.
        var recipients = claim.Recipients!;
        var results = new RecipientResult[recipients.Count];
        JobContent? content = null;
        try
        {
            content = await ContentAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            LogLoopFailed(logger, ex);
        }

        if (content is null)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = new RecipientResult(recipients[i].Chat, RecipientOutcome.PutBack, TimeSpan.FromSeconds(1));
            }
        }
        else if (results.Length == 1)
        {
            results[0] = await SendAtSlotAsync(id, content, recipients[0], claim.Shared, asked, answered, cancellationToken);
        }
        else
        {
            var sends = new Task<RecipientResult>[results.Length];
            for (var i = 0; i < sends.Length; i++)
            {
                sends[i] = SendAtSlotAsync(id, content, recipients[i], claim.Shared, asked, answered, cancellationToken);
            }

            for (var i = 0; i < sends.Length; i++)
            {
                results[i] = await sends[i];
            }
        }

        return (TimeSpan.Zero, new RecipientResults(id, claim.Token, results));
    }

    /// <summary>Waits for the recipient's slot, then sends, unless the slot came too late, everyone is paused or the job stopped.</summary>
    private async Task<RecipientResult> SendAtSlotAsync(string id, JobContent content, ClaimedRecipient recipient, bool shared, long asked, long answered, CancellationToken cancellationToken)
    {
        var chat = recipient.Chat;
        long started;
        try
        {
            // The slot is counted from the moment the store read its clock: between our asking and the answer.
            var due = answered + (long)(recipient.Slot.TotalSeconds * time.TimestampFrequency);
            var wait = TimeSpan.FromSeconds((double)(due - time.GetTimestamp()) / time.TimestampFrequency);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            if (shared && window.Limit > 0)
            {
                // Woke up late (a busy machine, a GC): sent now, this message would share a second with the ones a
                // second after its slot, which another instance may send on time. Give the slot up; the recipient is due
                // again at once and gets a fresh slot. (Alone, this instance's send window holds its own next sends back
                // instead, which loses no slot.) Where the store's clock stood in our time is known to half the claim's
                // round trip, counted against us.
                var late = time.GetElapsedTime(due) + (time.GetElapsedTime(asked, answered) / 2);
                if (late > LateTolerance)
                {
                    LogSlotGivenUp(logger, id, late.TotalMilliseconds);
                    return new RecipientResult(chat, RecipientOutcome.PutBack);
                }
            }

            if (PausedFor() is var pause && pause > TimeSpan.Zero)
            {
                return new RecipientResult(chat, RecipientOutcome.PutBack, pause);
            }

            if (!_active.Contains(id))
            {
                // Cancelled meanwhile: what was sent stays sent, nothing more goes out.
                return new RecipientResult(chat, RecipientOutcome.PutBack);
            }

            started = await window.EnterAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new RecipientResult(chat, RecipientOutcome.PutBack);
        }

        try
        {
            return await SendOneAsync(id, content, chat, recipient.Attempt);
        }
        catch (Exception ex)
        {
            // The channels report rather than throw; if one threw anyway the message may have gone: retry as after a timeout.
            LogLoopFailed(logger, ex);
            return new RecipientResult(chat, RecipientOutcome.Retry, TimeSpan.FromMilliseconds(options.Value.RetryBaseMilliseconds));
        }
        finally
        {
            window.Exit(started);
        }
    }

    private async Task<RecipientResult> SendOneAsync(string id, JobContent content, ChatKey chat, int attempt)
    {
        var message = content.Message ?? (content.Definition is { } definition ? renderer.Render(definition, chat) : null);
        if (message is null || !_channels.TryGetValue(chat.Channel, out var channel))
        {
            LogNothingToSend(logger, id, chat);
            return new RecipientResult(chat, RecipientOutcome.Failed);
        }

        // A send that started is finished even when the host is stopping: cancelling it midway would leave us not knowing.
        var delivery = await channel.SendAsync(chat, message, CancellationToken.None);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.Sent:
                return new RecipientResult(chat, RecipientOutcome.Sent);
            case DeliveryOutcome.Unreachable:
                // Marked first: once the job reports done, every unreachable person is already skipped by the indexes.
                await MarkUnreachableAsync(chat);
                return new RecipientResult(chat, RecipientOutcome.Unreachable);
            case DeliveryOutcome.RateLimited:
                var wait = delivery.RetryAfter > TimeSpan.Zero ? delivery.RetryAfter : TimeSpan.FromSeconds(1);
                Interlocked.Exchange(ref _pausedUntil, Math.Max(Interlocked.Read(ref _pausedUntil), (time.GetUtcNow() + wait).ToUnixTimeMilliseconds()));
                LogRateLimited(logger, id, wait);
                try
                {
                    // At once, not with the next claim: every instance must stop now.
                    await store.PauseAllAsync(wait, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    LogLoopFailed(logger, ex);
                }

                return new RecipientResult(chat, RecipientOutcome.PutBack, wait);
            case DeliveryOutcome.Transient:
                var backoff = TimeSpan.FromMilliseconds(options.Value.RetryBaseMilliseconds * Math.Pow(2, Math.Min(attempt, 10)));
                LogTransient(logger, id, chat, attempt + 1, delivery.Error);
                return new RecipientResult(chat, RecipientOutcome.Retry, backoff);
            default:
                LogFailed(logger, id, chat, delivery.Error);
                return new RecipientResult(chat, RecipientOutcome.Failed);
        }
    }

    private async Task MarkUnreachableAsync(ChatKey chat)
    {
        try
        {
            // Through the conversation engine, so the session and the indexes agree (and the next broadcast skips them).
            await dispatcher.DispatchAsync(new InboundEvent { Chat = chat, Kind = InboundKind.Blocked }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogLoopFailed(logger, ex);
        }
    }

    private TimeSpan PausedFor()
    {
        var until = Interlocked.Read(ref _pausedUntil);
        var left = until - time.GetUtcNow().ToUnixTimeMilliseconds();
        return left > 0 ? TimeSpan.FromMilliseconds(left) : TimeSpan.Zero;
    }

    private async Task<JobContent> ContentAsync(string id, CancellationToken cancellationToken)
    {
        if (_contents.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var definition = (await store.GetAsync(id, cancellationToken))?.Definition;

        // An admin's message is the same for everyone: rendered once per job, not once per recipient.
        var content = new JobContent(definition, definition?.Kind == BroadcastKind.Message ? BroadcastRenderer.Message(definition.Content) : null);
        return _contents[id] = content;
    }

    private sealed record JobContent(BroadcastDefinition? Definition, BroadcastMessage? Message);

    [LoggerMessage(EventId = 500, EventName = "BroadcastLoopFailed", Level = LogLevel.Warning, Message = "A broadcast step failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 501, EventName = "BroadcastRateLimited", Level = LogLevel.Warning, Message = "Broadcast {Id} got 429: every instance pauses for {Wait}")]
    private static partial void LogRateLimited(ILogger logger, string id, TimeSpan wait);

    [LoggerMessage(EventId = 502, EventName = "BroadcastSendRetry", Level = LogLevel.Information, Message = "Broadcast {Id} to {Chat}: attempt {Attempt} failed ({Error}); retrying later")]
    private static partial void LogTransient(ILogger logger, string id, ChatKey chat, int attempt, string? error);

    [LoggerMessage(EventId = 503, EventName = "BroadcastSendFailed", Level = LogLevel.Warning, Message = "Broadcast {Id} to {Chat} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string id, ChatKey chat, string? error);

    [LoggerMessage(EventId = 504, EventName = "BroadcastNothingToSend", Level = LogLevel.Warning, Message = "Broadcast {Id} has nothing to send to {Chat} (no channel, or no campaign today)")]
    private static partial void LogNothingToSend(ILogger logger, string id, ChatKey chat);

    [LoggerMessage(EventId = 505, EventName = "BroadcastSlotGivenUp", Level = LogLevel.Debug, Message = "Broadcast {Id}: a send slot came {LateMs:0.0} ms late and was given up")]
    private static partial void LogSlotGivenUp(ILogger logger, string id, double lateMs);
}
