using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Web;

/// <summary>
/// The web channel's Redis keys, built in one place. Per-chat keys carry the chat as hash tag
/// (<c>speakup:{web:Ab3…}:history</c>), so the append script touches one cluster slot, next to the chat's session.
/// </summary>
internal sealed class WebChatKeys
{
    /// <summary>The channel name in <see cref="ChatKey.Channel"/>.</summary>
    public const string Channel = "web";

    /// <summary>The per-chat key suffixes, for whoever deletes everything of a chat (/forgetme).</summary>
    public static readonly IReadOnlyList<string> ChatSuffixes = ["history", "seq", "deliveries", "rate"];

    private readonly string prefix;

    public WebChatKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("A key prefix cannot contain '{' or '}': it would change the hash tags.", nameof(prefix));
        }

        this.prefix = prefix;
        Events = RedisChannel.Literal(prefix + "web:events");
        Secret = prefix + "web:secret";
    }

    /// <summary>List of history entries (JSON), oldest first, trimmed to Web:HistoryLimit.</summary>
    public RedisKey History(ChatKey chat) => ForChat(chat, "history");

    /// <summary>Counter giving each history entry its sequence number (the SSE event id).</summary>
    public RedisKey Sequence(ChatKey chat) => ForChat(chat, "seq");

    /// <summary>Sorted set of the supporter's recent delivery ids (score: sequence), so a retried post is recorded once.</summary>
    public RedisKey Deliveries(ChatKey chat) => ForChat(chat, "deliveries");

    /// <summary>Posts in the current rate-limit window.</summary>
    public RedisKey Rate(ChatKey chat) => ForChat(chat, "rate");

    /// <summary>Pub/sub channel every instance listens on: "chatId\nentry" for each new history entry.</summary>
    public RedisChannel Events { get; }

    /// <summary>The random key CSRF tokens are derived from, shared by every instance and kept across restarts.</summary>
    public RedisKey Secret { get; }

    private RedisKey ForChat(ChatKey chat, string suffix) => $"{prefix}{{{chat}}}:{suffix}";
}
