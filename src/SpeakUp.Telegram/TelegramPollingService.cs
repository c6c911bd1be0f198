using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// getUpdates long polling that never waits for handling and still loses nothing. Each batch is put in the durable
/// <see cref="IUpdateInbox"/> first; only then does the offset move past it (the next getUpdates, sent at once, confirms
/// it to Telegram), and each update is handed to the handler without waiting for the others (the dispatcher keeps each
/// chat in order). A handled update is removed from the inbox along with the next batch's put, or, when no batch comes
/// within <see cref="RemovalGrace"/>, in a removal of its own for all that finished meanwhile. What a stopped or killed
/// host had in hand is still in the inbox at the next start and is handled again, in update-id order, before polling
/// begins; the conversation engine skips a redelivery by its id.
/// At most <see cref="TelegramOptions.MaxUpdatesInFlight"/> updates are in hand; at the bound the next getUpdates waits.
/// Updates are read as raw JSON and deserialized one by one, so one update this library cannot read is skipped instead
/// of failing the whole batch forever. On shutdown the long poll is cancelled, in-flight handling finishes and is
/// removed from the inbox, and the offset is confirmed.
/// </summary>
internal sealed class TelegramPollingService(
    ITelegramBotClient bot,
    TelegramUpdateHandler handler,
    TelegramCommandsPublisher commands,
    IUpdateInbox inbox,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramPollingService> logger) : BackgroundService
{
    /// <summary>The kinds of update the bot asks for; everything else is never sent to it.</summary>
    internal static readonly string[] AllowedUpdates = ["message", "callback_query", "my_chat_member"];

    /// <summary>
    /// How long a handled update waits for the next put to remove it along with the new batch, before it is removed on
    /// its own. Busy, removals cost nothing extra; quiet, a replay after a kill might repeat this much more (and the
    /// engine skips a repeat by its id).
    /// </summary>
    internal static readonly TimeSpan RemovalGrace = TimeSpan.FromMilliseconds(200);

    private readonly TelegramOptions _options = options.Value;

    // Update ids are a sequence per bot: the bot's id keeps two bots on one Redis (or a changed token) apart.
    private readonly string _source = "tg:" + bot.BotId.ToString(CultureInfo.InvariantCulture);

    // Handling gets its own token: stopping the host cancels the long poll, not the work in hand. This one is cancelled
    // only when the host's shutdown timeout runs out.
    private readonly CancellationTokenSource _handling = new();

    // Guarded by _gate. _inHand counts updates received and not yet removed from the inbox (or given up at shutdown):
    // handling, or handled and waiting in _finished for the next removal.
    private readonly Lock _gate = new();
    private readonly List<long> _finished = [];
    private int _inHand;
    private bool _pollingStopped;
    private TaskCompletionSource _changed = NewSignal();

    private int? _offset;
    private int? _offsetSent;

    /// <summary>The offset the next getUpdates sends: one past the last update stored in the inbox.</summary>
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
        var removing = RemoveFinishedAsync();

        if (await RecoverAsync(stoppingToken))
        {
            await PollAsync(stoppingToken);
        }

        lock (_gate)
        {
            _pollingStopped = true;
            Pulse();
        }

        // Ends when everything in hand was handled and removed, or when the host stops waiting (_handling cancelled).
        await removing;
        int left;
        lock (_gate)
        {
            left = _inHand;
        }

        if (left > 0)
        {
            Log.InboxLeftAtShutdown(logger, left);
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

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        Log.PollingStarted(logger, _options.PollingTimeoutSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            Exception? error = null;
            try
            {
                var room = await WaitForRoomAsync(stoppingToken);
                var batch = await GetUpdatesAsync(_options.PollingTimeoutSeconds, Math.Min(100, room), stoppingToken);
                if (batch.Length == 0 || await AcceptAsync(batch, stoppingToken) is not { } failure)
                {
                    failures = 0;
                    continue;
                }

                failures++;
                delay = Backoff(failures);
                Log.InboxPutFailed(logger, batch.Length, delay, failure);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                delay = TimeSpan.Zero;
                error = ex;
            }

            try
            {
                if (error is not null)
                {
                    delay = await OnPollingErrorAsync(error, failures, stoppingToken);
                }

                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Puts the batch in the inbox, then moves the offset past it and starts handling each update. Returns the put's
    /// failure, and then the offset stays: the next getUpdates asks for the same updates again.
    /// </summary>
    private async Task<Exception?> AcceptAsync(JsonElement[] batch, CancellationToken stoppingToken)
    {
        var readable = new List<(long Id, Update Update)>(batch.Length);
        var entries = new List<InboxUpdate>(batch.Length);
        long maxId = -1;
        foreach (var element in batch)
        {
            var id = UpdateIdOf(element);
            if (id > maxId)
            {
                maxId = id.Value;
            }

            // Nothing could ever handle an update that cannot be read, so it is not stored: it is skipped here, once.
            if (Read(element, id) is { } update && id is { } known)
            {
                readable.Add((known, update));
                entries.Add(new InboxUpdate(known, element.GetRawText()));
            }
        }

        long[] done = [];
        if (entries.Count > 0)
        {
            // The updates handled since the last put leave the inbox in the same round trip.
            lock (_gate)
            {
                done = [.. _finished];
                _finished.Clear();
            }

            try
            {
                await inbox.PutAsync(_source, entries, done, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the offset stays, so Telegram sends these again at the next start.
                Unfinished(done);
                throw;
            }
            catch (Exception ex)
            {
                Unfinished(done);
                return ex;
            }
        }

        if (maxId >= 0 && maxId < int.MaxValue)
        {
            _offset = (int)maxId + 1;
        }

        lock (_gate)
        {
            _inHand += readable.Count - done.Length;
            if (done.Length > 0)
            {
                Pulse();
            }
        }

        foreach (var (id, update) in readable)
        {
            Dispatch(id, update);
        }

        return null;
    }

    /// <summary>Hands everything a previous run left in the inbox to the handler, oldest first. False when stopped first.</summary>
    private async Task<bool> RecoverAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<InboxUpdate> pending;
        for (var failures = 1; ; failures++)
        {
            try
            {
                pending = await inbox.PendingAsync(_source, stoppingToken);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                // Redis down at start: polling could not put anything either, so wait for it here.
                var delay = Backoff(failures);
                Log.InboxReadFailed(logger, delay, ex);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        if (pending.Count > 0)
        {
            Log.InboxRecovered(logger, pending.Count);
        }

        foreach (var entry in pending)
        {
            try
            {
                await WaitForRoomAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // The rest stays in the inbox for the next start.
                return false;
            }

            lock (_gate)
            {
                _inHand++;
            }

            Update? update;
            try
            {
                using var document = JsonDocument.Parse(entry.Json);
                update = Read(document.RootElement, entry.Id);
            }
            catch (JsonException ex)
            {
                Log.UpdateMalformed(logger, entry.Id, ex);
                update = null;
            }

            if (update is null)
            {
                // Unreadable now means unreadable forever: removed, not kept to be tried at every start.
                Finished(entry.Id);
                continue;
            }

            Dispatch(entry.Id, update);
        }

        return true;
    }

    /// <summary>Deserializes one update; null (logged) when this library cannot read it.</summary>
    private Update? Read(JsonElement element, long? id)
    {
        Update? update;
        try
        {
            update = element.Deserialize<Update>(JsonBotAPI.Options);
        }
        catch (Exception ex)
        {
            // Outside input: whatever the library throws on it, this update is skipped and nothing else.
            Log.UpdateMalformed(logger, id, ex);
            return null;
        }

        if (update is null || id is null)
        {
            Log.UpdateMalformed(logger, id, new JsonException(update is null ? "The update is null." : "The update has no update_id."));
            return null;
        }

        return update;
    }

    /// <summary>Starts handling one update (before returning, so updates reach the dispatcher in order) and records its end.</summary>
    private void Dispatch(long id, Update update)
    {
        Task handling;
        try
        {
            handling = handler.HandleAsync(update, _handling.Token);
        }
        catch (Exception ex)
        {
            handling = Task.FromException(ex);
        }

        _ = FinishAsync(id, handling);
    }

    private async Task FinishAsync(long id, Task handling)
    {
        try
        {
            await handling;
        }
        catch (Exception ex)
        {
            // The handler logs and swallows its failures; anything else still ends this update's turn.
            Log.UpdateFailed(logger, (int)id, ex);
        }

        if (_handling.IsCancellationRequested)
        {
            // The host stopped waiting and the handling may have been cut short: it stays in the inbox for the next start.
            lock (_gate)
            {
                _inHand--;
                Pulse();
            }

            return;
        }

        Finished(id);
    }

    private void Finished(long id)
    {
        lock (_gate)
        {
            _finished.Add(id);
            Pulse();
        }
    }

    /// <summary>Handled updates whose removal did not happen: back to the front of the queue for the next one.</summary>
    private void Unfinished(long[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            _finished.InsertRange(0, ids);
            Pulse();
        }
    }

    /// <summary>
    /// Removes handled updates from the inbox: all that finished while the previous removal was in flight go in one
    /// round trip. A failed removal is retried with backoff (the updates keep their room until it succeeds). Ends when
    /// polling has stopped and nothing is in hand, or when the host stops waiting for the work in hand.
    /// </summary>
    private async Task RemoveFinishedAsync()
    {
        await Task.Yield();
        var failures = 0;
        while (true)
        {
            bool any;
            bool stopped;
            Task changed;
            lock (_gate)
            {
                if (_finished.Count == 0 && _pollingStopped && _inHand == 0)
                {
                    return;
                }

                any = _finished.Count > 0;
                stopped = _pollingStopped;
                changed = _changed.Task;
            }

            try
            {
                if (!any)
                {
                    await changed.WaitAsync(_handling.Token);
                    continue;
                }

                if (!stopped)
                {
                    // While updates keep coming, the next put takes these along at no round trip of its own; a quiet bot
                    // (the long poll waiting) removes them here a moment later.
                    await Task.Delay(RemovalGrace, time, _handling.Token);
                }

                long[] ids;
                lock (_gate)
                {
                    ids = [.. _finished];
                    _finished.Clear();
                }

                if (ids.Length == 0)
                {
                    continue;
                }

                try
                {
                    await inbox.DoneAsync(_source, ids, _handling.Token);
                    failures = 0;
                    lock (_gate)
                    {
                        _inHand -= ids.Length;
                        Pulse();
                    }
                }
                catch (Exception ex) when (!_handling.IsCancellationRequested)
                {
                    failures++;
                    Unfinished(ids);

                    var delay = Backoff(failures);
                    Log.InboxDoneFailed(logger, ids.Length, delay, ex);
                    await Task.Delay(delay, time, _handling.Token);
                }
            }
            catch (OperationCanceledException) when (_handling.IsCancellationRequested)
            {
                // Whatever was not removed is handled again at the next start; redeliveries are skipped by their id.
                return;
            }
        }
    }

    /// <summary>Returns how many more updates may be taken; waits while <see cref="TelegramOptions.MaxUpdatesInFlight"/> are in hand.</summary>
    private async Task<int> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        var logged = false;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var room = _options.MaxUpdatesInFlight - _inHand;
                if (room > 0)
                {
                    return room;
                }

                changed = _changed.Task;
                if (!logged)
                {
                    Log.InFlightFull(logger, _inHand);
                    logged = true;
                }
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    // _gate held
    private void Pulse()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TimeSpan Backoff(int failures)
    {
        var max = TimeSpan.FromSeconds(_options.MaxPollingBackoffSeconds);
        var backoff = TimeSpan.FromMilliseconds(Math.Max(_options.RetryBaseDelayMilliseconds, 1) * Math.Pow(2, Math.Min(failures - 1, 20)));
        return backoff > max ? max : backoff;
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
        var backoff = Backoff(failures);
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
