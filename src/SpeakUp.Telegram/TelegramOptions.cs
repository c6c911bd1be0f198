using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SpeakUp.Telegram;

/// <summary>How updates reach the bot.</summary>
public enum TelegramMode
{
    /// <summary>The bot asks Telegram for updates (getUpdates long polling). Needs no public address.</summary>
    Polling,

    /// <summary>Telegram posts updates to <see cref="TelegramOptions.WebhookUrl"/>; the host maps <c>MapTelegramWebhook()</c>.</summary>
    Webhook,
}

/// <summary>The "Telegram" configuration section.</summary>
public sealed class TelegramOptions
{
    public const string SectionName = "Telegram";

    /// <summary>The token BotFather gave. Secret: set it in the environment or user-secrets. Empty turns Telegram off.</summary>
    public string? BotToken { get; set; }

    /// <summary>Bot API server. Tests point it at a local fake.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>Public https address Telegram posts updates to (Webhook mode). Its path is the path the endpoint listens on.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Shared secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (Webhook mode): 1–256 of A-Za-z0-9_-.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Largest webhook body accepted, in bytes.</summary>
    public int WebhookMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Long-poll timeout of getUpdates, in seconds (0 = short polling).</summary>
    public int PollingTimeoutSeconds { get; set; } = 25;

    /// <summary>Timeout of one Bot API request other than the long poll, in seconds.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Attempts for one send when the network or Telegram's servers fail (5xx); the delay doubles each time.</summary>
    public int MaxSendAttempts { get; set; } = 4;

    /// <summary>First backoff delay after a network or server error, in milliseconds.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>How many times one send waits out a 429 and tries again before it reports Failed.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>A 429 asking to wait longer than this (seconds) is reported as Failed at once, so a broadcast can reschedule instead of holding a worker.</summary>
    public int MaxRetryAfterSeconds { get; set; } = 300;

    /// <summary>Longest backoff of the polling loop after errors, in seconds.</summary>
    public int MaxPollingBackoffSeconds { get; set; } = 30;

    /// <summary>
    /// Polling: updates received and not yet handled (and removed from the inbox) at most. At the bound the next
    /// getUpdates waits for room, so a flood of updates costs waiting, never unbounded memory.
    /// </summary>
    public int MaxUpdatesInFlight { get; set; } = 2000;

    /// <summary>Telegram is on when a token is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    internal TimeSpan HttpTimeout => TimeSpan.FromSeconds(Math.Max(RequestTimeoutSeconds, PollingTimeoutSeconds + 15));

    /// <summary>The path the webhook endpoint listens on: WebhookUrl's path, or /telegram/webhook.</summary>
    internal string WebhookPath
    {
        get
        {
            if (Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) && uri.AbsolutePath.Length > 1)
            {
                return uri.AbsolutePath;
            }

            return "/telegram/webhook";
        }
    }
}

/// <summary>Checks the section at start; each failure names its key so the one line that stops the host says what to fix.</summary>
internal sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var token = options.BotToken!.Trim();
        if (!TokenPattern().IsMatch(token))
        {
            // Never echo the token: this line goes to the console.
            failures.Add("Telegram:BotToken is not a bot token (expected <digits>:<secret> as BotFather gives it)");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Telegram:ApiBaseUrl must be an absolute http(s) URL, not '{options.ApiBaseUrl}'");
        }

        if (options.Mode == TelegramMode.Webhook)
        {
            if (string.IsNullOrWhiteSpace(options.WebhookUrl))
            {
                failures.Add("Telegram:WebhookUrl is required when Telegram:Mode is Webhook");
            }
            else if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var hook)
                || !(hook.Scheme == Uri.UriSchemeHttps || (hook.Scheme == Uri.UriSchemeHttp && hook.IsLoopback)))
            {
                failures.Add($"Telegram:WebhookUrl must be an absolute https URL (http only for localhost), not '{options.WebhookUrl}'");
            }

            if (string.IsNullOrEmpty(options.WebhookSecret))
            {
                failures.Add("Telegram:WebhookSecret is required when Telegram:Mode is Webhook");
            }
            else if (!SecretPattern().IsMatch(options.WebhookSecret))
            {
                failures.Add("Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
            }
        }

        if (options.PollingTimeoutSeconds is < 0 or > 60)
        {
            failures.Add("Telegram:PollingTimeoutSeconds must be between 0 and 60");
        }

        if (options.RequestTimeoutSeconds is < 1 or > 600)
        {
            failures.Add("Telegram:RequestTimeoutSeconds must be between 1 and 600");
        }

        if (options.MaxSendAttempts is < 1 or > 20)
        {
            failures.Add("Telegram:MaxSendAttempts must be between 1 and 20");
        }

        if (options.RetryBaseDelayMilliseconds is < 0 or > 60_000)
        {
            failures.Add("Telegram:RetryBaseDelayMilliseconds must be between 0 and 60000");
        }

        if (options.MaxRateLimitRetries is < 0 or > 100)
        {
            failures.Add("Telegram:MaxRateLimitRetries must be between 0 and 100");
        }

        if (options.MaxRetryAfterSeconds is < 1 or > 86_400)
        {
            failures.Add("Telegram:MaxRetryAfterSeconds must be between 1 and 86400");
        }

        if (options.MaxPollingBackoffSeconds is < 1 or > 3600)
        {
            failures.Add("Telegram:MaxPollingBackoffSeconds must be between 1 and 3600");
        }

        if (options.MaxUpdatesInFlight is < 1 or > 100_000)
        {
            failures.Add("Telegram:MaxUpdatesInFlight must be between 1 and 100000");
        }

        if (options.WebhookMaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add("Telegram:WebhookMaxBodyBytes must be between 1024 and 67108864");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[0-9]{1,16}:[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretPattern();
}
