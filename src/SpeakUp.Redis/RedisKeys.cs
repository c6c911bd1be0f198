using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// Every Redis key, built in one place. Per-chat keys carry the chat as hash tag (<c>speakup:{tg:123}:session</c>) and the
/// supporter indexes share <c>{supporters}</c>, so each multi-key script or transaction stays in one cluster slot.
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>The per-chat key suffixes; <see cref="ChatKeys"/> (and so forgetting a chat) covers each of them.</summary>
    // Every per-chat key any channel writes: /forgetme deletes them all (web history, its sequence, delivery ids, rate counter).
    private static readonly string[] ChatSuffixes = ["session", "history", "seq", "deliveries", "rate", "flood", "flood:notice"];

    private readonly string prefix;

    public RedisKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("A key prefix cannot contain '{' or '}': it would change the hash tags.", nameof(prefix));
        }

        this.prefix = prefix;
        SupportersJoined = Supporters("joined");
        SupportersReceivingPrompts = Supporters("prompts");
        SupportersUnreachable = Supporters("unreachable");
    }

    public string Prefix => prefix;

    /// <summary>Hash with fields <c>v</c> (version) and <c>d</c> (session JSON).</summary>
    public RedisKey Session(ChatKey chat) => ForChat(chat, "session");

    /// <summary>Sorted set of the chat's inbound message times in the flood window, and the flag set with its notice.</summary>
    public (RedisKey Times, RedisKey Notice) Flood(ChatKey chat) => (ForChat(chat, "flood"), ForChat(chat, "flood:notice"));

    /// <summary>List of audit entries (JSON), newest first.</summary>
    public RedisKey Audit => $"{prefix}{{audit}}:log";

    /// <summary>Every key stored for one chat; all share the chat's hash tag.</summary>
    public RedisKey[] ChatKeys(ChatKey chat) => Array.ConvertAll(ChatSuffixes, suffix => ForChat(chat, suffix));

    /// <summary>Sorted set: chat → joined time (unix ms).</summary>
    public RedisKey SupportersJoined { get; }

    /// <summary>Set of chats that receive the daily prompts.</summary>
    public RedisKey SupportersReceivingPrompts { get; }

    /// <summary>Set of chats that blocked the bot.</summary>
    public RedisKey SupportersUnreachable { get; }

    /// <summary>Set of joined chats in one state (RJ, UP…).</summary>
    public RedisKey SupportersInState(string stateCode) => Supporters("state:" + stateCode);

    /// <summary>Set of joined chats using one language (hi, en…).</summary>
    public RedisKey SupportersWithLanguage(string language) => Supporters("lang:" + language);

    /// <summary>Set of joined chats that joined one campaign (its id, as in c_&lt;id&gt; links).</summary>
    public RedisKey SupportersInCampaign(string campaignId) => Supporters("campaign:" + campaignId);

    /// <summary>
    /// Index moves begun and not yet completed: hash <c>&lt;chat&gt;|&lt;move id&gt;</c> → the index keys the chat was in
    /// (one a line), and a sorted set of the same fields by when each began (unix ms).
    /// </summary>
    public (RedisKey Records, RedisKey ByTime) SupporterMoves => (Supporters("moves"), Supporters("moves:at"));

    /// <summary>How a chat appears as a member of the index sets.</summary>
    public static RedisValue Member(ChatKey chat) => chat.ToString();

    private RedisKey ForChat(ChatKey chat, string suffix)
    {
        if (chat.Channel is null)
        {
            throw new ArgumentException("The chat key is empty (default).", nameof(chat));
        }

        return $"{prefix}{{{chat}}}:{suffix}";
    }

    private RedisKey Supporters(string suffix) => $"{prefix}{{supporters}}:{suffix}";
}
