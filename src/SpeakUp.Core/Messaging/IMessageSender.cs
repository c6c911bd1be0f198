namespace SpeakUp.Core.Messaging;

public enum SendOutcome
{
    /// <summary>Delivered to the channel.</summary>
    Sent,

    /// <summary>The person blocked the bot, deleted their account, or the chat does not exist: stop writing to them.</summary>
    Unreachable,

    /// <summary>Gave up after retries (network, server errors); the message was not delivered.</summary>
    Failed,
}

/// <summary>The outcome of one send. <see cref="MessageId"/> is the channel's id of the message sent, if known.</summary>
public readonly record struct SendResult(SendOutcome Outcome, string? MessageId = null, string? Error = null)
{
    public static SendResult Ok(string? messageId = null) => new(SendOutcome.Sent, messageId);
}

/// <summary>One channel's way of delivering messages. Implemented by each channel adapter.</summary>
public interface IChannelSender
{
    /// <summary>The channel name this sender serves, as in <see cref="ChatKey.Channel"/>.</summary>
    string Channel { get; }

    /// <summary>Sends one message. Never throws for delivery problems: they are reported in the result. Throws only when cancelled.</summary>
    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>Routes a message to the sender of its chat's channel.</summary>
public interface IMessageSender
{
    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
