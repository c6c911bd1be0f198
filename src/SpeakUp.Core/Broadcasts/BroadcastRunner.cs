using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// The sending side of broadcasts in one instance: <see cref="BroadcastOptions.Workers"/> slots, each holding at most one
/// claimed recipient at a time. A slot claims (recipient + rate slot, atomically in the store), waits for its slot time,
/// sends once, and records the outcome. 429 pauses every instance and puts the recipient back; blocked people are marked
/// unreachable through the conversation engine; timeouts and 5xx go back with backoff until MaxAttempts.
/// If the process dies, at most one recipient per slot is left in flight: after its lease it is reported "unknown".
/// </summary>
public sealed partial class BroadcastRunner(
    IBroadcastStore store,
    IEnumerable<IBroadcastChannel> channels,
    BroadcastRenderer renderer,
    IInboundDispatcher dispatcher,
    IOptions<BroadcastOptions> options,
    TimeProvider time,
    ILogger<BroadcastRunner> logger)
{
    private readonly Dictionary<string, IBroadcastChannel> _channels = channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BroadcastDefinition?> _definitions = new(StringComparer.Ordinal);
    private volatile string[] _active = [];
    private long _pausedUntil;
    private long _lastLocal;
    private readonly Lock _localGate = new();

    /// <summary>This instance's id, recorded as the owner of its in-flight recipients.</summary>
    public string Instance { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Runs every slot plus the loop that refreshes the list of running jobs, until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task> { RefreshLoopAsync(cancellationToken) };
        for (var slot = 0; slot < options.Value.Workers; slot++)
        {
            var index = slot;
            loops.Add(Task.Run(() => SlotLoopAsync(index, cancellationToken), CancellationToken.None));
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

    private async Task SlotLoopAsync(int slot, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var turn = slot;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var active = _active;
                if (active.Length == 0)
                {
                    wait = poll;
                }
                else
                {
                    var id = active[turn++ % active.Length];
                    wait = await StepAsync(id, cancellationToken);
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

    /// <summary>One claim and (maybe) one send. Returns how long this slot should wait before its next claim.</summary>
    internal async Task<TimeSpan> StepAsync(string id, CancellationToken cancellationToken)
    {
        var paused = PausedFor();
        if (paused > TimeSpan.Zero)
        {
            return paused;
        }

        var claim = await store.ClaimAsync(id, Instance, cancellationToken);
        switch (claim.Kind)
        {
            case ClaimKind.Done:
                _active = [.. _active.Where(a => a != id)];
                _definitions.TryRemove(id, out _);
                return TimeSpan.Zero;
            case ClaimKind.Wait or ClaimKind.Idle:
                return claim.Wait;
        }

        var chat = claim.Recipient!.Value;

        // From here on the recipient is ours; whatever happens it gets an outcome or goes back, never lost.
        var wait = LocalSlot(claim.Wait);
        var interval = TimeSpan.FromMilliseconds(1000.0 / (options.Value.MaxPerSecond * options.Value.PacingFactor));
        while (wait > TimeSpan.Zero)
        {
            var due = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await store.RetryAsync(id, chat, TimeSpan.Zero, int.MaxValue, CancellationToken.None);
                throw;
            }

            // Woke up well after the slot (the process was paused): every slot due during the pause wakes now, so take
            // a fresh local slot instead of leaving in the same instant as the others.
            wait = time.GetElapsedTime(due) > interval / 2 ? LocalSlot(TimeSpan.Zero) : TimeSpan.Zero;
        }

        if (PausedFor() is { } pause && pause > TimeSpan.Zero)
        {
            await store.RetryAsync(id, chat, pause, int.MaxValue, CancellationToken.None);
            return pause;
        }

        await SendOneAsync(id, chat, claim.Attempt, cancellationToken);
        return TimeSpan.Zero;
    }

    private async Task SendOneAsync(string id, ChatKey chat, int attempt, CancellationToken cancellationToken)
    {
        var definition = await DefinitionAsync(id, cancellationToken);
        var message = definition is null ? null : renderer.Render(definition, chat);
        if (message is null || !_channels.TryGetValue(chat.Channel, out var channel))
        {
            LogNothingToSend(logger, id, chat);
            await store.CompleteAsync(id, chat, RecipientOutcome.Failed, CancellationToken.None);
            return;
        }

        // A send that started is finished even when the host is stopping: cancelling it midway would leave us not knowing.
        var delivery = await channel.SendAsync(chat, message, CancellationToken.None);
        switch (delivery.Outcome)
        {
            case DeliveryOutcome.Sent:
                await store.CompleteAsync(id, chat, RecipientOutcome.Sent, CancellationToken.None);
                break;
            case DeliveryOutcome.Unreachable:
                // Marked first: once the job reports done, every unreachable person is already skipped by the indexes.
                await MarkUnreachableAsync(chat);
                await store.CompleteAsync(id, chat, RecipientOutcome.Unreachable, CancellationToken.None);
                break;
            case DeliveryOutcome.RateLimited:
                var wait = delivery.RetryAfter > TimeSpan.Zero ? delivery.RetryAfter : TimeSpan.FromSeconds(1);
                Interlocked.Exchange(ref _pausedUntil, Math.Max(Interlocked.Read(ref _pausedUntil), (time.GetUtcNow() + wait).ToUnixTimeMilliseconds()));
                LogRateLimited(logger, id, wait);
                await store.PauseAllAsync(wait, CancellationToken.None);
                await store.RetryAsync(id, chat, wait, int.MaxValue, CancellationToken.None);
                break;
            case DeliveryOutcome.Transient:
                var backoff = TimeSpan.FromMilliseconds(options.Value.RetryBaseMilliseconds * Math.Pow(2, Math.Min(attempt, 10)));
                LogTransient(logger, id, chat, attempt + 1, delivery.Error);
                await store.RetryAsync(id, chat, backoff, options.Value.MaxAttempts, CancellationToken.None);
                break;
            default:
                LogFailed(logger, id, chat, delivery.Error);
                await store.CompleteAsync(id, chat, RecipientOutcome.Failed, CancellationToken.None);
                break;
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

    /// <summary>
    /// The shared rate hands out slots, but a slot that wakes late (a busy machine) would go out right before the next
    /// one and bunch two sends into one instant. Sends of this instance therefore also keep one interval apart as they
    /// actually leave: lateness is carried forward instead of compressed.
    /// </summary>
    private TimeSpan LocalSlot(TimeSpan wait)
    {
        var interval = TimeSpan.FromMilliseconds(1000.0 / (options.Value.MaxPerSecond * options.Value.PacingFactor));
        var now = time.GetTimestamp();
        var target = now + (long)(wait.TotalSeconds * time.TimestampFrequency);
        lock (_localGate)
        {
            var earliest = _lastLocal + (long)(interval.TotalSeconds * time.TimestampFrequency);
            var at = Math.Max(target, earliest);
            _lastLocal = at;
            return TimeSpan.FromSeconds((double)(at - now) / time.TimestampFrequency);
        }
    }

    private TimeSpan PausedFor()
    {
        var until = Interlocked.Read(ref _pausedUntil);
        var left = until - time.GetUtcNow().ToUnixTimeMilliseconds();
        return left > 0 ? TimeSpan.FromMilliseconds(left) : TimeSpan.Zero;
    }

    private async Task<BroadcastDefinition?> DefinitionAsync(string id, CancellationToken cancellationToken)
    {
        if (_definitions.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var job = await store.GetAsync(id, cancellationToken);
        return _definitions[id] = job?.Definition;
    }

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
}
