using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Submissions;
using SpeakUp.Core.Tests.Support;

namespace SpeakUp.Core.Tests.Conversations;

/// <summary>
/// The flood limit is counted while the engine loads the session (one round trip for both); the flood gate is asked only
/// when the session store cannot count. The Redis side of the count is in SpeakUp.Redis.Tests (SessionLoadCountingTests).
/// </summary>
public sealed class FloodCountTests
{
    private const int Limit = 2;

    private readonly RecordingSender _sender = new();
    private readonly CountingGate _gate = new();

    private ConversationEngine Engine(ISessionStore sessions)
    {
        var h = new WorkflowHarness();
        var clock = new SpeakUp.Core.Campaigns.TodayClock(h.Time, TimeZoneInfo.Utc);
        var flood = new FloodInterceptor(_gate, _sender, WorkflowHarness.Localizer, clock, Options.Create(new SubmissionOptions { FloodPerMinute = Limit }));
        return new ConversationEngine(
            sessions,
            new NoDirectory(),
            h.Workflow,
            _sender,
            clock,
            Options.Create(new BotOptions()),
            new ConfiguredRoleDirectory(Options.Create(new BotOptions { AdminIds = ["1"] })),
            [flood],
            NullLogger<ConversationEngine>.Instance);
    }

    private static InboundEvent Help(string chat, int delivery) => new()
    {
        Chat = new ChatKey("tg", chat),
        Kind = InboundKind.Command,
        Command = "help",
        UserId = chat,
        DeliveryId = delivery.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string SlowDown => WorkflowHarness.Localizer.Format("hi", "flood.slow_down").ToPlainText();

    [Fact]
    public async Task The_count_comes_with_the_session_load_and_the_gate_is_not_asked()
    {
        var sessions = new CountingSessions();
        var engine = Engine(sessions);

        for (var i = 1; i <= 4; i++)
        {
            await engine.HandleAsync(Help("5", i), default);
        }

        Assert.Equal(4, sessions.CountingLoads);
        Assert.Equal(0, _gate.Calls);
        Assert.Equal(3, _sender.Sent.Count);
        Assert.Equal(SlowDown, _sender.Sent[2].Text.ToPlainText());
    }

    [Fact]
    public async Task Staff_are_neither_counted_nor_refused()
    {
        var sessions = new CountingSessions();
        var engine = Engine(sessions);

        for (var i = 1; i <= 4; i++)
        {
            await engine.HandleAsync(Help("1", i), default);
        }

        Assert.Equal(0, sessions.CountingLoads);
        Assert.Equal(0, _gate.Calls);
        Assert.Equal(4, _sender.Sent.Count);
        Assert.DoesNotContain(_sender.Sent, m => m.Text.ToPlainText() == SlowDown);
    }

    [Fact]
    public async Task A_store_that_cannot_count_leaves_the_count_to_the_gate()
    {
        var engine = Engine(new PlainSessions());

        for (var i = 1; i <= 4; i++)
        {
            await engine.HandleAsync(Help("5", i), default);
        }

        Assert.Equal(4, _gate.Calls);
        Assert.Equal(3, _sender.Sent.Count);
        Assert.Equal(SlowDown, _sender.Sent[2].Text.ToPlainText());
    }

    /// <summary>Sessions in memory; a store without the counting load (it keeps the interface's default).</summary>
    private class PlainSessions : ISessionStore
    {
        private readonly ConcurrentDictionary<ChatKey, (long Version, byte[] Json)> _data = new();

        public Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken)
        {
            if (!_data.TryGetValue(chat, out var stored))
            {
                return Task.FromResult<Session?>(null);
            }

            var session = SessionJson.Deserialize(stored.Json);
            session.Chat = chat;
            session.Version = stored.Version;
            return Task.FromResult<Session?>(session);
        }

        public Task<bool> TrySaveAsync(Session session, TimeSpan? timeToLive, CancellationToken cancellationToken)
        {
            var current = _data.TryGetValue(session.Chat, out var stored) ? stored.Version : 0;
            if (current != session.Version)
            {
                return Task.FromResult(false);
            }

            session.Version = current + 1;
            _data[session.Chat] = (session.Version, SessionJson.Serialize(session));
            return Task.FromResult(true);
        }

        public Task DeleteAsync(ChatKey chat, CancellationToken cancellationToken)
        {
            _data.TryRemove(chat, out _);
            return Task.CompletedTask;
        }
    }

    /// <summary>Sessions in memory that count with the load, as the Redis store's script does (one window, no expiry).</summary>
    private sealed class CountingSessions : PlainSessions, ISessionStore
    {
        private readonly ConcurrentDictionary<ChatKey, (int Count, bool Noticed)> _flood = new();

        public int CountingLoads { get; private set; }

        public async Task<SessionLoad> LoadCountingAsync(ChatKey chat, FloodHit hit, CancellationToken cancellationToken)
        {
            CountingLoads++;
            var session = await LoadAsync(chat, cancellationToken);
            if (session?.HasSeen(hit.DeliveryId) == true)
            {
                return new SessionLoad(session, null);
            }

            var (count, noticed) = _flood.GetValueOrDefault(chat);
            count++;
            var notify = count > hit.Limit && !noticed;
            _flood[chat] = (count, noticed || count > hit.Limit);
            return new SessionLoad(session, new FloodCheck(count, notify));
        }
    }

    private sealed class CountingGate : IFloodGate
    {
        private readonly ConcurrentDictionary<ChatKey, int> _counts = new();

        public int Calls { get; private set; }

        public Task<FloodCheck> HitAsync(ChatKey chat, DateTimeOffset now, int limit, CancellationToken cancellationToken)
        {
            Calls++;
            var count = _counts.AddOrUpdate(chat, 1, (_, c) => c + 1);
            return Task.FromResult(new FloodCheck(count, count == limit + 1));
        }
    }

    private sealed class NoDirectory : ISupporterDirectory
    {
        public Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<SupporterCounts> CountAsync(CancellationToken cancellationToken) => Task.FromResult(new SupporterCounts(0, 0, 0));
    }

    private sealed class RecordingSender : IMessageSender
    {
        public List<OutboundMessage> Sent { get; } = [];

        public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.FromResult(new SendResult(SendOutcome.Sent));
        }
    }
}
