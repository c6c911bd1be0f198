using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>
/// The flood limit on every inbound message: Submissions:FloodPerMinute per chat in any minute, then one "please slow down"
/// and silence until the pace drops. Staff are exempt (a moderator taps fast through a queue).
/// </summary>
internal sealed class FloodInterceptor(IFloodGate gate, IMessageSender sender, Localization.ILocalizer text, TodayClock clock, IOptions<SubmissionOptions> options) : IInboundInterceptor
{
    public int Order => -1000;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Roles.IsStaff || context.Session?.HasSeen(context.Inbound.DeliveryId) == true)
        {
            return false;
        }

        var check = await gate.HitAsync(context.Inbound.Chat, clock.UtcNow, options.Value.FloodPerMinute, cancellationToken);
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
