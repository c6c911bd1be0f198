using System.Globalization;
using SpeakUp.Core.Submissions;

namespace SpeakUp.Core.Admin;

/// <summary>One row of the submissions export: the stored submission (with its current status) and when it was decided.</summary>
public sealed record SubmissionRow(Submission Submission, DateTimeOffset? DecidedAt);

/// <summary>Every stored submission, or those of some states, read in pages (never all in memory).</summary>
public interface ISubmissionExportSource
{
    /// <summary>Each stored submission once, oldest first; <paramref name="states"/> null = the whole country.</summary>
    IAsyncEnumerable<SubmissionRow> ReadAsync(IReadOnlyCollection<string>? states, CancellationToken cancellationToken);
}

/// <summary>Writes the submissions export as CSV (same dialect as <see cref="SupporterCsv"/>), row by row as the source yields them.</summary>
public static class SubmissionCsv
{
    public static readonly string[] Header =
    [
        "id", "chat", "state", "language", "campaign", "hashtag", "type", "files", "duration_seconds", "caption", "credit",
        "status", "reason", "moderator", "submitted", "decided", "post_url",
    ];

    /// <summary>Writes the header and every row; returns the number of rows written.</summary>
    public static Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<SubmissionRow> rows, CancellationToken cancellationToken) =>
        Csv.WriteAllAsync(writer, Header, rows, Fields, cancellationToken);

    private static string?[] Fields(SubmissionRow row)
    {
        var s = row.Submission;
        var durations = s.Items.Where(i => i.DurationSeconds is not null).Select(i => (long)i.DurationSeconds!.Value).ToList();
        return
        [
            s.Id,
            s.Chat,
            s.StateCode,
            s.Language,
            s.CampaignId,
            s.Hashtag,
            TypeOf(s),
            s.Items.Count.ToString(CultureInfo.InvariantCulture),
            durations.Count == 0 ? null : durations.Sum().ToString(CultureInfo.InvariantCulture),
            s.Text,
            s.CreditName,
            s.Status.ToString().ToLowerInvariant(),
            s.Reason,
            s.DecidedBy,
            Time(s.CreatedAt),
            row.DecidedAt is { } decided ? Time(decided) : null,
            s.PostUrl,
        ];
    }

    /// <summary>"text", the kind of a single file ("video", "video_note", "voice"…), or "album".</summary>
    public static string TypeOf(Submission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return submission.Items.Count switch
        {
            0 => "text",
            1 => SnakeCase(submission.Items[0].Kind.ToString()),
            _ => "album",
        };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
