using Microsoft.Extensions.Options;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>One notice to every moderator and admin when the queue reaches Submissions:NotifyAt.</summary>
internal sealed class ModeratorNotifier(IMessageSender sender, Localization.ILocalizer text, IOptions<BotOptions> bot)
{
    public async Task NotifyQueueAsync(long queueLength, CancellationToken cancellationToken)
    {
        var language = text.Supports(bot.Value.DefaultLanguage) ? bot.Value.DefaultLanguage : text.DefaultLanguage;
        var message = text.Format(language, "review.queue_notice", ("count", queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var id in bot.Value.ModeratorIds.Concat(bot.Value.AdminIds).Distinct(StringComparer.Ordinal))
        {
            await sender.SendAsync(new OutboundMessage(new ChatKey("tg", id), message), cancellationToken);
        }
    }
}
