using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Bench;

/// <summary>
/// The cheapest bot that satisfies <see cref="SupporterLoad"/>: the same getUpdates batches (acknowledged when the whole
/// batch is answered), answerCallbackQuery for presses, and as many sends/edits as the real bot makes, with payloads of
/// similar size. No Redis, no workflow. What a run with it costs is the price of the harness (driver, fake Bot API,
/// HTTP on loopback), which the host run pays too.
/// </summary>
internal sealed class EchoBot(FakeTelegramServer telegram, BotCall onCall) : IDisposable
{
    private static readonly string Text = "<b>Aaj ka hashtag: #SpeakUpForFarmers</b>\n" + string.Concat(Enumerable.Repeat("Talking point with <i>some</i> emphasis, and a bit more text. ", 8));

    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    // The token has a colon: as a relative URI it would read as a scheme, so every address is built absolute.
    private readonly string api = telegram.BaseUrl.ToString().TrimEnd('/') + "/bot" + telegram.Token + "/";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long offset = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            List<Incoming> batch;
            try
            {
                var query = string.Create(CultureInfo.InvariantCulture, $"getUpdates?offset={offset}&limit=100&timeout=10");
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(api + query), cancellationToken));
                batch = [.. document.RootElement.GetProperty("result").EnumerateArray().Select(Incoming.Read)];
                onCall("getUpdates", null, DateTimeOffset.UtcNow);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (batch.Count > 0)
            {
                offset = batch.Max(u => u.UpdateId) + 1;
                await Task.WhenAll(batch.Select(u => AnswerAsync(u, cancellationToken)));
            }
        }
    }

    private async Task AnswerAsync(Incoming update, CancellationToken cancellationToken)
    {
        var answerCallback = update.CallbackId is { } id
            ? PostAsync("answerCallbackQuery", null, new JsonObject { ["callback_query_id"] = id }, cancellationToken)
            : Task.CompletedTask;
        if (update.Data is { } data && data.StartsWith("p:", StringComparison.Ordinal))
        {
            await PostAsync("editMessageText", update.Chat, Message(update, "Page " + data[2..]), cancellationToken);
        }
        else
        {
            for (var i = 0; i < (update.Data?.StartsWith("s:", StringComparison.Ordinal) == true ? 2 : 1); i++)
            {
                await PostAsync("sendMessage", update.Chat, Message(update, Text), cancellationToken);
            }
        }

        await answerCallback;
    }

    private static JsonObject Message(Incoming update, string text)
    {
        var message = new JsonObject
        {
            ["chat_id"] = update.Chat,
            ["text"] = text,
            ["parse_mode"] = "HTML",
            ["reply_markup"] = new JsonObject
            {
                ["inline_keyboard"] = new JsonArray(
                    new JsonArray(Button("Rajasthan", "s:RJ"), Button("Uttar Pradesh", "s:UP")),
                    new JsonArray(Button("Next", "p:2"))),
            },
        };
        if (update.MessageId is { } messageId && text.StartsWith("Page", StringComparison.Ordinal))
        {
            message["message_id"] = messageId;
        }

        return message;
    }

    private static JsonObject Button(string text, string data) => new() { ["text"] = text, ["callback_data"] = data };

    private async Task PostAsync(string method, long? chat, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(new Uri(api + method), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        onCall(method, chat, DateTimeOffset.UtcNow);
    }

    public void Dispose() => http.Dispose();

    private sealed record Incoming(long UpdateId, long Chat, string? Data, string? CallbackId, int? MessageId)
    {
        public static Incoming Read(JsonElement update)
        {
            var id = update.GetProperty("update_id").GetInt64();
            if (update.TryGetProperty("callback_query", out var query))
            {
                var message = query.GetProperty("message");
                return new Incoming(
                    id,
                    message.GetProperty("chat").GetProperty("id").GetInt64(),
                    query.GetProperty("data").GetString(),
                    query.GetProperty("id").GetString(),
                    message.GetProperty("message_id").GetInt32());
            }

            return new Incoming(id, update.GetProperty("message").GetProperty("chat").GetProperty("id").GetInt64(), null, null, null);
        }
    }
}
