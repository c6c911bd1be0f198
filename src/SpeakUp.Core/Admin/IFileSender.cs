using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Admin;

/// <summary>Sends a photo or a file to a chat. Implemented by channels that can (Telegram); the rest get text only.</summary>
public interface IFileSender
{
    /// <summary>The channel name this sender serves, as in <see cref="ChatKey.Channel"/>.</summary>
    string Channel { get; }

    /// <summary>Sends a PNG or JPEG as a photo. Never throws for delivery problems; throws only when cancelled.</summary>
    Task<SendResult> SendPhotoAsync(ChatKey chat, Stream image, string fileName, string? caption, CancellationToken cancellationToken);

    /// <summary>Sends any file as a document.</summary>
    Task<SendResult> SendDocumentAsync(ChatKey chat, Stream content, string fileName, string? caption, CancellationToken cancellationToken);
}
