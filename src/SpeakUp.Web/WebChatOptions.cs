using Microsoft.Extensions.Options;

namespace SpeakUp.Web;

/// <summary>The web chat channel (section "Web").</summary>
public sealed class WebChatOptions
{
    public const string Section = "Web";

    /// <summary>Serve the chat page, the widget and the chat API. On by default, next to Telegram or alone.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Local development switch: the page may act as any user id (X-SpeakUp-Act-As), so admin commands can be tried with an
    /// id from Bot:AdminIds. Default: on only when no Telegram bot token is configured. Never turn it on in production.
    /// </summary>
    public bool Simulator { get; set; }

    /// <summary>
    /// Origins (scheme://host[:port]) of sites that embed the widget: they may frame the chat (CSP frame-ancestors) and call
    /// the chat API with the supporter's cookie (CORS). Empty: only this host's own pages.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Messages kept per chat (bot and supporter together); older ones are dropped.</summary>
    public int HistoryLimit { get; set; } = 200;

    /// <summary>Days a chat's web history is kept after its last message.</summary>
    public int HistoryDays { get; set; } = 90;

    /// <summary>Longest message a supporter may type, in characters (Telegram's limit too).</summary>
    public int MaxMessageLength { get; set; } = 4096;

    /// <summary>Posts (messages, button taps, files) one chat may make per minute; more get one "please slow down" reply.</summary>
    public int MessagesPerMinute { get; set; } = 20;

    /// <summary>Largest photo, video or voice file accepted, in bytes (Telegram bots can fetch 20 MB).</summary>
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Where uploaded files are stored; relative paths start at the content root. Empty: <c>uploads/</c> under
    /// Redis:EmbeddedDataDir (the data volume in the container). Several instances must share it.
    /// </summary>
    public string UploadDir { get; set; } = "";

    /// <summary>Seconds between keep-alive comments on an open event stream (proxies close silent connections).</summary>
    public int HeartbeatSeconds { get; set; } = 15;
}

/// <summary>Checks <see cref="WebChatOptions"/> at start; each failure names its key.</summary>
internal sealed class WebChatOptionsValidator : IValidateOptions<WebChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var origin in options.AllowedOrigins)
        {
            if (!IsOrigin(origin))
            {
                failures.Add($"Web:AllowedOrigins has '{origin}', which is not an origin like https://campaign.example.org (scheme, host and optional port; no path, no wildcard).");
            }
        }

        Range(failures, nameof(options.HistoryLimit), options.HistoryLimit, 10, 10_000);
        Range(failures, nameof(options.HistoryDays), options.HistoryDays, 1, 3650);
        Range(failures, nameof(options.MaxMessageLength), options.MaxMessageLength, 1, 4096);
        Range(failures, nameof(options.MessagesPerMinute), options.MessagesPerMinute, 1, 10_000);
        Range(failures, nameof(options.HeartbeatSeconds), options.HeartbeatSeconds, 1, 600);
        if (options.MaxUploadBytes is < 1024 or > 512L * 1024 * 1024)
        {
            failures.Add($"Web:MaxUploadBytes must be between 1024 and 536870912; got {options.MaxUploadBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An origin as browsers send it: http(s)://host[:port], nothing else (it is copied into CSP and CORS headers).</summary>
    internal static bool IsOrigin(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.UserInfo)
            && !value.Contains('*', StringComparison.Ordinal)
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Web:{key} must be between {min} and {max}; got {value}.");
        }
    }
}
