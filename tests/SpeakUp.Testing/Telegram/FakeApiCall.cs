using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeakUp.Testing.Telegram;

/// <summary>One Bot API call the fake received: method, parameters (JSON, form or multipart, merged into one object), outcome.</summary>
public sealed class FakeApiCall
{
    internal FakeApiCall(long sequence, string method, JsonObject parameters, DateTimeOffset at)
    {
        Sequence = sequence;
        Method = method;
        Parameters = parameters;
        At = at;
    }

    /// <summary>Order of arrival, from 1.</summary>
    public long Sequence { get; }

    /// <summary>The method as Telegram documents it ("sendMessage"), whatever case the client used.</summary>
    public string Method { get; }

    /// <summary>Every parameter. Form values that were JSON (reply_markup) are parsed; other form values stay strings.</summary>
    public JsonObject Parameters { get; }

    /// <summary>When the request arrived (before its body was read); the rate limits count this time.</summary>
    public DateTimeOffset At { get; }

    /// <summary>HTTP status answered (0 while in progress, -1 when the connection was dropped on purpose).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>Telegram's error description when the call failed.</summary>
    public string? Error { get; internal set; }

    public bool Succeeded => StatusCode == 200;

    /// <summary>The chat_id parameter as a number, when it is one.</summary>
    public long? ChatId => GetLong("chat_id");

    public JsonNode? this[string name] => Parameters[name];

    public string? GetString(string name) => Parameters[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var node => node.ToJsonString(),
    };

    public long? GetLong(string name)
    {
        var node = Parameters[name];
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n))
            {
                return n;
            }

            if (v.GetValueKind() == JsonValueKind.String
                && long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s))
            {
                return s;
            }
        }

        return null;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{Sequence} {Method} {StatusCode}{(Error is null ? "" : " " + Error)} {Parameters.ToJsonString()}");
}

/// <summary>A button of an inline keyboard the bot sent.</summary>
public sealed record FakeInlineButton(string Text, string? CallbackData, string? Url);

/// <summary>A message the bot sent (sendMessage, sendPhoto, copyMessage…), as it stands after any edits.</summary>
public sealed record FakeSentMessage
{
    public required long ChatId { get; init; }

    public required int MessageId { get; init; }

    /// <summary>The method that created it.</summary>
    public required string Method { get; init; }

    /// <summary>Text as sent, with its markup (HTML when ParseMode is "HTML").</summary>
    public string? Text { get; init; }

    public string? Caption { get; init; }

    public string? ParseMode { get; init; }

    public JsonNode? ReplyMarkup { get; init; }

    public required JsonObject Parameters { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>How many times it was edited.</summary>
    public int Edits { get; init; }

    /// <summary>What the person reads: Text (or Caption) without tags and with entities decoded.</summary>
    public string VisibleText => FakeTelegramHtml.ToPlainText(Text ?? Caption ?? "", ParseMode);

    /// <summary>Rows of inline buttons, empty when there is no inline keyboard.</summary>
    public IReadOnlyList<IReadOnlyList<FakeInlineButton>> Buttons => FakeTelegramHtml.ReadKeyboard(ReplyMarkup);

    /// <summary>Every button's callback data, row by row.</summary>
    public IReadOnlyList<string> CallbackData => [.. Buttons.SelectMany(r => r).Select(b => b.CallbackData).OfType<string>()];
}

/// <summary>One attempt of the fake to post an update to the registered webhook.</summary>
public sealed record FakeWebhookDelivery(long UpdateId, int StatusCode, DateTimeOffset At);

/// <summary>Telegram's error texts, as the real API words them.</summary>
public static class FakeTelegramErrors
{
    public const string BotBlocked = "Forbidden: bot was blocked by the user";
    public const string UserDeactivated = "Forbidden: user is deactivated";
    public const string ChatNotFound = "Bad Request: chat not found";
    public const string MessageNotModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    public const string MessageToEditNotFound = "Bad Request: message to edit not found";
    public const string MessageTextEmpty = "Bad Request: message text is empty";
    public const string MessageTooLong = "Bad Request: message is too long";
    public const string InternalServerError = "Internal Server Error";
    public const string BadGateway = "Bad Gateway";
    public const string Unauthorized = "Unauthorized";
    public const string NotFound = "Not Found";

    public static string TooManyRequests(int retryAfter) => string.Create(CultureInfo.InvariantCulture, $"Too Many Requests: retry after {retryAfter}");
}
