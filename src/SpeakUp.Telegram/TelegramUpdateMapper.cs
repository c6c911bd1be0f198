using System.Globalization;
using SpeakUp.Core.Messaging;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace SpeakUp.Telegram;

/// <summary>What one Telegram update means to the core: an event, or a reason it is skipped.</summary>
internal readonly record struct MappedUpdate(InboundEvent? Event, string? SkipReason, string? CallbackQueryId = null)
{
    public static MappedUpdate Skip(string reason, string? callbackQueryId = null) => new(null, reason, callbackQueryId);
}

/// <summary>
/// Maps Telegram updates to <see cref="InboundEvent"/>. Pure: no I/O, no clock. The bot serves private chats only;
/// everything else (groups, channels, edits, inline mode) is skipped with a reason for the log.
/// </summary>
internal static class TelegramUpdateMapper
{
    public static MappedUpdate Map(Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var deliveryId = update.Id.ToString(CultureInfo.InvariantCulture);

        if (update.Message is { } message)
        {
            return MapMessage(message, deliveryId);
        }

        if (update.CallbackQuery is { } callback)
        {
            return MapCallback(callback, deliveryId);
        }

        if (update.MyChatMember is { } member)
        {
            return MapMyChatMember(member, deliveryId);
        }

        if (update.EditedMessage is not null)
        {
            return MappedUpdate.Skip("edited message");
        }

        return MappedUpdate.Skip("unsupported update type " + update.Type);
    }

    private static MappedUpdate MapMessage(Message message, string deliveryId)
    {
        if (message.Chat is null)
        {
            return MappedUpdate.Skip("message without chat");
        }

        if (message.Chat.Type != ChatType.Private)
        {
            return MappedUpdate.Skip("message in a " + message.Chat.Type + " chat");
        }

        var from = message.From;
        if (from is { IsBot: true })
        {
            return MappedUpdate.Skip("message from a bot");
        }

        var baseEvent = new InboundEvent
        {
            Chat = TelegramChatKeys.For(message.Chat.Id),
            Kind = InboundKind.Text,
            DeliveryId = deliveryId,
            UserId = UserIdOf(from) ?? message.Chat.Id.ToString(CultureInfo.InvariantCulture),
            FirstName = from?.FirstName ?? message.Chat.FirstName,
            ClientLanguage = NullIfEmpty(from?.LanguageCode),
            SentAt = SentAt(message.Date),
            ForwardedFromUserId = (message.ForwardOrigin as MessageOriginUser)?.SenderUser.Id.ToString(CultureInfo.InvariantCulture),
            MessageId = message.Id.ToString(CultureInfo.InvariantCulture),
        };

        if (message.Text is { } text)
        {
            if (TryParseCommand(text, message.Entities, out var command, out var argument))
            {
                return new(baseEvent with { Kind = InboundKind.Command, Command = command, Argument = argument, Text = text }, null);
            }

            return new(baseEvent with { Kind = InboundKind.Text, Text = text }, null);
        }

        var media = MapMedia(message);
        if (media is not null)
        {
            return new(baseEvent with { Kind = InboundKind.Media, Media = media }, null);
        }

        return MappedUpdate.Skip("message of type " + message.Type);
    }

    private static MediaInfo? MapMedia(Message m)
    {
        var caption = NullIfEmpty(m.Caption);
        var group = m.MediaGroupId;
        if (m.Photo is { Length: > 0 } sizes)
        {
            // Telegram lists sizes small to large, but not strictly (see the fixtures): take the most pixels.
            var largest = sizes.MaxBy(p => (long)p.Width * p.Height)!;
            return new MediaInfo(MediaKind.Photo, largest.FileId, largest.FileUniqueId, null, largest.FileSize, caption, group, "image/jpeg");
        }

        if (m.Video is { } video)
        {
            return new MediaInfo(MediaKind.Video, video.FileId, video.FileUniqueId, video.Duration, video.FileSize, caption, group, video.MimeType);
        }

        if (m.VideoNote is { } note)
        {
            return new MediaInfo(MediaKind.VideoNote, note.FileId, note.FileUniqueId, note.Duration, note.FileSize, caption, group, "video/mp4");
        }

        if (m.Voice is { } voice)
        {
            return new MediaInfo(MediaKind.Voice, voice.FileId, voice.FileUniqueId, voice.Duration, voice.FileSize, caption, group, voice.MimeType);
        }

        if (m.Audio is { } audio)
        {
            return new MediaInfo(MediaKind.Audio, audio.FileId, audio.FileUniqueId, audio.Duration, audio.FileSize, caption, group, audio.MimeType);
        }

        if (m.Animation is { } animation)
        {
            // An animation also carries a document field for old clients: check it before Document.
            return new MediaInfo(MediaKind.Animation, animation.FileId, animation.FileUniqueId, animation.Duration, animation.FileSize, caption, group, animation.MimeType);
        }

        if (m.Document is { } document)
        {
            return new MediaInfo(MediaKind.Document, document.FileId, document.FileUniqueId, null, document.FileSize, caption, group, document.MimeType);
        }

        if (m.Sticker is { } sticker)
        {
            var mime = sticker.IsVideo ? "video/webm" : sticker.IsAnimated ? "application/x-tgsticker" : "image/webp";
            return new MediaInfo(MediaKind.Sticker, sticker.FileId, sticker.FileUniqueId, null, sticker.FileSize, caption, group, mime);
        }

        if (m.Location is { } location)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{location.Latitude},{location.Longitude}");
            return new MediaInfo(MediaKind.Location, Caption: where);
        }

