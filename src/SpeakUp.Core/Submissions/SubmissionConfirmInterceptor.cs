using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Workflow;

namespace SpeakUp.Core.Submissions;

/// <summary>
/// The one step of the submission flow with I/O: the supporter's confirmation. It runs the workflow (which moves the draft
/// to <see cref="Session.ConfirmedDraft"/> and answers), stores the submission in the review queue, then saves the session
/// with the delivery id, compare-and-set. A conflict or a redelivery re-runs it; the store is idempotent by the draft's id,
/// so the queue gets the submission exactly once.
/// </summary>
internal sealed partial class SubmissionConfirmInterceptor(
    ISessionStore sessions,
    SupporterWorkflow workflow,
    ISubmissionStore store,
    IMessageSender sender,
    ModeratorNotifier notifier,
    IOptions<SubmissionOptions> options,
    ILogger<SubmissionConfirmInterceptor> logger) : IInboundInterceptor
{
    private const int MaxAttempts = 20;

    public int Order => 100;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inbound = context.Inbound;
        if (inbound.Kind != InboundKind.Button || inbound.ButtonData is not ("sb:n" or "sb:a")
            || context.Session is not { State: SupporterState.ConfirmingSubmission })
        {
            return false;
        }

        var session = context.Session;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            session ??= await sessions.LoadAsync(inbound.Chat, cancellationToken);
            if (session is null || session.State != SupporterState.ConfirmingSubmission)
            {
                // Changed under us (another instance): the workflow answers as for any stale button.
                return false;
            }

            session.Chat = inbound.Chat;
            if (session.HasSeen(inbound.DeliveryId))
            {
                return true;
            }

            var result = workflow.Handle(session, inbound);
            AddOutcome? added = null;
            if (session.ConfirmedDraft is { } draft)
            {
                added = await store.AddAsync(ToSubmission(session, draft), options.Value.NotifyAt, cancellationToken);
                session.ConfirmedDraft = null;
                LogSubmitted(logger, draft.Id, inbound.Chat, draft.Items.Count, added.Value.Added);
            }

            // Only joined supporters reach the confirmation, and joined sessions never expire.
            session.RememberDelivery(inbound.DeliveryId);
            if (await sessions.TrySaveAsync(session, null, cancellationToken))
            {
                foreach (var reply in result.Replies)
                {
                    await sender.SendAsync(reply, cancellationToken);
                }

                if (added is { NotifyModerators: true } a)
                {
                    await notifier.NotifyQueueAsync(a.QueueLength, cancellationToken);
                }

                return true;
            }

            session = null;
        }

        throw new InvalidOperationException($"Session {inbound.Chat} kept changing while confirming a submission.");
    }

    internal static Submission ToSubmission(Session session, SubmissionDraft draft) => new()
    {
        Id = draft.Id,
        Chat = session.Chat.ToString(),
        UserId = session.UserId,
        FirstName = session.FirstName,
        CreditName = session.ConfirmedAnonymously ? null : session.FirstName,
        Language = session.Language ?? "hi",
        StateCode = session.StateCode,
        CampaignId = draft.CampaignId,
        Hashtag = draft.Hashtag,
        Items = [.. draft.Items],
        Text = draft.Items.Count == 0 ? draft.Text : (draft.Text is null ? null : SubmissionRules.WithHashtag(draft.Text, draft.Hashtag)),
        CreatedAt = draft.CreatedAt,
        Status = SubmissionStatus.Pending,
    };

    [LoggerMessage(EventId = 400, EventName = "SubmissionStored", Level = LogLevel.Information, Message = "Submission {Id} from {Chat} with {Items} file(s); new: {Added}")]
    private static partial void LogSubmitted(ILogger logger, string id, ChatKey chat, int items, bool added);
}
