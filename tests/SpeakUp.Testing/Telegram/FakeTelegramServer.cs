using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SpeakUp.Testing.Telegram;

/// <summary>
/// A local stand-in for the Telegram Bot API (Kestrel on 127.0.0.1, a free port). It answers like Telegram
/// (<c>{"ok":true,"result":…}</c> / <c>{"ok":false,"error_code":…,"description":…}</c>), keeps an update queue with
/// Telegram's at-least-once offset rules, records every call, and fails on request (429 with retry_after, 403, 400, 5xx,
/// dropped connections). In webhook mode (after setWebhook with a loopback URL) it posts queued updates to the webhook like Telegram does,
/// retrying until the bot answers 2xx. All waits are signalled, never polled.
/// </summary>
public sealed class FakeTelegramServer : IAsyncDisposable
{
    public const string DefaultToken = "123456789:TEST-fake_token-for-tests-only";

    private static readonly string[] KnownMethods =
    [
        "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendMessage", "editMessageText",
        "editMessageReplyMarkup", "editMessageCaption", "deleteMessage", "answerCallbackQuery", "setMyCommands",
        "getMyCommands", "deleteMyCommands", "copyMessage", "forwardMessage", "sendPhoto", "sendVideo", "sendDocument",
        "sendAnimation", "sendVoice", "sendAudio", "sendVideoNote", "sendSticker", "sendChatAction", "getChat", "getFile",
    ];

    private static readonly Dictionary<string, string> SendMethods = new(StringComparer.Ordinal)
    {
        ["sendMessage"] = "text",
        ["sendPhoto"] = "photo",
        ["sendVideo"] = "video",
        ["sendDocument"] = "document",
        ["sendAnimation"] = "animation",
        ["sendVoice"] = "voice",
        ["sendAudio"] = "audio",
        ["sendVideoNote"] = "video_note",
        ["sendSticker"] = "sticker",
        ["copyMessage"] = "",
        ["forwardMessage"] = "",
    };

    private readonly object _lock = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly HttpClient _webhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    // Guarded by _lock.
    private readonly List<FakeApiCall> _calls = [];
    private readonly LinkedList<(long Id, JsonObject Update)> _pending = new();
    private readonly Dictionary<long, List<FakeSentMessage>> _sent = [];
    private readonly Dictionary<(long Chat, int Message), FakeSentMessage> _messages = [];
    private readonly List<FailureRule> _failures = [];
    private readonly HashSet<long> _blocked = [];
    private readonly List<Waiter> _waiters = [];
    private readonly Dictionary<string, JsonArray> _commands = new(StringComparer.Ordinal);
    private readonly List<FakeWebhookDelivery> _deliveries = [];
    private TaskCompletionSource _updatesSignal = NewSignal();
    private CancellationTokenSource? _activePoll;
    private long _nextUpdateId = 10_000_001;
    private long _confirmedOffset;
    private long _delivered;
    private int _nextMessageId = 500;
    private long _sequence;
    private string? _webhookUrl;
    private string? _webhookSecret;
    private Task? _webhookLoop;

