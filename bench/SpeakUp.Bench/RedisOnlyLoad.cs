using System.Diagnostics;
using System.Reflection;
using StackExchange.Redis;

namespace SpeakUp.Bench;

/// <summary>
/// The host's Redis traffic without the host: per update the session load that also counts the message against the
/// flood limit (the real LoadSessionAndCount.lua) and one compare-and-set save (the real SaveSession.lua), both read from
/// the repo, plus on the join step a MULTI/EXEC recording the index move before the save and one moving the indexes after it; each worker plays one chat at a time, in order,
/// like the dispatcher. Shows what Redis and StackExchange.Redis cost alone. (The rate debit of each reply is not in it.)
/// </summary>
internal static class RedisOnlyLoad
{
    public static async Task<(int Updates, TimeSpan Wall, List<double> LatenciesMs)> RunAsync(
        string connectionString, int supporters, int updatesPerSupporter, int concurrency, int payloadBytes, TimeSpan timeout)
    {
        var scripts = Path.Combine(RepoRoot, "src", "SpeakUp.Redis", "Scripts");
        // As RedisScripts reads it: the shared flood count first.
        var load = await File.ReadAllTextAsync(Path.Combine(scripts, "FloodCount.lua")) + await File.ReadAllTextAsync(Path.Combine(scripts, "LoadSessionAndCount.lua"));
        var save = await File.ReadAllTextAsync(Path.Combine(scripts, "SaveSession.lua"));
        var options = ConfigurationOptions.Parse(connectionString);
        options.ClientName = "speakup-bench-redis-only";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        var prefix = $"bench:{Guid.NewGuid():N}:";
        var payload = new string('x', payloadBytes);
        var latencies = new List<double>(supporters * updatesPerSupporter);
        var next = -1;
        using var deadline = new CancellationTokenSource(timeout);

        async Task WorkerAsync()
        {
            var mine = new List<double>();
            int chat;
            while ((chat = Interlocked.Increment(ref next)) < supporters && !deadline.IsCancellationRequested)
            {
                RedisKey key = $"{prefix}{{tg:{chat}}}:session";
                RedisKey[] loadKeys = [key, $"{prefix}{{tg:{chat}}}:flood", $"{prefix}{{tg:{chat}}}:flood:notice"];
                for (var step = 0; step < updatesPerSupporter; step++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    var loaded = (RedisResult[])(await db.ScriptEvaluateAsync(load, loadKeys, ["\"" + chat + "-" + step + "\"", now, 60_000, 20, Guid.NewGuid().ToString("N")]))!;
                    var version = loaded[0].IsNull ? 0 : (long)loaded[0];
                    var member = "tg:" + chat;
                    var move = member + "|" + step;
                    if (step == 5)
                    {
                        // The join's move is recorded before the save (RedisSupporterDirectory.BeginMoveAsync).
                        var record = db.CreateTransaction();
                        _ = record.HashSetAsync(prefix + "{supporters}:moves", move, "");
                        _ = record.SortedSetAddAsync(prefix + "{supporters}:moves:at", move, now);
                        await record.ExecuteAsync();
                    }

                    await db.ScriptEvaluateAsync(save, [key], [version, payload, step < 5 ? 2_592_000_000L : 0L]);
                    if (step == 5)
                    {
                        // The join: the index moves of RedisSupporterDirectory and the end of the record, one transaction.
                        var transaction = db.CreateTransaction();
                        var queued = new[]
                        {
                            transaction.SortedSetAddAsync(prefix + "{supporters}:joined", member, 1),
                            transaction.SetAddAsync(prefix + "{supporters}:prompts", member),
                            transaction.SetAddAsync(prefix + "{supporters}:state:RJ", member),
                            transaction.SetAddAsync(prefix + "{supporters}:lang:hi", member),
                            transaction.HashDeleteAsync(prefix + "{supporters}:moves", move),
                            transaction.SortedSetRemoveAsync(prefix + "{supporters}:moves:at", move),
                        };
                        await transaction.ExecuteAsync();
                        await Task.WhenAll(queued);
                    }

                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }

        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync)));
        return (latencies.Count, wall.Elapsed, latencies);
    }

    private static string RepoRoot { get; } =
        typeof(RedisOnlyLoad).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
}
