using System.Globalization;
using SpeakUp.Core.Localization;

namespace SpeakUp.Web;

/// <summary>The page's own labels (its chrome, not the bot's messages): locale keys "web.*", in every language.</summary>
internal static class WebStrings
{
    public const string SlowDown = "web.slow_down";
    public const string TooLong = "web.too_long";
    public const string FileTooBig = "web.file_too_big";
    public const string FileType = "web.file_type";
    public const string Expired = "web.expired";
    public const string BadRequest = "web.bad_request";
    public const string SendFailed = "web.send_failed";
    public const string ImpersonationOff = "web.impersonation_off";
    public const string WidgetOpen = "web.widget_open";
    public const string WidgetClose = "web.widget_close";

    /// <summary>Every key the page uses; the page receives them with <c>{max}</c> and <c>{mb}</c> already filled in.</summary>
    public static IReadOnlyList<string> PageKeys { get; } =
    [
        "web.title",
        "web.status_online",
        "web.status_connecting",
        "web.status_offline",
        "web.start",
        "web.start_hint",
        "web.placeholder",
        "web.send",
        "web.attach",
        "web.language",
        "web.uploading",
        "web.media_photo",
        "web.media_video",
        "web.media_voice",
        "web.simulator",
        "web.act_as",
        "web.act_as_apply",
        "web.simulator_note",
        TooLong,
        FileTooBig,
        FileType,
        Expired,
        BadRequest,
        SendFailed,
        SlowDown,
        ImpersonationOff,
    ];

    /// <summary>Labels of the floating button on other sites (widget.js carries them for every language).</summary>
    public static IReadOnlyList<string> WidgetKeys { get; } = [WidgetOpen, WidgetClose];

    public static Dictionary<string, string> ForPage(ILocalizer localizer, string language, WebChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(options);
        var values = Values(options);
        return PageKeys.ToDictionary(k => k, k => localizer.Plain(language, k, values), StringComparer.Ordinal);
    }

    public static string Text(ILocalizer localizer, string language, string key, WebChatOptions options) =>
        localizer.Plain(language, key, Values(options));

    private static (string, string)[] Values(WebChatOptions options) =>
    [
        ("max", options.MaxMessageLength.ToString(CultureInfo.InvariantCulture)),
        ("mb", Math.Max(1, options.MaxUploadBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)),
    ];
}
