using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Submissions;

/// <summary>
/// The flood limit on every inbound message: Submissions:FloodPerMinute per chat in any minute, then one "please slow down"
/// and silence until the pace drops. Staff are exempt (a moderator taps fast through a queue). The message is counted
/// while the engine loads the session (<see cref="IInboundFloodLimit"/>, one round trip for both); the gate is asked only
/// when the session store could not count.
/// </summary>
internal sealed class FloodInterceptor(IFloodGate gate, IMessageSender sender, Localization.ILocalizer text, TodayClock clock, IOptions<SubmissionOptions> options) : IInboundInterceptor, IInboundFloodLimit
{
    public int Order => -1000;

    public FloodHit? HitFor(InboundEvent inbound, UserRoles roles)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(roles);
        return roles.IsStaff ? null : new FloodHit(inbound.DeliveryId, clock.UtcNow, options.Value.FloodPerMinute, Guid.NewGuid().ToString("N"));
    }

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Roles.IsStaff || context.Session?.HasSeen(context.Inbound.DeliveryId) == true)
        {
            return false;
        }

        var check = context.Flood ?? await gate.HitAsync(context.Inbound.Chat, clock.UtcNow, options.Value.FloodPerMinute, cancellationToken);
        if (check.Count <= options.Value.FloodPerMinute)
        {
            return false;
        }

        if (check.Notify)
        {
            var language = text.Supports(context.Language) ? context.Language : text.DefaultLanguage;
            await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Format(language, "flood.slow_down")), cancellationToken);
        }

        return true;
    }
}
