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
        var engine = Engine(new MemorySessions());

        for (var i = 1; i <= 4; i++)
        {
            await engine.HandleAsync(Help("5", i), default);
        }

        Assert.Equal(4, _gate.Calls);
        Assert.Equal(3, _sender.Sent.Count);
        Assert.Equal(SlowDown, _sender.Sent[2].Text.ToPlainText());
    }

    /// <summary>Sessions in memory that count with the load, as the Redis store's script does (one window, no expiry).</summary>
    private sealed class CountingSessions : MemorySessions, ISessionStore
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