    private FakeTelegramServer(WebApplication app, string token)
    {
        _app = app;
        Token = token;
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        BotId = colon > 0 && long.TryParse(token[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 1;
    }

    /// <summary>The only token accepted; any other gets 401 Unauthorized, as Telegram answers.</summary>
    public string Token { get; }

    public long BotId { get; }

    /// <summary>Base address to give the client ("http://127.0.0.1:PORT"), e.g. as Telegram:ApiBaseUrl.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string BotUsername { get; } = "speakup_test_bot";

    /// <summary>Delay added to every send/edit answer, to model Telegram's latency in benchmarks.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Telegram's flood limits, when set: sends over them are answered 429 (see <see cref="FakeTelegramRateLimit"/>).</summary>
    public FakeTelegramRateLimit? RateLimit { get; set; }

    /// <summary>Default wait of the WaitFor… methods.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Starts the server on 127.0.0.1 and a free port.</summary>
    public static async Task<FakeTelegramServer> StartAsync(string token = DefaultToken, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Nothing from the test's folder or environment (appsettings.json Kestrel endpoints, ASPNETCORE_URLS) may bind other ports.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var server = new FakeTelegramServer(app, token);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    // ------------------------------------------------------------------ inspection

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<FakeApiCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<FakeApiCall> CallsTo(string method)
    {
        lock (_lock)
        {
            return [.. _calls.Where(c => c.Method == method)];
        }
    }

    /// <summary>Messages the bot sent to <paramref name="chatId"/> (successful send*/copy/forward calls), oldest first, as they stand after edits.</summary>
    public IReadOnlyList<FakeSentMessage> MessagesTo(long chatId)
    {
        lock (_lock)
        {
            return _sent.TryGetValue(chatId, out var list) ? [.. list.Select(m => _messages[(chatId, m.MessageId)])] : [];
        }
    }

    /// <summary>Every message sent, all chats.</summary>
    public int SentMessageCount
    {
        get
        {
            lock (_lock)
            {
                return _sent.Values.Sum(l => l.Count);
            }
        }
    }

    /// <summary>A message as it stands now (after edits), or null.</summary>
    public FakeSentMessage? GetMessage(long chatId, int messageId)
    {
        lock (_lock)
        {
            return _messages.GetValueOrDefault((chatId, messageId));
        }
    }

    /// <summary>The highest offset the bot has sent to getUpdates: every update below it is confirmed (forgotten).</summary>
    public long ConfirmedOffset
    {
        get
        {
            lock (_lock)
            {
                return _confirmedOffset;
            }
        }
    }

    /// <summary>Updates enqueued and not yet confirmed.</summary>
    public int PendingUpdateCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public string? WebhookUrl
    {
        get
        {
            lock (_lock)
            {
                return _webhookUrl;
            }
        }
    }

    public IReadOnlyList<FakeWebhookDelivery> WebhookDeliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>The command menu set for <paramref name="languageCode"/> ("" = the default list), or null.</summary>
    public IReadOnlyList<(string Command, string Description)>? CommandsFor(string languageCode = "")
    {
        lock (_lock)
        {
            return _commands.TryGetValue(languageCode, out var list)
                ? [.. list.OfType<JsonObject>().Select(c => (c["command"]?.GetValue<string>() ?? "", c["description"]?.GetValue<string>() ?? ""))]
                : null;
        }
    }

    /// <summary>Forgets recorded calls (not messages, updates or rules): keeps long benchmarks lean.</summary>
    public void ClearCalls()
    {
        lock (_lock)
        {
            _calls.Clear();
        }
    }

    /// <summary>
    /// Forgets every message sent to one chat (and its recorded edits): a load tool calls it when a simulated person is
    /// done, so a long run's heap holds the chats in progress, not every message of the run.
    /// </summary>
    public void ForgetChat(long chatId)
    {
        lock (_lock)
        {
            if (_sent.Remove(chatId, out var list))
            {
                foreach (var message in list)
                {
                    _messages.Remove((chatId, message.MessageId));
                }
            }
        }
    }

    // ------------------------------------------------------------------ updates

    /// <summary>Queues an update for getUpdates (or the webhook). Its update_id is replaced by the next one; returned.</summary>
    public long EnqueueUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var copy = (JsonObject)update.DeepClone();
        TaskCompletionSource signal;
        long id;
        lock (_lock)
        {
            id = _nextUpdateId++;
            copy.Remove("update_id");
            var ordered = new JsonObject { ["update_id"] = id };
            foreach (var (key, value) in copy.ToList())
            {
                copy.Remove(key);
                ordered[key] = value;
            }

            _pending.AddLast((id, ordered));
            signal = _updatesSignal;
            _updatesSignal = NewSignal();
        }

        signal.TrySetResult();
        return id;
    }

    /// <summary>Queues an update given as raw JSON (must be an object; a fixture file's text works).</summary>
    public long EnqueueUpdate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return EnqueueUpdate(JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("An update is a JSON object.", nameof(json)));
    }

    public long EnqueueText(long chatId, string text, string firstName = "Sunita", string? languageCode = "hi") =>
        EnqueueUpdate(FakeUpdates.Text(chatId, text, firstName, languageCode));

    /// <summary>Presses a button: a callback_query for the bot's message <paramref name="messageId"/> with <paramref name="data"/>.</summary>
    public long EnqueueCallback(long chatId, string data, int messageId) => EnqueueUpdate(FakeUpdates.Callback(chatId, data, messageId));

    /// <summary>Presses the button with callback data <paramref name="data"/> under <paramref name="message"/>.</summary>
    public long Press(FakeSentMessage message, string data)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.CallbackData.Contains(data))
        {
            throw new ArgumentException($"Message {message.MessageId} has no button '{data}'. It has: {string.Join(", ", message.CallbackData)}", nameof(data));
        }

