using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Broadcasts;

/// <summary>The outcome of a request to broadcast: the job, or why not.</summary>
public sealed record BroadcastRequestResult(BroadcastJobInfo? Job, string? Error, bool Forbidden = false);

/// <summary>
/// What staff can do with broadcasts, for every front end (the admin API, the Telegram composer): create (after the
/// roles allow the audience), read, list, cancel. Every change is audited.
/// </summary>
public sealed partial class BroadcastService(IBroadcastStore store, IAuditLog audit, InteractiveRateShare rate, TimeProvider time, ILogger<BroadcastService> logger)
{
    public static string NewId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"b{now:yyMMddHHmmss}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    public async Task<BroadcastRequestResult> CreateAsync(BroadcastDefinition definition, DateTimeOffset? at, UserRoles? roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (roles is not null && !roles.CanBroadcastTo(definition.Audience.States))
        {
            return new BroadcastRequestResult(null, "not allowed to broadcast to this audience", Forbidden: true);
        }

        if (definition.Content.Validate() is { } error)
        {
            return new BroadcastRequestResult(null, error);
        }

        var now = time.GetUtcNow();
        var id = NewId(now);
        var due = at is { } when && when > now ? when : now;
        await store.CreateAsync(id, definition, due, cancellationToken);
        if (due <= now)
        {
            await store.StartAsync(id, cancellationToken);
        }

        await AuditAsync(definition.CreatedBy, "broadcast.create", id, due > now ? "scheduled " + due.ToString("O", CultureInfo.InvariantCulture) : null, cancellationToken);
        return new BroadcastRequestResult(await store.GetAsync(id, cancellationToken), null);
    }

    public Task<BroadcastJobInfo?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<BroadcastJobInfo>> ListAsync(int count, CancellationToken cancellationToken) => store.ListAsync(count, cancellationToken);

    public Task<long> CountAsync(BroadcastAudience audience, CancellationToken cancellationToken) => store.CountAudienceAsync(audience, cancellationToken);

    /// <summary>Cancels when the roles allow it (central staff, or the coordinator who could have sent it).</summary>
    public async Task<bool?> CancelAsync(string id, string actor, UserRoles? roles, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return null;
        }

        if (roles is not null && !roles.CanBroadcastTo(job.Definition?.Audience.States))
        {
            return false;
        }

        var cancelled = await store.CancelAsync(id, cancellationToken);
        if (cancelled)
        {
            await AuditAsync(actor, "broadcast.cancel", id, null, cancellationToken);
        }

        return cancelled;
    }

    /// <summary>Records a refused attempt (an audience outside a coordinator's states, a forged button).</summary>
    public Task AuditRefusalAsync(string actor, string detail, CancellationToken cancellationToken) =>
        AuditAsync(actor, "broadcast.refused", null, detail, cancellationToken);

    /// <summary>
    /// Sends a preview or a test to a staff member's own chat through the broadcast path, so it looks exactly as supporters
    /// will see it. It is a reply in all but its path, so each attempt takes its share of the rate through the same
    /// <see cref="InteractiveRateShare"/> as replies. A 429 is waited out once instead of dropping the preview.
    /// </summary>
    public async Task<BroadcastDelivery> SendToStaffAsync(IBroadcastChannel channel, ChatKey chat, BroadcastMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        for (var attempt = 1; ; attempt++)
        {
            var delivery = await rate.SendAsync(chat, (channel, chat, message), static (s, ct) => s.channel.SendAsync(s.chat, s.message, ct), cancellationToken);
            if (delivery.Outcome == DeliveryOutcome.RateLimited && attempt == 1)
            {
                await Task.Delay(delivery.RetryAfter, time, cancellationToken);
                continue;
            }

            if (delivery.Outcome != DeliveryOutcome.Sent)
            {
                LogPreviewNotSent(logger, chat, delivery.Outcome, delivery.Error);
            }

            return delivery;
        }
    }

    private Task AuditAsync(string actor, string action, string? id, string? detail, CancellationToken cancellationToken)
    {
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        var (channel, who) = colon > 0 ? (actor[..colon], actor[(colon + 1)..]) : (actor, actor);
        return audit.RecordAsync(new AuditEntry(time.GetUtcNow(), channel, who, action, id, detail), cancellationToken);
    }

    [LoggerMessage(EventId = 521, EventName = "BroadcastPreviewNotSent", Level = LogLevel.Warning, Message = "A broadcast preview or test to {Chat} was not delivered: {Outcome} {Error}")]
    private static partial void LogPreviewNotSent(ILogger logger, ChatKey chat, DeliveryOutcome outcome, string? error);
}
