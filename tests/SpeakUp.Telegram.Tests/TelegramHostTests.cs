using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Redis;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

/// <summary>The channel as a host wires it: AddTelegramChannel, polling against the fake, replies through IChannelSender.</summary>
public class TelegramHostTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task Echo_bot_in_a_host_receives_by_polling_and_replies_through_the_sender()
    {
        await using var server = await FakeTelegramServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = server.Token,
            ["Telegram:ApiBaseUrl"] = server.BaseUrl.ToString(),
            ["Telegram:PollingTimeoutSeconds"] = "1",
            ["Redis:ConnectionString"] = garnet.ConnectionString,
            ["Redis:KeyPrefix"] = RedisTestServer.NewKeyPrefix(),
        });
        builder.Services.AddRedisStorage(builder.Configuration);
        builder.AddTelegramChannel();
        builder.Services.AddSingleton<ILocalizer, FakeLocalizer>();
        builder.Services.AddSingleton<IInboundDispatcher, EchoDispatcher>();
        using var host = builder.Build();
        await host.StartAsync();

        server.EnqueueText(301, "<b>hi</b> & bye");
        var reply = await server.WaitForMessageAsync(301);

        Assert.Equal("echo: <b>hi</b> & bye", reply.VisibleText);
        Assert.Equal(["again"], reply.CallbackData);

        server.Press(reply, "again");
        var edited = await server.WaitForCallAsync("editMessageText", c => c.Succeeded);
        Assert.Equal("pressed again", server.GetMessage(301, reply.MessageId)!.VisibleText);
        Assert.Equal(reply.MessageId, (int)edited.GetLong("message_id")!);

        await host.StopAsync();
    }

    private sealed class EchoDispatcher(IEnumerable<IChannelSender> senders) : IInboundDispatcher
    {
        public async Task DispatchAsync(InboundEvent inbound, CancellationToken cancellationToken)
        {
            var sender = senders.Single(s => s.Channel == inbound.Chat.Channel);
            var message = inbound.Kind == InboundKind.Button
                ? new OutboundMessage(inbound.Chat, MessageText.Plain("pressed " + inbound.ButtonData)) { ReplacesMessageId = inbound.SourceMessageId }
                : new OutboundMessage(inbound.Chat, new MessageText([new TextSpan("echo: "), new TextSpan(inbound.Text ?? "", SpanStyle.Bold)]))
                {
                    Buttons = [[Button.Callback("Again", "again")]],
                };
            var result = await sender.SendAsync(message, cancellationToken);
            Assert.Equal(SendOutcome.Sent, result.Outcome);
        }
    }
}
