using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;
using SpeakUp.Core.Submissions;

namespace SpeakUp.Core.Conversations;

/// <summary>What an interceptor gets: the event, the sender's roles (looked up on the server) and their session as loaded.</summary>
public sealed record InboundContext(InboundEvent Inbound, UserRoles Roles, Session? Session, string Language)
{
    /// <summary>The flood count taken with the session load (see <see cref="IInboundFloodLimit"/>); null when none was taken.</summary>
    public FloodCheck? Flood { get; init; }
}

/// <summary>
/// The interceptor that enforces the flood limit (every inbound message counts) implements this as well: the engine then
/// counts the message while it loads the session, in the same round trip, and hands the count over in
/// <see cref="InboundContext.Flood"/>.
/// </summary>
public interface IInboundFloodLimit
{
    /// <summary>What to count for this event, or null to count nothing (staff are exempt).</summary>
    FloodHit? HitFor(InboundEvent inbound, UserRoles roles);
}

/// <summary>
/// A feature that handles some events before the supporter workflow sees them: staff commands (/review, /broadcast…),
/// their buttons, and the messages of a staff flow in progress. Interceptors run in <see cref="Order"/>; the first that
/// returns true owns the event and sends its own replies. Everything else falls through to the supporter workflow.
/// An interceptor must authorize by <see cref="InboundContext.Roles"/>, never by button data, and must be idempotent for a
/// redelivered event (it is not protected by the session's delivery ids).
/// </summary>
public interface IInboundInterceptor
{
    int Order { get; }

    Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken);
}
