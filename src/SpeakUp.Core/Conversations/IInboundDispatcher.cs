using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Conversations;

/// <summary>
/// Where channel adapters hand inbound events. Events of one chat are handled one at a time in arrival order;
/// different chats run in parallel (bounded). The returned task completes when the event is handled (state saved,
/// replies sent), so an adapter acknowledges an update to its channel only then.
/// </summary>
public interface IInboundDispatcher
{
    Task DispatchAsync(InboundEvent inbound, CancellationToken cancellationToken);
}
