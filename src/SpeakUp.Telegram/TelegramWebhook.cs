using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace SpeakUp.Telegram;

/// <summary>
/// POST endpoint Telegram delivers updates to. Telegram retries any non-2xx answer, so only a wrong secret (401), a body
/// that is not JSON (400) or too large (413) is refused; JSON this bot cannot use is logged and answered 200.
/// The answer is sent after the update was handled, so an update lost in a crash is delivered again.
/// </summary>
internal static class TelegramWebhookEndpoint
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<TelegramOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TelegramWebhookEndpoint).FullName!);

        if (!SecretMatches(context.Request.Headers[SecretHeader], options.WebhookSecret))
        {
            Log.WebhookUnauthorized(logger, context.Connection.RemoteIpAddress?.ToString());
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadBodyAsync(context.Request, options.WebhookMaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            Log.WebhookTooLarge(logger, options.WebhookMaxBodyBytes);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            Log.WebhookNotJson(logger, ex);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using (document)
        {
            Update? update = null;
            var root = document.RootElement;
            try
            {
                update = root.Deserialize<Update>(JsonBotAPI.Options);
            }
            catch (Exception ex)
            {
                // Outside input: whatever the library throws on it, this update is skipped and nothing else.
                Log.UpdateMalformed(logger, UpdateIdOf(root), ex);
            }

            if (update is not null)
            {
                // Not RequestAborted: if Telegram hangs up, finishing the work still beats doing it twice.
                await services.GetRequiredService<TelegramUpdateHandler>().HandleAsync(update, CancellationToken.None);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    internal static bool SecretMatches(Microsoft.Extensions.Primitives.StringValues provided, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || provided.Count != 1 || string.IsNullOrEmpty(provided[0]))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(provided[0]!), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static long? UpdateIdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("update_id", out var id) && id.TryGetInt64(out var value)
            ? value
            : null;
}

/// <summary>Webhook mode: registers the webhook (URL, secret, update kinds) and the command menu at start, retrying until it succeeds.</summary>
internal sealed class TelegramWebhookRegistration(
    ITelegramBotClient bot,
    TelegramCommandsPublisher commands,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<TelegramWebhookRegistration> logger) : BackgroundService
{
    private static readonly global::Telegram.Bot.Types.Enums.UpdateType[] AllowedUpdates =
    [
        global::Telegram.Bot.Types.Enums.UpdateType.Message,
        global::Telegram.Bot.Types.Enums.UpdateType.CallbackQuery,
        global::Telegram.Bot.Types.Enums.UpdateType.MyChatMember,
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bot.SetWebhook(o.WebhookUrl!, allowedUpdates: AllowedUpdates, secretToken: o.WebhookSecret, cancellationToken: stoppingToken);
                Log.WebhookSet(logger, o.WebhookUrl!);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(
                    Math.Max(o.RetryBaseDelayMilliseconds, 1) * Math.Pow(2, Math.Min(failures - 1, 20)),
                    o.MaxPollingBackoffSeconds * 1000.0));
                Log.WebhookSetFailed(logger, delay, ex);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        try
        {
            await commands.PublishAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
