using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Submissions;

/// <summary>
/// /review and its buttons, for moderators and admins (every item) and state coordinators (their states' items). Every
/// press is authorized again by the presser's roles (looked up on the server) against the stored item; the button data
/// carries only an item id and a verb ("rv:a:&lt;id&gt;"), and the store's check-and-set decides at most once.
/// </summary>
internal sealed partial class ReviewInterceptor(
    ISubmissionStore store,
    IChannelPublisher publisher,
    IMessageSender sender,
    IAuditLog audit,
    ILocalizer text,
    TodayClock clock,
    IOptions<SubmissionOptions> options,
    IOptions<BotOptions> bot,
    ILogger<ReviewInterceptor> logger) : IInboundInterceptor
{
    /// <summary>The reject reasons, "review.reason.&lt;n&gt;" in every language.</summary>
    public const int ReasonCount = 4;

    private const string Prefix = "rv";

    /// <summary>How long one attempt may take to post an approved item before another tap may try again.</summary>
    private static readonly TimeSpan PublishLease = TimeSpan.FromMinutes(1);

    public int Order => 50;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbound = context.Inbound;
        if (inbound.Kind == InboundKind.Command && inbound.Command == BotCommands.Review)
        {
            if (!MayReview(context.Roles))
            {
                // To anyone else /review is just an unknown command.
                return false;
            }

            await ShowNextAsync(context, cancellationToken);
            return true;
        }

        if (inbound.Kind != InboundKind.Button || inbound.ButtonData is not { } data || !data.StartsWith(Prefix + ":", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = data.Split(':');
        if (!MayReview(context.Roles) || inbound.UserId is null
            || (parts.Length >= 3 && IsId(parts[2]) && !await MayReviewItemAsync(context.Roles, parts[2], cancellationToken)))
        {
            LogRefused(logger, inbound.Chat, data);
            await audit.RecordAsync(new AuditEntry(clock.UtcNow, inbound.Chat.Channel, inbound.UserId ?? "?", "review.refused", null, data), cancellationToken);
            await ReplyAsync(context, Say(context, "review.not_allowed"), cancellationToken);
            return true;
        }

        switch (parts)
        {
            case [_, "n"]:
                await ShowNextAsync(context, cancellationToken);
                return true;
            case [_, "a", var id] when IsId(id):
                await DecideAsync(context, id, SubmissionStatus.Approved, null, cancellationToken);
                return true;
            case [_, "r", var id] when IsId(id):
                await AskReasonAsync(context, id, cancellationToken);
                return true;
            case [_, "x", var id, var n] when IsId(id) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var reason) && reason is >= 1 and <= ReasonCount:
                await DecideAsync(context, id, SubmissionStatus.Rejected, reason.ToString(CultureInfo.InvariantCulture), cancellationToken);
                return true;
            case [_, "s", var id] when IsId(id):
                await SkipAsync(context, id, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Moderators and admins review everything; a state coordinator reviews the items of their states.</summary>
    private static bool MayReview(UserRoles roles) => roles.CanReview() || roles.CoordinatorStates.Count > 0;

    /// <summary>
    /// Checked on every press, against the stored item: button data never says whose state an item is. An item that is gone
    /// (its author sent /forgetme) reveals nothing, so the press goes on to answer that it is no longer available.
    /// </summary>
    private async Task<bool> MayReviewItemAsync(UserRoles roles, string id, CancellationToken cancellationToken) =>
        roles.CanReview() || await store.GetAsync(id, cancellationToken) is not { } item || roles.CanReview(item.StateCode);

    /// <summary>The states a reviewer's queue is limited to; null = all.</summary>
    private static IReadOnlyCollection<string>? StatesOf(UserRoles roles) => roles.CanReview() ? null : roles.CoordinatorStates;

    private static bool IsId(string id) => id.Length == 12 && id.All(c => c is (>= 'A' and <= 'Z') or (>= '2' and <= '7'));

    private async Task ShowNextAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var lease = TimeSpan.FromMinutes(options.Value.ClaimMinutes);
        var item = await store.ClaimNextAsync(context.Inbound.UserId!, clock.UtcNow, lease, StatesOf(context.Roles), cancellationToken);
        if (item is null)
        {
            await ReplyAsync(context, Say(context, "review.empty"), cancellationToken);
            return;
        }

        await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, context.Inbound.UserId!, "review.claim", item.Id), cancellationToken);
        if (!item.IsText)
        {
            await publisher.ShowAsync(item, context.Inbound.Chat, cancellationToken);
        }

        var queue = await store.QueueLengthAsync(cancellationToken);
        var lang = LanguageOf(context);
        var what = item.IsAlbum
            ? text.Plain(lang, "submit.kind.album") + " (" + item.Items.Count.ToString(CultureInfo.InvariantCulture) + ")"
            : text.Plain(lang, "submit.kind." + (item.IsText ? "text" : KindKey(item.Items[0].Kind)));
        var name = item.FirstName ?? "?";
        if (item.StateCode is { } state && text.Supports(lang))
        {
            name += ", " + text.Plain(lang, "state." + state);
        }

        var from = item.CreditName is null ? text.Plain(lang, "review.from_anonymous", ("name", name)) : name;
        var card = new MessageText.Builder().Append(text.Format(
            lang,
            "review.card",
            ("id", item.Id),
            ("what", what),
            ("hashtag", item.Hashtag),
            ("from", from),
            ("queue", queue.ToString(CultureInfo.InvariantCulture))));
        if (item.Text is { Length: > 0 } body)
        {
            card.Paragraph().Append(text.Format(lang, "review.card_text")).Line().Append(body);
        }

        await ReplyAsync(
            context,
            card.Build(),
            cancellationToken,
            [
                [Button.Callback(text.Plain(lang, "review.approve"), $"{Prefix}:a:{item.Id}"), Button.Callback(text.Plain(lang, "review.reject"), $"{Prefix}:r:{item.Id}")],
                [Button.Callback(text.Plain(lang, "review.skip"), $"{Prefix}:s:{item.Id}")],
            ]);
    }

    private async Task AskReasonAsync(InboundContext context, string id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            await ReplyGoneAsync(context, cancellationToken);
            return;
        }

        var lang = LanguageOf(context);
        var rows = Enumerable.Range(1, ReasonCount)
            .Select(n => (IReadOnlyList<Button>)[Button.Callback(text.Plain(lang, "review.reason." + n.ToString(CultureInfo.InvariantCulture)), $"{Prefix}:x:{id}:{n}")])
            .ToList();
        await ReplyAsync(context, Say(context, "review.choose_reason"), cancellationToken, rows);
    }

    private async Task SkipAsync(InboundContext context, string id, CancellationToken cancellationToken)
    {
        var released = await store.ReleaseAsync(id, context.Inbound.UserId!, clock.UtcNow, cancellationToken);
        if (released)
        {
            await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, context.Inbound.UserId!, "review.skip", id), cancellationToken);
            await ReplyAsync(context, Say(context, "review.skipped"), cancellationToken);
        }

        await ShowNextAsync(context, cancellationToken);
    }

    private async Task DecideAsync(InboundContext context, string id, SubmissionStatus decision, string? reason, CancellationToken cancellationToken)
    {
        var moderator = context.Inbound.UserId!;
        var outcome = await store.DecideAsync(id, moderator, decision, reason, clock.UtcNow, options.Value.NotifyAt, cancellationToken);
        var next = (IReadOnlyList<IReadOnlyList<Button>>)[[Button.Callback(text.Plain(LanguageOf(context), "review.next"), Prefix + ":n")]];
        switch (outcome)
        {
            // An approved item that never reached the channel (the host stopped between the two) is posted by the next
            // approve tap; the publish lease keeps a double tap or a second moderator from posting it twice.
            case DecisionOutcome.AlreadyDecided when decision == SubmissionStatus.Approved && await store.TryStartPublishingAsync(id, PublishLease, cancellationToken):
                await PublishAsync(context, id, moderator, next, cancellationToken);
                return;
            case DecisionOutcome.AlreadyDecided:
                await ReplyAsync(context, Say(context, "review.already_decided"), cancellationToken, next);
                return;
            case DecisionOutcome.ClaimedByOther:
                await ReplyAsync(context, Say(context, "review.claimed_by_other"), cancellationToken, next);
                return;
            case DecisionOutcome.NotFound:
                await ReplyGoneAsync(context, cancellationToken);
                return;
        }

        var action = decision == SubmissionStatus.Approved ? "review.approve" : "review.reject";
        await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, moderator, action, id, reason), cancellationToken);
        LogDecided(logger, id, decision, moderator);
        if (decision == SubmissionStatus.Rejected)
        {
            // Null when the supporter was forgotten right after the decision: then there is no one to tell.
            if (await store.GetAsync(id, cancellationToken) is { } item)
            {
                var supporterLang = text.Supports(item.Language) ? item.Language : text.DefaultLanguage;
                var why = text.Plain(supporterLang, "review.reason." + reason);
                await sender.SendAsync(new OutboundMessage(item.ChatKey, text.Format(supporterLang, "submit.rejected", ("reason", why))), cancellationToken);
            }

            var lang = LanguageOf(context);
            await ReplyAsync(context, text.Format(lang, "review.rejected", ("reason", text.Plain(lang, "review.reason." + reason))), cancellationToken, next);
        }
        else if (decision == SubmissionStatus.Approved && await store.TryStartPublishingAsync(id, PublishLease, cancellationToken))
        {
            await PublishAsync(context, id, moderator, next, cancellationToken);
        }
    }

    private async Task PublishAsync(InboundContext context, string id, string moderator, IReadOnlyList<IReadOnlyList<Button>> next, CancellationToken cancellationToken)
    {
        var item = await store.GetAsync(id, cancellationToken);
        if (item is null)
        {
            await ReplyGoneAsync(context, cancellationToken);
            return;
        }

        var lang = LanguageOf(context);
        var published = await publisher.PublishAsync(item, ChannelCaption(item), cancellationToken);
        if (!published.Published)
        {
            LogPublishFailed(logger, id, published.Error);
            await ReplyAsync(context, text.Format(lang, "review.approved_not_published", ("error", published.Error ?? "?")), cancellationToken, next);
            return;
        }

        await store.MarkPublishedAsync(id, published.Link?.AbsoluteUri, cancellationToken);
        await audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, moderator, "review.publish", id, published.Link?.AbsoluteUri), cancellationToken);
        var language = text.Supports(item.Language) ? item.Language : text.DefaultLanguage;
        var notice = new MessageText.Builder().Append(text.Format(language, "submit.published"));
        if (published.Link is { } link)
        {
            notice.Line().Link(link.AbsoluteUri, link);
        }

        await sender.SendAsync(new OutboundMessage(item.ChatKey, notice.Build()), cancellationToken);
        await ReplyAsync(context, text.Format(lang, "review.approved", ("link", published.Link?.AbsoluteUri ?? "-")), cancellationToken, next);
    }

    /// <summary>The channel caption in the bot's default language: the supporter's caption with the hashtag, and the credit.</summary>
    private string ChannelCaption(Submission item)
    {
        var lang = text.Supports(bot.Value.DefaultLanguage) ? bot.Value.DefaultLanguage : text.DefaultLanguage;
        var credit = item.CreditName is not { Length: > 0 } name
            ? text.Plain(lang, "publish.credit_anonymous")
            : item.StateCode is { } state
                ? text.Plain(lang, "publish.credit_state", ("name", name), ("state", text.Plain(lang, "state." + state)))
                : text.Plain(lang, "publish.credit", ("name", name));
        return SubmissionRules.ChannelCaption(item.Text, item.Hashtag, credit, item.IsText ? SubmissionOptions.MaxTextLength : SubmissionOptions.MaxCaptionLength);
    }

    internal static string KindKey(MediaKind kind) => kind == MediaKind.VideoNote ? "video_note" : kind.ToString().ToLowerInvariant();

    private string LanguageOf(InboundContext context) => text.Supports(context.Language) ? context.Language : text.DefaultLanguage;

    private MessageText Say(InboundContext context, string key) => text.Format(LanguageOf(context), key);

    /// <summary>The item was deleted (its author sent /forgetme): say so, and offer the next one.</summary>
    private Task<SendResult> ReplyGoneAsync(InboundContext context, CancellationToken cancellationToken) =>
        ReplyAsync(context, Say(context, "review.gone"), cancellationToken, [[Button.Callback(text.Plain(LanguageOf(context), "review.next"), Prefix + ":n")]]);

    private Task<SendResult> ReplyAsync(InboundContext context, MessageText message, CancellationToken cancellationToken, IReadOnlyList<IReadOnlyList<Button>>? buttons = null) =>
        sender.SendAsync(new OutboundMessage(context.Inbound.Chat, message) { Buttons = buttons ?? [] }, cancellationToken);

    [LoggerMessage(EventId = 410, EventName = "ReviewRefused", Level = LogLevel.Warning, Message = "A review button from {Chat} without a reviewer role was refused: {Data}")]
    private static partial void LogRefused(ILogger logger, ChatKey chat, string data);

    [LoggerMessage(EventId = 411, EventName = "SubmissionDecided", Level = LogLevel.Information, Message = "Submission {Id} {Decision} by {Moderator}")]
    private static partial void LogDecided(ILogger logger, string id, SubmissionStatus decision, string moderator);

    [LoggerMessage(EventId = 412, EventName = "PublishFailed", Level = LogLevel.Warning, Message = "Approved submission {Id} could not be published: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string id, string? error);
}
