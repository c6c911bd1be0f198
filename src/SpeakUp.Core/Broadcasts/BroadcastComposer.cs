using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Broadcasts;

public enum DraftStep
{
    Content,
    Audience,
    States,
    Confirm,
    Time,

    /// <summary>Choosing the campaign whose supporters get it.</summary>
    Campaign,

    /// <summary>Choosing the day from which joiners get it (a button, or a typed date).</summary>
    JoinedSince,
}

/// <summary>A broadcast being composed in a chat. Lives in Redis for an hour.</summary>
public sealed record BroadcastDraft
{
    [JsonConverter(typeof(JsonStringEnumConverter<DraftStep>))]
    public DraftStep Step { get; init; }

    public BroadcastContent Content { get; init; } = new();

    public BroadcastAudience Audience { get; init; } = new();

    public long Count { get; init; }

    public bool BigConfirmed { get; init; }

    /// <summary>The preview's control message (Send now / Schedule…): a scheduled job's progress is edited into it.</summary>
    public string? ControlsMessageId { get; init; }
}

/// <summary>Drafts per chat.</summary>
public interface IBroadcastDraftStore
{
    Task<BroadcastDraft?> GetAsync(ChatKey chat, CancellationToken cancellationToken);

    Task SaveAsync(ChatKey chat, BroadcastDraft draft, CancellationToken cancellationToken);

    /// <summary>True when there was a draft: a redelivered "send" finds none and does nothing.</summary>
    Task<bool> DeleteAsync(ChatKey chat, CancellationToken cancellationToken);
}