        if (m.Contact is { } contact)
        {
            var name = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(s => !string.IsNullOrEmpty(s)));
            return new MediaInfo(MediaKind.Contact, Caption: name);
        }

        if (m.Poll is { } poll)
        {
            return new MediaInfo(MediaKind.Poll, FileId: poll.Id, Caption: poll.Question);
        }

        return null;
    }

    private static MappedUpdate MapCallback(CallbackQuery callback, string deliveryId)
    {
        var message = callback.Message;
        if (message is null || message.Chat is null)
        {
            // A button under an inline-mode message: the bot posts none, so it cannot be ours; answered, not dispatched.
            return MappedUpdate.Skip("callback query without a message (inline mode)", callback.Id);
        }

        if (message.Chat.Type != ChatType.Private)
        {
            return MappedUpdate.Skip("callback query in a " + message.Chat.Type + " chat", callback.Id);
        }

        if (string.IsNullOrEmpty(callback.Data))
        {
            return MappedUpdate.Skip("callback query without data (game)", callback.Id);
        }

        var ev = new InboundEvent
        {
            Chat = TelegramChatKeys.For(message.Chat.Id),
            Kind = InboundKind.Button,
            DeliveryId = deliveryId,
            UserId = UserIdOf(callback.From),
            FirstName = callback.From?.FirstName,
            ClientLanguage = NullIfEmpty(callback.From?.LanguageCode),
            ButtonData = callback.Data,
            SourceMessageId = message.Id.ToString(CultureInfo.InvariantCulture),
        };
        return new(ev, null, callback.Id);
    }

    private static MappedUpdate MapMyChatMember(ChatMemberUpdated member, string deliveryId)
    {
        if (member.Chat is null || member.Chat.Type != ChatType.Private)
        {
            return MappedUpdate.Skip("my_chat_member in a " + member.Chat?.Type + " chat");
        }

        var status = member.NewChatMember?.Status;
        if (status is ChatMemberStatus.Kicked)
        {
            var ev = new InboundEvent
            {
                Chat = TelegramChatKeys.For(member.Chat.Id),
                Kind = InboundKind.Blocked,
                DeliveryId = deliveryId,
                UserId = UserIdOf(member.From),
                FirstName = member.From?.FirstName,
                ClientLanguage = NullIfEmpty(member.From?.LanguageCode),
                SentAt = SentAt(member.Date),
            };
            return new(ev, null);
        }

        // Unblocked (member): nothing to do until the person writes, which brings a message of its own.
        return MappedUpdate.Skip("my_chat_member status " + status);
    }

    /// <summary>
    /// "/start@SpeakUpBot payload" → ("start", "payload"). Uses a bot_command entity at offset 0 when present;
    /// old or hand-written updates have none, so a leading '/' followed by a valid command name is accepted too.
    /// </summary>
    internal static bool TryParseCommand(string text, MessageEntity[]? entities, out string command, out string? argument)
    {
        command = "";
        argument = null;
        if (text.Length < 2 || text[0] != '/')
        {
            return false;
        }

        int end;
        var entity = entities?.FirstOrDefault(e => e.Type == MessageEntityType.BotCommand && e.Offset == 0);
        if (entity is not null && entity.Length > 1 && entity.Length <= text.Length)
        {
            end = entity.Length;
        }
        else
        {
            end = 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }
        }

        var token = text[1..end];
        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            token = token[..at];
        }

        if (token.Length is 0 or > 32 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return false;
        }

        command = token.ToLowerInvariant();
        var rest = text[end..].Trim();
        argument = rest.Length == 0 ? null : rest;
        return true;
    }

    private static string? UserIdOf(User? user) => user?.Id.ToString(CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static DateTimeOffset? SentAt(DateTime date) =>
        date == default ? null : new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
}
