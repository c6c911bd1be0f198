using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Tests.Support;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core.Tests.Conversations;

/// <summary>/forgetme reaches the other stores through <see cref="ISupporterDataEraser"/>: before the session goes, before the answer, and again after an outage.</summary>
public sealed class ForgetErasersTests
{
    private static readonly ChatKey Chat = new("tg", "8");

    private readonly MemorySessions _sessions = new();
    private readonly List<OutboundMessage> _sent = [];

    /// <summary>The engine on real time (its storage-retry backoff is 100 ms), with an interceptor so it preloads sessions as the host does.</summary>
    private ConversationEngine Engine(ISupporterDataEraser eraser) => new(
        _sessions,
        new NoDirectory(),
        new WorkflowHarness().Workflow,
        new RecordingSender(_sent),
        new SpeakUp.Core.Campaigns.TodayClock(TimeProvider.System, TimeZoneInfo.Utc),
        Options.Create(new BotOptions()),
        new ConfiguredRoleDirectory(Options.Create(new BotOptions())),
        [new NeverIntercepts()],
        NullLogger<ConversationEngine>.Instance,
        [eraser]);

    private static InboundEvent Command(string command) => new() { Chat = Chat, Kind = InboundKind.Command, Command = command, UserId = Chat.ChatId };

    private static InboundEvent Press(string data) => new() { Chat = Chat, Kind = InboundKind.Button, ButtonData = data, UserId = Chat.ChatId, SourceMessageId = "1" };

    [Fact]
    public async Task Confirmed_forget_erases_the_other_stores_first_and_only_then_deletes_the_session_and_answers()
    {
        var eraser = new WatchingEraser(_sessions, _sent);
        var engine = Engine(eraser);
        await engine.HandleAsync(Command("start"), CancellationToken.None);
        await engine.HandleAsync(Command(BotCommands.ForgetMe), CancellationToken.None);
        var before = _sent.Count;

        await engine.HandleAsync(Press(ButtonData.Confirm), CancellationToken.None);

        var erased = Assert.Single(eraser.Erased);
        Assert.Equal(Chat, erased.Chat);
        Assert.True(erased.SessionStillStored);
        Assert.Equal(before, erased.RepliesSoFar);
        Assert.Null(await _sessions.LoadAsync(Chat, CancellationToken.None));
        Assert.Equal(before + 1, _sent.Count);
    }

    [Fact]
    public async Task An_eraser_whose_store_is_down_is_retried_and_the_answer_waits_for_it()
    {
        var eraser = new WatchingEraser(_sessions, _sent) { OutagesLeft = 2 };
        var engine = Engine(eraser);
        await engine.HandleAsync(Command("start"), CancellationToken.None);
        await engine.HandleAsync(Command(BotCommands.ForgetMe), CancellationToken.None);
        var before = _sent.Count;

        await engine.HandleAsync(Press(ButtonData.Confirm), CancellationToken.None);

        Assert.Equal(3, eraser.Calls);
        var erased = Assert.Single(eraser.Erased);
        Assert.True(erased.SessionStillStored);
        Assert.Equal(before, erased.RepliesSoFar);
        Assert.Null(await _sessions.LoadAsync(Chat, CancellationToken.None));
        Assert.Equal(before + 1, _sent.Count);
    }

    [Fact]
    public async Task Cancelling_the_forget_erases_nothing()
    {
        var eraser = new WatchingEraser(_sessions, _sent);
        var engine = Engine(eraser);
        await engine.HandleAsync(Command("start"), CancellationToken.None);
        await engine.HandleAsync(Command(BotCommands.ForgetMe), CancellationToken.None);

        await engine.HandleAsync(Press(ButtonData.Cancel), CancellationToken.None);

        Assert.Equal(0, eraser.Calls);
        Assert.NotNull(await _sessions.LoadAsync(Chat, CancellationToken.None));
    }

    private sealed record Erasure(ChatKey Chat, bool SessionStillStored, int RepliesSoFar);

    /// <summary>Records what was true when it ran; throws <see cref="StorageUnavailableException"/> for its first <see cref="OutagesLeft"/> calls.</summary>
    private sealed class WatchingEraser(MemorySessions sessions, List<OutboundMessage> sent) : ISupporterDataEraser
    {
        public int OutagesLeft { get; set; }

        public int Calls { get; private set; }

        public List<Erasure> Erased { get; } = [];

        public async Task EraseAsync(ChatKey chat, CancellationToken cancellationToken)
        {
            Calls++;
            if (OutagesLeft > 0)
            {
                OutagesLeft--;
                throw new StorageUnavailableException("down for the test");
            }

            Erased.Add(new Erasure(chat, await sessions.LoadAsync(chat, cancellationToken) is not null, sent.Count));
        }
    }

    private sealed class NeverIntercepts : IInboundInterceptor
    {
        public int Order => 0;

        public Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    private sealed class RecordingSender(List<OutboundMessage> sent) : IMessageSender
    {
        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            sent.Add(message);
            return Task.FromResult(new SendResult(SendOutcome.Sent));
        }
    }
}
