using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Conversations;

/// <summary>What an interceptor gets: the event, the sender's roles (looked up on the server) and their session as loaded.</summary>
public sealed record InboundContext(InboundEvent Inbound, UserRoles Roles, Session? Session, string Language);

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
