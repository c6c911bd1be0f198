using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Admin;

/// <summary>
/// /invite (a personal <c>/start r_&lt;code&gt;</c> link) and /leaderboard (top recruiters this week and overall) for joined
/// supporters, and the buttons that show or hide one's first name on the leaderboard (hidden unless they agree).
/// </summary>
public sealed class ReferralCommands(
    IReferralStore referrals,
    IEnumerable<IBotLinks> links,
    IMessageSender sender,
    ILocalizer localizer) : IInboundInterceptor
{
    public const string Invite = "invite";
    public const string Leaderboard = "leaderboard";
    public const string ShowNameButton = "rf:show";
    public const string HideNameButton = "rf:hide";
    private const int Top = 10;

    public int Order => 200;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbound = context.Inbound;
        var isOurs = inbound.Kind switch
        {
            InboundKind.Command => inbound.Command is Invite or Leaderboard,
            InboundKind.Button => inbound.ButtonData is ShowNameButton or HideNameButton,
            _ => false,
        };
        if (!isOurs)
        {
            return false;
        }

        if (context.Session is not { IsJoined: true })
        {
            await SendAsync(context, localizer.Format(context.Language, "referral.join_first"), cancellationToken);
            return true;
        }

        if (inbound.Kind == InboundKind.Button)
        {
            var show = inbound.ButtonData == ShowNameButton;
            var name = inbound.FirstName ?? context.Session.FirstName;
            await referrals.SetShownNameAsync(inbound.Chat, show ? name : null, cancellationToken);
            await SendAsync(context, localizer.Format(context.Language, show ? "referral.name_shown" : "referral.name_hidden"), cancellationToken);
            return true;
        }

        if (inbound.Command == Invite)
        {
            await InviteAsync(context, cancellationToken);
        }
        else
        {
            await LeaderboardAsync(context, cancellationToken);
        }

        return true;
    }

    private async Task InviteAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var code = await referrals.GetOrCreateCodeAsync(context.Inbound.Chat, cancellationToken);
        var payload = "r_" + code;
        var link = links.FirstOrDefault(l => l.Channel == context.Inbound.Chat.Channel) is { } maker
            ? await maker.StartLinkAsync(payload, cancellationToken)
            : null;
        var text = new MessageText.Builder().Append(localizer.Format(lang, "referral.invite")).Paragraph();
        if (link is not null)
        {
            text.Link(link.AbsoluteUri, link);
        }
        else
        {
            text.Append(localizer.Format(lang, "referral.invite_command", ("payload", payload)));
        }

        text.Paragraph().Append(localizer.Format(lang, "referral.invite_name"));
        var buttons = new List<IReadOnlyList<Button>>();
        if (link is not null)
        {
            var share = new Uri("https://wa.me/?text=" + Uri.EscapeDataString(localizer.Plain(lang, "referral.share_text") + " " + link.AbsoluteUri));
            buttons.Add([Button.Link(localizer.Plain(lang, "referral.share_whatsapp"), share)]);
        }

        buttons.Add([
            Button.Callback(localizer.Plain(lang, "referral.show_name"), ShowNameButton),
            Button.Callback(localizer.Plain(lang, "referral.hide_name"), HideNameButton),
        ]);
        await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Build()) { Buttons = buttons }, cancellationToken);
    }

    private async Task LeaderboardAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var text = new MessageText.Builder();
        foreach (var (week, title) in new[] { (true, "referral.top_week"), (false, "referral.top_all") })
        {
            var top = await referrals.TopAsync(week, Top, cancellationToken);
            text.Paragraph().Append(localizer.Format(lang, title));
            if (top.Count == 0)
            {
                text.Line().Append(localizer.Format(lang, "referral.top_empty"));
            }

            for (var i = 0; i < top.Count; i++)
            {
                var name = top[i].FirstName ?? localizer.Plain(lang, "referral.anonymous");
                var you = top[i].Member == context.Inbound.Chat.ToString() ? localizer.Plain(lang, "referral.you") : string.Empty;
                text.Line().Append(localizer.Format(
                    lang,
                    "referral.top_line",
                    ("rank", (i + 1).ToString(localizer.Culture(lang))),
                    ("name", name + you),
                    ("count", top[i].Count.ToString("N0", localizer.Culture(lang)))));
            }
        }

        await SendAsync(context, text.Build(), cancellationToken);
    }

    private Task<SendResult> SendAsync(InboundContext context, MessageText text, CancellationToken cancellationToken) =>
        sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text), cancellationToken);
}
