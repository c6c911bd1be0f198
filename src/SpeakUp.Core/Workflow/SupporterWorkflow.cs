using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using Stateless;
using Stateless.Graph;
using S = SpeakUp.Core.Sessions.SupporterState;

namespace SpeakUp.Core.Workflow;

/// <summary>What happened in the workflow for one inbound event.</summary>
public sealed record WorkflowResult(IReadOnlyList<OutboundMessage> Replies, bool ForgetSupporter);

/// <summary>
/// The whole supporter flow, top to bottom: language → consent → state → joined, and the commands that work everywhere.
/// The machine keeps its state in the session (Stateless's external-state form), so it holds nothing between events and
/// the session in Redis is the only truth. Pure: no I/O, time from <see cref="TodayClock"/>.
/// </summary>
public sealed class SupporterWorkflow(ILocalizer text, ICampaignCalendar calendar, TodayClock clock, IOptions<BotOptions> options, IOptions<SubmissionOptions>? submissions = null)
{
    private readonly SubmissionOptions _submissions = submissions?.Value ?? new SubmissionOptions();
    private readonly ILocalizer _text = text;
    private readonly ICampaignCalendar _calendar = calendar;
    private readonly TodayClock _clock = clock;
    private readonly BotOptions _options = options.Value;

    /// <summary>States per page of the state keyboard: 10 fit a cheap phone's screen in two columns.</summary>
    public const int StatesPerPage = 10;

    // Configuring a machine costs far more than firing it (Stateless describes every delegate by reflection): each Run
    // configures its machine once and is reused, one event at a time. Handle is synchronous, so a Run is taken and given
    // back on the same thread, which is what ConcurrentBag is fastest at; there are never more Runs than threads in Handle.
    private readonly ConcurrentBag<Run> _runs = [];

    public WorkflowResult Handle(Session session, InboundEvent inbound)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(inbound);
        var run = _runs.TryTake(out var spare) ? spare : new Run(this);
        run.Begin(session, inbound);
        run.Execute();
        var result = new WorkflowResult([.. run.Replies], run.Forget);

