using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpeakUp.Core.Sessions;

namespace SpeakUp.Redis;

/// <summary>
/// Finishes index moves that were begun and never completed. The session and the indexes live in different hash slots,
/// so one event cannot write both at once: the engine records the move, saves the session, then moves the chat between
/// the index sets and clears the record in one transaction. A process killed in between, or a store that stayed down
/// past the engine's patience, leaves the record; without this the indexes would keep an opted-out supporter receiving
/// broadcasts, or keep a forgotten one at all. Here the session, which is the truth, decides where the chat belongs.
/// </summary>
internal sealed partial class SupporterIndexRepair(
    RedisSupporterDirectory directory,
    ISessionStore sessions,
    TimeProvider time,
    ILogger<SupporterIndexRepair> logger) : BackgroundService
{
    /// <summary>How often pending moves are looked for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A move younger than this may still be on its way (the engine retries a step for up to a minute while the store is
    /// down), so it is left to the event that began it.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <summary>Moves repaired in one pass; the next pass takes the rest.</summary>
    private const int PassSize = 200;

    /// <summary>Re-reads of a session that kept changing while it was repaired; each change also moves the indexes itself.</summary>
    private const int MaxRereads = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await RepairDueAsync(stoppingToken);
                }
                catch (StorageUnavailableException ex)
                {
                    LogDeferred(logger, ex);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Keep going: one bad pass must not end the repairs for good.
                    LogPassFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: every move begun more than <see cref="Grace"/> ago and not completed. Returns how many.</summary>
    internal async Task<int> RepairDueAsync(CancellationToken cancellationToken)
    {
        var due = await directory.PendingMovesAsync(time.GetUtcNow() - Grace, PassSize, cancellationToken);
        foreach (var move in due)
        {
            await RepairAsync(move, cancellationToken);
        }

        return due.Count;
    }

    private async Task RepairAsync(PendingMove move, CancellationToken cancellationToken)
    {
        // Read the truth, put the chat where it says, and read again: an event that saved in between moved the indexes
        // from the state read here, possibly before this repair wrote it, so repair again toward the newer state. When
        // the version held, any later event's own move comes after this one.
        var session = await sessions.LoadAsync(move.Chat, cancellationToken);
        for (var reads = 1; ; reads++)
        {
            await directory.RepairAsync(move, session?.Snapshot(), cancellationToken);
            var again = await sessions.LoadAsync(move.Chat, cancellationToken);
            if (again?.Version == session?.Version || reads >= MaxRereads)
            {
                LogRepaired(logger, move.Chat.ToString(), move.At, again?.Snapshot() is { Joined: true });
                return;
            }

            session = again;
        }
    }

    [LoggerMessage(300, LogLevel.Warning, "The index move of {Chat} begun at {At:o} was never completed (the process stopped or Redis was down); the indexes now follow its session (joined: {Joined})", EventName = "SupporterIndexRepaired")]
    private static partial void LogRepaired(ILogger logger, string chat, DateTimeOffset at, bool joined);

    [LoggerMessage(301, LogLevel.Information, "Redis is unavailable; pending index moves are repaired on the next pass", EventName = "SupporterIndexRepairDeferred")]
    private static partial void LogDeferred(ILogger logger, Exception exception);

    [LoggerMessage(302, LogLevel.Error, "A pass over pending index moves failed; the next pass tries again", EventName = "SupporterIndexRepairFailed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
