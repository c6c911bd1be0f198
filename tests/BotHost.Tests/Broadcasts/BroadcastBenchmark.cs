using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SpeakUp.Core.Broadcasts;
using SpeakUp.Core.Sessions;
using SpeakUp.Testing.Measurement;
using SpeakUp.Testing.Redis;
using SpeakUp.Testing.Telegram;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace BotHost.Tests.Broadcasts;

/// <summary>
/// The figures in docs/benchmarks.md ("Broadcasts (issue 5)"): the engine's ceiling with limits off against the fake Bot
/// API, the paced rate against a fake that enforces 30/s, and Redis memory per recipient. Runs only with
/// SPEAKUP_BENCH_BROADCAST=1 (it takes a few minutes and loads both cores). Every figure comes with the CPU that other
/// processes took meanwhile: the machine is shared, and that says how far a run can be trusted.
/// </summary>
[Collection(OnRedisServer.Name)]
public sealed class BroadcastBenchmark(RedisServerFixture redis, ITestOutputHelper output)
{
    private static string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) ?? fallback;

    private static int Number(string name, int fallback) => int.Parse(Setting(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task Engine_ceiling_paced_rate_and_memory_per_recipient()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("SPEAKUP_BENCH_BROADCAST") == "1", "set SPEAKUP_BENCH_BROADCAST=1 to run the broadcast benchmark");
        Skip.IfNot(redis.IsAvailable, redis.UnavailableReason);
        var phases = Setting("SPEAKUP_BENCH_PHASES", "ceiling,paced");
        if (phases.Contains("ceiling", StringComparison.Ordinal))
        {
            await CeilingAsync(Number("SPEAKUP_BENCH_RECIPIENTS", 20_000), Number("SPEAKUP_BENCH_WORKERS", 16), Number("SPEAKUP_BENCH_BATCH", 4));
        }

        if (phases.Contains("paced", StringComparison.Ordinal))
        {
            await PacedAsync(Number("SPEAKUP_BENCH_PACED_RECIPIENTS", 2000));
        }
    }

    /// <summary>One host, limits off (Broadcast:AllowAnyRate), the fake answering as fast as it can.</summary>
    private async Task CeilingAsync(int recipients, int workers, int batch)
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        var db = redis.Connection.GetDatabase();
        var ids = Enumerable.Range(0, recipients).Select(i => 600_000_000L + i).ToArray();
        string id;

        // Workers off: seed, create and snapshot, and weigh the pending set.
        await using (var seeder = await BotHostHarness.StartAsync(redis, s => s["Broadcast:Enabled"] = "false", prefix))
        {
            await Supporters.SeedAsync(seeder.App.Services.GetRequiredService<ISessionStore>(), seeder.App.Services.GetRequiredService<ISupporterDirectory>(), ids);
            var store = seeder.App.Services.GetRequiredService<IBroadcastStore>();
            id = "bench" + Guid.NewGuid().ToString("N")[..8];
            await store.CreateAsync(id, Message(), DateTimeOffset.UtcNow, default);
            var snapshot = Stopwatch.StartNew();
            await store.StartAsync(id, default);
            output.WriteLine($"snapshot of {recipients:N0} recipients: {snapshot.ElapsedMilliseconds} ms");
            var pending = (long)await db.ExecuteAsync("MEMORY", "USAGE", $"{prefix}{{supporters}}:bc:{id}:pending", "SAMPLES", "0");
            output.WriteLine($"pending sorted set: {pending:N0} bytes = {(double)pending / recipients:0.0} bytes per recipient");

            // Held back until the host below is warm: the job is running, and the measured host only sees it later.
            await db.SetRemoveAsync($"{prefix}{{supporters}}:bc:active", id);
        }

        await using var host = await BotHostHarness.StartAsync(
            redis,
            s =>
            {
                s["Admin:ApiKey"] = Supporters.ApiKey;
                s["Broadcast:AllowAnyRate"] = "true";
                s["Broadcast:MaxPerSecond"] = "1000000";
                s["Broadcast:Workers"] = workers.ToString(CultureInfo.InvariantCulture);
                s["Broadcast:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture);
                s["Broadcast:PollMilliseconds"] = "20";
                s["Broadcast:DailyPrompts"] = "false";
            },
            prefix);

        // A cold host compiles as it goes (tiered JIT): a first job of 5,000 warms it, as any running bot is, and is
        // reported apart.
        var jobs = host.App.Services.GetRequiredService<IBroadcastStore>();
        var warm = "warm" + Guid.NewGuid().ToString("N")[..8];
        await jobs.CreateAsync(warm, Message(new BroadcastAudience { Chats = [.. ids.Take(5000).Select(c => $"tg:{c}")] }), DateTimeOffset.UtcNow, default);
        await jobs.StartAsync(warm, default);
        await MeasureAsync(host.Telegram, db, prefix, warm, 5000, "cold host, first 5,000");

        var before = host.Telegram.CallsTo("sendMessage").Count;
        await db.SetAddAsync($"{prefix}{{supporters}}:bc:active", id);
        var sent = await MeasureAsync(host.Telegram, db, prefix, id, recipients, $"warm host, {workers} workers × batch {batch}", skip: before);
        var done = (long)await db.ExecuteAsync("MEMORY", "USAGE", $"{prefix}{{supporters}}:bc:{id}:done", "SAMPLES", "0");
        output.WriteLine($"outcomes hash after the job: {done:N0} bytes = {(double)done / recipients:0.0} bytes per recipient");
        Assert.Equal(recipients, sent);
    }

    /// <summary>Telegram's free rate, enforced by the fake (sliding second, counted at arrival), at the default pace.</summary>
    private async Task PacedAsync(int recipients)
    {
        var prefix = RedisTestServer.NewKeyPrefix();
        var db = redis.Connection.GetDatabase();
        await using var host = await BotHostHarness.StartAsync(
            redis,
            s =>
            {
                s["Admin:ApiKey"] = Supporters.ApiKey;
                s["Broadcast:MaxPerSecond"] = "30";
                s["Broadcast:PollMilliseconds"] = "50";
                s["Broadcast:DailyPrompts"] = "false";
            },
            prefix);
        host.Telegram.RateLimit = new FakeTelegramRateLimit { PerSecond = 30 };
        var ids = Enumerable.Range(0, recipients).Select(i => 610_000_000L + i).ToArray();
        await Supporters.SeedAsync(host.App.Services.GetRequiredService<ISessionStore>(), host.App.Services.GetRequiredService<ISupporterDirectory>(), ids);
        using var admin = Supporters.Admin(host.BaseAddress);

        var id = await Supporters.CreateBroadcastAsync(admin, "#SpeakUpForFarmers");
        var sent = await MeasureAsync(host.Telegram, db, prefix, id, recipients, "paced at Broadcast:MaxPerSecond = 30", limit: 30);

        Assert.Equal(recipients, sent);
        Assert.Equal(0, host.Telegram.RateLimit.Violations);
    }

    private static BroadcastDefinition Message(BroadcastAudience? audience = null) =>
        new() { Content = new BroadcastContent { Text = "#SpeakUpForFarmers" }, Audience = audience ?? new BroadcastAudience() };

    /// <summary>Waits for the job and writes its rate (first to last send as the fake saw them) and the CPU it took.</summary>
    private async Task<int> MeasureAsync(FakeTelegramServer telegram, IDatabase db, string prefix, string id, int expected, string what, int skip = 0, int limit = 0)
    {
        // INFO is an admin command: a connection of our own for it.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var cpu = Environment.CpuUsage.TotalTime;
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gcPause = GC.GetTotalPauseDuration();
        var redisCpu = await RedisCpuAsync(server);
        var others = OtherProcesses.Take();
        var clock = Stopwatch.StartNew();
        await Supporters.WaitForFinishAsync(db, prefix, id, TimeSpan.FromMinutes(10));
        var wall = clock.Elapsed;
        var load = OtherProcesses.Take().Since(others, wall, Environment.ProcessId, await RedisPidAsync(server));
        var processCpu = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        var jitted = System.Runtime.JitInfo.GetCompilationTime() - jit;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - methods;
        var paused = GC.GetTotalPauseDuration() - gcPause;
        var redisUsed = await RedisCpuAsync(server) - redisCpu;

        var sends = telegram.CallsTo("sendMessage").Skip(skip).OrderBy(c => c.At).ToList();
        var seconds = (sends[^1].At - sends[0].At).TotalSeconds;
        var rate = (sends.Count - 1) / seconds;
        var share = limit > 0 ? string.Create(CultureInfo.InvariantCulture, $" = {rate / limit:0.0%} of the limit; 429s: {telegram.RateLimit?.Violations ?? 0}") : "";
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{what}: {sends.Count:N0} messages in {seconds:0.00} s = {rate:0.0} messages/s{share}; CPU per message: test process (host + fake Bot API) {processCpu / sends.Count * 1e6:0} µs (JIT {compiled:N0} methods, {jitted.TotalMilliseconds:0} ms; GC pauses {paused.TotalMilliseconds:0} ms), Redis {redisUsed / sends.Count * 1e6:0} µs; other processes {load}"));
        if (limit > 0)
        {
            // A stall of the process (the fake Bot API runs in it too) shows as a long gap; what it costs the rate is lost.
            var gaps = sends.Zip(sends.Skip(1), (a, b) => (Gap: (b.At - a.At).TotalMilliseconds, At: (a.At - sends[0].At).TotalSeconds))
                .OrderByDescending(g => g.Gap).Take(5);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  longest gaps between sends: {string.Join(", ", gaps.Select(g => $"{g.Gap:0} ms at {g.At:0.0} s"))}"));
        }
        Assert.Equal(expected, sends.Count);
        return sends.Count;
    }

    private static async Task<double> RedisCpuAsync(IServer server)
    {
        var cpu = (await server.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return double.Parse(cpu["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(cpu["used_cpu_user"], CultureInfo.InvariantCulture);
    }

    private static async Task<int> RedisPidAsync(IServer server) =>
        int.Parse((await server.InfoAsync("server")).SelectMany(g => g).First(p => p.Key == "process_id").Value, CultureInfo.InvariantCulture);
}
