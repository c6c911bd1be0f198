using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Redis;
using StackExchange.Redis;

namespace SpeakUp.Web;

/// <summary>
/// The chat API. Every post goes origin check → cookie → CSRF token → limits → rate limit → history → dispatcher, and is
/// answered only once the event was handled and its replies are in the history (so a page that posts, then reads, sees
/// the answer). Bot messages reach the page over the event stream, which replays from Last-Event-ID after a reconnect.
/// </summary>
internal sealed partial class WebChatHandlers(
    WebIdentity identity,
    WebChatHistory history,
    WebChatHub hub,
    WebAssets assets,
    IInboundDispatcher dispatcher,
    ILocalizer localizer,
    ISessionStore sessions,
    IOptions<WebChatOptions> options,
    IOptions<RedisOptions> redisOptions,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WebChatHandlers> logger)
{
    /// <summary>A text post: 4096 characters of Devanagari are about 12 KB of UTF-8; the rest is headroom for JSON.</summary>
    internal const int MaxJsonBodyBytes = 64 * 1024;

    /// <summary>Captions are capped like Telegram's.</summary>
    internal const int MaxCaptionLength = 1024;

    private readonly WebChatOptions options = options.Value;

    // ---- Page and files ----------------------------------------------------------------------------------

    public Task PageAsync(HttpContext context)
    {
        context.Response.Headers.ContentSecurityPolicy = WebSecurity.PagePolicy(options);
        if (options.AllowedOrigins.Count == 0)
        {
            context.Response.Headers.XFrameOptions = "SAMEORIGIN";
        }

        return WebAssets.ServeAsync(context, assets[WebAssets.Page]);
    }

    public Task AssetAsync(HttpContext context, string name) => WebAssets.ServeAsync(context, assets[name]);

    public Task WidgetAsync(HttpContext context)
    {
        // Loaded by <script src> on the campaign's site: that page must be allowed to fetch it.
        context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return WebAssets.ServeAsync(context, assets[WebAssets.Widget]);
    }

    public Task PreflightAsync(HttpContext context)
    {
        context.Response.StatusCode = WebSecurity.Preflight(context, options);
        return Task.CompletedTask;
    }

    // ---- Session, history, events --------------------------------------------------------------------------

    /// <summary>Issues (or renews) the browser's cookie and tells the page its CSRF token, language and labels.</summary>
    public async Task SessionAsync(HttpContext context)
    {
        var requested = RequestedLanguage(context, context.Request.Query["lang"]);
        var browserId = identity.IssueCookie(context, embedded: context.Request.Query["embed"] == "1");
        var caller = identity.ForBrowser(context, browserId, out var refusal);
        if (caller is null)
        {
            await RefuseAsync(context, refusal!, requested);
            return;
        }

        try
        {
            var language = await LanguageOfAsync(caller.Chat, requested, context.RequestAborted);
            var reply = new SessionReply
            {
                Csrf = await identity.CsrfTokenAsync(browserId, context.RequestAborted),
                Lang = language,
                Languages = [.. localizer.Languages.Select(l => new LanguageChoice(l, localizer.Plain(l, "language.name")))],
                Strings = WebStrings.ForPage(localizer, language, options),
                Simulator = options.Simulator,
                ActingAs = caller.ActingAs,
                MaxLength = options.MaxMessageLength,
                MaxUploadBytes = options.MaxUploadBytes,
            };
            context.Response.Headers.CacheControl = "no-store";
            await WriteJsonAsync(context, StatusCodes.Status200OK, reply, WebJson.Context.SessionReply);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            await UnavailableAsync(context, caller, requested, ex);
        }
    }

    /// <summary>The chat's stored entries after ?after=N: what a reloaded page shows.</summary>
    public async Task HistoryAsync(HttpContext context)
    {
        var caller = identity.Read(context, out var refusal);
        if (caller is null)
        {
            await RefuseAsync(context, refusal!, RequestedLanguage(context, null));
            return;
        }

        try
        {
            var page = await history.ReadAsync(caller.Chat, ParseSeq(context.Request.Query["after"]), context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "application/json; charset=utf-8";
            using var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteNumber("last", page.Last);
                json.WriteStartArray("entries");
                foreach (var entry in page.Entries)
                {
                    json.WriteRawValue(entry.Json, skipInputValidation: true);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            await UnavailableAsync(context, caller, RequestedLanguage(context, null), ex);
        }
    }

    /// <summary>
    /// Server-Sent Events: first everything after Last-Event-ID (or ?after=N), then each new entry as it is stored. The
    /// stream listens before it reads the history, and skips what it already sent, so nothing falls between the two.
    /// A gap in sequence numbers (a notice pub/sub dropped) is refilled from the history; so is a missing tail, at each
    /// heartbeat. When the chat's history was deleted (/forgetme) the page is told to start over ("reset").
    /// </summary>
    public async Task EventsAsync(HttpContext context)
    {
        var caller = identity.Read(context, out var refusal);
        if (caller is null)
        {
            await RefuseAsync(context, refusal!, RequestedLanguage(context, null));
            return;
        }

        var after = context.Request.Headers.TryGetValue("Last-Event-ID", out var lastEventId) && long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : ParseSeq(context.Request.Query["after"]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        WebChatHub.Listener listener;
        try
        {
            listener = await hub.ListenAsync(caller.Chat.ChatId, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            await UnavailableAsync(context, caller, RequestedLanguage(context, null), ex);
            return;
        }

        using (listener)
        {
            Log.StreamOpened(logger, caller.Chat.ChatId, after);
            var heartbeat = TimeSpan.FromSeconds(options.HeartbeatSeconds);
            try
            {
                await response.WriteAsync("retry: 2000\n\n", cancellationToken);
                var last = await CatchUpAsync(response, caller.Chat, after, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var waitForEntry = listener.Reader.WaitToReadAsync(tick.Token).AsTask();
                    var waitForTick = Task.Delay(heartbeat, time, tick.Token);
                    var woke = await Task.WhenAny(waitForEntry, waitForTick);
                    await tick.CancelAsync();
                    if (woke == waitForEntry)
                    {
                        if (!await waitForEntry)
                        {
                            break;
                        }

                        while (listener.Reader.TryRead(out var entry))
                        {
                            if (entry.Seq == last + 1)
                            {
                                await WriteEntryAsync(response, entry, cancellationToken);
                                last = entry.Seq;
                            }
                            else if (entry.Seq > last + 1)
                            {
                                Log.StreamRefilled(logger, caller.Chat.ChatId, last);
                                last = await CatchUpAsync(response, caller.Chat, last, cancellationToken);
                            }
                            else if (entry.Seq < last && await history.LastSeqAsync(caller.Chat, cancellationToken) < last)
                            {
                                last = await CatchUpAsync(response, caller.Chat, last, cancellationToken);
                            }
                        }
                    }
                    else
                    {
                        await response.WriteAsync(": ping\n\n", cancellationToken);
                        if (await history.LastSeqAsync(caller.Chat, cancellationToken) != last)
                        {
                            last = await CatchUpAsync(response, caller.Chat, last, cancellationToken);
                        }
                    }

                    await response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The page went away, or the host is stopping: the browser reconnects with Last-Event-ID.
            }
            catch (Exception ex) when (IsStorageFailure(ex) || ex is IOException)
            {
                // End the stream; EventSource reconnects after `retry` and catches up from the history.
                Log.StreamStorageError(logger, caller.Chat.ChatId, ex);
            }
        }
    }

    /// <summary>Writes what the chat holds after <paramref name="after"/>; starts over when the history is older than the page's.</summary>
    private async Task<long> CatchUpAsync(HttpResponse response, ChatKey chat, long after, CancellationToken cancellationToken)
    {
        var page = await history.ReadAsync(chat, after, cancellationToken);
        if (page.Last < after)
        {
            await response.WriteAsync("event: reset\ndata: {}\n\n", cancellationToken);
            after = 0;
            page = await history.ReadAsync(chat, 0, cancellationToken);
        }

        foreach (var entry in page.Entries)
        {
            await WriteEntryAsync(response, entry, cancellationToken);
            after = entry.Seq;
        }

        return Math.Max(after, page.Last);
    }

    private static Task WriteEntryAsync(HttpResponse response, StoredEntry entry, CancellationToken cancellationToken) =>
        response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {entry.Seq}\ndata: {entry.Json}\n\n"), cancellationToken);

    // ---- Posts ------------------------------------------------------------------------------------------------

    /// <summary>POST /chat/messages {text, deliveryId, lang}: "/command args" is a command, anything else is text.</summary>
    public async Task PostMessageAsync(HttpContext context)
    {
        var (body, bodyError) = await ReadJsonAsync(context, WebJson.Context.TextPost);
        var language = RequestedLanguage(context, body?.Lang);
        var caller = await GuardAsync(context, language);
        if (caller is null)
        {
            return;
        }

        var text = body?.Text?.Trim();
        if (bodyError == "too_long" || text?.Length > options.MaxMessageLength)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "too_long", WebStrings.TooLong, caller, language);
            return;
        }

        if (body is null || string.IsNullOrEmpty(text) || !IsDeliveryId(body.DeliveryId) || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", WebStrings.BadRequest, caller, language);
            return;
        }

        await HandleAsync(context, caller, language, ForText(caller, text, body.DeliveryId!, language), WebMessageRenderer.FromSupporter(text, time.GetUtcNow()));
    }

    /// <summary>POST /chat/buttons {data, messageId, deliveryId, lang}: a tap on one of the bot's buttons.</summary>
    public async Task PostButtonAsync(HttpContext context)
    {
        var (body, _) = await ReadJsonAsync(context, WebJson.Context.ButtonPost);
        var language = RequestedLanguage(context, body?.Lang);
        var caller = await GuardAsync(context, language);
        if (caller is null)
        {
            return;
        }

        if (body?.Data is not { Length: > 0 } data
            || Encoding.UTF8.GetByteCount(data) > Button.MaxDataBytes
            || data.Any(char.IsControl)
            || !IsDeliveryId(body.DeliveryId)
            || (body.MessageId is not null && !WebMessageRenderer.IsMessageId(body.MessageId)))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", WebStrings.BadRequest, caller, language);
            return;
        }

        var inbound = Inbound(caller, InboundKind.Button, body.DeliveryId!, language) with { ButtonData = data, SourceMessageId = body.MessageId };
        await HandleAsync(context, caller, language, inbound, supporterEntry: null);
    }

    /// <summary>POST /chat/media (multipart: file, deliveryId, caption, lang): a photo, video or voice note.</summary>
    public async Task PostMediaAsync(HttpContext context)
    {
        var limit = options.MaxUploadBytes + (64 * 1024);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        var language = RequestedLanguage(context, context.Request.Query["lang"]);
        var caller = await GuardAsync(context, language);
        if (caller is null)
        {
            return;
        }

        if (context.Request.ContentLength > limit)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "file_too_big", WebStrings.FileTooBig, caller, language);
            return;
        }

        IFormCollection form;
        try
        {
            if (!context.Request.HasFormContentType)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", WebStrings.BadRequest, caller, language);
                return;
            }

            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = limit, ValueCountLimit = 16 }));
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "file_too_big", WebStrings.FileTooBig, caller, language);
            return;
        }

        language = RequestedLanguage(context, form["lang"]);
        var file = form.Files.GetFile("file");
        string? deliveryId = form["deliveryId"];
        var caption = ((string?)form["caption"])?.Trim();
        if (file is null || !IsDeliveryId(deliveryId) || caption?.Length > MaxCaptionLength)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", WebStrings.BadRequest, caller, language);
            return;
        }

        if (WebMedia.Find(file.ContentType) is not { } type)
        {
            await ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "file_type", WebStrings.FileType, caller, language);
            return;
        }

        if (file.Length > options.MaxUploadBytes || file.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "file_too_big", WebStrings.FileTooBig, caller, language);
            return;
        }

        if (!await WithinRateAsync(context, caller, language))
        {
            return;
        }

        // One folder per chat (so /forgetme can delete them all without guessing from names), named by delivery id, so a
        // retried upload overwrites itself instead of piling up.
        var relative = Path.Combine(time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture), caller.Chat.ChatId, deliveryId + type.Extension);
        string hash;
        try
        {
            hash = await StoreAsync(file, Path.Combine(UploadRoot, relative), context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.PostFailed(logger, caller.Chat.ChatId, ex);
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, "failed", WebStrings.SendFailed, caller, language);
            return;
        }

        Log.MediaStored(logger, caller.Chat.ChatId, type.Name, file.Length);
        var inbound = Inbound(caller, InboundKind.Media, deliveryId!, language) with
        {
            Media = new MediaInfo(type.Kind, FileId: relative.Replace('\\', '/'), FileUniqueId: hash, FileSize: file.Length, Caption: string.IsNullOrEmpty(caption) ? null : caption, MimeType: type.MimeType),
        };
        await HandleAsync(context, caller, language, inbound, WebMessageRenderer.FromSupporter(caption ?? "", time.GetUtcNow(), type.Name), rateCounted: true);
    }

    /// <summary>Copies the upload to <paramref name="path"/>; returns its SHA-256 (hex), the file's unique id.</summary>
    private static async Task<string> StoreAsync(IFormFile file, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await using var source = file.OpenReadStream();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Where uploads go: Web:UploadDir, else uploads/ in Redis:EmbeddedDataDir; relative to the content root.</summary>
    internal string UploadRoot => WebUploads.Root(environment, options, redisOptions.Value);

    /// <summary>Rate limit, record what the supporter sent, hand the event to the core, answer with the chat's language.</summary>
    private async Task HandleAsync(HttpContext context, WebCaller caller, string language, InboundEvent inbound, WebEntry? supporterEntry, bool rateCounted = false)
    {
        try
        {
            if (!rateCounted && !await WithinRateAsync(context, caller, language))
            {
                return;
            }

            if (supporterEntry is not null)
            {
                await history.AppendAsync(caller.Chat, supporterEntry, inbound.DeliveryId, context.RequestAborted);
            }

            // Not the request's token: a page closed mid-way must not leave an event half handled (state saved, replies unsent).
            await dispatcher.DispatchAsync(inbound, lifetime.ApplicationStopping);
            var reply = new PostReply(await LanguageOfAsync(caller.Chat, language, context.RequestAborted));
            await WriteJsonAsync(context, StatusCodes.Status200OK, reply, WebJson.Context.PostReply);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            await UnavailableAsync(context, caller, language, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PostFailed(logger, caller.Chat.ChatId, ex);
            await ErrorAsync(context, StatusCodes.Status500InternalServerError, "failed", WebStrings.SendFailed, caller, language);
        }
    }

    /// <summary>
    /// Counts the post. The first one over the limit gets one bot reply ("please slow down") in the chat; that one and
    /// every further one until the minute is over get 429 and are not handled.
    /// </summary>
    private async Task<bool> WithinRateAsync(HttpContext context, WebCaller caller, string language)
    {
        var count = await history.CountPostAsync(caller.Chat, context.RequestAborted);
        if (count <= options.MessagesPerMinute)
        {
            return true;
        }

        if (count == options.MessagesPerMinute + 1)
        {
            Log.RateLimited(logger, caller.Chat.ChatId, count);
            var chatLanguage = await LanguageOfAsync(caller.Chat, language, context.RequestAborted);
            var slowDown = new OutboundMessage(caller.Chat, localizer.Format(chatLanguage, WebStrings.SlowDown));
            await history.AppendAsync(caller.Chat, WebMessageRenderer.FromBot(slowDown, time.GetUtcNow()), null, context.RequestAborted);
        }

        await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "slow_down", WebStrings.SlowDown, caller, language);
        return false;
    }

    /// <summary>Origin, cookie, simulator switch and CSRF token; writes the refusal and returns null when one fails.</summary>
    private async Task<WebCaller?> GuardAsync(HttpContext context, string language)
    {
        if (!WebSecurity.MayPost(context, options))
        {
            Log.PostRefused(logger, "origin " + context.Request.Headers.Origin, context.Connection.RemoteIpAddress?.ToString());
            await RefuseAsync(context, new WebRefusal(StatusCodes.Status403Forbidden, "origin"), language);
            return null;
        }

        var caller = identity.Read(context, out var refusal);
        if (caller is null)
        {
            Log.PostRefused(logger, refusal!.Code, context.Connection.RemoteIpAddress?.ToString());
            await RefuseAsync(context, refusal, language);
            return null;
        }

        try
        {
            if (!await identity.CheckCsrfAsync(caller.BrowserId, context.Request.Headers[WebIdentity.CsrfHeader], context.RequestAborted))
            {
                Log.PostRefused(logger, "csrf", context.Connection.RemoteIpAddress?.ToString());
                await RefuseAsync(context, new WebRefusal(StatusCodes.Status403Forbidden, "csrf"), language);
                return null;
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            await UnavailableAsync(context, caller, language, ex);
            return null;
        }

        if (caller.ActingAs is not null)
        {
            Log.ActingAs(logger, caller.Chat.ChatId, caller.ActingAs);
        }

        return caller;
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------

    private InboundEvent ForText(WebCaller caller, string text, string deliveryId, string language)
    {
        var command = CommandPattern().Match(text);
        if (command.Success)
        {
            var argument = command.Groups["arg"].Value.Trim();
            return Inbound(caller, InboundKind.Command, deliveryId, language) with
            {
                Command = command.Groups["cmd"].Value.ToLowerInvariant(),
                Argument = argument.Length == 0 ? null : argument,
                Text = text,
            };
        }

        return Inbound(caller, InboundKind.Text, deliveryId, language) with { Text = text };
    }

    private InboundEvent Inbound(WebCaller caller, InboundKind kind, string deliveryId, string language) => new()
    {
        Chat = caller.Chat,
        Kind = kind,
        DeliveryId = deliveryId,
        UserId = caller.UserId,
        ClientLanguage = language,
        SentAt = time.GetUtcNow(),
    };

    /// <summary>The chat's language once the supporter chose one; before that the page's, else the bot's default.</summary>
    private async Task<string> LanguageOfAsync(ChatKey chat, string requested, CancellationToken cancellationToken)
    {
        var session = await sessions.LoadAsync(chat, cancellationToken);
        return localizer.Supports(session?.Language) ? session!.Language! : requested;
    }

    /// <summary>The page's language (a supported code it sent), else the browser's Accept-Language, else the default.</summary>
    private string RequestedLanguage(HttpContext context, string? sent)
    {
        if (localizer.Supports(sent))
        {
            return sent!;
        }

        foreach (var value in context.Request.Headers.AcceptLanguage)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var tag = part.Split(';')[0];
                var code = tag.Length >= 2 ? tag[..2].ToLowerInvariant() : tag;
                if (localizer.Supports(code))
                {
                    return code;
                }
            }
        }

        return localizer.DefaultLanguage;
    }

    private Task RefuseAsync(HttpContext context, WebRefusal refusal, string language)
    {
        var key = refusal.Code switch
        {
            "impersonation_off" => WebStrings.ImpersonationOff,
            "bad_user_id" => WebStrings.BadRequest,
            _ => WebStrings.Expired,
        };
        return WriteJsonAsync(context, refusal.Status, new ErrorReply(WebStrings.Text(localizer, language, key, options), refusal.Code), WebJson.Context.ErrorReply);
    }

    private async Task ErrorAsync(HttpContext context, int status, string code, string key, WebCaller caller, string language)
    {
        var chatLanguage = language;
        try
        {
            chatLanguage = await LanguageOfAsync(caller.Chat, language, context.RequestAborted);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            // The page's own language will do for an error line.
        }

        await WriteJsonAsync(context, status, new ErrorReply(WebStrings.Text(localizer, chatLanguage, key, options), code), WebJson.Context.ErrorReply);
    }

    private Task UnavailableAsync(HttpContext context, WebCaller caller, string language, Exception exception)
    {
        Log.StorageUnavailable(logger, caller.Chat.ChatId, exception);
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return WriteJsonAsync(
            context,
            StatusCodes.Status503ServiceUnavailable,
            new ErrorReply(WebStrings.Text(localizer, language, WebStrings.SendFailed, options), "unavailable"),
            WebJson.Context.ErrorReply);
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    /// <summary>Reads a JSON body of at most <see cref="MaxJsonBodyBytes"/>; the error is "too_long" or "bad_request".</summary>
    private static async Task<(T? Value, string? Error)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (context.Request.ContentLength > MaxJsonBodyBytes)
        {
            return (null, "too_long");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxJsonBodyBytes;
        }

        // application/json only: a cross-site form cannot send it, and a cross-origin fetch needs a preflight first.
        if (!context.Request.HasJsonContentType())
        {
            return (null, "bad_request");
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted), null);
        }
        catch (JsonException)
        {
            return (null, "bad_request");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, "too_long");
        }
    }

    /// <summary>Client-made ids, one per post, reused when the post is retried: 1–64 of A-Za-z0-9_-.</summary>
    internal static bool IsDeliveryId(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static long ParseSeq(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static bool IsStorageFailure(Exception ex) =>
        ex is RedisException or TimeoutException or StorageUnavailableException;

    [GeneratedRegex(@"^/(?<cmd>[A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(?<arg>.*))?$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CommandPattern();
}
