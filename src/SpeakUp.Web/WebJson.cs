using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeakUp.Web;

/// <summary>
/// One line of a chat as the page shows it: a bot message, or something the supporter sent. Stored as JSON in the chat's
/// history list; <see cref="Seq"/> is added by the append script and is the SSE event id. Property names are short: a
/// history holds hundreds of these and the page reads them on every reload.
/// </summary>
internal sealed record WebEntry
{
    /// <summary>Position in the chat, from 1. Never written by C#: the append script puts it first.</summary>
    [JsonPropertyName("seq")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Seq { get; init; }

    /// <summary>"bot" or "me".</summary>
    [JsonPropertyName("from")]
    public required string From { get; init; }

    /// <summary>Unix milliseconds.</summary>
    [JsonPropertyName("at")]
    public long At { get; init; }

    [JsonPropertyName("spans")]
    public IReadOnlyList<WebSpan> Spans { get; init; } = [];

    [JsonPropertyName("buttons")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<WebButton>>? Buttons { get; init; }

    /// <summary>The message id (its first sequence number) this entry replaces: the page swaps that bubble's text and buttons.</summary>
    [JsonPropertyName("replaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Replaces { get; init; }

    /// <summary>photo, video or voice, for a file the supporter sent.</summary>
    [JsonPropertyName("media")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Media { get; init; }
}

/// <summary>A run of text: <c>s</c> is b (bold), i (italic), a (link, with <c>u</c>) or absent (plain).</summary>
internal sealed record WebSpan(
    [property: JsonPropertyName("t")] string Text,
    [property: JsonPropertyName("s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Style = null,
    [property: JsonPropertyName("u"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null);

/// <summary>A button: <c>d</c> is sent back when tapped, or <c>u</c> opens in a new tab.</summary>
internal sealed record WebButton(
    [property: JsonPropertyName("l")] string Label,
    [property: JsonPropertyName("d"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Data = null,
    [property: JsonPropertyName("u"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null);

internal sealed record TextPost(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("deliveryId")] string? DeliveryId,
    [property: JsonPropertyName("lang")] string? Lang);

internal sealed record ButtonPost(
    [property: JsonPropertyName("data")] string? Data,
    [property: JsonPropertyName("messageId")] string? MessageId,
    [property: JsonPropertyName("deliveryId")] string? DeliveryId,
    [property: JsonPropertyName("lang")] string? Lang);

/// <summary>The answer to a post: the chat's language after it was handled, so the page's own labels can follow.</summary>
internal sealed record PostReply(
    [property: JsonPropertyName("lang")] string Lang);

internal sealed record ErrorReply(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("code")] string Code);

internal sealed record LanguageChoice(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name);

/// <summary>What the page needs before it can talk: its CSRF token, its labels, the limits it checks before posting.</summary>
internal sealed record SessionReply
{
    [JsonPropertyName("csrf")]
    public required string Csrf { get; init; }

    [JsonPropertyName("lang")]
    public required string Lang { get; init; }

    [JsonPropertyName("languages")]
    public required IReadOnlyList<LanguageChoice> Languages { get; init; }

    [JsonPropertyName("strings")]
    public required IReadOnlyDictionary<string, string> Strings { get; init; }

    [JsonPropertyName("simulator")]
    public bool Simulator { get; init; }

    [JsonPropertyName("actingAs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActingAs { get; init; }

    [JsonPropertyName("maxLength")]
    public int MaxLength { get; init; }

    [JsonPropertyName("maxUploadBytes")]
    public long MaxUploadBytes { get; init; }
}

[JsonSerializable(typeof(WebEntry))]
[JsonSerializable(typeof(TextPost))]
[JsonSerializable(typeof(ButtonPost))]
[JsonSerializable(typeof(PostReply))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(SessionReply))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(string))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class WebJsonContext : JsonSerializerContext;

/// <summary>
/// The serializer settings of the channel: source-generated, and Hindi written as UTF-8 rather than \u escapes (half the
/// bytes on a phone's data plan). Characters that matter in HTML (&lt; &gt; &amp; quotes) are still escaped.
/// </summary>
internal static class WebJson
{
    public static WebJsonContext Context { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    });
}
