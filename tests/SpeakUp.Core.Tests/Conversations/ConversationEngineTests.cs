using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Conversations;

/// <summary>The engine with in-memory stand-ins for its storage and channel (a unit test of this one class).</summary>
public sealed class ConversationEngineTests
{
    private readonly MemorySessions _sessions = new();
    private readonly RecordingSender _sender = new();

    private ISupporterDirectory _directory = new NoDirectory();

    private ConversationEngine Engine(IRoleDirectory? roles = null, params IInboundInterceptor[] interceptors) => Engine(null, roles, interceptors);

    /// <param name="time">Real time where the engine's storage-retry backoff (100 ms) must actually pass.</param>
    private ConversationEngine Engine(TimeProvider? time, IRoleDirectory? roles = null, params IInboundInterceptor[] interceptors)
    {
        var h = new WorkflowHarness();
        return new ConversationEngine(
            _sessions,
            _directory,
            h.Workflow,
            _sender,
            new SpeakUp.Core.Campaigns.TodayClock(time ?? h.Time, TimeZoneInfo.Utc),
            Options.Create(new BotOptions()),
            roles ?? new ConfiguredRoleDirectory(Options.Create(new BotOptions { AdminIds = ["1"] })),
            interceptors,
            NullLogger<ConversationEngine>.Instance);
    }

    private static InboundEvent Command(string chat, string command, string? delivery = null) =>
        new() { Chat = new ChatKey("tg", chat), Kind = InboundKind.Command, Command = command, UserId = chat, DeliveryId = delivery };

    [Fact]
    public async Task A_redelivered_update_is_handled_once()
    {
        var engine = Engine();

        await engine.HandleAsync(Command("5", "start", "u1"), CancellationToken.None);
        await engine.HandleAsync(Command("5", "start", "u1"), CancellationToken.None);

        Assert.Single(_sender.Sent);
        Assert.Equal(1, _sessions.Saves);
    }

