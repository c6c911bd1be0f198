using Microsoft.Extensions.Logging;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Web;

/// <summary>
/// Delivers bot messages to web chats: each becomes an entry in the chat's history (which an open page receives at once
/// over its event stream, and a closed one finds on its next visit). A message id is the entry's sequence number; a
/// message that replaces another keeps the id of the one it replaces. Throws only when cancelled.
/// </summary>
internal sealed class WebChatSender(WebChatHistory history, TimeProvider time, ILogger<WebChatSender> logger) : IChannelSender
{
    public string Channel => WebChatKeys.Channel;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Chat.Channel != WebChatKeys.Channel)
        {
            Log.NotWebChat(logger, message.Chat.ToString());
            return new SendResult(SendOutcome.Failed, Error: "not a web chat");
        }

        try
        {
            var entry = WebMessageRenderer.FromBot(message, time.GetUtcNow());
            var stored = await history.AppendAsync(message.Chat, entry, deliveryId: null, cancellationToken);
            var id = entry.Replaces ?? stored!.Value.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Log.Sent(logger, message.Chat.ChatId, id);
            return SendResult.Ok(id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException)
        {
            Log.SendFailed(logger, message.Chat.ChatId, ex);
            return new SendResult(SendOutcome.Failed, Error: ex.GetType().Name + ": " + ex.Message);
        }
    }
}
