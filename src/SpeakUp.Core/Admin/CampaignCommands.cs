using System.Globalization;
using System.Text.RegularExpressions;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Admin;

/// <summary>
/// The campaign calendar from chat, for owners and admins: /campaigns lists past, current and upcoming campaigns (and what
/// the last import of campaigns.yaml reported); /campaign new is a guided flow; /campaign edit &lt;id&gt; &lt;field&gt;
/// &lt;value&gt; changes one field (a series' posts too); /campaign end &lt;id&gt; makes today a running campaign's last
/// day. Every change is made to the newest stored calendar, validated as a whole (no overlaps; a series keeps one post
/// a day), written only if nothing else wrote meanwhile, stored as a chat edit (which a re-import of campaigns.yaml
/// keeps) and audited.
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

    private const int SaveAttempts = 3;

    private static readonly TimeSpan DraftLifetime = TimeSpan.FromHours(2);

    private readonly CampaignWizard _wizard = new(
        localizer.Languages,
        [.. localizer.Languages.Select(l => localizer.Plain(l, "campaign.new.done_word")), "done"]);

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

        var saved = await SaveAsync(
            context,
            campaign.Id,
            current => current is null ? Change.To(campaign) : Change.Refused("campaign.overlap", ("id", campaign.Id)),
            "campaign.new",
            campaign.IsSeries ? string.Create(CultureInfo.InvariantCulture, $"{campaign.Hashtag} series of {campaign.Series!.Count}") : campaign.Hashtag,
            cancellationToken);
        if (!saved)
        {
            // Overlaps another campaign: ask for the dates again.
            var retry = next with { Step = _wizard.DatesStep(next) };
            await drafts.SaveAsync(user, DraftKind, CampaignWizard.Serialize(retry), DraftLifetime, cancellationToken);
            await AskAsync(context, retry, null, cancellationToken);
        }
    }

    private async Task AskAsync(InboundContext context, CampaignDraft draft, string? error, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var question = _wizard.Question(draft);
        var text = new MessageText.Builder();
        if (error is not null)
        {
            text.Append(localizer.Format(lang, error)).Paragraph();
        }

        text.Append(localizer.Format(
            lang,
            "campaign.new." + question.Kind,
            ("language", localizer.Plain(question.Language ?? lang, "language.name")),
            ("step", question.Step.ToString(CultureInfo.InvariantCulture)),
            ("steps", question.Steps.ToString(CultureInfo.InvariantCulture)),
            ("day", question.Day.ToString(CultureInfo.InvariantCulture)),
            ("days", draft.Days.Count.ToString(CultureInfo.InvariantCulture))));
        if (question.CanFinish)
        {
            text.Line().Append(localizer.Format(lang, "campaign.new.series_done", ("days", draft.Days.Count.ToString(CultureInfo.InvariantCulture))));
        }

        await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Build()), cancellationToken);
    }

    private async Task ListAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lang = context.Language;
        var today = clock.Today;
        var import = (await store.ReadAsync(cancellationToken)).Import;
        var text = new MessageText.Builder().Append(localizer.Format(lang, "campaign.list_title"));
        foreach (var campaign in calendar.All)
        {
            var status = campaign.Ends < today ? localizer.Plain(lang, "campaign.status_past")
                : campaign.Starts > today ? localizer.Plain(lang, "campaign.status_upcoming")
                : campaign.SeriesDayOn(today) is { } day ? localizer.Plain(lang, "campaign.status_series_day", ("day", Number(day)), ("days", Number(campaign.Series!.Count)))
                : localizer.Plain(lang, "campaign.status_current");
            text.Line().Append(localizer.Format(
                lang,
                campaign.IsSeries ? "campaign.list_line_series" : "campaign.list_line",
                ("hashtag", campaign.Hashtag),
                ("id", campaign.Id),
                ("starts", Date(lang, campaign.Starts)),
                ("ends", Date(lang, campaign.Ends)),
                ("days", Number(campaign.Series?.Count ?? 0)),
                ("status", status)));
        }

        // What the last look at campaigns.yaml found: admins see here why a file change did not show up.
        if (import.Error is { } error)
        {
            text.Paragraph().Append(localizer.Format(lang, "campaign.import.error", ("at", Moment(lang, import.ErrorAt)), ("error", error)));
        }

        if (import.Conflicts.Count > 0)
        {
            text.Paragraph().Append(localizer.Format(lang, "campaign.import.conflicts", ("at", Moment(lang, import.ImportedAt)), ("ids", string.Join(", ", import.Conflicts))));
        }
        else if (import.ImportedAt is { } at)
        {
            text.Paragraph().Append(localizer.Format(lang, "campaign.import.last", ("at", Moment(lang, at))));
        }

        text.Paragraph().Append(localizer.Format(lang, "campaign.usage"));
        await sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text.Build()), cancellationToken);
    }

    private Task<bool> EndAsync(InboundContext context, string id, CancellationToken cancellationToken)
    {
        var today = clock.Today;
        return SaveAsync(
            context,
            id,
            current => current switch
            {
                null => Change.Refused("campaign.not_found", ("id", id)),
                { } c when !c.IsOn(today) => Change.Refused("campaign.not_running", ("id", id)),

                // A series stops with today's post: the days after it are dropped with their posts.
                { Series: { } posts } c => Change.To(c with { Ends = today, Series = [.. posts.Take(c.SeriesDayOn(today)!.Value)] }),
                { } c => Change.To(c with { Ends = today }),
            },
            "campaign.end",
            "ends " + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            cancellationToken);
    }

    private Task<bool> EditAsync(InboundContext context, string id, string field, string value, CancellationToken cancellationToken) =>
        SaveAsync(context, id, current => current is null ? Change.Refused("campaign.not_found", ("id", id)) : Edit(current, field, value), "campaign.edit", field + "=" + value, cancellationToken);

    private Change Edit(Campaign campaign, string field, string value)
    {
        var badValue = Change.Refused("campaign.bad_value", ("field", field));
        if (field == "ends" && campaign.IsSeries)
        {
            // One post a day: a series ends with its last post. Moving its start moves its end.
            return Change.Refused("campaign.series_ends", ("id", campaign.Id));
        }

        if (field.StartsWith("day.", StringComparison.Ordinal))
        {
            return EditDay(campaign, field, value) ?? badValue;
        }

        Campaign? edited = field switch
        {
            "hashtag" when IsValidHashtag(value) => campaign with { Hashtag = value },
            "starts" when ParseDate(value) is { } starts => campaign.Series is { } posts
                ? campaign with { Starts = starts, Ends = starts.AddDays(posts.Count - 1) }
                : campaign with { Starts = starts },
            "ends" when ParseDate(value) is { } ends => campaign with { Ends = ends },
            "post_time" when TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) => campaign with { PostTime = at },
            _ when field.StartsWith("title.", StringComparison.Ordinal) && localizer.Supports(field[6..]) && value.Length <= 200 =>
                campaign with { Title = new Dictionary<string, string>(campaign.Title, StringComparer.Ordinal) { [field[6..]] = value } },
            _ => null,
        };
        return edited is null || edited.Ends < edited.Starts ? badValue : Change.To(edited);
    }

    /// <summary>"day.3.hi": the text of a series' third post in Hindi (the hashtag is added when missing).</summary>
    private Change? EditDay(Campaign campaign, string field, string value)
    {
        var parts = field.Split('.');
        if (campaign.Series is not { } posts || parts.Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day < 1 || day > posts.Count
            || !localizer.Supports(parts[2]))
        {
            return null;
        }

        var text = CampaignFileParser.ContainsHashtag(value, campaign.Hashtag) ? value : value + " " + campaign.Hashtag;
        if (CampaignFileParser.XLength(text) > CampaignFileParser.MaxPostLength)
        {
            return Change.Refused("campaign.new.too_long");
        }

        var post = posts[day - 1];
        var edited = post with { Text = new Dictionary<string, string>(post.Text, StringComparer.Ordinal) { [parts[2]] = text } };
        return Change.To(campaign with { Series = [.. posts.Select((p, i) => i == day - 1 ? edited : p)] });
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the newest stored version of the campaign (null when there is none) and writes
    /// it if nothing else wrote meanwhile; otherwise reads again and re-applies, a few times.
    /// </summary>
    private async Task<bool> SaveAsync(InboundContext context, string id, Func<Campaign?, Change> change, string action, string detail, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < SaveAttempts; attempt++)
        {
            var snapshot = await store.ReadAsync(cancellationToken);
            var current = snapshot.Campaigns.FirstOrDefault(s => s.Campaign.Id == id);
            var outcome = change(current?.Campaign);
            if (outcome.Campaign is not { } edited)
            {
                await ReplyAsync(context, outcome.Error!, cancellationToken, outcome.Values);
                return false;
            }

            List<Campaign> all = [.. snapshot.Campaigns.Select(s => s.Campaign).Where(c => c.Id != id), edited];
            if (CampaignCalendar.Problem(all) is not null)
            {
                await ReplyAsync(context, "campaign.overlap", cancellationToken, ("id", edited.Id));
                return false;
            }

            var write = new CampaignWrite(snapshot.Version, [new StoredCampaign(edited, CampaignSource.Chat, current?.FileHash)]);
            if (await store.TryWriteAsync(write, cancellationToken) is not { } version)
            {
                continue;
            }

            calendar.Replace(all, version);
            await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, context.Inbound.UserId ?? "?", action, edited.Id, detail), cancellationToken);
            await ReplyAsync(context, "campaign.saved", cancellationToken, ("id", edited.Id));
            return true;
        }

        await ReplyAsync(context, "campaign.busy", cancellationToken);
        return false;
    }

    private static DateOnly? ParseDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private string Date(string language, DateOnly date) => date.ToString(localizer.Plain(language, "format.date"), localizer.Culture(language));

    private string Moment(string language, DateTimeOffset? at)
    {
        if (at is not { } value)
        {
            return "?";
        }

        var local = TimeZoneInfo.ConvertTime(value, clock.Zone);
        var culture = localizer.Culture(language);
        return local.ToString(localizer.Plain(language, "format.date"), culture) + " " + local.ToString(localizer.Plain(language, "format.time"), culture);
    }

    private Task<SendResult> ReplyAsync(InboundContext context, string key, CancellationToken cancellationToken, params (string Name, string Value)[] values) =>
        sender.SendAsync(new OutboundMessage(context.Inbound.Chat, localizer.Format(context.Language, key, values)), cancellationToken);

    [GeneratedRegex(@"^#[\p{L}\p{M}\p{Nd}_]+$")]
    private static partial Regex HashtagPattern();

    /// <summary>What an edit makes of a campaign: the edited campaign, or the reply that says why not.</summary>
    private readonly record struct Change(Campaign? Campaign, string? Error, (string Name, string Value)[] Values)
    {
        public static Change To(Campaign campaign) => new(campaign, null, []);

        public static Change Refused(string error, params (string Name, string Value)[] values) => new(null, error, values);
    }
}
