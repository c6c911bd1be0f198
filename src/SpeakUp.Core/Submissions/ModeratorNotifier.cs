using Microsoft.Extensions.Options;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>
/// One notice to every moderator, admin and owner when the queue reaches Submissions:NotifyAt. With a staff roster (roles
/// managed from chat) it is the roster's moderators and admins plus the owners; without one, the configured ids.
/// </summary>
internal sealed class ModeratorNotifier(IMessageSender sender, Localization.ILocalizer text, IOptions<BotOptions> bot, IRoleStore? roster = null)
{
    public async Task NotifyQueueAsync(long queueLength, CancellationToken cancellationToken)
    {
        var language = text.Supports(bot.Value.DefaultLanguage) ? bot.Value.DefaultLanguage : text.DefaultLanguage;
        var message = text.Format(language, "review.queue_notice", ("count", queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var id in await RecipientsAsync(cancellationToken))
        {
            await sender.SendAsync(new OutboundMessage(new ChatKey("tg", id), message), cancellationToken);
        }
    }

    private async Task<IEnumerable<string>> RecipientsAsync(CancellationToken cancellationToken)
    {
        if (roster is null)
        {
            return bot.Value.ModeratorIds.Concat(bot.Value.AdminIds).Distinct(StringComparer.Ordinal);
        }

        // The roster was seeded from Bot:ModeratorIds once; a moderator removed in chat since then is not written to.
        var staff = await roster.ListAsync(cancellationToken);
        return staff.Where(m => m.Role is StaffRole.Owner or StaffRole.Admin or StaffRole.Moderator)
            .Select(m => m.UserId)
            .Concat(bot.Value.AdminIds)
            .Distinct(StringComparer.Ordinal);
    }
}
