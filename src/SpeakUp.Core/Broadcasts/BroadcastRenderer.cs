using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// Turns a job's definition into the message one recipient gets. Admin messages are the same for everyone; the daily
/// prompt is exactly what /today shows that supporter (their language, their ready-to-post variant), produced by the
/// supporter workflow itself on a throwaway session, so the two can never drift apart.
/// </summary>
public sealed class BroadcastRenderer(SupporterWorkflow workflow, ILocalizer text, ICampaignCalendar calendar, TodayClock clock)
{
    public BroadcastMessage? Render(BroadcastDefinition definition, ChatKey chat)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Kind switch
        {
            BroadcastKind.DailyPrompt => DailyPrompt(definition, chat),
            BroadcastKind.PostNow => PostNow(definition),
            _ => Message(definition.Content),
        };
    }

    /// <summary>An admin's content as supporters see it (also the composer's preview).</summary>
    public static BroadcastMessage Message(BroadcastContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        IReadOnlyList<IReadOnlyList<Button>> buttons = [.. content.Buttons.Select(b => (IReadOnlyList<Button>)[Button.Link(b.Label, new Uri(b.Url))])];
        return new BroadcastMessage(MessageText.Plain(content.Text), content.Media, content.MediaFile) { Buttons = buttons };
    }

    private BroadcastMessage? DailyPrompt(BroadcastDefinition definition, ChatKey chat)
    {
        var session = Session.New(chat, clock.UtcNow);
        session.State = SupporterState.Joined;
        session.JoinedAt = clock.UtcNow;
        session.OptedIn = true;
        session.Language = definition.Language ?? text.DefaultLanguage;
        var result = workflow.Handle(session, new InboundEvent { Chat = chat, Kind = InboundKind.Command, Command = BotCommands.Today });
        var first = result.Replies.Count > 0 ? result.Replies[0] : null;
        return first is null ? null : new BroadcastMessage(first.Text) { Buttons = first.Buttons };
    }

    private BroadcastMessage? PostNow(BroadcastDefinition definition)
    {
        var language = definition.Language ?? text.DefaultLanguage;
        var campaign = calendar.On(clock.Today);
        if (campaign is null)
        {
            return null;
        }

        return new BroadcastMessage(text.Format(language, "broadcast.post_now", ("hashtag", campaign.Hashtag)));
    }
}
