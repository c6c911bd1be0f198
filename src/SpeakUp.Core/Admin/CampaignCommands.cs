using System.Globalization;
using System.Text.RegularExpressions;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Admin;

/// <summary>
/// The campaign calendar from chat, for owners and admins: /campaigns lists past, current and upcoming campaigns;
/// /campaign edit &lt;id&gt; &lt;field&gt; &lt;value&gt; changes one field; /campaign end &lt;id&gt; makes today a running
/// campaign's last day. Every change is validated as a whole calendar (no overlaps), stored as a chat edit (which a
/// re-import of campaigns.yaml keeps) and audited.
/// </summary>
public sealed partial class CampaignCommands(
    ICampaignStore store,
    IStaffDrafts drafts,
    LiveCampaignCalendar calendar,
    IAuditLog audit,
    IMessageSender sender,
    ILocalizer localizer,
    TodayClock clock) : IInboundInterceptor
{
    private const string DraftKind = "campaign";

    private static readonly TimeSpan DraftLifetime = TimeSpan.FromHours(2);

    private readonly CampaignWizard _wizard = new(localizer.Languages);

    public int Order => 110;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbound = context.Inbound;
        if (context.Roles.IsCentral && inbound.UserId is { } user
            && (inbound.Kind == InboundKind.Text || (inbound.Kind == InboundKind.Command && inbound.Command == "cancel"))
            && await drafts.TakeAsync(user, DraftKind, cancellationToken) is { } json)
        {
            // A /campaign new in progress: this message is the answer to its question (or /cancel ends it).
            if (inbound.Kind == InboundKind.Command)
            {
                await ReplyAsync(context, "campaign.new.cancelled", cancellationToken);
            }
            else
            {
                await AnswerAsync(context, user, CampaignWizard.Deserialize(json) ?? new CampaignDraft(), inbound.Text ?? string.Empty, cancellationToken);
            }

            return true;
        }

        if (inbound.Kind != InboundKind.Command || inbound.Command is not ("campaigns" or "campaign") || !context.Roles.IsStaff)
        {
            return false;
        }

        if (!context.Roles.IsCentral)
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return true;
        }

        var words = (inbound.Argument ?? string.Empty).Split(' ', 4, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (inbound.Command == "campaigns" || words.Length == 0)
        {
            await ListAsync(context, cancellationToken);
        }
        else if (words[0] == "new" && words.Length == 1 && inbound.UserId is { } author)
        {
            var draft = new CampaignDraft();
            await drafts.SaveAsync(author, DraftKind, CampaignWizard.Serialize(draft), DraftLifetime, cancellationToken);
            await AskAsync(context, draft, null, cancellationToken);
        }
        else if (words[0] == "end" && words.Length == 2)
        {
            await EndAsync(context, words[1], cancellationToken);
        }
        else if (words[0] == "edit" && words.Length == 4)
        {
            await EditAsync(context, words[1], words[2].ToLowerInvariant(), words[3], cancellationToken);
        }
        else
        {
            await ReplyAsync(context, "campaign.usage", cancellationToken);
        }

        return true;
    }

    /// <summary>'#', then letters (Latin or Devanagari, with their vowel signs), digits or '_'; not digits only; ≤ 100 characters.</summary>
    public static bool IsValidHashtag(string hashtag) =>
        hashtag.Length <= 100 && HashtagPattern().IsMatch(hashtag) && !hashtag.Skip(1).All(c => char.IsAsciiDigit(c) || c == '_');

    private async Task AnswerAsync(InboundContext context, string user, CampaignDraft draft, string text, CancellationToken cancellationToken)
    {
        var (next, error, campaign) = _wizard.Answer(draft, text);
        if (campaign is null)
        {
            await drafts.SaveAsync(user, DraftKind, CampaignWizard.Serialize(next), DraftLifetime, cancellationToken);
            await AskAsync(context, next, error, cancellationToken);
            return;
        }

        if (!await SaveAsync(context, campaign, "campaign.new", campaign.Hashtag, cancellationToken))
        {
            // Overlaps another campaign: ask for the dates again.
            var retry = next with { Step = _wizard.Steps.Count - 2 };
            await drafts.SaveAsync(user, DraftKind, CampaignWizard.Serialize(retry), DraftLifetime, cancellationToken);
            await AskAsync(context, retry, null, cancellationToken);
        }
    }

    private async Task AskAsync(InboundContext context, CampaignDraft draft, string? error, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var step = _wizard.Steps[draft.Step];
        var colon = step.IndexOf(':', StringComparison.Ordinal);
        var (kind, language) = colon > 0 ? (step[..colon], step[(colon + 1)..]) : (step, lang);
        var text = new MessageText.Builder();
        if (error is not null)
        {
            text.Append(localizer.Format(lang, error)).Paragraph();
        }

        text.Append(localizer.Format(
            lang,
            "campaign.new." + kind,
            ("language", localizer.Plain(language, "language.name")),
            ("step", (draft.Step + 1).ToString(CultureInfo.InvariantCulture)),
            ("steps", _wizard.Steps.Count.ToString(CultureInfo.InvariantCulture))));
        await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Build()), cancellationToken);
    }

    private async Task ListAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var today = clock.Today;
        var text = new MessageText.Builder().Append(localizer.Format(lang, "campaign.list_title"));
        foreach (var campaign in calendar.All)
        {
            var status = campaign.Ends < today ? "campaign.status_past" : campaign.Starts > today ? "campaign.status_upcoming" : "campaign.status_current";
            text.Line().Append(localizer.Format(
                lang,
                "campaign.list_line",
                ("hashtag", campaign.Hashtag),
                ("id", campaign.Id),
                ("starts", Date(lang, campaign.Starts)),
                ("ends", Date(lang, campaign.Ends)),
                ("status", localizer.Plain(lang, status))));
        }

        text.Paragraph().Append(localizer.Format(lang, "campaign.usage"));
        await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Build()), cancellationToken);
    }

    private async Task EndAsync(InboundContext context, string id, CancellationToken cancellationToken)
    {
        var today = clock.Today;
        if (calendar.Find(id) is not { } campaign)
        {
            await ReplyAsync(context, "campaign.not_found", cancellationToken, ("id", id));
            return;
        }

        if (!campaign.IsOn(today))
        {
            await ReplyAsync(context, "campaign.not_running", cancellationToken, ("id", id));
            return;
        }

        await SaveAsync(context, campaign with { Ends = today }, "campaign.end", "ends " + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
    }

    private async Task EditAsync(InboundContext context, string id, string field, string value, CancellationToken cancellationToken)
    {
        if (calendar.Find(id) is not { } campaign)
        {
            await ReplyAsync(context, "campaign.not_found", cancellationToken, ("id", id));
            return;
        }

        Campaign? edited = field switch
        {
            "hashtag" when IsValidHashtag(value) => campaign with { Hashtag = value },
            "starts" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var starts) => campaign with { Starts = starts },
            "ends" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var ends) => campaign with { Ends = ends },
            "post_time" when TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) => campaign with { PostTime = at },
            _ when field.StartsWith("title.", StringComparison.Ordinal) && localizer.Supports(field[6..]) && value.Length <= 200 =>
                campaign with { Title = new Dictionary<string, string>(campaign.Title, StringComparer.Ordinal) { [field[6..]] = value } },
            _ => null,
        };
        if (edited is null || edited.Ends < edited.Starts)
        {
            await ReplyAsync(context, "campaign.bad_value", cancellationToken, ("field", field));
            return;
        }

        await SaveAsync(context, edited, "campaign.edit", field + "=" + value, cancellationToken);
    }

    private async Task<bool> SaveAsync(InboundContext context, Campaign edited, string action, string detail, CancellationToken cancellationToken)
    {
        var all = calendar.All.Select(c => c.Id == edited.Id ? edited : c).ToList();
        if (action == "campaign.new")
        {
            all.Add(edited);
        }

        try
        {
            _ = new CampaignCalendar(all);
        }
        catch (ArgumentException)
        {
            await ReplyAsync(context, "campaign.overlap", cancellationToken, ("id", edited.Id));
            return false;
        }

        var stored = (await store.ListAsync(cancellationToken)).FirstOrDefault(s => s.Campaign.Id == edited.Id);
        await store.SaveAsync([new StoredCampaign(edited, CampaignSource.Chat, stored?.FileHash)], cancellationToken);
        calendar.Replace(all);
        await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, context.Inbound.UserId ?? "?", action, edited.Id, detail), cancellationToken);
        await ReplyAsync(context, "campaign.saved", cancellationToken, ("id", edited.Id));
        return true;
    }

    private string Date(string language, DateOnly date) => date.ToString(localizer.Plain(language, "format.date"), localizer.Culture(language));

    private Task<SendResult> ReplyAsync(InboundContext context, string key, CancellationToken cancellationToken, params (string Name, string Value)[] values) =>
        sender.SendAsync(new OutboundMessage(context.Inbound.Chat, localizer.Format(context.Language, key, values)), cancellationToken);

    [GeneratedRegex(@"^#[\p{L}\p{M}\p{Nd}_]+$")]
    private static partial Regex HashtagPattern();
}
