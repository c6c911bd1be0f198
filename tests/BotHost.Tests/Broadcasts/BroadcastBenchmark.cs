using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Redis;
using Xunit.Abstractions;

namespace BotHost.Tests.Broadcasts;

/// <summary>
/// The figures in docs/benchmarks.md ("Broadcasts (issue 5)"): the engine's ceiling with limits off against the fake Bot
/// API, and Redis memory per recipient. Runs only with SPEAKUP_BENCH_BROADCAST=1 (it takes a while and loads both cores).
/// </summary>
[Collection(OnRedisServer.Name)]
public sealed class BroadcastBenchmark(RedisServerFixture redis, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Engine_ceiling_and_memory_per_recipient()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("SPEAKUP_BENCH_BROADCAST") == "1", "set SPEAKUP_BENCH_BROADCAST=1 to run the broadcast benchmark");
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        var recipients = int.Parse(Environment.GetEnvironmentVariable("SPEAKUP_BENCH_RECIPIENTS") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);
        var workers = Environment.GetEnvironmentVariable("SPEAKUP_BENCH_WORKERS") ?? "64";
        var prefix = RedisTestServer.NewKeyPrefix();
        var db = redis.Connection.GetDatabase();
        string id;

        // Phase 1, workers off: seed, create and snapshot, and weigh the pending set.
        await using (var seeder = await BotHostHarness.StartAsync(redis, s => s["Broadcast:Enabled"] = "false", prefix))
        {
            var ids = Enumerable.Range(0, recipients).Select(i => 600_000_000L + i).ToArray();
            await Supporters.SeedAsync(seeder.App.Services.GetRequiredService<ISessionStore>(), seeder.App.Services.GetRequiredService<ISupporterDirectory>(), ids);
            var store = seeder.App.Services.GetRequiredService<IBroadcastStore>();
            id = "bench" + Guid.NewGuid().ToString("N")[..8];
            await store.CreateAsync(id, new BroadcastDefinition { Content = new BroadcastContent { Text = "#SpeakUpForFarmers" } }, DateTimeOffset.UtcNow, default);
            var snapshot = Stopwatch.StartNew();
            await store.StartAsync(id, default);
            output.WriteLine($"snapshot of {recipients:N0} recipients: {snapshot.ElapsedMilliseconds} ms");
            var pending = (long)await db.ExecuteAsync("MEMORY", "USAGE", $"{prefix}{{supporters}}:bc:{id}:pending", "SAMPLES", "0");
            output.WriteLine($"pending sorted set: {pending:N0} bytes = {(double)pending / recipients:0.0} bytes per recipient");
        }

        // Phase 2: one host, limits off, the fake answering as fast as it can.
        await using var host = await BotHostHarness.StartAsync(
            redis,
            s =>
            {
                s["Broadcast:AllowAnyRate"] = "true";
                s["Broadcast:MaxPerSecond"] = "1000000";
                s["Broadcast:Workers"] = workers;
                s["Broadcast:PollMilliseconds"] = "20";
                s["Broadcast:DailyPrompts"] = "false";
            },
            prefix);
        await host.Telegram.WaitForCallsAsync("sendMessage", 1, timeout: TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await Supporters.WaitForFinishAsync(db, prefix, id, TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sends = host.Telegram.CallsTo("sendMessage");
        var seconds = (sends[^1].At - sends[0].At).TotalSeconds;
        output.WriteLine($"{sends.Count:N0} messages in {seconds:0.00} s = {(sends.Count - 1) / seconds:0} messages/s ({workers} workers; finish seen after {elapsed:0.00} s)");
        var done = (long)await db.ExecuteAsync("MEMORY", "USAGE", $"{prefix}{{supporters}}:bc:{id}:done", "SAMPLES", "0");
        output.WriteLine($"outcomes hash after the job: {done:N0} bytes = {(double)done / recipients:0.0} bytes per recipient");
        Assert.Equal(recipients, sends.Count);
    }
}