    [Fact]
    public async Task An_interceptor_sees_the_roles_from_the_server_and_owns_the_event()
    {
        var interceptor = new StaffOnly();
        var engine = Engine(interceptors: interceptor);

        await engine.HandleAsync(Command("1", "review"), CancellationToken.None);
        await engine.HandleAsync(Command("2", "review"), CancellationToken.None);

        Assert.Equal(["1"], interceptor.Handled);
        // The supporter's /review fell through to the workflow, which does not know it.
        Assert.All(_sender.Sent, r => Assert.Equal("tg:2", r.Chat.ToString()));
        Assert.StartsWith("/review", _sender.Sent[0].Text.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(1, _sessions.Saves);
    }

    [Fact]
    public async Task The_session_loaded_for_interceptors_is_reused_by_the_workflow()
    {
        var engine = Engine(interceptors: new StaffOnly());

        await engine.HandleAsync(Command("9", "start"), CancellationToken.None);
        await engine.HandleAsync(Command("9", "help"), CancellationToken.None);

        Assert.Equal(2, _sessions.Loads);
    }

    [Fact]
    public async Task A_conflicting_write_is_re_applied_to_the_fresh_session()
    {
        var engine = Engine();
        await engine.HandleAsync(Command("7", "start", "a"), CancellationToken.None);
        _sessions.ConflictOnce = true;

        await engine.HandleAsync(Command("7", "help", "b"), CancellationToken.None);

        var stored = await _sessions.LoadAsync(new ChatKey("tg", "7"), CancellationToken.None);
        Assert.Equal(["a", "b"], stored!.RecentDeliveries);
        Assert.Equal(2, _sender.Sent.Count);
    }

    [Fact]
    public async Task An_event_whose_save_met_an_outage_is_applied_again_once_storage_is_back()
    {
        // With an interceptor the engine preloads the session; the workflow then marks the delivery as seen on that object.
        var engine = Engine(TimeProvider.System, interceptors: new StaffOnly());
        await engine.HandleAsync(Command("6", "start", "a"), CancellationToken.None);
        _sessions.SaveOutagesLeft = 1;

        await engine.HandleAsync(Command("6", "help", "b"), CancellationToken.None);

        var stored = await _sessions.LoadAsync(new ChatKey("tg", "6"), CancellationToken.None);
        Assert.Equal(["a", "b"], stored!.RecentDeliveries);
        Assert.Equal(2, _sender.Sent.Count);
        Assert.Equal(0, _sessions.SaveOutagesLeft);
    }

    [Fact]
    public async Task A_reply_to_someone_who_blocked_us_marks_them_unreachable()
    {
        var engine = Engine();
        _sender.Outcome = SendOutcome.Unreachable;

        await engine.HandleAsync(Command("3", "start"), CancellationToken.None);

        Assert.True((await _sessions.LoadAsync(new ChatKey("tg", "3"), CancellationToken.None))!.Unreachable);
    }

    [Fact]
    public async Task An_index_move_is_recorded_before_the_session_save_and_completed_with_the_same_id_after_it()
    {
        var directory = new MoveRecorder(_sessions);
        _directory = directory;
        var engine = Engine();
        var chat = new ChatKey("tg", "8");
        var joined = Session.New(chat, DateTimeOffset.UnixEpoch);
        (joined.State, joined.OptedIn, joined.StateCode, joined.Language, joined.JoinedAt) = (SupporterState.Joined, true, "RJ", "hi", DateTimeOffset.UnixEpoch);
        Assert.True(await _sessions.TrySaveAsync(joined, null, CancellationToken.None));

        await engine.HandleAsync(Command("8", "help", "h1"), CancellationToken.None);
        await engine.HandleAsync(new InboundEvent { Chat = chat, Kind = InboundKind.Blocked, UserId = "8", DeliveryId = "b1" }, CancellationToken.None);

        // /help moves nothing; the block moves the supporter out of "receiving prompts" and into "unreachable".
        var begun = Assert.Single(directory.Begun);
        var applied = Assert.Single(directory.Applied);
        Assert.Equal(chat, begun.Chat);
        Assert.Equal(2, begun.StoredVersionThen);
        Assert.Equal(joined.Snapshot(), begun.Before);
        Assert.True(begun.Before!.ReceivesPrompts);
        Assert.Equal(begun.MoveId, applied.MoveId);
        Assert.Equal((false, true), (applied.After!.ReceivesPrompts, applied.After.Unreachable));
        Assert.Equal(3, (await _sessions.LoadAsync(chat, CancellationToken.None))!.Version);
    }

    /// <summary>Records the directory calls, with the stored session's version at the moment a move is begun.</summary>
    private sealed class MoveRecorder(MemorySessions sessions) : ISupporterDirectory
    {
        public List<(ChatKey Chat, SupporterSnapshot? Before, string MoveId, long StoredVersionThen)> Begun { get; } = [];

        public List<(SupporterSnapshot? Before, SupporterSnapshot? After, string? MoveId)> Applied { get; } = [];

        public async Task BeginMoveAsync(ChatKey chat, SupporterSnapshot? before, string moveId, DateTimeOffset at, CancellationToken cancellationToken) =>
            Begun.Add((chat, before, moveId, (await sessions.LoadAsync(chat, cancellationToken))?.Version ?? 0));

        public Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, string? moveId, CancellationToken cancellationToken)
        {
            Applied.Add((before, after, moveId));
            return Task.CompletedTask;
        }

        public Task<SupporterCounts> CountAsync(CancellationToken cancellationToken) => Task.FromResult(new SupporterCounts(0, 0, 0));
    }

    private sealed class StaffOnly : IInboundInterceptor
    {
        public ConcurrentQueue<string> HandledQueue { get; } = new();

        public IReadOnlyList<string> Handled => [.. HandledQueue];

        public int Order => 0;

        public Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
        {
            if (context.Roles.IsStaff && context.Inbound.Command == "review")
            {
                HandledQueue.Enqueue(context.Inbound.UserId!);
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    private sealed class RecordingSender : IMessageSender
    {
        public List<OutboundMessage> Sent { get; } = [];

        public SendOutcome Outcome { get; set; } = SendOutcome.Sent;

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult(new SendResult(Outcome));
        }
    }
}
