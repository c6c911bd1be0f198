using System.Text.Json.Nodes;

namespace SpeakUp.Testing.Telegram;

/// <summary>Updates for submission tests: the shared fixtures re-addressed to a test chat, and kinds FakeUpdates lacks.</summary>
public static class FakeSubmissionUpdates
{
    private static int s_messageId = 50_000;

    /// <summary>
    /// A fixture from ../shared/fixtures/telegram as sent by <paramref name="chatId"/>: chat and sender ids replaced,
    /// update_id removed (the fake server assigns one), everything else (file ids, message_id, sizes) as captured.
    /// </summary>
    public static JsonObject FromFixture(string name, long chatId, string languageCode = "hi")
    {
        var path = Path.Combine(RepoPaths.SharedFixtures("telegram"), name + ".json");
        var update = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        update.Remove("update_id");
        var message = update["message"]!.AsObject();
        message["chat"] = new JsonObject { ["id"] = chatId, ["first_name"] = "Sunita", ["type"] = "private" };
        message["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Sunita", ["language_code"] = languageCode };
        message["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return update;
    }

    /// <summary>The message_id a fixture carries (what copyMessage must copy).</summary>
    public static int MessageIdOf(JsonObject update) => (int)update["message"]!["message_id"]!;

    public static JsonObject Sticker(long chatId) => Message(chatId, "sticker", new JsonObject
    {
        ["file_id"] = "sticker-file",
        ["file_unique_id"] = "u-sticker",
        ["width"] = 512,
        ["height"] = 512,
        ["is_animated"] = false,
        ["is_video"] = false,
        ["type"] = "regular",
    });

    public static JsonObject Location(long chatId) => Message(chatId, "location", new JsonObject { ["latitude"] = 26.9, ["longitude"] = 75.8 });

    private static JsonObject Message(long chatId, string field, JsonNode payload) => new()
    {
        ["message"] = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref s_messageId),
            ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Sunita", ["language_code"] = "hi" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["first_name"] = "Sunita", ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            [field] = payload,
        },
    };
}
