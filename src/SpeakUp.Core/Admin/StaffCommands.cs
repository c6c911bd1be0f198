using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Conversations;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Staff;

namespace SpeakUp.Core.Admin;

/// <summary>
/// Staff commands in chat: /admins (list, add, remove), /stats (text and chart), /export (CSV), /audit. Authorized here by
/// the roles the engine looked up for the sender; people without a staff role fall through to the supporter workflow,
/// which treats these commands as unknown, so the commands are not even revealed to them.
/// </summary>
public sealed partial class StaffCommands(
    IRoleStore roster,
    IStaffDrafts drafts,
    IStatsReader stats,
    IStatsChart chart,
    ISupporterExportSource export,
    IAuditLog audit,
    IMessageSender sender,
    IEnumerable<IFileSender> fileSenders,
    ILocalizer localizer,
    TodayClock clock,
    ILogger<StaffCommands> logger,
    Submissions.ISubmissionStore? submissions = null,
    ISubmissionExportSource? submissionExport = null,
    Broadcasts.IBroadcastStore? broadcastJobs = null) : IInboundInterceptor
{
    public const string Admins = "admins";
    public const string Stats = "stats";
    public const string Export = "export";
    public const string Audit = "audit";

    private const int StatsDays = 30;

    /// <summary>Broadcast jobs shown in /stats.</summary>
    private const int StatsBroadcasts = 3;

    /// <summary>How many of the newest jobs a coordinator's own are looked for among (older ones are not worth a longer walk).</summary>
    private const int CoordinatorBroadcastWindow = 50;

    private const int AuditLines = 20;

    /// <summary>How long "/admins add coordinator RJ" waits for the forwarded message.</summary>
    private static readonly TimeSpan ForwardWait = TimeSpan.FromMinutes(10);

    public int Order => 100;

    public async Task<bool> TryHandleAsync(InboundContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Inbound.ForwardedFromUserId is { } forwardedFrom && context.Roles.IsCentral && context.Inbound.UserId is { } actor
            && await drafts.TakeAsync(actor, "role", cancellationToken) is { } draft)
        {
            // The forwarded message names the person an earlier "/admins add <role>" was for.
            var parts = draft.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await AddAsync(context, forwardedFrom, parts[0], parts.Length > 1 ? parts[1] : null, cancellationToken);
            return true;
        }

        if (context.Inbound.Kind != InboundKind.Command || !context.Roles.IsStaff)
        {
            return false;
        }

        switch (context.Inbound.Command)
        {
            case Admins:
                await AdminsAsync(context, cancellationToken);
                return true;
            case Stats:
                await StatsAsync(context, cancellationToken);
                return true;
            case Export:
                await ExportAsync(context, cancellationToken);
                return true;
            case Audit:
                await AuditAsync(context, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task AdminsAsync(InboundContext context, CancellationToken cancellationToken)
    {
        if (!context.Roles.IsCentral)
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return;
        }

        var words = (context.Inbound.Argument ?? string.Empty).Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            await ListAsync(context, cancellationToken);
            return;
        }

        var verb = words[0].ToLowerInvariant();
        if (verb == "add" && words.Length >= 3 && IsUserId(words[1]))
        {
            var rest = words[2].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await AddAsync(context, words[1], rest[0], rest.Length > 1 ? rest[1] : null, cancellationToken);
        }
        else if (verb == "add" && words.Length >= 2 && RolePolicy.ParseRole(words[1]) is { } role && context.Inbound.UserId is { } actor
            && (role != StaffRole.Coordinator || RolePolicy.ParseStates(words.Length > 2 ? words[2] : null) is not null))
        {
            // No id: wait for a message forwarded from the person.
            await drafts.SaveAsync(actor, "role", string.Join(' ', words.Skip(1)), ForwardWait, cancellationToken);
            await ReplyAsync(context, "admin.admins.forward", cancellationToken);
        }
        else if (verb is "remove" or "rm" && words.Length == 2 && IsUserId(words[1]))
        {
            await RemoveAsync(context, words[1], cancellationToken);
        }
        else
        {
            await ReplyAsync(context, "admin.admins.usage", cancellationToken);
        }
    }

    private async Task ListAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var members = await roster.ListAsync(cancellationToken);
        var text = new MessageText.Builder().Append(localizer.Format(context.Language, "admin.admins.title"));
        foreach (var member in members)
        {
            text.Line().Append(localizer.Format(context.Language, "admin.admins.line", ("id", member.UserId), ("role", RoleName(context.Language, member))));
        }

        text.Paragraph().Append(localizer.Format(context.Language, "admin.admins.usage"));
        await SendAsync(context, text.Build(), cancellationToken);
    }

    private async Task AddAsync(InboundContext context, string userId, string roleWord, string? statesText, CancellationToken cancellationToken)
    {
        var role = RolePolicy.ParseRole(roleWord);
        var states = role == StaffRole.Coordinator ? RolePolicy.ParseStates(statesText) : [];
        if (role is null || states is null)
        {
            // Unknown role, or a coordinator without (valid) states.
            await ReplyAsync(context, "admin.admins.usage", cancellationToken);
            return;
        }

        var current = (await roster.ListAsync(cancellationToken)).FirstOrDefault(m => m.UserId == userId);
        if (!RolePolicy.CanAssign(context.Roles, role.Value) || !RolePolicy.CanChange(context.Roles, current))
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return;
        }

        var member = new StaffMember(userId, role.Value, states, context.Inbound.UserId, clock.UtcNow);
        await roster.SetAsync(member, cancellationToken);
        await RecordAsync(context, "role.add", userId, states.Count > 0 ? $"{role.Value.ToString().ToLowerInvariant()} {string.Join(',', states)}" : role.Value.ToString().ToLowerInvariant(), cancellationToken);
        LogRoleChanged(logger, context.Inbound.UserId, userId, role.Value);
        await ReplyAsync(context, "admin.admins.added", cancellationToken, ("id", userId), ("role", RoleName(context.Language, member)));
    }

    private async Task RemoveAsync(InboundContext context, string userId, CancellationToken cancellationToken)
    {
        var current = (await roster.ListAsync(cancellationToken)).FirstOrDefault(m => m.UserId == userId);
        if (current is null)
        {
            await ReplyAsync(context, "admin.admins.not_found", cancellationToken, ("id", userId));
            return;
        }

        if (!RolePolicy.CanChange(context.Roles, current))
        {
            await ReplyAsync(context, current.Role == StaffRole.Owner ? "admin.admins.owner_fixed" : "admin.not_allowed", cancellationToken);
            return;
        }

        await roster.RemoveAsync(userId, cancellationToken);
        await RecordAsync(context, "role.remove", userId, current.Role.ToString().ToLowerInvariant(), cancellationToken);
        LogRoleRemoved(logger, context.Inbound.UserId, userId);
        await ReplyAsync(context, "admin.admins.removed", cancellationToken, ("id", userId));
    }

    private async Task StatsAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var roles = context.Roles;
        if (!roles.IsCentral && roles.CoordinatorStates.Count == 0)
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return;
        }

        var lang = context.Language;
        var culture = localizer.Culture(lang);
        var snapshot = await stats.ReadAsync(clock.Today, clock.Zone, StatsDays, cancellationToken);
        var text = new MessageText.Builder()
            .Append(localizer.Format(lang, "admin.stats.title", ("date", snapshot.Today.ToString(localizer.Plain(lang, "format.date"), culture))));
        if (roles.IsCentral)
        {
            text.Line().Append(localizer.Format(
                lang,
                "admin.stats.supporters",
                ("total", N(snapshot.Supporters)),
                ("prompts", N(snapshot.ReceivingPrompts)),
                ("unreachable", N(snapshot.Unreachable))));
            text.Line().Append(localizer.Format(
                lang,
                "admin.stats.joins",
                ("today", N(snapshot.JoinsToday)),
                ("week", N(snapshot.JoinsLast(7))),
                ("month", N(snapshot.JoinsLast(30)))));
            if (submissions is not null)
            {
                text.Line().Append(localizer.Format(lang, "admin.stats.submissions_pending", ("count", N(await submissions.QueueLengthAsync(cancellationToken)))));
                var decided = await submissions.CountsAsync(cancellationToken);
                text.Line().Append(localizer.Format(lang, "admin.stats.submissions_decided", ("approved", N(decided.Approved)), ("rejected", N(decided.Rejected))));
            }

            text.Paragraph().Append(localizer.Format(lang, "admin.stats.by_state"));
            foreach (var state in snapshot.ByState.Take(10))
            {
                text.Line().Append(localizer.Format(lang, "admin.stats.line", ("name", StateName(lang, state.Key)), ("count", N(state.Count))));
            }

            text.Paragraph().Append(localizer.Format(lang, "admin.stats.by_language"));
            foreach (var language in snapshot.ByLanguage)
            {
                text.Line().Append(localizer.Format(lang, "admin.stats.line", ("name", localizer.Plain(language.Key, "language.name")), ("count", N(language.Count))));
            }
        }
        else
        {
            // Coordinators see their own states only.
            text.Paragraph().Append(localizer.Format(lang, "admin.stats.your_states"));
            foreach (var code in roles.CoordinatorStates)
            {
                var count = snapshot.ByState.FirstOrDefault(s => s.Key == code).Count;
                text.Line().Append(localizer.Format(lang, "admin.stats.line", ("name", StateName(lang, code)), ("count", N(count))));
            }
        }

        if (broadcastJobs is not null)
        {
            await AppendBroadcastsAsync(text, roles, lang, cancellationToken);
        }

        await SendAsync(context, text.Build(), cancellationToken);
        if (roles.IsCentral && FileSenderFor(context) is { } files)
        {
            var png = chart.RenderPng(snapshot, lang);
            using var image = new MemoryStream(png, writable: false);
            await files.SendPhotoAsync(context.Inbound.Chat, image, $"stats-{snapshot.Today:yyyy-MM-dd}.png", localizer.Plain(lang, "admin.stats.chart_caption"), cancellationToken);
        }

        string N(long value) => value.ToString("N0", culture);
    }

    private async Task ExportAsync(InboundContext context, CancellationToken cancellationToken)
    {
        var roles = context.Roles;
        if (!roles.IsCentral && roles.CoordinatorStates.Count == 0)
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return;
        }

        if (FileSenderFor(context) is not { } files)
        {
            await ReplyAsync(context, "admin.files_unsupported", cancellationToken);
            return;
        }

        IReadOnlyCollection<string>? states = roles.IsCentral ? null : roles.CoordinatorStates;
        await SendCsvAsync(
            context,
            files,
            "supporters",
            "admin.export.caption",
            (writer, ct) => SupporterCsv.WriteAsync(writer, export.ReadAsync(states, ct), ct),
            states,
            cancellationToken);
        if (submissionExport is not null)
        {
            await SendCsvAsync(
                context,
                files,
                "submissions",
                "admin.export.submissions_caption",
                (writer, ct) => SubmissionCsv.WriteAsync(writer, submissionExport.ReadAsync(states, ct), ct),
                states,
                cancellationToken);
        }
    }

    /// <summary>Writes one export to a temporary file, audits it as <c>export.&lt;name&gt;</c>, and sends the file.</summary>
    private async Task SendCsvAsync(
        InboundContext context,
        IFileSender files,
        string name,
        string captionKey,
        Func<TextWriter, CancellationToken, Task<long>> write,
        IReadOnlyCollection<string>? states,
        CancellationToken cancellationToken)
    {
        // A temporary file, not memory: the export is written row by row and streamed to the channel from disk.
        var path = Path.Combine(Path.GetTempPath(), $"speakup-export-{Guid.NewGuid():N}.csv");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        long rows;
        await using (var writer = new StreamWriter(file, Csv.Utf8WithBom, 64 * 1024, leaveOpen: true))
        {
            rows = await write(writer, cancellationToken);
        }

        file.Position = 0;
        await RecordAsync(context, "export." + name, states is null ? "all" : string.Join(',', states), $"{rows} rows", cancellationToken);
        await files.SendDocumentAsync(
            context.Inbound.Chat,
            file,
            $"{name}-{clock.Today:yyyy-MM-dd}.csv",
            localizer.Plain(context.Language, captionKey, ("count", rows.ToString("N0", localizer.Culture(context.Language)))),
            cancellationToken);
    }

    /// <summary>
    /// The last few broadcast jobs with their delivery counts. Central staff see the newest jobs of every kind; a coordinator
    /// sees the jobs they could have sent themselves (every audience state is one of theirs, the rule that also lets them
    /// cancel a job), looked for among the newest <see cref="CoordinatorBroadcastWindow"/>.
    /// </summary>
    private async Task AppendBroadcastsAsync(MessageText.Builder text, UserRoles roles, string lang, CancellationToken cancellationToken)
    {
        var culture = localizer.Culture(lang);
        var jobs = roles.IsCentral
            ? await broadcastJobs!.ListAsync(StatsBroadcasts, cancellationToken)
            : [.. (await broadcastJobs!.ListAsync(CoordinatorBroadcastWindow, cancellationToken))
                .Where(j => roles.CanBroadcastTo(j.Definition?.Audience.States))
                .Take(StatsBroadcasts)];
        text.Paragraph().Append(localizer.Format(lang, "admin.stats.broadcasts"));
        if (jobs.Count == 0)
        {
            text.Line().Append(localizer.Format(lang, "admin.stats.broadcasts_none"));
        }

        var format = localizer.Plain(lang, "format.date") + " " + localizer.Plain(lang, "format.time");
        foreach (var job in jobs)
        {
            var at = TimeZoneInfo.ConvertTime(job.StartedAt ?? job.ScheduledAt, clock.Zone);
            text.Line().Append(localizer.Format(
                lang,
                "admin.stats.broadcast",
                ("id", job.Id),
                ("kind", localizer.Plain(lang, job.Kind switch
                {
                    Broadcasts.BroadcastKind.DailyPrompt => "admin.stats.broadcast_kind.daily_prompt",
                    Broadcasts.BroadcastKind.PostNow => "admin.stats.broadcast_kind.post_now",
                    _ => "admin.stats.broadcast_kind.message",
                })),
                ("status", localizer.Plain(lang, job.Status switch
                {
                    Broadcasts.BroadcastStatus.Scheduled => "admin.stats.broadcast_status.scheduled",
                    Broadcasts.BroadcastStatus.Running => "admin.stats.broadcast_status.running",
                    Broadcasts.BroadcastStatus.Cancelled => "admin.stats.broadcast_status.cancelled",
                    _ => "admin.stats.broadcast_status.completed",
                })),
                ("date", at.ToString(format, culture))));
            text.Line().Append(localizer.Format(
                lang,
                "admin.stats.broadcast_counts",
                ("sent", N(job.Sent)),
                ("failed", N(job.Failed)),
                ("unreachable", N(job.Unreachable)),
                ("unknown", N(job.Unknown)),
                ("remaining", N(job.Remaining + job.InFlight)),
                ("total", N(job.Total))));
        }

        string N(long value) => value.ToString("N0", culture);
    }

    private async Task AuditAsync(InboundContext context, CancellationToken cancellationToken)
    {
        if (!context.Roles.IsCentral)
        {
            await ReplyAsync(context, "admin.not_allowed", cancellationToken);
            return;
        }

        var entries = await audit.RecentAsync(AuditLines, cancellationToken);
        var text = new MessageText.Builder().Append(localizer.Format(context.Language, "admin.audit.title"));
        if (entries.Count == 0)
        {
            text.Line().Append(localizer.Format(context.Language, "admin.audit.empty"));
        }

        foreach (var entry in entries)
        {
            var line = new StringBuilder()
                .Append(TimeZoneInfo.ConvertTime(entry.At, clock.Zone).ToString("dd MMM HH:mm", CultureInfo.InvariantCulture))
                .Append(" · ").Append(entry.ActorId)
                .Append(" · ").Append(entry.Action);
            if (entry.Item is not null)
            {
                line.Append(" · ").Append(entry.Item);
            }

            if (entry.Detail is not null)
            {
                line.Append(" · ").Append(entry.Detail);
            }

            text.Line().Append(line.ToString());
        }

        await SendAsync(context, text.Build(), cancellationToken);
    }

    private Task RecordAsync(InboundContext context, string action, string? item, string? detail, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditEntry(clock.UtcNow, context.Inbound.Chat.Channel, context.Inbound.UserId ?? "?", action, item, detail), cancellationToken);

    private string RoleName(string language, StaffMember member) => member.Role switch
    {
        StaffRole.Owner => localizer.Plain(language, "admin.role.owner"),
        StaffRole.Admin => localizer.Plain(language, "admin.role.admin"),
        StaffRole.Moderator => localizer.Plain(language, "admin.role.moderator"),
        _ => localizer.Plain(language, "admin.role.coordinator", ("states", string.Join(", ", member.States.Select(s => StateName(language, s))))),
    };

    private static string StateName(string language, string code) =>
        IndianStates.Find(code) is { } state ? (language == "hi" ? state.Hindi : state.English) : code;

    private static bool IsUserId(string text) => text.Length is > 0 and <= 20 && text.All(c => char.IsAsciiDigit(c) || c == '-');

    private IFileSender? FileSenderFor(InboundContext context) => fileSenders.FirstOrDefault(f => f.Channel == context.Inbound.Chat.Channel);

    private Task<SendResult> ReplyAsync(InboundContext context, string key, CancellationToken cancellationToken, params (string Name, string Value)[] values) =>
        SendAsync(context, localizer.Format(context.Language, key, values), cancellationToken);

    private Task<SendResult> SendAsync(InboundContext context, MessageText text, CancellationToken cancellationToken) =>
        sender.SendAsync(new OutboundMessage(context.Inbound.Chat, text), cancellationToken);

    [LoggerMessage(EventId = 610, EventName = "RoleChanged", Level = LogLevel.Information, Message = "{Actor} set the staff role of {UserId} to {Role}")]
    private static partial void LogRoleChanged(ILogger logger, string? actor, string userId, StaffRole role);

    [LoggerMessage(EventId = 611, EventName = "RoleRemoved", Level = LogLevel.Information, Message = "{Actor} removed the staff role of {UserId}")]
    private static partial void LogRoleRemoved(ILogger logger, string? actor, string userId);
}
