using SpeakUp.Core.Admin;
using SpeakUp.Core.Geography;
using SpeakUp.Core.Localization;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// /stats from the supporter indexes, which <see cref="RedisSupporterDirectory"/> keeps in step with every join, stop and
/// forget in one MULTI/EXEC, so the numbers are exact under concurrent joins. Joins per day are ZCOUNTs over the join-time
/// sorted set (O(log n) each), states and languages SCARDs: about 70 commands, pipelined into one round trip, never a scan.
/// </summary>
internal sealed class RedisStatsReader(IConnectionMultiplexer redis, RedisKeys keys, ILocalizer localizer) : IStatsReader
{
    public async Task<StatsSnapshot> ReadAsync(DateOnly today, TimeZoneInfo zone, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var db = redis.GetDatabase();
        var total = db.SortedSetLengthAsync(keys.SupportersJoined);
        var prompts = db.SetLengthAsync(keys.SupportersReceivingPrompts);
        var unreachable = db.SetLengthAsync(keys.SupportersUnreachable);

        var perDay = new List<(DateOnly Day, Task<long> Count)>(days);
        for (var i = days - 1; i >= 0; i--)
        {
            var day = today.AddDays(-i);
            var start = StartOfDay(day, zone);
            var end = StartOfDay(day.AddDays(1), zone);
            perDay.Add((day, db.SortedSetLengthAsync(keys.SupportersJoined, start, end, Exclude.Stop)));
        }

        var perState = IndianStates.All.Select(s => (s.Code, Count: db.SetLengthAsync(keys.SupportersInState(s.Code)))).ToList();
        var perLanguage = localizer.Languages.Select(l => (Code: l, Count: db.SetLengthAsync(keys.SupportersWithLanguage(l)))).ToList();

        var all = new List<Task> { total, prompts, unreachable };
        all.AddRange(perDay.Select(d => d.Count));
        all.AddRange(perState.Select(s => s.Count));
        all.AddRange(perLanguage.Select(l => l.Count));
        await RedisFailures.GuardAsync(Task.WhenAll(all), cancellationToken);

        return new StatsSnapshot(
            today,
            await total,
            await prompts,
            await unreachable,
            [.. perDay.Select(d => new DayCount(d.Day, d.Count.Result))],
            [.. perState.Where(s => s.Count.Result > 0).Select(s => new KeyCount(s.Code, s.Count.Result)).OrderByDescending(s => s.Count).ThenBy(s => s.Key, StringComparer.Ordinal)],
            [.. perLanguage.Select(l => new KeyCount(l.Code, l.Count.Result))]);
    }

    /// <summary>Unix milliseconds of local midnight (the join index is scored in unix ms).</summary>
    private static double StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }
}