        // Only after a clean event: a Run whose action threw is dropped, whatever it was in the middle of.
        run.End();
        _runs.Add(run);
        return result;
    }

    /// <summary>The diagram in Graphviz DOT, exported from the same configuration the bot runs.</summary>
    public string ToDotGraph() => UmlDotGraph.Format(DescribeMachine());

    /// <summary>The diagram in Mermaid (rendered by GitHub in README), exported from the same configuration.</summary>
    public string ToMermaidGraph() => MermaidGraph.Format(DescribeMachine());

    private Stateless.Reflection.StateMachineInfo DescribeMachine()
    {
        var run = new Run(this);
        run.Begin(Session.New(new ChatKey("doc", "0"), DateTimeOffset.UnixEpoch), new InboundEvent { Chat = new ChatKey("doc", "0"), Kind = InboundKind.Text });
        return run.Machine.GetInfo();
    }

    internal enum Trigger
    {
        Start,
        ChooseLanguage,
        AskLanguage,
        Consent,
        Decline,
        PickState,
        Page,
        Today,
        Help,
        Stop,
        Forget,
        Confirm,
        Cancel,
        Media,
        Blocked,
        NotUnderstood,
        StaleButton,
        Submit,
        SubmitContent,
        AlbumItem,
        RefuseContent,
        Credit,
    }

    /// <summary>
    /// Applies one event to one session: <see cref="Begin"/> points it at them, <see cref="End"/> lets them go. The machine
    /// is configured once per Run and reads and writes the state of whichever session the Run holds.
    /// </summary>
    private sealed class Run
    {
        private readonly SupporterWorkflow _w;
        // Between events the machine's state accessor reads this stand-in (Stateless reads the state when it is built);
        // nothing fires then, so it is never written.
        private static readonly Session Idle = new();

        private readonly List<OutboundMessage> _replies = [];
        private Session _s = Idle;
        private InboundEvent _in = null!;

        // The value that came with the trigger: a language code, a state code, a page number, a /start payload.
        private string? _arg;

        // Why content was refused, for Trigger.RefuseContent.
        private Refusal _refusal;

        public Run(SupporterWorkflow workflow)
        {
            _w = workflow;
            Machine = new StateMachine<S, Trigger>(() => _s.State, s => _s.State = s);
            Configure(Machine);
        }

        public StateMachine<S, Trigger> Machine { get; }

        public List<OutboundMessage> Replies => _replies;

        public bool Forget { get; private set; }

        public void Begin(Session session, InboundEvent inbound)
        {
            _s = session;
            _in = inbound;
            _arg = null;
            _refusal = Refusal.None;
            _replies.Clear();
            Forget = false;
        }

        /// <summary>Drops the references to the event, so a Run waiting in the pool keeps no session or reply alive.</summary>
        public void End()
        {
            _s = Idle;
            _in = null!;
            _arg = null;
            _replies.Clear();
        }

        private string Lang => _s.Language ?? _w.ClientOrDefaultLanguage(_in.ClientLanguage);

        public void Execute()
        {
            var now = _w._clock.UtcNow;
            _s.UpdatedAt = now;
            if (_in.Kind != InboundKind.Blocked)
            {
                // Writing to us proves we can write back.
                _s.Unreachable = false;
                _s.UserId = _in.UserId ?? _s.UserId;
                _s.FirstName = _in.FirstName ?? _s.FirstName;
            }

            var trigger = Classify();
            Machine.Fire(trigger);
        }

        private void Configure(StateMachine<S, Trigger> m)
        {
            // Everywhere: these work in every state unless a state says otherwise.
            m.Configure(S.Conversation)
                .InternalTransition(Trigger.Today, ShowToday)
                .InternalTransition(Trigger.Help, ShowHelp)
                .InternalTransition(Trigger.AskLanguage, AskLanguage)
                .InternalTransition(Trigger.ChooseLanguage, ChangeLanguage)
                .InternalTransition(Trigger.Cancel, NothingToCancel)
                .InternalTransition(Trigger.Media, ExplainMedia)
                .InternalTransition(Trigger.NotUnderstood, NotUnderstood)
                .InternalTransition(Trigger.StaleButton, StaleButton)
                .InternalTransition(Trigger.Blocked, MarkUnreachable)
                .InternalTransition(Trigger.Submit, JoinBeforeSubmitting)
                .Permit(Trigger.Stop, S.ConfirmingStop)
                .Permit(Trigger.Forget, S.ConfirmingForget);
            m.OnUnhandledTrigger((_, _) => StaleButton());

            // Joining: language → consent → state.
            m.Configure(S.Onboarding)
                .SubstateOf(S.Conversation);

            m.Configure(S.ChoosingLanguage)
                .SubstateOf(S.Onboarding)
                .OnEntry(StartOnboarding)
                .PermitReentry(Trigger.Start)
                .Permit(Trigger.ChooseLanguage, S.AskingConsent);

            m.Configure(S.AskingConsent)
                .SubstateOf(S.Onboarding)
                .OnEntryFrom(Trigger.ChooseLanguage, ApplyLanguage)
                .OnEntry(AskConsent)
                .Permit(Trigger.Consent, S.ChoosingState)
                .Permit(Trigger.Decline, S.ChoosingState)
                .Permit(Trigger.Start, S.ChoosingLanguage);

            m.Configure(S.ChoosingState)
                .SubstateOf(S.Onboarding)
                .OnEntryFrom(Trigger.Consent, () => _s.OptedIn = true)
                .OnEntryFrom(Trigger.Decline, () => _s.OptedIn = false)
                .OnEntry(() => AskState(page: 0, replace: false))
                .InternalTransition(Trigger.Page, TurnStatePage)
                .Permit(Trigger.PickState, S.Joined)
                .Permit(Trigger.Start, S.ChoosingLanguage);

            // Joined: today's hashtag, and the way out.
            m.Configure(S.Joined)
                .SubstateOf(S.Conversation)
                .OnEntryFrom(Trigger.PickState, CompleteJoining)
                .OnEntryFrom(Trigger.Start, Resubscribe)
                .InternalTransition(Trigger.Start, WelcomeBack)
                .PermitIf(Trigger.Submit, S.Submitting, CanSubmitToday, "campaign today and under the daily cap")
                .InternalTransitionIf(Trigger.Submit, _ => !CanSubmitToday(), RefuseSubmit, "no campaign or daily cap reached")
                .Permit(Trigger.SubmitContent, S.ConfirmingSubmission)
                .InternalTransition(Trigger.RefuseContent, RefuseContent);

            // Submitting: content for today's hashtag → summary → confirm with a credit. Storing it for review is the
            // engine's step after the session is saved (the confirmed draft waits in the session until then).
            m.Configure(S.Submitting)
                .SubstateOf(S.Joined)
                .OnEntry(AskForContent)
                .PermitDynamic(Trigger.Cancel, CancelSubmission);

            m.Configure(S.ConfirmingSubmission)
                .SubstateOf(S.Joined)
                .OnEntryFrom(Trigger.SubmitContent, StartDraft)
                .OnEntry(ShowSummary)
                .PermitReentry(Trigger.SubmitContent)
                .InternalTransition(Trigger.AlbumItem, AddAlbumItem)
                .PermitDynamic(Trigger.Credit, ConfirmSubmission)
                .PermitDynamic(Trigger.Cancel, CancelSubmission);

            m.Configure(S.ConfirmingStop)
                .SubstateOf(S.Conversation)
                .OnEntryFrom(Trigger.Stop, t => RememberReturn(t.Source))
                .OnEntry(AskStopConfirmation)
                .InternalTransition(Trigger.Stop, AskStopConfirmation)
                .Permit(Trigger.Confirm, S.OptedOut)
                .PermitDynamic(Trigger.Cancel, ReturnFromConfirmation)
                .PermitDynamic(Trigger.Start, ReturnFromConfirmation);

            m.Configure(S.OptedOut)
                .SubstateOf(S.Conversation)
                .OnEntryFrom(Trigger.Confirm, OptOut)
                .InternalTransition(Trigger.Stop, AlreadyOptedOut)
                .PermitDynamic(Trigger.Start, () => _s.IsJoined ? S.Joined : S.ChoosingLanguage);

            // Forgetting deletes the session itself, so it needs no state after it.
            m.Configure(S.ConfirmingForget)
                .SubstateOf(S.Conversation)
                .OnEntryFrom(Trigger.Forget, t => RememberReturn(t.Source))
                .OnEntry(AskForgetConfirmation)
                .InternalTransition(Trigger.Forget, AskForgetConfirmation)
                .InternalTransition(Trigger.Confirm, ForgetEverything)
                .PermitDynamic(Trigger.Cancel, ReturnFromConfirmation)
                .PermitDynamic(Trigger.Start, ReturnFromConfirmation);
        }

        // ---- Reading the input -------------------------------------------------------------

        private Trigger Classify()
        {
            switch (_in.Kind)
            {
                case InboundKind.Blocked:
                    return Trigger.Blocked;
                case InboundKind.Media:
                    return ClassifyMedia(_in.Media);
                case InboundKind.Command:
                    return ClassifyCommand();
                case InboundKind.Button:
                    return ClassifyButton(_in.ButtonData ?? string.Empty);
                default:
                    return ClassifyText(_in.Text ?? string.Empty);
            }
        }

        private Trigger ClassifyCommand()
        {
            switch (_in.Command)
            {
                case BotCommands.Start:
                    _arg = _in.Argument;
                    return Trigger.Start;
                case BotCommands.Today:
                    return Trigger.Today;
                case BotCommands.Language:
                    return Trigger.AskLanguage;
                case BotCommands.Help:
                    return Trigger.Help;
                case BotCommands.Stop:
                    return Trigger.Stop;
                case BotCommands.ForgetMe:
                    return Trigger.Forget;
                case BotCommands.Cancel:
                    return Trigger.Cancel;
                case BotCommands.Submit:
                    return Trigger.Submit;
                default:
                    return Trigger.NotUnderstood;
            }
        }

        /// <summary>Button data is short and untrusted: anything that does not parse exactly is a stale or forged button.</summary>
        private Trigger ClassifyButton(string data)
        {
            var colon = data.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? data : data[..colon];
            var value = colon < 0 ? null : data[(colon + 1)..];
            switch (name)
            {
                case ButtonData.Language when _w._text.Supports(value):
                    _arg = value;
                    return Trigger.ChooseLanguage;
                case ButtonData.Consent when value == "y":
                    return Trigger.Consent;
                case ButtonData.Consent when value == "n":
                    return Trigger.Decline;
                case ButtonData.State when value is not null && IndianStates.Find(value) is not null:
                    _arg = value;
                    return Trigger.PickState;
                case ButtonData.Page when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page < PageCount:
                    _arg = value;
                    return Trigger.Page;
                case ButtonData.Confirm when value is null:
                    return Trigger.Confirm;
                case ButtonData.Cancel when value is null:
                    return Trigger.Cancel;
                case ButtonData.Today when value is null:
                    return Trigger.Today;
                case ButtonData.Help when value is null:
                    return Trigger.Help;
                case ButtonData.AskLanguage when value is null:
                    return Trigger.AskLanguage;
                case ButtonData.Submission when value == "go":
                    return Trigger.Submit;
                case ButtonData.Submission when value is "n" or "a":
                    _arg = value;
                    return Trigger.Credit;
                default:
                    return Trigger.StaleButton;
            }
        }

        /// <summary>Typed answers to the current question: a language name, yes/no, a state's name.</summary>
        private Trigger ClassifyText(string typed)
        {
            var t = typed.Trim();
            if (_s.State == S.Submitting && t.Length > 0)
            {
                return ClassifyContent(null, t);
            }

            if (t.Length == 0 || t.Length > 200)
            {
                return Trigger.NotUnderstood;
            }

            switch (_s.State)
            {
                case S.ChoosingLanguage when MatchLanguage(t) is { } lang:
                    _arg = lang;
                    return Trigger.ChooseLanguage;
                case S.AskingConsent when IsAnswer(t, "answers.yes"):
                    return Trigger.Consent;
                case S.AskingConsent when IsAnswer(t, "answers.no"):
                    return Trigger.Decline;
                case S.ChoosingState when StateMatcher.Match(t) is { } code:
                    _arg = code;
                    return Trigger.PickState;
                case S.ConfirmingStop or S.ConfirmingForget when IsAnswer(t, "answers.yes"):
                    return Trigger.Confirm;
                case S.ConfirmingStop or S.ConfirmingForget when IsAnswer(t, "answers.no"):
                    return Trigger.Cancel;
                default:
                    return Trigger.NotUnderstood;
            }
        }

        /// <summary>Media from a joined supporter is a submission (from the main menu too); before joining it is explained.</summary>
        private Trigger ClassifyMedia(MediaInfo? media)
        {
            if (media is null || !_s.IsJoined || _s.State is not (S.Joined or S.Submitting or S.ConfirmingSubmission))
            {
                return Trigger.Media;
            }

            // Later items of an album being collected join the draft without a reply: the confirmation covers them all.
            if (_s.State == S.ConfirmingSubmission && media.MediaGroupId is { } group && _s.Draft?.MediaGroupId == group)
            {
                return Trigger.AlbumItem;
            }

            return ClassifyContent(media, null);
        }

        private Trigger ClassifyContent(MediaInfo? media, string? text)
        {
            _refusal = media is not null ? SubmissionRules.Check(media, _w._submissions) : SubmissionRules.CheckText(text!);
            if (_refusal == Refusal.None && media is not null && _s.SubmittedFiles.Contains(media.FileUniqueId ?? media.FileId!))
            {
                _refusal = Refusal.Duplicate;
            }

            if (_refusal == Refusal.None && SubmitBlocker() is { } blocker)
            {
                _refusal = blocker;
            }

            if (_refusal != Refusal.None)
            {
                return Trigger.RefuseContent;
            }

            _arg = text;
            return Trigger.SubmitContent;
        }

        private string? MatchLanguage(string typed) =>
            _w._text.Languages.FirstOrDefault(lang => IsListed(typed, _w._text.Plain(lang, "language.names")));

        /// <summary>Typed yes/no is accepted in any language, since people mix scripts ("haan", "हाँ", "ok").</summary>
        private bool IsAnswer(string typed, string key) =>
            _w._text.Languages.Any(lang => IsListed(typed, _w._text.Plain(lang, key)));

        private static bool IsListed(string typed, string pipeSeparated)
        {
            var t = typed.Trim().TrimEnd('.', '!', '।').Normalize(System.Text.NormalizationForm.FormC);
            foreach (var word in pipeSeparated.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(word.Normalize(System.Text.NormalizationForm.FormC), t, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        // ---- Onboarding ----------------------------------------------------------------------

        private void StartOnboarding()
        {
            ReadStartPayload();
            _s.StatePage = 0;
            AskLanguage(greet: true);
        }

        private void ReadStartPayload()
        {
            var payload = DeepLink.Parse(_arg);
            if (payload.CampaignId is { } id && _w._calendar.Find(id) is not null)
            {
                _s.JoinCampaign(id); // a joined supporter opening another campaign's link joins it too
                _s.CampaignId = id;
            }

            if (payload.ReferralCode is { } code && _s.Referrer is null)
            {
                _s.Referrer = code;
            }
        }

        private void AskLanguage() => AskLanguage(greet: false);

        /// <summary>Asked before we know the person's language, so the question is in every language.</summary>
        private void AskLanguage(bool greet)
        {
            var b = new MessageText.Builder();
            foreach (var lang in _w._text.Languages)
            {
                b.Paragraph().Append(_w._text.Format(lang, greet ? "welcome.choose_language" : "language.ask"));
            }

            var buttons = _w._text.Languages.Select(l => Button.Callback(_w._text.Plain(l, "language.name"), ButtonData.Language + ":" + l)).ToList();
            Reply(b.Build(), [buttons]);
        }

        private void ApplyLanguage() => _s.Language = _arg;

        private void ChangeLanguage()
        {
            ApplyLanguage();
            Reply(_w._text.Format(Lang, "language.changed"));
            RepeatCurrentQuestion();
        }

        private void AskConsent() =>
            Reply(T("consent.ask"), [[Button.Callback(P("consent.yes"), ButtonData.Consent + ":y"), Button.Callback(P("consent.no"), ButtonData.Consent + ":n")]]);

        private void TurnStatePage() => AskState(int.Parse(_arg!, CultureInfo.InvariantCulture), replace: true);

        private void AskState(int page, bool replace)
        {
            _s.StatePage = page;
            var states = IndianStates.All.Skip(page * StatesPerPage).Take(StatesPerPage).ToList();
            var rows = new List<IReadOnlyList<Button>>();
            for (var i = 0; i < states.Count; i += 2)
            {
                rows.Add(states.Skip(i).Take(2).Select(st => Button.Callback(StateName(st.Code), ButtonData.State + ":" + st.Code)).ToList());
            }

            var nav = new List<Button>();
            if (page > 0)
            {
                nav.Add(Button.Callback(P("nav.previous"), ButtonData.Page + ":" + (page - 1).ToString(CultureInfo.InvariantCulture)));
            }

            if (page < PageCount - 1)
            {
                nav.Add(Button.Callback(P("nav.next"), ButtonData.Page + ":" + (page + 1).ToString(CultureInfo.InvariantCulture)));
            }

            rows.Add(nav);
            var text = T("state.ask", ("page", (page + 1).ToString(CultureInfo.InvariantCulture)), ("pages", PageCount.ToString(CultureInfo.InvariantCulture)));
            _replies.Add(new OutboundMessage(_s.Chat, text) { Buttons = rows, ReplacesMessageId = replace ? _in.SourceMessageId : null });
        }

        private void CompleteJoining()
        {
            _s.StateCode = _arg;
            _s.JoinedAt ??= _w._clock.UtcNow;
            _s.JoinCampaign(_s.CampaignId ?? _w._calendar.On(_w._clock.Today)?.Id);
            var b = new MessageText.Builder()
                .Append(T("joined.welcome", ("state", StateName(_s.StateCode!))))
                .Paragraph()
                .Append(T(_s.OptedIn ? "joined.prompts_on" : "joined.prompts_off"));
            Reply(b.Build());
            ShowToday();
        }

        // ---- Joined --------------------------------------------------------------------------

        private void WelcomeBack()
        {
            ReadStartPayload();
            Reply(T("joined.welcome_back"));
            ShowToday();
        }

        private void Resubscribe()
        {
            ReadStartPayload();
            _s.OptedIn = true;
            Reply(T("stop.resubscribed"));
            ShowToday();
        }

        private void ShowToday()
        {
            var today = _w._clock.Today;

            // A series shows the day's post (and its talking points) in place of the campaign's variants.
            var campaign = _w._calendar.On(today)?.ForDay(today);
            if (campaign is null)
            {
                var next = _w._calendar.NextAfter(today);
                var none = new MessageText.Builder().Append(T("today.none")).Paragraph();
                none.Append(next is null
                    ? T("today.none_planned")
                    : T("today.next", ("hashtag", next.Hashtag), ("title", Localized(next.Title)), ("date", next.Starts.ToString(P("format.date"), _w._text.Culture(Lang)))));
                Reply(none.Build(), MainMenu());
                return;
            }

            var b = new MessageText.Builder()
                .Append(T("today.hashtag", ("hashtag", campaign.Hashtag)))
                .Line()
                .Append(T("today.title", ("title", Localized(campaign.Title))));
            var seriesPost = campaign.SeriesPostOn(today);
            if (campaign.SeriesDayOn(today) is { } day)
            {
                var number = day.ToString(CultureInfo.InvariantCulture);
                var days = campaign.Series!.Count.ToString(CultureInfo.InvariantCulture);
                b.Line().Append(seriesPost!.Title is { } subject
                    ? T("today.series_day_titled", ("day", number), ("days", days), ("subject", Localized(subject)))
                    : T("today.series_day", ("day", number), ("days", days)));
            }

            b.Paragraph().Append(T("today.points"));
            foreach (var point in Localized(campaign.Points))
            {
                b.Line().Append(T("today.point", ("point", point)));
            }

            var post = PickVariant(campaign);
            b.Paragraph().Append(T("today.post")).Line().Append(post);
            if (campaign.PostTime is { } at)
            {
                b.Paragraph().Append(T("today.post_time", ("time", at.ToString(P("format.time"), _w._text.Culture(Lang)))));
            }

            Button[] share =
            [
                Button.Link(P("today.share_x"), new Uri("https://x.com/intent/tweet?text=" + Uri.EscapeDataString(post))),
                Button.Link(P("today.share_whatsapp"), new Uri("https://wa.me/?text=" + Uri.EscapeDataString(post))),
            ];
            var rows = new List<IReadOnlyList<Button>> { share };
            if (seriesPost?.Image is { } image)
            {
                rows.Add([Button.Link(P("today.image"), image)]);
            }

            if (_s.IsJoined)
            {
                rows.Add([Button.Callback(P("submit.button"), ButtonData.Submission + ":go")]);
            }

            rows.AddRange(MainMenu());
            Reply(b.Build(), rows);
        }

        // ---- Submissions ---------------------------------------------------------------------

        private string TodayKey => _w._clock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private int SubmittedToday => _s.SubmissionDay == TodayKey ? _s.SubmissionsToday : 0;

        private Refusal? SubmitBlocker() =>
            _w._calendar.On(_w._clock.Today) is null ? Refusal.NoCampaign
            : SubmittedToday >= _w._submissions.DailyCap ? Refusal.DailyCap
            : null;

        private bool CanSubmitToday() => SubmitBlocker() is null;

        private void JoinBeforeSubmitting()
        {
            Reply(T("submit.join_first"));
            RepeatCurrentQuestion();
        }

        private void RefuseSubmit()
        {
            _refusal = SubmitBlocker() ?? Refusal.None;
            RefuseContent();
        }

        private void RefuseContent()
        {
            var reason = _refusal switch
            {
                Refusal.Type => T("submit.refused.type"),
                Refusal.TooLong => T("submit.refused.too_long", ("max", _w._submissions.MaxVideoSeconds.ToString(CultureInfo.InvariantCulture))),
                Refusal.TooBig => T("submit.refused.too_big", ("max", (_w._submissions.MaxFileBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture))),
                Refusal.CaptionTooLong => T("submit.refused.caption_too_long", ("max", SubmissionOptions.MaxCaptionLength.ToString(CultureInfo.InvariantCulture))),
                Refusal.TextTooLong => T("submit.refused.text_too_long", ("max", SubmissionOptions.MaxTextLength.ToString(CultureInfo.InvariantCulture))),
                Refusal.Duplicate => T("submit.refused.duplicate"),
                Refusal.DailyCap => T("submit.refused.daily_cap", ("max", _w._submissions.DailyCap.ToString(CultureInfo.InvariantCulture))),
                _ => T("submit.refused.no_campaign"),
            };
            Reply(reason);
            RepeatCurrentQuestion();
        }

        private void AskForContent()
        {
            _s.Draft = null;
            var hashtag = _w._calendar.On(_w._clock.Today)?.Hashtag ?? string.Empty;
            Reply(T("submit.ask", ("hashtag", hashtag)), [[Button.Callback(P("confirm.no"), ButtonData.Cancel)]]);
        }

        private void StartDraft()
        {
            var campaign = _w._calendar.On(_w._clock.Today)!;
            var media = _in.Kind == InboundKind.Media ? _in.Media : null;
            _s.Draft = new SubmissionDraft
            {
                Id = SubmissionRules.NewId(),
                CampaignId = campaign.Id,
                Hashtag = campaign.Hashtag,
                Text = media is null ? _arg : media.Caption,
                MediaGroupId = media?.MediaGroupId,
                CreatedAt = _w._clock.UtcNow,
                Items = media is null ? [] : [ItemOf(media)],
            };
        }

        private void AddAlbumItem()
        {
            var media = _in.Media!;
            var draft = _s.Draft!;
            if (draft.Items.Count >= SubmissionOptions.MaxAlbumItems || SubmissionRules.Check(media, _w._submissions) != Refusal.None
                || draft.Items.Any(i => i.Fingerprint == (media.FileUniqueId ?? media.FileId)))
            {
                return;
            }

            draft.Items.Add(ItemOf(media));
            draft.Text ??= media.Caption;
        }

        private SubmissionItem ItemOf(MediaInfo media) => new()
        {
            Kind = media.Kind,
            FileId = media.FileId,
            FileUniqueId = media.FileUniqueId,
            MessageId = _in.MessageId,
            DurationSeconds = media.DurationSeconds,
            FileSize = media.FileSize,
            MimeType = media.MimeType,
        };

        private void ShowSummary()
        {
            var draft = _s.Draft!;
            var b = new MessageText.Builder();
            if (draft.MediaGroupId is not null)
            {
                b.Append(T("submit.summary_album"));
            }
            else
            {
                var kind = draft.Items.Count == 0 ? "text" : KindKey(draft.Items[0].Kind);
                var what = P("submit.kind." + kind);
                b.Append(draft.Items.FirstOrDefault()?.DurationSeconds is { } seconds
                    ? T("submit.summary_timed", ("what", what), ("duration", Duration(seconds)))
                    : T("submit.summary", ("what", what)));
            }

            b.Paragraph().Append(T("submit.confirm", ("hashtag", draft.Hashtag)));
            var name = string.IsNullOrWhiteSpace(_s.FirstName) ? P("submit.credit_name_fallback") : _s.FirstName!;
            Reply(
                b.Build(),
                [
                    [Button.Callback(P("submit.credit_name", ("name", Shorten(name))), ButtonData.Submission + ":n"), Button.Callback(P("submit.credit_anonymous"), ButtonData.Submission + ":a")],
                    [Button.Callback(P("confirm.no"), ButtonData.Cancel)],
                ]);
        }

        private static string KindKey(MediaKind kind) => kind switch
        {
            MediaKind.VideoNote => "video_note",
            _ => kind.ToString().ToLowerInvariant(),
        };

        private static string Duration(int seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");

        private S ConfirmSubmission()
        {
            if (SubmitBlocker() is { } blocker)
            {
                _s.Draft = null;
                _refusal = blocker;
                RefuseContent();
                return S.Joined;
            }

            var draft = _s.Draft!;
            _s.SubmissionsToday = SubmittedToday + 1;
            _s.SubmissionDay = TodayKey;
            foreach (var item in draft.Items)
            {
                if (item.Fingerprint is { } f)
                {
                    _s.SubmittedFiles.Add(f);
                }
            }

            if (_s.SubmittedFiles.Count > 100)
            {
                _s.SubmittedFiles.RemoveRange(0, _s.SubmittedFiles.Count - 100);
            }

            _s.ConfirmedDraft = draft;
            _s.ConfirmedAnonymously = _arg == "a";
            _s.Draft = null;
            Reply(T("submit.received"), MainMenu());
            return S.Joined;
        }

        private S CancelSubmission()
        {
            _s.Draft = null;
            Reply(T("cancel.done"), MainMenu());
            return S.Joined;
        }

        /// <summary>
        /// Different supporters get different variants so the hashtag's posts don't look copy-pasted, but the same supporter
        /// always sees the same one (a stable hash, not string.GetHashCode, which changes per process).
        /// </summary>
        private string PickVariant(Campaign campaign)
        {
            var variants = Localized(campaign.Posts);
            var hash = 2166136261u;
            foreach (var c in _s.Chat.ToString() + "|" + campaign.Id)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return variants[(int)(hash % (uint)variants.Count)];
        }

        // ---- Everywhere ----------------------------------------------------------------------

        private void ShowHelp()
        {
            var b = new MessageText.Builder().Append(T("help.intro"));
            foreach (var command in BotCommands.Menu)
            {
                b.Line().Append(T("help.line", ("command", "/" + command), ("description", P(BotCommands.DescriptionKey(command)))));
            }

            Reply(b.Build(), MainMenu());
        }

        private void NothingToCancel()
        {
            Reply(T("cancel.nothing"));
            RepeatCurrentQuestion();
        }

        private void ExplainMedia()
        {
            Reply(T("media.not_accepted"));
            RepeatCurrentQuestion();
        }

        private void NotUnderstood()
        {
            if (_s.State == S.ChoosingState && _in.Kind == InboundKind.Text)
            {
                Reply(T("state.not_found", ("text", Shorten(_in.Text ?? string.Empty))));
                AskState(_s.StatePage, replace: false);
                return;
            }

            Reply(_in.Kind == InboundKind.Command ? T("unknown.command", ("command", "/" + Shorten(_in.Command ?? string.Empty))) : T("unknown.text"));
            RepeatCurrentQuestion();
        }

        private void StaleButton()
        {
            Reply(T("unknown.button"));
            RepeatCurrentQuestion();
        }

        private void MarkUnreachable() => _s.Unreachable = true;

        /// <summary>After a side remark (help, a wrong answer), ask again what the current step needs, so nobody is left stuck.</summary>
        private void RepeatCurrentQuestion()
        {
            switch (_s.State)
            {
                case S.ChoosingLanguage:
                    AskLanguage(greet: false);
                    break;
                case S.AskingConsent:
                    AskConsent();
                    break;
                case S.ChoosingState:
                    AskState(_s.StatePage, replace: false);
                    break;
                case S.ConfirmingStop:
                    AskStopConfirmation();
                    break;
                case S.ConfirmingForget:
                    AskForgetConfirmation();
                    break;
                case S.Submitting:
                    AskForContent();
                    break;
                case S.ConfirmingSubmission when _s.Draft is not null:
                    ShowSummary();
                    break;
                default:
                    // Joined and opted out: the last reply already carries the menu when it needs one.
                    if (_replies.Count > 0 && _replies[^1].Buttons.Count == 0)
                    {
                        _replies[^1] = _replies[^1] with { Buttons = MainMenu() };
                    }

                    break;
            }
        }

        // ---- Leaving -------------------------------------------------------------------------

        private void RememberReturn(S source)
        {
            if (source is not (S.ConfirmingStop or S.ConfirmingForget))
            {
                _s.ReturnState = source;
            }
        }

        private S ReturnFromConfirmation()
        {
            Reply(T("cancel.done"));
            var back = _s.ReturnState ?? (_s.IsJoined ? S.Joined : S.ChoosingLanguage);
            _s.ReturnState = null;
            return back;
        }

        private void AskStopConfirmation() =>
            Reply(T("stop.confirm"), [[Button.Callback(P("confirm.yes"), ButtonData.Confirm), Button.Callback(P("confirm.no"), ButtonData.Cancel)]]);

        private void OptOut()
        {
            _s.OptedIn = false;
            _s.ReturnState = null;
            Reply(T("stop.done"));
        }

        private void AlreadyOptedOut() => Reply(T("stop.already"));

        private void AskForgetConfirmation() =>
            Reply(T("forget.confirm"), [[Button.Callback(P("forget.yes"), ButtonData.Confirm), Button.Callback(P("confirm.no"), ButtonData.Cancel)]]);

        private void ForgetEverything()
        {
            Forget = true;
            Reply(T("forget.done"));
        }

        // ---- Helpers -------------------------------------------------------------------------

        private static int PageCount => (IndianStates.All.Count + StatesPerPage - 1) / StatesPerPage;

        private MessageText T(string key, params ReadOnlySpan<(string Name, string Value)> values) => _w._text.Format(Lang, key, values);

        private string P(string key, params ReadOnlySpan<(string Name, string Value)> values) => _w._text.Plain(Lang, key, values);

        private string StateName(string code) => P("state." + code);

        private TValue Localized<TValue>(IReadOnlyDictionary<string, TValue> values) =>
            values.TryGetValue(Lang, out var v) ? v : values[_w._text.DefaultLanguage];

        private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

        private IReadOnlyList<IReadOnlyList<Button>> MainMenu() =>
        [
            [Button.Callback(P("menu.today"), ButtonData.Today), Button.Callback(P("menu.help"), ButtonData.Help), Button.Callback(P("menu.language"), ButtonData.AskLanguage)],
        ];

        private void Reply(MessageText message, IReadOnlyList<IReadOnlyList<Button>>? buttons = null) =>
            _replies.Add(new OutboundMessage(_s.Chat, message) { Buttons = buttons ?? [] });
    }

    private string ClientOrDefaultLanguage(string? clientLanguage)
    {
        if (clientLanguage is { Length: >= 2 } && _text.Supports(clientLanguage[..2].ToLowerInvariant()))
        {
            return clientLanguage[..2].ToLowerInvariant();
        }

        return _text.Supports(_options.DefaultLanguage) ? _options.DefaultLanguage : _text.DefaultLanguage;
    }
}
