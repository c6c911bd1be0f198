using System.Text.Json.Nodes;

namespace SpeakUp.Testing.Telegram;

/// <summary>
/// Builds Telegram updates the way Telegram shapes them (private chats, chat id = user id). No update_id: the fake
/// server assigns one when the update is enqueued; give one yourself to post an update to a webhook directly.
/// </summary>
public static class FakeUpdates
{
    private static int s_messageId = 1_000;

    public static JsonObject Text(long chatId, string text, string firstName = "Sunita", string? languageCode = "hi", long? updateId = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = Message(chatId, firstName, languageCode);
        message["text"] = text;
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n']);
            message["entities"] = new JsonArray(new JsonObject
            {
                ["offset"] = 0,
                ["length"] = end < 0 ? text.Length : end,
                ["type"] = "bot_command",
            });
        }

        return Wrap("message", message, updateId);
    }

    /// <summary>A press on an inline button of the bot's message <paramref name="messageId"/>.</summary>
    public static JsonObject Callback(long chatId, string data, int messageId, string firstName = "Sunita", string? languageCode = "hi", long? updateId = null)
    {
        var botMessage = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = new JsonObject { ["id"] = 1, ["is_bot"] = true, ["first_name"] = "SpeakUp", ["username"] = "speakup_test_bot" },
            ["chat"] = PrivateChat(chatId, firstName),
            ["date"] = Now(),
            ["text"] = "…",
        };
        var query = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["from"] = User(chatId, firstName, languageCode),
            ["message"] = botMessage,
            ["chat_instance"] = "-" + chatId,
            ["data"] = data,
        };
        return Wrap("callback_query", query, updateId);
    }

    public static JsonObject Photo(long chatId, string fileId = "photo-file", string? caption = null, string? mediaGroupId = null, long? updateId = null)
    {
        var message = Message(chatId, "Sunita", "hi");
        message["photo"] = new JsonArray(
            new JsonObject { ["file_id"] = fileId + "-s", ["file_unique_id"] = fileId + "-us", ["file_size"] = 1_200, ["width"] = 90, ["height"] = 160 },
            new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u-" + fileId, ["file_size"] = 81_000, ["width"] = 720, ["height"] = 1280 });
        AddCaption(message, caption, mediaGroupId);
        return Wrap("message", message, updateId);
    }

    public static JsonObject Video(long chatId, string fileId = "video-file", int durationSeconds = 30, long fileSize = 4_700_000, string? caption = null, string? mediaGroupId = null, long? updateId = null)
    {
        var message = Message(chatId, "Sunita", "hi");
        message["video"] = new JsonObject
        {
            ["file_id"] = fileId,
            ["file_unique_id"] = "u-" + fileId,
            ["duration"] = durationSeconds,
            ["width"] = 720,
            ["height"] = 1280,
            ["mime_type"] = "video/mp4",
            ["file_size"] = fileSize,
        };
        AddCaption(message, caption, mediaGroupId);
        return Wrap("message", message, updateId);
    }

    public static JsonObject Voice(long chatId, string fileId = "voice-file", int durationSeconds = 5, long? updateId = null)
    {
        var message = Message(chatId, "Sunita", "hi");
        message["voice"] = new JsonObject
        {
            ["file_id"] = fileId,
            ["file_unique_id"] = "u-" + fileId,
            ["duration"] = durationSeconds,
            ["mime_type"] = "audio/ogg",
            ["file_size"] = 23_000,
        };
        return Wrap("message", message, updateId);
    }

    /// <summary>The person blocked the bot (my_chat_member, new status "kicked").</summary>
    public static JsonObject BlockedBot(long chatId, long? updateId = null) => MyChatMember(chatId, "member", "kicked", updateId);

    /// <summary>The person unblocked the bot (my_chat_member, new status "member").</summary>
    public static JsonObject UnblockedBot(long chatId, long? updateId = null) => MyChatMember(chatId, "kicked", "member", updateId);

    /// <summary>A text in a group (negative chat id): the bot serves private chats only.</summary>
    public static JsonObject GroupText(long groupId, long userId, string text, long? updateId = null)
    {
        var message = Message(userId, "Sunita", "hi");
        message["chat"] = new JsonObject { ["id"] = groupId, ["title"] = "Test group", ["type"] = "supergroup" };
        message["text"] = text;
        return Wrap("message", message, updateId);
    }

    /// <summary>
    /// An update the Telegram.Bot library cannot deserialize (message.date is a string), while its update_id is readable:
    /// what a future Bot API change or a corrupted proxy would look like.
    /// </summary>
    public static JsonObject Malformed(long chatId, long? updateId = null)
    {
        var message = Message(chatId, "Sunita", "hi");
        message["date"] = "not a date";
        message["chat"] = new JsonObject { ["id"] = new JsonObject { ["nested"] = true }, ["type"] = "private" };
        message["text"] = "hello";
        return Wrap("message", message, updateId);
    }

    private static JsonObject MyChatMember(long chatId, string oldStatus, string newStatus, long? updateId)
    {
        var bot = new JsonObject { ["id"] = 1, ["is_bot"] = true, ["first_name"] = "SpeakUp", ["username"] = "speakup_test_bot" };
        var update = new JsonObject
        {
            ["chat"] = PrivateChat(chatId, "Sunita"),
            ["from"] = User(chatId, "Sunita", "hi"),
            ["date"] = Now(),
            ["old_chat_member"] = new JsonObject { ["user"] = bot.DeepClone(), ["status"] = oldStatus },
            ["new_chat_member"] = new JsonObject { ["user"] = bot, ["status"] = newStatus, ["until_date"] = 0 },
        };
        return Wrap("my_chat_member", update, updateId);
    }

    private static JsonObject Message(long chatId, string firstName, string? languageCode) => new()
    {
        ["message_id"] = Interlocked.Increment(ref s_messageId),
        ["from"] = User(chatId, firstName, languageCode),
        ["chat"] = PrivateChat(chatId, firstName),
        ["date"] = Now(),
    };

    private static void AddCaption(JsonObject message, string? caption, string? mediaGroupId)
    {
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        if (mediaGroupId is not null)
        {
            message["media_group_id"] = mediaGroupId;
        }
    }

    private static JsonObject User(long id, string firstName, string? languageCode)
    {
        var user = new JsonObject { ["id"] = id, ["is_bot"] = false, ["first_name"] = firstName };
        if (languageCode is not null)
        {
            user["language_code"] = languageCode;
        }

        return user;
    }

    private static JsonObject PrivateChat(long id, string firstName) => new() { ["id"] = id, ["first_name"] = firstName, ["type"] = "private" };

    private static JsonObject Wrap(string kind, JsonObject payload, long? updateId)
    {
        var update = new JsonObject();
        if (updateId is { } id)
        {
            update["update_id"] = id;
        }

        update[kind] = payload;
        return update;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