        return EnqueueCallback(message.ChatId, data, message.MessageId);
    }

    // ------------------------------------------------------------------ failures

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> (to <paramref name="chatId"/>, if given) fail with this Bot API error.</summary>
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null, long? chatId = null, int times = 1) =>
        AddRule(method, chatId, times, new Failure(FailureKind.ApiError, errorCode, description, retryAfter, null, TimeSpan.Zero));

    /// <summary>429 "Too Many Requests: retry after N" with parameters.retry_after = N.</summary>
    public void RateLimitNext(string method, int retryAfterSeconds, long? chatId = null, int times = 1) =>
        FailNext(method, 429, FakeTelegramErrors.TooManyRequests(retryAfterSeconds), retryAfterSeconds, chatId, times);

    /// <summary>Answers with this HTTP status and body (e.g. 502 with an HTML page from a proxy) instead of Telegram's JSON.</summary>
    public void RespondRawNext(string method, int httpStatus, string body, long? chatId = null, int times = 1) =>
        AddRule(method, chatId, times, new Failure(FailureKind.Raw, httpStatus, null, null, body, TimeSpan.Zero));

    /// <summary>Drops the connection without an answer: the client sees a network error.</summary>
    public void AbortNext(string method, long? chatId = null, int times = 1) =>
        AddRule(method, chatId, times, new Failure(FailureKind.Abort, 0, null, null, null, TimeSpan.Zero));

    /// <summary>Holds the answer this long, then answers normally (for client timeouts).</summary>
    public void DelayNext(string method, TimeSpan delay, long? chatId = null, int times = 1) =>
        AddRule(method, chatId, times, new Failure(FailureKind.Delay, 0, null, null, null, delay));

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> (to <paramref name="chatId"/>, if given) wait
    /// until the returned hold is released, then are answered normally: one slow chat, for as long as a test needs.
    /// A held call whose client goes away (a killed bot) ends there, unanswered.
    /// </summary>
    public FakeTelegramHold HoldNext(string method, long? chatId = null, int times = 1)
    {
        var hold = new FakeTelegramHold();
        AddRule(method, chatId, times, new Failure(FailureKind.Hold, 0, null, null, null, TimeSpan.Zero, hold));
        return hold;
    }

    /// <summary>From now on every send to the chat fails with 403 "Forbidden: bot was blocked by the user".</summary>
    public void BlockChat(long chatId)
    {
        lock (_lock)
        {
            _blocked.Add(chatId);
        }
    }

    public void UnblockChat(long chatId)
    {
        lock (_lock)
        {
            _blocked.Remove(chatId);
        }
    }

    public void ClearFailures()
    {
        lock (_lock)
        {
            _failures.Clear();
        }
    }

    // ------------------------------------------------------------------ waiting

    /// <summary>Waits until at least <paramref name="count"/> messages were sent to the chat; returns them all.</summary>
    public async Task<IReadOnlyList<FakeSentMessage>> WaitForMessagesAsync(long chatId, int count, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(
            () => _sent.TryGetValue(chatId, out var l) && l.Count >= count,
            () => $"{count} message(s) to chat {chatId}; got {(_sent.TryGetValue(chatId, out var l) ? l.Count : 0)}: "
                + string.Join(" | ", (_sent.GetValueOrDefault(chatId) ?? []).Select(m => m.VisibleText)),
            timeout,
            cancellationToken);
        return MessagesTo(chatId);
    }

    /// <summary>Waits for the <paramref name="count"/>-th message to the chat and returns it (the newest when count is null: one more than now).</summary>
    public async Task<FakeSentMessage> WaitForMessageAsync(long chatId, int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var all = await WaitForMessagesAsync(chatId, count, timeout, cancellationToken);
        return all[count - 1];
    }

    /// <summary>Waits until a finished call (any outcome) matches; returns the first that does.</summary>
    public async Task<FakeApiCall> WaitForCallAsync(string method, Func<FakeApiCall, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        bool Match(FakeApiCall c) => c.Method == method && c.StatusCode != 0 && (predicate is null || predicate(c));
        await WaitUntilAsync(
            () => _calls.Any(Match),
            () => $"a {method} call matching the condition; calls: {string.Join(", ", _calls.TakeLast(20).Select(c => c.Method + " " + c.StatusCode))}",
            timeout,
            cancellationToken);
        lock (_lock)
        {
            return _calls.First(Match);
        }
    }

    /// <summary>Waits until <paramref name="count"/> finished calls of <paramref name="method"/> match.</summary>
    public async Task<IReadOnlyList<FakeApiCall>> WaitForCallsAsync(string method, int count, Func<FakeApiCall, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        bool Match(FakeApiCall c) => c.Method == method && c.StatusCode != 0 && (predicate is null || predicate(c));
        await WaitUntilAsync(
            () => _calls.Count(Match) >= count,
            () => $"{count} {method} call(s); got {_calls.Count(Match)}",
            timeout,
            cancellationToken);
        lock (_lock)
        {
            return [.. _calls.Where(Match)];
        }
    }

    /// <summary>Waits until the bot has confirmed every update below <paramref name="offset"/> (called getUpdates with an offset at least that).</summary>
    public Task WaitForOffsetAsync(long offset, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => _confirmedOffset >= offset, () => $"getUpdates offset {offset}; confirmed {_confirmedOffset}", timeout, cancellationToken);

    /// <summary>Waits until a getUpdates call has been answered with <paramref name="updateId"/> in it (the bot received it).</summary>
    public Task WaitForDeliveryAsync(long updateId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(
            () => _delivered >= updateId,
            () => $"delivery of update {updateId}; delivered up to {_delivered}",
            timeout,
            cancellationToken);

    private async Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (condition())
            {
                return;
            }

            waiter = new Waiter(condition, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        var wait = timeout ?? DefaultTimeout;
        try
        {
            await waiter.Done.Task.WaitAsync(wait, cancellationToken);
        }
        catch (TimeoutException)
        {
            string what;
            lock (_lock)
            {
                _waiters.Remove(waiter);
                what = describe();
            }

            throw new TimeoutException($"Fake Telegram: waited {wait.TotalSeconds:0.#}s for {what}");
        }
    }

    /// <summary>Call with _lock held after any change.</summary>
    private void SignalWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Condition())
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    private async Task HandleAsync(HttpContext context)
    {
        // Telegram counts a message when it arrives, not when its body has been read: the limits are checked at this time.
        var arrived = DateTimeOffset.UtcNow;
        var path = context.Request.Path.Value ?? "";
        var slash = path.IndexOf('/', 1);
        if (!path.StartsWith("/bot", StringComparison.Ordinal) || slash < 0)
        {
            await WriteErrorAsync(context, 404, FakeTelegramErrors.NotFound, null);
            return;
        }

        var token = Uri.UnescapeDataString(path[4..slash]);
        var methodName = path[(slash + 1)..];
        if (!string.Equals(token, Token, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 401, FakeTelegramErrors.Unauthorized, null);
            return;
        }

        var method = KnownMethods.FirstOrDefault(m => string.Equals(m, methodName, StringComparison.OrdinalIgnoreCase)) ?? methodName;
        JsonObject parameters;
        try
        {
            parameters = await ReadParametersAsync(context.Request, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
        {
            await WriteErrorAsync(context, 400, "Bad Request: invalid request body", null);
            return;
        }

        FakeApiCall call;
        Failure? failure;
        lock (_lock)
        {
            call = new FakeApiCall(++_sequence, method, parameters, arrived);
            _calls.Add(call);
            failure = TakeFailure(method, call.ChatId);
        }

        if (failure is null && RateLimit?.Check(method, call.ChatId, parameters["allow_paid_broadcast"]?.ToString() is "true" or "True", arrived) is { } retryAfter)
        {
            failure = new Failure(FailureKind.ApiError, 429, FakeTelegramErrors.TooManyRequests(retryAfter), retryAfter, null, TimeSpan.Zero);
        }

        if (failure is { Kind: FailureKind.Delay } delay)
        {
            await Task.Delay(delay.Delay, context.RequestAborted);
            failure = null;
        }

        if (failure is { Kind: FailureKind.Hold, Hold: { } hold })
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown.Token);
            try
            {
                await hold.WaitAsync(call, held.Token);
            }
            catch (OperationCanceledException)
            {
                Finish(call, 499, "client went away while held");
                return;
            }

            failure = null;
        }

        switch (failure)
        {
            case { Kind: FailureKind.Abort }:
                Finish(call, -1, "connection dropped");
                context.Abort();
                return;
            case { Kind: FailureKind.Raw } raw:
                Finish(call, raw.Code, raw.Body);
                context.Response.StatusCode = raw.Code;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync(raw.Body ?? "", context.RequestAborted);
                return;
            case { Kind: FailureKind.ApiError } api:
                Finish(call, api.Code, api.Description);
                await WriteErrorAsync(context, api.Code, api.Description!, api.RetryAfter);
                return;
        }

        Answer answer;
        try
        {
            answer = method == "getUpdates"
                ? await GetUpdatesAsync(parameters, context.RequestAborted)
                : await AnswerAsync(method, parameters, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Finish(call, 499, "client went away");
            return;
        }

        Finish(call, answer.Code, answer.Error);
        if (answer.Code == 200)
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = answer.Result });
        }
        else
        {
            await WriteErrorAsync(context, answer.Code, answer.Error!, null);
        }
    }

    private void Finish(FakeApiCall call, int status, string? error)
    {
        lock (_lock)
        {
            call.StatusCode = status;
            call.Error = error;
            SignalWaiters();
        }
    }

    private readonly record struct Answer(int Code, JsonNode? Result, string? Error)
    {
        public static Answer Ok(JsonNode? result) => new(200, result, null);

        public static Answer Fail(int code, string error) => new(code, null, error);
    }

    private async Task<Answer> AnswerAsync(string method, JsonObject p, CancellationToken cancellationToken)
    {
        if (ResponseDelay > TimeSpan.Zero && (SendMethods.ContainsKey(method) || method.StartsWith("edit", StringComparison.Ordinal)))
        {
            await Task.Delay(ResponseDelay, cancellationToken);
        }

        var chatId = ReadChatId(p["chat_id"]);
        lock (_lock)
        {
            switch (method)
            {
                case "getMe":
                    return Answer.Ok(BotUser());
                case "setWebhook":
                    var url = Str(p["url"]);
                    if (string.IsNullOrEmpty(url))
                    {
                        _webhookUrl = null;
                    }
                    else
                    {
                        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
                        {
                            return Answer.Fail(400, "Bad Request: bad webhook: invalid URL");
                        }

                        _webhookUrl = url;
                        _webhookSecret = Str(p["secret_token"]);
                        _webhookLoop ??= Task.Run(WebhookLoopAsync, CancellationToken.None);
                    }

                    WakeUpdates();
                    return Answer.Ok(true);
                case "deleteWebhook":
                    _webhookUrl = null;
                    _webhookSecret = null;
                    if (IsTrue(p["drop_pending_updates"]))
                    {
                        _pending.Clear();
                    }

                    return Answer.Ok(true);
                case "getWebhookInfo":
                    return Answer.Ok(new JsonObject
                    {
                        ["url"] = _webhookUrl ?? "",
                        ["has_custom_certificate"] = false,
                        ["pending_update_count"] = _pending.Count,
                    });
                case "answerCallbackQuery":
                    return string.IsNullOrEmpty(Str(p["callback_query_id"]))
                        ? Answer.Fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
                        : Answer.Ok(true);
                case "setMyCommands":
                    if (p["commands"] is not JsonArray commands)
                    {
                        return Answer.Fail(400, "Bad Request: parameter \"commands\" is required");
                    }

                    _commands[Str(p["language_code"]) ?? ""] = (JsonArray)commands.DeepClone();
                    return Answer.Ok(true);
                case "getMyCommands":
                    return Answer.Ok(_commands.TryGetValue(Str(p["language_code"]) ?? "", out var list) ? list.DeepClone() : new JsonArray());
                case "deleteMyCommands":
                    _commands.Remove(Str(p["language_code"]) ?? "");
                    return Answer.Ok(true);
                case "sendChatAction":
                    return chatId is null ? Answer.Fail(400, "Bad Request: chat_id is empty") : Answer.Ok(true);
                case "getChat":
                    return chatId is { } c ? Answer.Ok(ChatJson(c)) : Answer.Fail(400, FakeTelegramErrors.ChatNotFound);
                case "deleteMessage":
                    return Answer.Ok(true);
                case "editMessageText":
                case "editMessageReplyMarkup":
                case "editMessageCaption":
                    return Edit(method, chatId, p);
            }

            if (SendMethods.TryGetValue(method, out var field))
            {
                return Send(method, field, chatId, p);
            }
        }

        return Answer.Fail(404, FakeTelegramErrors.NotFound);
    }

    // _lock held
    private Answer Send(string method, string field, long? chatId, JsonObject p)
    {
        if (chatId is not { } chat)
        {
            return Answer.Fail(400, "Bad Request: chat_id is empty");
        }

        if (_blocked.Contains(chat))
        {
            return Answer.Fail(403, FakeTelegramErrors.BotBlocked);
        }

        var parseMode = Str(p["parse_mode"]);
        var message = new JsonObject();
        string? text = null;
        string? caption = null;
        if (method == "sendMessage")
        {
            text = Str(p["text"]);
            if (string.IsNullOrWhiteSpace(text))
            {
                return Answer.Fail(400, FakeTelegramErrors.MessageTextEmpty);
            }

            if (CheckText(text, parseMode, 4096, FakeTelegramErrors.MessageTooLong) is { } error)
            {
                return Answer.Fail(400, error);
            }

            message["text"] = FakeTelegramHtml.ToPlainText(text, parseMode);
        }
        else
        {
            caption = Str(p["caption"]);
            if (caption is not null)
            {
                if (CheckText(caption, parseMode, 1024, "Bad Request: message caption is too long") is { } error)
                {
                    return Answer.Fail(400, error);
                }

                message["caption"] = FakeTelegramHtml.ToPlainText(caption, parseMode);
            }

            if (field.Length > 0)
            {
                var file = Str(p[field]);
                if (string.IsNullOrEmpty(file))
                {
                    return Answer.Fail(400, $"Bad Request: there is no {field} in the request");
                }

                var fileId = file.StartsWith("attach://", StringComparison.Ordinal) || file.StartsWith("upload:", StringComparison.Ordinal)
                    ? "fake-" + Guid.NewGuid().ToString("N")
                    : file;
                var fileJson = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId.GetHashCode(StringComparison.Ordinal).ToString("x", CultureInfo.InvariantCulture), ["file_size"] = 1000 };
                message[field] = field == "photo" ? new JsonArray(fileJson) : fileJson;
            }
        }

        if (CheckKeyboard(p["reply_markup"]) is { } keyboardError)
        {
            return Answer.Fail(400, keyboardError);
        }

        var id = ++_nextMessageId;
        var result = MessageJson(chat, id, message, p["reply_markup"]);
        var sent = new FakeSentMessage
        {
            ChatId = chat,
            MessageId = id,
            Method = method,
            Text = text,
            Caption = caption,
            ParseMode = parseMode,
            ReplyMarkup = p["reply_markup"]?.DeepClone(),
            Parameters = p,
            At = DateTimeOffset.UtcNow,
        };
        if (!_sent.TryGetValue(chat, out var list))
        {
            _sent[chat] = list = [];
        }

        list.Add(sent);
        _messages[(chat, id)] = sent;
        SignalWaiters();
        return method is "copyMessage" ? Answer.Ok(new JsonObject { ["message_id"] = id }) : Answer.Ok(result);
    }

    // _lock held
    private Answer Edit(string method, long? chatId, JsonObject p)
    {
        if (!string.IsNullOrEmpty(Str(p["inline_message_id"])))
        {
            return Answer.Ok(true);
        }

        if (chatId is not { } chat)
        {
            return Answer.Fail(400, "Bad Request: chat_id is empty");
        }

        if (_blocked.Contains(chat))
        {
            return Answer.Fail(403, FakeTelegramErrors.BotBlocked);
        }

        var messageId = (int)(ReadChatId(p["message_id"]) ?? 0);
        if (!_messages.TryGetValue((chat, messageId), out var current))
        {
            return Answer.Fail(400, FakeTelegramErrors.MessageToEditNotFound);
        }

        if (CheckKeyboard(p["reply_markup"]) is { } keyboardError)
        {
            return Answer.Fail(400, keyboardError);
        }

        var parseMode = Str(p["parse_mode"]) ?? current.ParseMode;
        var updated = current;
        switch (method)
        {
            case "editMessageText":
                var text = Str(p["text"]);
                if (string.IsNullOrWhiteSpace(text))
                {
                    return Answer.Fail(400, FakeTelegramErrors.MessageTextEmpty);
                }

                if (current.Text is null)
                {
                    return Answer.Fail(400, "Bad Request: there is no text in the message to edit");
                }

                if (CheckText(text, parseMode, 4096, FakeTelegramErrors.MessageTooLong) is { } error)
                {
                    return Answer.Fail(400, error);
                }

                updated = current with { Text = text, ParseMode = parseMode, ReplyMarkup = p["reply_markup"]?.DeepClone() };
                break;
            case "editMessageCaption":
                updated = current with { Caption = Str(p["caption"]), ParseMode = parseMode, ReplyMarkup = p["reply_markup"]?.DeepClone() };
                break;
            default:
                updated = current with { ReplyMarkup = p["reply_markup"]?.DeepClone() };
                break;
        }

        if (FakeTelegramHtml.ToPlainText(updated.Text ?? "", updated.ParseMode) == FakeTelegramHtml.ToPlainText(current.Text ?? "", current.ParseMode)
            && updated.Caption == current.Caption
            && JsonNode.DeepEquals(updated.ReplyMarkup, current.ReplyMarkup))
        {
            return Answer.Fail(400, FakeTelegramErrors.MessageNotModified);
        }

        updated = updated with { Edits = current.Edits + 1 };
        _messages[(chat, messageId)] = updated;
        SignalWaiters();
        var body = new JsonObject { ["edit_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        if (updated.Text is not null)
        {
            body["text"] = FakeTelegramHtml.ToPlainText(updated.Text, updated.ParseMode);
        }

        if (updated.Caption is not null)
        {
            body["caption"] = updated.Caption;
        }

        return Answer.Ok(MessageJson(chat, messageId, body, updated.ReplyMarkup));
    }

    private static string? CheckText(string text, string? parseMode, int max, string tooLong)
    {
        if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) && FakeTelegramHtml.Validate(text) is { } error)
        {
            return error;
        }

        return FakeTelegramHtml.ToPlainText(text, parseMode).Length > max ? tooLong : null;
    }

    private static string? CheckKeyboard(JsonNode? replyMarkup)
    {
        foreach (var button in FakeTelegramHtml.ReadKeyboard(replyMarkup).SelectMany(r => r))
        {
            if (button.CallbackData is { } data && (data.Length == 0 || Encoding.UTF8.GetByteCount(data) > 64))
            {
                return "Bad Request: BUTTON_DATA_INVALID";
            }

            if (button.CallbackData is null && button.Url is null)
            {
                return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
            }

            if (string.IsNullOrEmpty(button.Text))
            {
                return "Bad Request: text buttons are unallowed in the inline keyboard";
            }
        }

        return null;
    }

    private async Task<Answer> GetUpdatesAsync(JsonObject p, CancellationToken requestAborted)
    {
        var offset = ReadChatId(p["offset"]);
        var limit = (int)Math.Clamp(ReadChatId(p["limit"]) ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(ReadChatId(p["timeout"]) ?? 0, 0, 60));
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _shutdown.Token);
        CancellationTokenSource? previous;
        lock (_lock)
        {
            if (_webhookUrl is not null)
            {
                return Answer.Fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            previous = _activePoll;
            _activePoll = poll;
            if (offset is { } o and > 0)
            {
                while (_pending.First is { } first && first.Value.Id < o)
                {
                    _pending.RemoveFirst();
                }

                _confirmedOffset = Math.Max(_confirmedOffset, o);
                SignalWaiters();
            }
        }

        // Telegram ends an older long poll of the same bot with 409 when a new one arrives.
        previous?.Cancel();
        try
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (true)
            {
                TaskCompletionSource signal;
                lock (_lock)
                {
                    if (poll.IsCancellationRequested && !requestAborted.IsCancellationRequested && !_shutdown.IsCancellationRequested)
                    {
                        return Answer.Fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                    }

                    if (_webhookUrl is not null)
                    {
                        return Answer.Fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
                    }

                    if (_pending.Count > 0)
                    {
                        var batch = new JsonArray();
                        foreach (var (id, update) in _pending.Take(limit))
                        {
                            batch.Add(update.DeepClone());
                            _delivered = Math.Max(_delivered, id);
                        }

                        SignalWaiters();
                        return Answer.Ok(batch);
                    }

                    signal = _updatesSignal;
                }

                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return Answer.Ok(new JsonArray());
                }

                try
                {
                    await signal.Task.WaitAsync(left, poll.Token);
                }
                catch (TimeoutException)
                {
                    return Answer.Ok(new JsonArray());
                }
                catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested && !_shutdown.IsCancellationRequested)
                {
                    // Replaced by a newer poll: answered 409 above on the next turn.
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                if (ReferenceEquals(_activePoll, poll))
                {
                    _activePoll = null;
                }
            }
        }
    }

    // _lock held
    private void WakeUpdates()
    {
        var signal = _updatesSignal;
        _updatesSignal = NewSignal();
        signal.TrySetResult();
    }

    private async Task WebhookLoopAsync()
    {
        var token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            string? url;
            string? secret;
            (long Id, JsonObject Update)? next;
            TaskCompletionSource signal;
            lock (_lock)
            {
                url = _webhookUrl;
                secret = _webhookSecret;
                // Only this machine is ever posted to: a webhook elsewhere (a production URL in a test config) is never called.
                next = url is not null && IsLoopback(url) && _pending.First is { } first ? first.Value : null;
                signal = _updatesSignal;
            }

            if (next is not { } item)
            {
                try
                {
                    await signal.Task.WaitAsync(token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            int status;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(item.Update.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                if (!string.IsNullOrEmpty(secret))
                {
                    request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
                }

                using var response = await _webhookClient.SendAsync(request, token);
                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                status = 0;
            }

            lock (_lock)
            {
                _deliveries.Add(new FakeWebhookDelivery(item.Id, status, DateTimeOffset.UtcNow));
                _delivered = Math.Max(_delivered, item.Id);
                if (status is >= 200 and < 300 && _pending.First is { } first && first.Value.Id == item.Id)
                {
                    _pending.RemoveFirst();
                    _confirmedOffset = Math.Max(_confirmedOffset, item.Id + 1);
                }

                SignalWaiters();
            }

            if (status is < 200 or >= 300)
            {
                // Telegram backs off much longer; tests want to see the retry soon.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private void AddRule(string method, long? chatId, int times, Failure failure)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_lock)
        {
            _failures.Add(new FailureRule(method, chatId, failure) { Remaining = times });
        }
    }

    // _lock held
    private Failure? TakeFailure(string method, long? chatId)
    {
        for (var i = 0; i < _failures.Count; i++)
        {
            var rule = _failures[i];
            if (!string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase) || (rule.ChatId is { } c && c != chatId))
            {
                continue;
            }

            if (--rule.Remaining == 0)
            {
                _failures.RemoveAt(i);
            }

            return rule.Failure;
        }

        return null;
    }

    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            result[key] = FormValue(value.ToString());
        }

        if (request.HasJsonContentType())
        {
            if (await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) is JsonObject body)
            {
                foreach (var (key, value) in body.ToList())
                {
                    body.Remove(key);
                    result[key] = value;
                }
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                result[key] = FormValue(value.ToString());
            }

            foreach (var file in form.Files)
            {
                // A multipart upload: the field names the file ("photo") or is referenced as attach://name.
                result[file.Name] ??= "upload:" + file.FileName;
                result["_upload_" + file.Name] = new JsonObject { ["file_name"] = file.FileName, ["length"] = file.Length, ["content_type"] = file.ContentType };
            }
        }

        return result;
    }

    private static JsonNode? FormValue(string value)
    {
        var trimmed = value.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text.
            }
        }

        return JsonValue.Create(value);
    }

    private static long? ReadChatId(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.Number when v.TryGetValue<long>(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    private static string? Str(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static bool IsTrue(JsonNode? node) => node is JsonValue v
        && ((v.GetValueKind() == JsonValueKind.True) || (v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "true"));

    private JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "SpeakUp Test Bot",
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private static JsonObject ChatJson(long chatId) => chatId switch
    {
        > 0 => new JsonObject { ["id"] = chatId, ["first_name"] = "Test", ["type"] = "private" },
        <= -1_000_000_000_000 => new JsonObject { ["id"] = chatId, ["title"] = "Test supergroup", ["type"] = "supergroup" },
        _ => new JsonObject { ["id"] = chatId, ["title"] = "Test group", ["type"] = "group" },
    };

    private JsonObject MessageJson(long chatId, int messageId, JsonObject fields, JsonNode? replyMarkup)
    {
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = BotUser(),
            ["chat"] = ChatJson(chatId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            message[key] = value;
        }

        if (replyMarkup is JsonObject markup && markup.ContainsKey("inline_keyboard"))
        {
            message["reply_markup"] = markup.DeepClone();
        }

        return message;
    }

    private static async Task WriteErrorAsync(HttpContext context, int code, string description, int? retryAfter)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        await WriteJsonAsync(context, code, body);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
        }
        finally
        {
            if (_webhookLoop is not null)
            {
                await _webhookLoop.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await _app.DisposeAsync();
            _webhookClient.Dispose();
            _shutdown.Dispose();
        }
    }

    private enum FailureKind
    {
        ApiError,
        Raw,
        Abort,
        Delay,
        Hold,
    }

    private sealed record Failure(FailureKind Kind, int Code, string? Description, int? RetryAfter, string? Body, TimeSpan Delay, FakeTelegramHold? Hold = null);

    private sealed record FailureRule(string Method, long? ChatId, Failure Failure)
    {
        public int Remaining { get; set; }
    }

    private sealed record Waiter(Func<bool> Condition, TaskCompletionSource Done);
}

/// <summary>Calls held by <see cref="FakeTelegramServer.HoldNext"/>: a signal when one arrives, and the release.</summary>
public sealed class FakeTelegramHold
{
    private readonly TaskCompletionSource<FakeApiCall> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the first held call once it has arrived (and is being held).</summary>
    public Task<FakeApiCall> Reached => _reached.Task;

    /// <summary>Lets every held call, and any later one of this hold, be answered.</summary>
    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(FakeApiCall call, CancellationToken cancellationToken)
    {
        _reached.TrySetResult(call);
        return _released.Task.WaitAsync(cancellationToken);
    }
}
