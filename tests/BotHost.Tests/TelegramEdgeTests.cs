using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace BotHost.Tests;

/// <summary>What Telegram and its users throw at the host: rate limits, blocks, webhooks, redeliveries, odd updates.</summary>
[Collection(OnGarnet.Name)]
public sealed class TelegramEdgeTests(GarnetFixture redis)
{
    private static long _nextChat = 8_000_000;

    private static long NewChat() => Interlocked.Increment(ref _nextChat);

    [Fact]
    public async Task A_429_is_waited_out_and_the_reply_still_arrives_once()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        host.Telegram.RateLimitNext("sendMessage", retryAfterSeconds: 1, chatId: chat);

        var reply = Assert.Single(await host.SayAsync(chat, "/start"));

        Assert.Contains("नमस्ते!", reply.VisibleText);
        var attempts = host.Telegram.CallsTo("sendMessage").Where(c => c.ChatId == chat).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(429, attempts[0].StatusCode);
        Assert.Single(host.Telegram.MessagesTo(chat));
    }

    [Fact]
    public async Task A_403_marks_the_supporter_unreachable_and_writing_again_clears_it()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        Assert.Single(await host.SayAsync(chat, "/start"));
        host.Telegram.BlockChat(chat);

        var id = host.Telegram.EnqueueText(chat, "/help");
        await host.WaitForHandledAsync(id);

        Assert.True((await host.LoadSessionAsync(chat))!.Unreachable);
        host.Telegram.UnblockChat(chat);
        Assert.Single(await host.SayAsync(chat, "/help"));
        Assert.False((await host.LoadSessionAsync(chat))!.Unreachable);
    }

    [Fact]
    public async Task Blocking_the_bot_is_recorded_from_my_chat_member()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        Assert.Single(await host.SayAsync(chat, "/start"));

        var id = host.Telegram.EnqueueUpdate(FakeUpdates.BlockedBot(chat));
        await host.WaitForHandledAsync(id);

        Assert.True((await host.LoadSessionAsync(chat))!.Unreachable);
        Assert.Single(host.Telegram.MessagesTo(chat));
    }

    [Fact]
    public async Task A_malformed_update_is_skipped_and_the_next_one_is_answered()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();

        host.Telegram.EnqueueUpdate(FakeUpdates.Malformed(chat));
        host.Telegram.EnqueueUpdate("{\"update_id\": 1, \"message\": \"not an object\"}");
        var reply = Assert.Single(await host.SayAsync(chat, "/start"));

        Assert.Contains("नमस्ते!", reply.VisibleText);
    }

    [Fact]
    public async Task Huge_and_odd_texts_get_a_reply()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var chat = NewChat();
        Assert.Single(await host.SayAsync(chat, "/start"));

        foreach (var text in new[] { new string('क', 4096), "<script>alert(1)</script>", "\u202E\u0000\u200D", "/start " + new string('x', 300), "/" })
        {
            var reply = Assert.Single(await host.SayAsync(chat, text));
            Assert.False(string.IsNullOrWhiteSpace(reply.VisibleText));
        }
    }

    [Fact]
    public async Task Every_shared_fixture_update_gets_a_sane_outcome()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        var folder = SpeakUp.Testing.RepoPaths.SharedFixtures("telegram");
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        long last = 0;
        foreach (var file in files)
        {
            last = host.Telegram.EnqueueUpdate(File.ReadAllText(file));
        }

        await host.WaitForHandledAsync(last);

        // Private messages get a reply; edits, group traffic, inline callbacks and a block get none. Nothing crashes.
        var replied = host.Telegram.CallsTo("sendMessage").Where(c => c.Succeeded).Select(c => c.ChatId).ToHashSet();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var update = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var message = update["message"];
            var chatId = message?["chat"]?["id"]?.GetValue<long>();
            var isPrivate = message?["chat"]?["type"]?.GetValue<string>() == "private";
            if (message is not null && isPrivate)
            {
                Assert.True(replied.Contains(chatId), $"{name}: no reply to chat {chatId}");
            }
        }

        Assert.True(await host.App.Services.GetRequiredService<SpeakUp.Redis.IRedisHealth>().PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_menu_commands_are_registered_in_both_languages()
    {
        await using var host = await BotHostHarness.StartAsync(redis);

        await host.Telegram.WaitForCallsAsync("setMyCommands", 2);

        Assert.Contains(host.Telegram.CommandsFor("hi")!, c => c.Command == "today" && c.Description == "आज का हैशटैग और संदेश");
        Assert.Contains(host.Telegram.CommandsFor("en")!, c => c.Command == "today" && c.Description == "Today's hashtag and message");
    }

    [Fact]
    public async Task Webhook_mode_accepts_only_the_right_secret_and_handles_a_redelivery_once()
    {
        var port = BotHostHarness.FreePort();
        const string secret = "s3cret_for-tests";
        await using var host = await BotHostHarness.StartAsync(redis, s =>
        {
            s["Telegram:Mode"] = "Webhook";
            s["Telegram:WebhookUrl"] = $"http://127.0.0.1:{port}/telegram/webhook";
            s["Telegram:WebhookSecret"] = secret;
            s["Http:Urls"] = $"http://127.0.0.1:{port}";
        });
        var chat = NewChat();
        var registered = await host.Telegram.WaitForCallAsync("setWebhook");
        Assert.Equal(secret, registered.GetString("secret_token"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var body = FakeUpdates.Text(chat, "/start", updateId: 990_001).ToJsonString();

        async Task<HttpStatusCode> PostAsync(string? header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (header is not null)
            {
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", header);
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("wrong"));
        Assert.Empty(host.Telegram.MessagesTo(chat));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(secret));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(secret));

        var sent = host.Telegram.MessagesTo(chat);
        Assert.Single(sent);
        Assert.Contains("नमस्ते!", sent[0].VisibleText);
    }
}
