namespace SpeakUp.Core.Messaging;

/// <summary>A button under a message: either it sends <see cref="Data"/> back to the bot, or it opens <see cref="Url"/>.</summary>
public sealed record Button
{
    private Button(string label, string? data, string? url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
        Data = data;
        Url = url;
    }

    public string Label { get; }

    /// <summary>Opaque short data (Telegram allows 1–64 bytes) sent back when pressed.</summary>
    public string? Data { get; }

    public string? Url { get; }

    /// <summary>Telegram limits callback_data to 64 bytes; every channel keeps to that so button data is portable.</summary>
    public const int MaxDataBytes = 64;

    public static Button Callback(string label, string data)
    {
        ArgumentException.ThrowIfNullOrEmpty(data);
        if (System.Text.Encoding.UTF8.GetByteCount(data) > MaxDataBytes)
        {
            throw new ArgumentException($"Button data '{data}' is longer than {MaxDataBytes} bytes.", nameof(data));
        }

        return new Button(label, data, null);
    }

    public static Button Link(string label, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new Button(label, null, url.AbsoluteUri);
    }
}

/// <summary>A message for one chat: text and optional rows of buttons.</summary>
public sealed record OutboundMessage(ChatKey Chat, MessageText Text)
{
    public IReadOnlyList<IReadOnlyList<Button>> Buttons { get; init; } = [];

    /// <summary>When set, the channel may edit this earlier message of the bot instead of sending a new one (paging a keyboard).</summary>
    public string? ReplacesMessageId { get; init; }
}
