using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace SpeakUp.Core.Messaging;

/// <summary>Sends each message through the sender of its chat's channel.</summary>
public sealed partial class MessageRouter(IEnumerable<IChannelSender> senders, ILogger<MessageRouter> logger) : IMessageSender
{
    private readonly FrozenDictionary<string, IChannelSender> _senders = senders.ToFrozenDictionary(s => s.Channel, StringComparer.Ordinal);

    public Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_senders.TryGetValue(message.Chat.Channel, out var sender))
        {
            return sender.SendAsync(message, cancellationToken);
        }

        LogNoSender(logger, message.Chat.Channel);
        return Task.FromResult(new SendResult(SendOutcome.Failed, Error: $"channel '{message.Chat.Channel}' is not running"));
    }

    [LoggerMessage(EventId = 120, EventName = "NoChannelSender", Level = LogLevel.Warning, Message = "No sender for channel {Channel}: is the channel turned off?")]
    private static partial void LogNoSender(ILogger logger, string channel);
}