/// <summary>
/// Composing in the chat: <c>/broadcast</c> → content (text, or a photo or video with caption; "Button: label | url"
/// lines become URL buttons) → audience (everyone, states, a language, a campaign joined, or joined since a day; "add a
/// filter" under the preview narrows it further, so filters combine) → a preview exactly as supporters see it, with the
/// count and the filters → send now, schedule, test to me, or cancel; a second confirmation above
/// Broadcast:ConfirmAbove. <c>/broadcasts</c> lists recent jobs and <c>/cancel_broadcast &lt;id&gt;</c> stops one. Every step
/// is authorized by the roles looked up on the server; button data only says which step, never who may do it, and a
/// state coordinator's audience is always narrowed to their states.
/// </summary>
public sealed class BroadcastComposer(
    IBroadcastDraftStore drafts,
    BroadcastService broadcasts,
    IEnumerable<IBroadcastChannel> channels,
    IMessageSender sender,
    ILocalizer text,
    TodayClock clock,
    ICampaignCalendar calendar,
    IOptions<BroadcastOptions> options) : IInboundInterceptor
{
    public const string Prefix = "bc:";

    /// <summary>Campaigns offered as audience buttons: the next one, the current one and the most recent before them.</summary>
    public const int CampaignChoices = 6;

    /// <summary>"Joined since" buttons, in days counted back from today (1 = today).</summary>
    public static readonly IReadOnlyList<int> JoinedWithinDays = [1, 7, 30];

    /// <summary>How far back a "joined since" day may go; older forged or typed values are refused.</summary>
    public const int MaxJoinedWithinDays = 3660;

    private static readonly string[] TypedDateFormats = ["yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy", "d/M/yyyy", "d-M-yyyy"];

    public int Order => 40;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbound = context.Inbound;
        var roles = context.Roles;
        var mayBroadcast = roles.IsCentral || roles.CoordinatorStates.Count > 0;
        if (!mayBroadcast)
        {
            // Supporters' /broadcast and forged bc: buttons fall through to the workflow ("unknown command", "stale button").
            return false;
        }

        var lang = context.Language;
        var chat = inbound.Chat;
        if (inbound.Kind == InboundKind.Command)
        {
            switch (inbound.Command)
            {
                case "broadcast":
                    await drafts.SaveAsync(chat, new BroadcastDraft { Step = DraftStep.Content }, cancellationToken);
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.ask_content"), [], cancellationToken);
                    return true;
                case "broadcasts":
                    await ListAsync(chat, lang, roles, cancellationToken);
                    return true;
                case "cancel_broadcast":
                    await CancelJobAsync(chat, lang, roles, inbound.Argument, cancellationToken);
                    return true;
                case "cancel":
                    if (await drafts.DeleteAsync(chat, cancellationToken))
                    {
                        await SayAsync(chat, text.Format(lang, "broadcast.compose.cancelled"), [], cancellationToken);
                        return true;
                    }

                    return false;
            }

            return false;
        }

        var isOurButton = inbound.Kind == InboundKind.Button && inbound.ButtonData?.StartsWith(Prefix, StringComparison.Ordinal) == true;
        if (inbound.Kind == InboundKind.Button && !isOurButton)
        {
            return false;
        }

        var draft = await drafts.GetAsync(chat, cancellationToken);
        if (draft is null)
        {
            // A pressed button of a draft that was sent or cancelled already (or a redelivery): nothing to do.
            return isOurButton;
        }

        if (isOurButton)
        {
            await ButtonAsync(context, draft, inbound.ButtonData![Prefix.Length..], cancellationToken);
            return true;
        }

        switch (draft.Step)
        {
            case DraftStep.Content:
                await ContentAsync(context, draft, cancellationToken);
                return true;
            case DraftStep.States when inbound.Kind == InboundKind.Text:
                var codes = (inbound.Text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var found = codes.Select(IndianStates.Find).ToList();
                if (codes.Length == 0 || found.Any(s => s is null))
                {
                    var bad = string.Join(", ", codes.Where(c => IndianStates.Find(c) is null));
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.bad_states", ("states", bad)), [], cancellationToken);
                    return true;
                }

                await PreviewAsync(context, draft with { Audience = draft.Audience with { States = [.. found.Select(s => s!.Code).Distinct()] } }, cancellationToken);
                return true;
            case DraftStep.JoinedSince when inbound.Kind == InboundKind.Text:
                if (DateOnly.TryParseExact((inbound.Text ?? "").Trim(), TypedDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    && day <= clock.Today
                    && day.AddDays(MaxJoinedWithinDays) > clock.Today)
                {
                    await PreviewAsync(context, draft with { Audience = draft.Audience with { JoinedSince = StartOf(day) } }, cancellationToken);
                }
                else
                {
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.bad_since"), [], cancellationToken);
                }

                return true;
            case DraftStep.Time when inbound.Kind == InboundKind.Text:
                await ScheduleAsync(context, draft, inbound.Text ?? "", cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task ContentAsync(InboundContext context, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var inbound = context.Inbound;
        var raw = inbound.Kind == InboundKind.Media ? inbound.Media?.Caption ?? "" : inbound.Text ?? "";
        var lines = raw.Split('\n');
        var buttons = new List<BroadcastButton>();
        var body = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            var bar = trimmed.IndexOf('|', StringComparison.Ordinal);
            if (trimmed.StartsWith("Button:", StringComparison.OrdinalIgnoreCase) && bar > 0)
            {
                buttons.Add(new BroadcastButton(trimmed[7..bar].Trim(), trimmed[(bar + 1)..].Trim()));
            }
            else
            {
                body.Add(line);
            }
        }

        var media = inbound.Media?.Kind switch
        {
            MediaKind.Photo => BroadcastMedia.Photo,
            MediaKind.Video => BroadcastMedia.Video,
            _ => BroadcastMedia.None,
        };
        var content = new BroadcastContent
        {
            Text = string.Join('\n', body).Trim(),
            Media = media,
            MediaFile = media == BroadcastMedia.None ? null : inbound.Media?.FileId,
            Buttons = buttons,
        };
        if (inbound.Kind == InboundKind.Media && media == BroadcastMedia.None)
        {
            await SayAsync(inbound.Chat, text.Format(context.Language, "broadcast.compose.bad_content", ("error", "only a photo or a video")), [], cancellationToken);
            return;
        }

        if (content.Validate() is { } error)
        {
            await SayAsync(inbound.Chat, text.Format(context.Language, "broadcast.compose.bad_content", ("error", error)), [], cancellationToken);
            return;
        }

        await AskAudienceAsync(context, draft with { Content = content }, cancellationToken);
    }

    /// <summary>
    /// The audience menu. First time round it offers everyone or one filter; from "add a filter" under a preview it shows
    /// the filters chosen so far, and the next one chosen narrows them (within a list any one matches, and every chosen
    /// kind must match).
    /// </summary>
    private async Task AskAudienceAsync(InboundContext context, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var audience = draft.Audience;
        await drafts.SaveAsync(context.Inbound.Chat, draft with { Step = DraftStep.Audience }, cancellationToken);
        string P(string key) => text.Plain(lang, key);
        var rows = new List<IReadOnlyList<Button>>
        {
            new[] { Button.Callback(P(IsEveryone(audience) ? "broadcast.compose.audience_all" : "broadcast.compose.audience_done"), Prefix + "all") },
            new[] { Button.Callback(P("broadcast.compose.audience_states"), Prefix + "st") },
        };
        if (context.Roles.IsCentral)
        {
            rows.Add([.. text.Languages.Select(l => Button.Callback(P("broadcast.compose.audience_language") + ": " + text.Plain(l, "language.name"), Prefix + "l:" + l))]);
        }

        rows.Add([Button.Callback(P("broadcast.compose.audience_campaign"), Prefix + "cl")]);
        rows.Add([Button.Callback(P("broadcast.compose.audience_since"), Prefix + "js")]);
        rows.Add([Button.Callback(P("broadcast.compose.cancel"), Prefix + "x")]);
        var question = IsEveryone(audience)
            ? text.Format(lang, "broadcast.compose.ask_audience")
            : text.Format(lang, "broadcast.compose.ask_audience_more", ("filters", Describe(lang, audience)));
        await SayAsync(context.Inbound.Chat, question, rows, cancellationToken);
    }

    private static bool IsEveryone(BroadcastAudience audience) =>
        audience.States.Count == 0 && audience.Languages.Count == 0 && audience.Campaigns.Count == 0 && audience.JoinedSince is null;

    /// <summary>The chosen filters in words, for the preview and the audience menu.</summary>
    private string Describe(string lang, BroadcastAudience audience)
    {
        if (IsEveryone(audience))
        {
            return text.Plain(lang, "broadcast.audience.everyone");
        }

        var parts = new List<string>();
        if (audience.States.Count > 0)
        {
            parts.Add(text.Plain(lang, "broadcast.audience.states", ("states", string.Join(", ", audience.States.Select(code => StateName(lang, code))))));
        }

        if (audience.Languages.Count > 0)
        {
            parts.Add(text.Plain(lang, "broadcast.audience.languages", ("languages", string.Join(", ", audience.Languages.Select(l => text.Plain(l, "language.name"))))));
        }

        if (audience.Campaigns.Count > 0)
        {
            parts.Add(text.Plain(lang, "broadcast.audience.campaigns", ("campaigns", string.Join(", ", audience.Campaigns.Select(id => calendar.Find(id)?.Hashtag ?? id)))));
        }

        if (audience.JoinedSince is { } since)
        {
            var local = TimeZoneInfo.ConvertTime(since, clock.Zone);
            parts.Add(text.Plain(lang, "broadcast.audience.since", ("date", local.ToString(text.Plain(lang, "format.date"), text.Culture(lang)))));
        }

        return string.Join(" · ", parts);
    }

    /// <summary>Midnight at the start of <paramref name="day"/> in the bot's time zone.</summary>
    private DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local));
    }

    private async Task AskJoinedSinceAsync(InboundContext context, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        await drafts.SaveAsync(context.Inbound.Chat, draft with { Step = DraftStep.JoinedSince }, cancellationToken);
        IReadOnlyList<IReadOnlyList<Button>> rows =
        [
            [.. JoinedWithinDays.Select(days => Button.Callback(
                days == 1 ? text.Plain(lang, "broadcast.compose.since_today") : text.Plain(lang, "broadcast.compose.since_days", ("days", days.ToString(CultureInfo.InvariantCulture))),
                Prefix + "j:" + days.ToString(CultureInfo.InvariantCulture)))],
            [Button.Callback(text.Plain(lang, "broadcast.compose.cancel"), Prefix + "x")],
        ];
        await SayAsync(context.Inbound.Chat, text.Format(lang, "broadcast.compose.ask_since"), rows, cancellationToken);
    }

    private async Task ButtonAsync(InboundContext context, BroadcastDraft draft, string action, CancellationToken cancellationToken)
    {
        var chat = context.Inbound.Chat;
        var lang = context.Language;
        switch (action)
        {
            case "all" when draft.Step == DraftStep.Audience:
                // Everyone, or everyone the filters chosen so far match; PreviewAsync narrows a coordinator's to their states.
                await PreviewAsync(context, draft, cancellationToken);
                break;
            case "more" when draft.Step == DraftStep.Confirm:
                await AskAudienceAsync(context, draft, cancellationToken);
                break;
            case "js" when draft.Step == DraftStep.Audience:
                await AskJoinedSinceAsync(context, draft, cancellationToken);
                break;
            case ['j', ':', ..] when draft.Step == DraftStep.JoinedSince:
                // Only the offered counts are buttons, but any whole number of days within reach is as good; others are forged.
                if (int.TryParse(action[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxJoinedWithinDays)
                {
                    await PreviewAsync(context, draft with { Audience = draft.Audience with { JoinedSince = StartOf(clock.Today.AddDays(1 - days)) } }, cancellationToken);
                }
                else
                {
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.bad_since"), [], cancellationToken);
                }

                break;
            case "st" when draft.Step == DraftStep.Audience:
                await drafts.SaveAsync(chat, draft with { Step = DraftStep.States }, cancellationToken);
                await AskStatesAsync(context, cancellationToken);
                break;
            case ['s', ':', ..] when draft.Step is DraftStep.States or DraftStep.Audience:
                // Only a coordinator's own states are offered; PreviewAsync refuses any other (forged) code.
                if (IndianStates.Find(action[2..]) is { } state)
                {
                    await PreviewAsync(context, draft with { Audience = draft.Audience with { States = [state.Code] } }, cancellationToken);
                }
                else
                {
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.bad_states", ("states", action[2..])), [], cancellationToken);
                }

                break;
            case ['l', ':', ..] when draft.Step == DraftStep.Audience && !context.Roles.IsCentral:
                // Offered to central staff only: a coordinator's audience is always their states.
                await RefuseAsync(context, "language " + action[2..], cancellationToken);
                break;
            case ['l', ':', ..] when draft.Step == DraftStep.Audience && text.Supports(action[2..]):
                await PreviewAsync(context, draft with { Audience = draft.Audience with { Languages = [action[2..]] } }, cancellationToken);
                break;
            case "cl" when draft.Step == DraftStep.Audience:
                await AskCampaignAsync(context, draft, cancellationToken);
                break;
            case ['c', ':', ..] when draft.Step == DraftStep.Campaign:
                if (calendar.Find(action[2..]) is not { } campaign)
                {
                    await SayAsync(chat, text.Format(lang, "broadcast.compose.unknown_campaign"), [], cancellationToken);
                    break;
                }

                // A coordinator reaches the campaign's supporters in their own states only (PreviewAsync narrows).
                await PreviewAsync(context, draft with { Audience = draft.Audience with { Campaigns = [campaign.Id] } }, cancellationToken);
                break;
            case "test" when draft.Step == DraftStep.Confirm:
                await SendToSelfAsync(chat, draft, cancellationToken);
                await SayAsync(chat, text.Format(lang, "broadcast.compose.test_sent"), Controls(lang), cancellationToken);
                break;
            case "now" or "yes" when draft.Step == DraftStep.Confirm:
                if (draft.Count > options.Value.ConfirmAbove && action != "yes")
                {
                    await SayAsync(
                        chat,
                        text.Format(lang, "broadcast.compose.confirm_big", ("count", draft.Count.ToString("N0", CultureInfo.InvariantCulture))),
                        [[Button.Callback(text.Plain(lang, "broadcast.compose.confirm_yes"), Prefix + "yes"), Button.Callback(text.Plain(lang, "broadcast.compose.cancel"), Prefix + "x")]],
                        cancellationToken);
                    break;
                }

                await CreateAsync(context, draft, null, cancellationToken);
                break;
            case "sched" when draft.Step == DraftStep.Confirm:
                await drafts.SaveAsync(chat, draft with { Step = DraftStep.Time, ControlsMessageId = context.Inbound.SourceMessageId }, cancellationToken);
                await SayAsync(chat, text.Format(lang, "broadcast.compose.ask_time", ("zone", clock.Zone.Id)), [], cancellationToken);
                break;
            case "x":
                await drafts.DeleteAsync(chat, cancellationToken);
                await SayAsync(chat, text.Format(lang, "broadcast.compose.cancelled"), [], cancellationToken);
                break;
            default:
                break;
        }
    }

    private async Task AskStatesAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        if (context.Roles.IsCentral)
        {
            await SayAsync(context.Inbound.Chat, text.Format(lang, "broadcast.compose.ask_states"), [], cancellationToken);
            return;
        }

        // A coordinator picks among their own states (or types several codes); nobody else's state is offered.
        IReadOnlyList<IReadOnlyList<Button>> rows =
        [
            .. context.Roles.CoordinatorStates.Chunk(2).Select(pair => (IReadOnlyList<Button>)[.. pair.Select(code => Button.Callback(StateName(lang, code), Prefix + "s:" + code))]),
            [Button.Callback(text.Plain(lang, "broadcast.compose.cancel"), Prefix + "x")],
        ];
        await SayAsync(context.Inbound.Chat, text.Format(lang, "broadcast.compose.ask_states_yours"), rows, cancellationToken);
    }

    private string StateName(string lang, string code) => text.Plain(lang, "state." + code);

    private async Task AskCampaignAsync(InboundContext context, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var chat = context.Inbound.Chat;
        var lang = context.Language;
        var today = clock.Today;

        // The next campaign (its link may already be out), the current one, and the most recent before them.
        var horizon = calendar.NextAfter(today)?.Starts ?? today;
        var offered = calendar.All.Where(c => c.Starts <= horizon).OrderByDescending(c => c.Starts).Take(CampaignChoices).ToList();
        if (offered.Count == 0)
        {
            await SayAsync(chat, text.Format(lang, "broadcast.compose.no_campaigns"), [], cancellationToken);
            return;
        }

        await drafts.SaveAsync(chat, draft with { Step = DraftStep.Campaign }, cancellationToken);
        var culture = text.Culture(lang);
        IReadOnlyList<IReadOnlyList<Button>> rows =
        [
            .. offered.Select(c => (IReadOnlyList<Button>)[Button.Callback(
                text.Plain(lang, "broadcast.compose.campaign_button", ("hashtag", c.Hashtag), ("date", c.Starts.ToString(text.Plain(lang, "format.date"), culture))),
                Prefix + "c:" + c.Id)]),
            [Button.Callback(text.Plain(lang, "broadcast.compose.cancel"), Prefix + "x")],
        ];
        await SayAsync(chat, text.Format(lang, "broadcast.compose.ask_campaign"), rows, cancellationToken);
    }

    private async Task RefuseAsync(InboundContext context, string what, CancellationToken cancellationToken)
    {
        await broadcasts.AuditRefusalAsync($"{context.Inbound.Chat.Channel}:{context.Inbound.UserId}", what, cancellationToken);
        await SayAsync(context.Inbound.Chat, text.Format(context.Language, "broadcast.compose.not_allowed"), [], cancellationToken);
    }

    /// <summary>The content exactly as supporters will get it, to the composer's own chat.</summary>
    private async Task SendToSelfAsync(ChatKey chat, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        if (channels.FirstOrDefault(c => c.Channel == chat.Channel) is { } channel)
        {
            await broadcasts.SendToStaffAsync(channel, chat, BroadcastRenderer.Message(draft.Content), cancellationToken);
        }
    }

    private async Task PreviewAsync(InboundContext context, BroadcastDraft draft, CancellationToken cancellationToken)
    {
        var chat = context.Inbound.Chat;
        var lang = context.Language;
        if (!context.Roles.IsCentral && draft.Audience.States.Count == 0)
        {
            // A coordinator's "everyone" (and any filter without states) is everyone in their own states.
            draft = draft with { Audience = draft.Audience with { States = context.Roles.CoordinatorStates } };
        }

        if (!context.Roles.CanBroadcastTo(draft.Audience.States))
        {
            await RefuseAsync(context, "states " + string.Join(',', draft.Audience.States), cancellationToken);
            return;
        }

        var count = await broadcasts.CountAsync(draft.Audience, cancellationToken);
        draft = draft with { Step = DraftStep.Confirm, Count = count };
        await drafts.SaveAsync(chat, draft, cancellationToken);
        await SendToSelfAsync(chat, draft, cancellationToken);

        var preview = new MessageText.Builder()
            .Append(text.Format(lang, "broadcast.compose.preview", ("count", count.ToString("N0", CultureInfo.InvariantCulture))))
            .Line()
            .Append(text.Format(lang, "broadcast.compose.audience_is", ("filters", Describe(lang, draft.Audience))))
            .Build();
        await SayAsync(chat, preview, Controls(lang), cancellationToken);
    }

    private IReadOnlyList<IReadOnlyList<Button>> Controls(string lang)
    {
        string P(string key) => text.Plain(lang, key);
        return
        [
            [Button.Callback(P("broadcast.compose.send_now"), Prefix + "now"), Button.Callback(P("broadcast.compose.schedule"), Prefix + "sched")],
            [Button.Callback(P("broadcast.compose.test"), Prefix + "test"), Button.Callback(P("broadcast.compose.more_filters"), Prefix + "more")],
            [Button.Callback(P("broadcast.compose.cancel"), Prefix + "x")],
        ];
    }

    private async Task ScheduleAsync(InboundContext context, BroadcastDraft draft, string when, CancellationToken cancellationToken)
    {
        var chat = context.Inbound.Chat;
        if (!DateTime.TryParseExact(when.Trim(), "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            await SayAsync(chat, text.Format(context.Language, "broadcast.compose.bad_time"), [], cancellationToken);
            return;
        }

        var at = new DateTimeOffset(local, clock.Zone.GetUtcOffset(local));
        if (at <= clock.UtcNow)
        {
            await SayAsync(chat, text.Format(context.Language, "broadcast.compose.bad_time"), [], cancellationToken);
            return;
        }

        if (await CreateAsync(context, draft, at, cancellationToken))
        {
            await SayAsync(chat, text.Format(context.Language, "broadcast.compose.scheduled", ("time", local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))), [], cancellationToken);
        }
    }

    /// <summary>Creates the job once (a redelivered press finds no draft); true when it was created.</summary>
    private async Task<bool> CreateAsync(InboundContext context, BroadcastDraft draft, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var inbound = context.Inbound;
        if (!await drafts.DeleteAsync(inbound.Chat, cancellationToken))
        {
            return false;
        }

        // Sent now: the pressed control message becomes the progress. Scheduled: the control message the schedule was
        // asked from does (the time itself was typed), so the job reports in one message instead of a new one per edit.
        var progressMessage = at is null ? inbound.SourceMessageId : draft.ControlsMessageId;
        var definition = new BroadcastDefinition
        {
            Kind = BroadcastKind.Message,
            Content = draft.Content,
            Audience = draft.Audience,
            CreatedBy = $"{inbound.Chat.Channel}:{inbound.UserId}",
            ProgressChat = inbound.Chat.ToString(),
            ProgressMessageId = progressMessage,
            ProgressLanguage = context.Language,
        };
        var result = await broadcasts.CreateAsync(definition, at, context.Roles, cancellationToken);
        if (result.Job is null)
        {
            var key = result.Forbidden ? "broadcast.compose.not_allowed" : "broadcast.compose.bad_content";
            await SayAsync(inbound.Chat, text.Format(context.Language, key, ("error", result.Error ?? "")), [], cancellationToken);
        }
        else if (progressMessage is not null)
        {
            var body = BroadcastProgress.Format(text, context.Language, result.Job, options.Value.MaxPerSecond * options.Value.PacingFactor);
            await sender.SendAsync(new OutboundMessage(inbound.Chat, body) { ReplacesMessageId = progressMessage }, cancellationToken);
        }

        return result.Job is not null;
    }

    /// <summary>The newest jobs with their counts; a coordinator sees only the jobs within their states.</summary>
    private async Task ListAsync(ChatKey chat, string lang, UserRoles roles, CancellationToken cancellationToken)
    {
        var jobs = (await broadcasts.ListAsync(roles.IsCentral ? 10 : 50, cancellationToken))
            .Where(j => roles.CanBroadcastTo(j.Definition?.Audience.States))
            .Take(10)
            .ToList();
        if (jobs.Count == 0)
        {
            await SayAsync(chat, text.Format(lang, "broadcast.list.none"), [], cancellationToken);
            return;
        }

        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var b = new MessageText.Builder().Append(text.Format(lang, "broadcast.list.title"));
        foreach (var job in jobs)
        {
            b.Line();
            if (job.Status == BroadcastStatus.Scheduled)
            {
                var at = TimeZoneInfo.ConvertTime(job.ScheduledAt, clock.Zone);
                b.Append(text.Format(lang, "broadcast.list.item_scheduled", ("id", job.Id), ("time", at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))));
                continue;
            }

            b.Append(text.Format(
                lang,
                "broadcast.list.item",
                ("id", job.Id),
                ("status", text.Plain(lang, "broadcast.status." + job.Status)),
                ("sent", N(job.Sent)),
                ("failed", N(job.Failed)),
                ("unreachable", N(job.Unreachable)),
                ("remaining", N(job.Remaining + job.InFlight)),
                ("total", N(job.Total))));
        }

        await SayAsync(chat, b.Build(), [], cancellationToken);
    }

    private async Task CancelJobAsync(ChatKey chat, string lang, UserRoles roles, string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            await SayAsync(chat, text.Format(lang, "broadcast.cancel.usage"), [], cancellationToken);
            return;
        }

        var cancelled = await broadcasts.CancelAsync(id.Trim(), chat.ToString(), roles, cancellationToken);
        await SayAsync(chat, text.Format(lang, cancelled == true ? "broadcast.cancel.done" : "broadcast.cancel.not_found", ("id", id.Trim())), [], cancellationToken);
    }

    private Task<SendResult> SayAsync(ChatKey chat, MessageText message, IReadOnlyList<IReadOnlyList<Button>> buttons, CancellationToken cancellationToken) =>
        sender.SendAsync(new OutboundMessage(chat, message) { Buttons = buttons }, cancellationToken);
}
