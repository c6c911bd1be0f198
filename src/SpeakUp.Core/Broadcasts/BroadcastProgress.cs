using System.Globalization;
using SpeakUp.Core.Localization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>The progress text staff see: a bar, sent / failed / unreachable / remaining, and an ETA at the configured rate.</summary>
public static class BroadcastProgress
{
    public static MessageText Format(ILocalizer text, string language, BroadcastJobInfo job, double perSecond)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(job);
        var done = job.Sent + job.Failed + job.Unreachable + job.Unknown;
        var ratio = job.Total == 0 ? 1 : Math.Clamp((double)done / job.Total, 0, 1);
        var filled = (int)Math.Round(ratio * 10);
        var bar = new string('█', filled) + new string('░', 10 - filled);
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var left = job.Remaining + job.InFlight;
        var eta = perSecond > 0 ? TimeSpan.FromSeconds(Math.Ceiling(left / perSecond)) : TimeSpan.Zero;
        var key = job.Status switch
        {
            BroadcastStatus.Completed => "broadcast.progress.done",
            BroadcastStatus.Cancelled => "broadcast.progress.cancelled",
            BroadcastStatus.Scheduled => "broadcast.progress.scheduled",
            _ => "broadcast.progress.running",
        };
        var b = new MessageText.Builder()
            .Append(text.Format(language, key, ("id", job.Id)))
            .Line()
            .Append(string.Create(CultureInfo.InvariantCulture, $"{bar} {ratio * 100:0}%"))
            .Line()
            .Append(text.Format(
                language,
                "broadcast.progress.counts",
                ("sent", N(job.Sent)),
                ("failed", N(job.Failed)),
                ("unreachable", N(job.Unreachable)),
                ("remaining", N(left)),
                ("total", N(job.Total))));
        if (job.Unknown > 0)
        {
            b.Line().Append(text.Format(language, "broadcast.progress.unknown", ("unknown", N(job.Unknown))));
        }

        if (job.Status == BroadcastStatus.Running && left > 0)
        {
            b.Line().Append(text.Format(language, "broadcast.progress.eta", ("eta", eta.ToString(eta.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture))));
        }

        return b.Build();
    }
}
