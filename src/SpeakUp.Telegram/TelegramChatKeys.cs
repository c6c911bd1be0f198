using System.Globalization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Telegram;

/// <summary>Telegram's side of <see cref="ChatKey"/>: channel "tg", chat id = Telegram's numeric chat id.</summary>
public static class TelegramChatKeys
{
    public const string Channel = "tg";

    public static ChatKey For(long chatId) => new(Channel, chatId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Telegram's chat id of a "tg" key; false for another channel or a malformed id.</summary>
    public static bool TryGetChatId(ChatKey key, out long chatId)
    {
        chatId = 0;
        return key.Channel == Channel && long.TryParse(key.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out chatId);
    }
}
