using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// getUpdates long polling with at-least-once handling: a batch is dispatched concurrently (the dispatcher keeps each
/// chat in order) and the offset moves past it only when every update of it was handled. Updates are read as raw JSON
/// and deserialized one by one, so one update this library cannot read is skipped instead of failing the whole batch
/// forever. On shutdown the long poll is cancelled, in-flight handling finishes, and the offset is confirmed.
/// </summary>
internal sealed class TelegramPollingService(
    ITelegramBotClient bot,
    TelegramUpdateHandler handler,
    TelegramCommandsPublisher commands,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramPollingService> logger) : BackgroundService
{
    /// <summary>The kinds of update the bot asks for; everything else is never sent to it.</summary>
    internal static readonly string[] AllowedUpdates = ["message", "callback_query", "my_chat_member"];

    private readonly TelegramOptions _options = options.Value;

    // Handling gets its own token: stopping the host cancels the long poll, not the work in hand. This one is cancelled
    // only when the host's shutdown timeout runs out.
    private readonly CancellationTokenSource _handling = new();

    private int? _offset;
    private int? _offsetSent;

    /// <summary>The offset the next getUpdates sends: one past the last handled update.</summary>
    internal int? Offset => _offset;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await DeleteWebhookAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        // The command menu is cosmetic: setting it must not delay the first getUpdates.
        var publishing = commands.PublishAsync(stoppingToken);

        Log.PollingStarted(logger, _options.PollingTimeoutSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            JsonElement[] batch;
            try
            {
                batch = await GetUpdatesAsync(_options.PollingTimeoutSeconds, 100, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = await OnPollingErrorAsync(ex, failures, stoppingToken);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (batch.Length > 0)
            {
                await HandleBatchAsync(batch);
            }
        }

        await ConfirmOffsetAsync();
        try
        {
            await publishing;
        }
        catch (OperationCanceledException)
        {
            // Stopped before the menu was set; it is set at the next start.
        }

        Log.PollingStopped(logger, _offset);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host gives up waiting when cancellationToken fires; then, and only then, in-flight handling is cancelled.
        using var registration = cancellationToken.Register(() => _handling.Cancel());
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _handling.Dispose();
        base.Dispose();
    }

    private async Task HandleBatchAsync(JsonElement[] batch)
    {
        var handling = new List<Task>(batch.Length);
        long maxId = -1;
        foreach (var element in batch)
        {
            var id = UpdateIdOf(element);
            if (id > maxId)
            {
                maxId = id.Value;
            }

            Update? update;
            try
            {
                update = element.Deserialize<Update>(JsonBotAPI.Options);
            }
            catch (Exception ex)
            {
                // Outside input: whatever the library throws on it, this update is skipped and nothing else.
                Log.UpdateMalformed(logger, id, ex);
                continue;
            }

            if (update is null)
            {
                Log.UpdateMalformed(logger, id, new JsonException("The update is null."));
                continue;
            }

            handling.Add(handler.HandleAsync(update, _handling.Token));
        }

        // The handler never throws, so this waits for every update of the batch.
        await Task.WhenAll(handling);
        if (maxId >= 0 && maxId < int.MaxValue)
        {
            _offset = (int)maxId + 1;
        }
    }

    private static long? UpdateIdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("update_id", out var id)
        && id.ValueKind == JsonValueKind.Number
        && id.TryGetInt64(out var value)
            ? value
            : null;

    private async Task<JsonElement[]> GetUpdatesAsync(int timeoutSeconds, int limit, CancellationToken cancellationToken)
    {
        var request = new RawGetUpdatesRequest
        {
            Offset = _offset,
            Limit = limit,
            Timeout = timeoutSeconds,
            AllowedUpdates = AllowedUpdates,
        };
        var result = await bot.SendRequest(request, cancellationToken);
        _offsetSent = request.Offset;
        return result;
    }

    /// <summary>Telegram forgets updates below the offset only when asked again: do that once on the way out.</summary>
    private async Task ConfirmOffsetAsync()
    {
        if (_offset is null || _offset == _offsetSent)
        {
            return;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        try
        {
            // limit 1 and no wait: whatever this returns stays unconfirmed and comes again at the next start.
            await GetUpdatesAsync(0, 1, cts.Token);
        }
        catch (Exception ex)
        {
            Log.PollingFailed(logger, "confirming the offset at shutdown", TimeSpan.Zero, ex);
        }
    }

    private async Task DeleteWebhookAsync(CancellationToken cancellationToken)
    {
        // Polling and a webhook exclude each other: getUpdates answers 409 while a webhook is set.
        try
        {
            await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.WebhookDeleteFailed(logger, ex);
        }
    }

    private async Task<TimeSpan> OnPollingErrorAsync(Exception ex, int failures, CancellationToken cancellationToken)
    {
        var max = TimeSpan.FromSeconds(_options.MaxPollingBackoffSeconds);
        var backoff = TimeSpan.FromMilliseconds(Math.Max(_options.RetryBaseDelayMilliseconds, 1) * Math.Pow(2, Math.Min(failures - 1, 20)));
        if (backoff > max)
        {
            backoff = max;
        }

        switch (ex)
        {
            case ApiRequestException { ErrorCode: 429 } rate:
                var wait = TimeSpan.FromSeconds(Math.Max(rate.Parameters?.RetryAfter ?? 1, 1));
                Log.PollingFailed(logger, "rate limited", wait, ex);
                return wait;
            case ApiRequestException { ErrorCode: 401 or 404 } rejected:
                Log.TokenRejected(logger, rejected.ErrorCode, max);
                return max;
            case ApiRequestException { ErrorCode: 409 }:
                // A webhook is set (someone switched modes) or another instance is polling with this token.
                Log.PollingFailed(logger, "conflict", backoff, ex);
                await DeleteWebhookAsync(cancellationToken);
                return backoff;
            default:
                Log.PollingFailed(logger, ex.GetType().Name, backoff, ex);
                return backoff;
        }
    }

    /// <summary>getUpdates answered as raw JSON elements, to be deserialized one by one.</summary>
    private sealed class RawGetUpdatesRequest() : RequestBase<JsonElement[]>("getUpdates")
    {
        public int? Offset { get; set; }

        public int? Limit { get; set; }

        public int? Timeout { get; set; }

        public IEnumerable<string>? AllowedUpdates { get; set; }
    }
}
