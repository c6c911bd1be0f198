using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Redis.Broadcasts;

/// <summary>
/// Runs broadcasts in this instance: the sending slots, the scheduler (due jobs and the daily prompt), and the live
/// progress edits. Every instance runs the same loops; the store's atomic steps decide who does what.
/// </summary>
internal sealed partial class BroadcastHostedService(
    BroadcastRunner runner,
    IBroadcastStore store,
    DailyPromptPlanner planner,
    IMessageSender sender,
    ILocalizer text,
    IOptions<BroadcastOptions> options,
    TimeProvider time,
    ILogger<BroadcastHostedService> logger) : BackgroundService
{
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(
            runner.RunAsync(stoppingToken),
            LoopAsync(TimeSpan.FromMilliseconds(Math.Min(options.Value.PollMilliseconds, 1000)), ScheduleAsync, stoppingToken),
            LoopAsync(TimeSpan.FromSeconds(options.Value.ProgressSeconds), ProgressAsync, stoppingToken));
    }

    private async Task LoopAsync(TimeSpan every, Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await step(cancellationToken);
                await Task.Delay(every, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStepFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, definition) in options.Value.DailyPrompts ? planner.Due() : [])
        {
            if (_created.Contains(id))
            {
                continue;
            }

            // Create-if-absent then start-if-scheduled: both idempotent, so every instance may try.
            if (await store.CreateAsync(id, definition, time.GetUtcNow(), cancellationToken))
            {
                LogDailyCreated(logger, id);
            }

            await store.StartAsync(id, cancellationToken);
            _created.Add(id);
        }

        foreach (var id in await store.DueAsync(time.GetUtcNow(), cancellationToken))
        {
            await store.StartAsync(id, cancellationToken);
        }
    }

    private async Task ProgressAsync(CancellationToken cancellationToken)
    {
        var hold = TimeSpan.FromSeconds(options.Value.ProgressSeconds) - TimeSpan.FromMilliseconds(200);
        foreach (var job in await store.ListAsync(20, cancellationToken))
        {
            if (job.Definition is not { ProgressChat: { } chatText } definition || !ChatKey.TryParse(chatText, out var chat) || job.Status == BroadcastStatus.Scheduled)
            {
                continue;
            }

            var final = job.IsFinished;
            if (final && job.FinishedAt is { } finished && time.GetUtcNow() - finished > TimeSpan.FromDays(1))
            {
                continue;
            }

            if (!await store.TryTakeTurnAsync(job.Id, final ? "final" : "progress", final ? TimeSpan.FromDays(7) : hold, cancellationToken))
            {
                continue;
            }

            var language = definition.ProgressLanguage ?? text.DefaultLanguage;
            var body = BroadcastProgress.Format(text, language, job, options.Value.MaxPerSecond * options.Value.PacingFactor);
            await sender.SendAsync(new OutboundMessage(chat.Value, body) { ReplacesMessageId = definition.ProgressMessageId }, cancellationToken);
            if (final)
            {
                await sender.SendAsync(new OutboundMessage(chat.Value, text.Format(language, job.Status == BroadcastStatus.Completed ? "broadcast.report.done" : "broadcast.report.cancelled", ("id", job.Id))), cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 510, EventName = "BroadcastSchedulerFailed", Level = LogLevel.Warning, Message = "A broadcast scheduling or progress step failed; retrying")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 511, EventName = "DailyBroadcastCreated", Level = LogLevel.Information, Message = "Created the daily broadcast {Id}")]
    private static partial void LogDailyCreated(ILogger logger, string id);
}

/// <summary>
/// Every interactive message (a reply to a supporter, a progress edit) takes a slot of the shared rate without waiting,
/// so replies always go first and broadcasts fill what is left of the bot's budget. The rule itself is
/// <see cref="InteractiveRateShare"/>, shared with the composer's preview and test.
/// </summary>
internal sealed class RateSharingMessageSender(IMessageSender inner, InteractiveRateShare rate) : IMessageSender
{
    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return rate.SendAsync(message.Chat, (inner, message), static (s, ct) => s.inner.SendAsync(s.message, ct), cancellationToken);
    }
}
