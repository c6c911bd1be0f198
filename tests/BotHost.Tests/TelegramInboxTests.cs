using System.Globalization;
using BotHost.Tests.Broadcasts;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;
using StackExchange.Redis;

namespace BotHost.Tests;

/// <summary>
/// Polling through the durable update inbox, end to end: the real host, the real Telegram.Bot client against the fake Bot
/// API. A chat whose reply Telegram is slow to take does not stop the bot for everyone else.
/// </summary>
[Collection(OnGarnet.Name)]
public sealed class TelegramInboxTests(GarnetFixture redis)
{
    [Fact]
    public async Task A_chat_whose_reply_is_held_does_not_hold_up_another_chat()
    {
        await using var host = await BotHostHarness.StartAsync(redis);
        const long Slow = 88_100_001, Other = 88_100_002;
        var hold = host.Telegram.HoldNext("sendMessage", Slow);

        var first = host.Telegram.EnqueueText(Slow, "/start");
        var held = await hold.Reached;
        var second = host.Telegram.EnqueueText(Other, "/start");

        // The other chat is answered, and both updates are confirmed to Telegram, while the first reply is still held.
        var answered = await host.Telegram.WaitForMessageAsync(Other);
        await host.Telegram.WaitForOffsetAsync(second + 1);
        Assert.True(second > first);
        Assert.Equal(0, held.StatusCode);
        Assert.Empty(host.Telegram.MessagesTo(Slow));

        hold.Release();
        var late = await host.Telegram.WaitForMessageAsync(Slow);
        await host.WaitForHandledAsync(second);
        Assert.Empty(await InboxProbe.PendingAsync(redis.Connection, host.KeyPrefix, host.Telegram.BotId));

        Assert.Equal(late.MessageId, Assert.Single(host.Telegram.MessagesTo(Slow)).MessageId);
        Assert.Equal(answered.MessageId, Assert.Single(host.Telegram.MessagesTo(Other)).MessageId);
        Assert.Equal(answered.VisibleText, late.VisibleText);
    }
}

/// <summary>BotHost as an OS process on redis-server, killed (SIGKILL) with updates in hand and started again.</summary>
[Collection(OnRedisServer.Name)]
public sealed class TelegramInboxProcessTests(RedisServerFixture redis)
{
    [SkippableFact]
    public async Task A_host_killed_with_an_update_in_hand_handles_it_after_a_restart_and_its_inbox_ends_empty()
    {
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        await using var telegram = await FakeTelegramServer.StartAsync();
        var prefix = RedisTestServer.NewKeyPrefix();
        var settings = new Dictionary<string, string?>(BotHostHarness.BaseSettings(telegram, redis, prefix))
        {
            ["Web:Enabled"] = "false",
            ["Broadcast:DailyPrompts"] = "false",
        };
        const long Chat = 88_200_001;

        long start, help;
        await using (var first = await BotHostProcess.StartAsync(settings))
        {
            // /start is handled up to its reply, which Telegram holds; /help waits behind it in the chat's queue. Both
            // are confirmed to Telegram (it will not send them again) and live only in the inbox when the host dies.
            var hold = telegram.HoldNext("sendMessage", Chat);
            start = telegram.EnqueueText(Chat, "/start");
            await hold.Reached;
            help = telegram.EnqueueText(Chat, "/help");
            await telegram.WaitForOffsetAsync(help + 1);
            Assert.Equal([start, help], await InboxProbe.PendingAsync(redis.Connection, prefix, telegram.BotId));
            first.Kill();
        }

        Assert.Empty(telegram.MessagesTo(Chat));
        await using var second = await BotHostProcess.StartAsync(settings);
        var reply = await telegram.WaitForMessageAsync(Chat, timeout: TimeSpan.FromSeconds(30));

        // Stopped gracefully, the host finishes what it has in hand and removes it from the inbox before it exits.
        await second.StopAsync();
        Assert.Empty(await InboxProbe.PendingAsync(redis.Connection, prefix, telegram.BotId));

        // /help gets its one answer. /start had been saved (with its update id) before its reply was sent, so the second
        // run recognises it and skips it: the conversation engine saves before it sends, and a reply cut off by a kill in
        // between is not sent again.
        Assert.Equal(reply.MessageId, Assert.Single(telegram.MessagesTo(Chat)).MessageId);
        Assert.DoesNotContain("l:en", reply.CallbackData);
        Assert.Equal(0, telegram.PendingUpdateCount);
        Assert.True(telegram.ConfirmedOffset >= help + 1);
    }
}

/// <summary>Reads the host's update inbox straight from Redis: <c>{prefix}{inbox:tg:&lt;bot id&gt;}:updates</c>.</summary>
internal static class InboxProbe
{
    public static RedisKey Key(string prefix, long botId) => $"{prefix}{{inbox:tg:{botId.ToString(CultureInfo.InvariantCulture)}}}:updates";

    public static async Task<long[]> PendingAsync(IConnectionMultiplexer redis, string prefix, long botId) =>
        [.. (await redis.GetDatabase().HashKeysAsync(Key(prefix, botId))).Select(f => long.Parse((string)f!, CultureInfo.InvariantCulture)).Order()];
}
