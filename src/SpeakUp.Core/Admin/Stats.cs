namespace SpeakUp.Core.Admin;

/// <summary>Joins on one day (in the bot's time zone).</summary>
public readonly record struct DayCount(DateOnly Day, long Count);

/// <summary>A count for one key (a state code, a language).</summary>
public readonly record struct KeyCount(string Key, long Count);

/// <summary>The numbers behind /stats, read from counters and indexes kept as things happen (never a scan).</summary>
public sealed record StatsSnapshot(
    DateOnly Today,
    long Supporters,
    long ReceivingPrompts,
    long Unreachable,
    IReadOnlyList<DayCount> JoinsPerDay,
    IReadOnlyList<KeyCount> ByState,
    IReadOnlyList<KeyCount> ByLanguage)
{
    public long JoinsToday => JoinsPerDay.Count == 0 ? 0 : JoinsPerDay[^1].Count;

    public long JoinsLast(int days) => JoinsPerDay.TakeLast(days).Sum(d => d.Count);
}

/// <summary>Reads the supporter numbers.</summary>
public interface IStatsReader
{
    /// <summary>
    /// Totals, joins per day for the <paramref name="days"/> days ending <paramref name="today"/> (days are calendar days in
    /// <paramref name="zone"/>), supporters per state (largest first) and per language.
    /// </summary>
    Task<StatsSnapshot> ReadAsync(DateOnly today, TimeZoneInfo zone, int days, CancellationToken cancellationToken);
}

/// <summary>Draws the /stats chart.</summary>
public interface IStatsChart
{
    /// <summary>A PNG: joins per day and supporters by state, labelled in <paramref name="language"/> when a font can draw it.</summary>
    byte[] RenderPng(StatsSnapshot stats, string language);
}
