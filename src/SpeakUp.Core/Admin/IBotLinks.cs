namespace SpeakUp.Core.Admin;

/// <summary>Builds a channel's "open the bot with this /start payload" link (Telegram: t.me/&lt;bot&gt;?start=…).</summary>
public interface IBotLinks
{
    string Channel { get; }

    /// <summary>The link, or null when the channel cannot make one right now.</summary>
    Task<Uri?> StartLinkAsync(string payload, CancellationToken cancellationToken);
}
