using System.Diagnostics.CodeAnalysis;

namespace SpeakUp.Core.Messaging;

/// <summary>
/// Identifies one conversation: a channel ("tg", "web", "wa") and that channel's chat id.
/// Its string form ("tg:123") is the Redis hash tag, so every key of one chat lands in one cluster slot.
/// </summary>
public readonly record struct ChatKey
{
    public ChatKey(string channel, string chatId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentException.ThrowIfNullOrEmpty(chatId);
        if (channel.Contains(':', StringComparison.Ordinal) || channel.Contains('{', StringComparison.Ordinal) || channel.Contains('}', StringComparison.Ordinal))
        {
            throw new ArgumentException("A channel name cannot contain ':', '{' or '}'.", nameof(channel));
        }

        if (chatId.Contains('{', StringComparison.Ordinal) || chatId.Contains('}', StringComparison.Ordinal))
        {
            throw new ArgumentException("A chat id cannot contain '{' or '}'.", nameof(chatId));
        }

        Channel = channel;
        ChatId = chatId;
    }

    public string Channel { get; }

    public string ChatId { get; }

    public override string ToString() => $"{Channel}:{ChatId}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out ChatKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1 || value.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            return false;
        }

        key = new ChatKey(value[..colon], value[(colon + 1)..]);
        return true;
    }
}
