using SpeakUp.Bench;
using SpeakUp.Testing.Measurement;
using SpeakUp.Testing.Telegram;

// A load benchmark, not a test: N supporters walk onboarding and /today through the real host (polling the fake Bot API,
// storing in a real Redis) and the run prints updates/s, latency percentiles and Redis commands per update.
// docs/benchmarks.md has the commands and what they measured.

// The child side of --host-process: the host alone, driven by the parent over stdin/stdout.
if (args is ["--serve-host", var api, var token, var redisConnection, var prefix])
{
    return await BotUnderTest.ServeAsync(api, token, redisConnection, prefix);
}

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error is { Length: > 0 } ? error + "\n\n" + BenchOptions.Usage : BenchOptions.Usage);
    return error is { Length: > 0 } ? 2 : 0;
}

var report = new Report();
report.Machine();
return options.Mode switch
{
    "fake" => await RunFakeOnlyAsync(options, report),
    "redis" => await RunRedisOnlyAsync(options, report),
    "workflow" => RunWorkflowOnly(options, report),
    _ => await RunHostAsync(options, report),
};

static async Task<int> RunHostAsync(BenchOptions options, Report report)
{
    await using var redis = await RedisUnderTest.StartAsync(options);
    await using var rig = new Rig(await FakeTelegramServer.StartAsync());
    var keyPrefix = $"bench:{Guid.NewGuid():N}:";
    var host = rig.Host = await BotUnderTest.StartAsync(rig.Telegram.BaseUrl, rig.Telegram.Token, redis.ConnectionString, keyPrefix, rig.OnCall, options);

    var updates = 6 + options.Todays;
    report.Title($"host{(options.HostProcess ? " (own process" + (options.HostCpus is null ? "" : ", cpus " + options.HostCpus) + ")" : "")} + {redis.Name}", options, updates);
    if (options.Warmup > 0)
    {
        report.Warmup(await SupporterLoad.WarmUpAsync(rig.Telegram, rig.Use, options.Todays, options.Warmup, options.Seed, options.Timeout));
        if (options.Rate > 0)
        {
            // Paced load takes other paths (small batches, long polls woken one update at a time): warm those too.
            var paced = new SupporterLoad(rig.Telegram, 3_000_000_000, options.Supporters, options.Todays, options.Rate, options.Seed);
            rig.Use(paced);
            await paced.RunAsync(TimeSpan.FromSeconds(10), options.Timeout);
        }
    }

    // The warm-up's garbage goes now, not during the measurement. (The fake Bot API keeps every message it was sent, a few
    // kilobytes each: that stays, and its collections show in the harness's GC pauses.)
    GC.Collect();

    var telegram = rig.Telegram;
    telegram.ResponseDelay = options.ResponseDelay;
    var load = new SupporterLoad(telegram, 5_000_000_000, options.Supporters, options.Todays, options.Rate, options.Seed);
    rig.Use(load);
    // What the host itself sends (Lua scripts' inner commands excluded), from StackExchange.Redis's profiler: in process only.
    var profiling = new StackExchange.Redis.Profiling.ProfilingSession();
    host.Multiplexer?.RegisterProfiler(() => profiling);
    var redisBefore = await redis.SnapshotAsync();
    var hostBefore = await host.SnapshotAsync();
    var process = ProcessSnapshot.Take();
    var machine = OtherProcesses.Take();

    var result = await load.RunAsync(options.Duration, options.Timeout);

    var processUsed = ProcessSnapshot.Take().Since(process);
    var others = OtherProcesses.Take().Since(machine, processUsed.Wall, Environment.ProcessId, redis.ProcessId, host.ProcessId);
    var hostUsed = (await host.SnapshotAsync())?.Since(hostBefore!.Value);
    var redisUsed = (await redis.SnapshotAsync()).Since(redisBefore);
    host.Multiplexer?.RegisterProfiler(() => null);
    var sent = host.Multiplexer is null ? null : profiling.FinishProfiling().ToList();
    var joined = result.Sent.FirstOrDefault(s => s.Answered && s.Step.Name == "state");
    var sessionBytes = joined is null ? 0 : await redis.HashFieldLengthAsync($"{keyPrefix}{{tg:{joined.Chat}}}:session", "d");

    var inProcess = options.HostProcess ? "fake Bot API + driver only" : "host + fake Bot API + driver" + (redis.InProcess ? " + Garnet" : "");
    report.Load(result, processUsed, others, inProcess, hostUsed);
    report.Telegram(result);
    report.Redis(redisUsed, result, sent, sessionBytes, redis.InProcess);
    return report.Failed(result) ? 1 : 0;
}

static async Task<int> RunFakeOnlyAsync(BenchOptions options, Report report)
{
    report.Title("fake Bot API + echo bot (no host, no Redis)", options, 6 + options.Todays);
    await using var telegram = await FakeTelegramServer.StartAsync();
    SupporterLoad? current = null;
    using var bot = new EchoBot(telegram, (method, chat, at) => Volatile.Read(ref current)?.OnCall(method, chat, at));
    using var stop = new CancellationTokenSource();
    var polling = Task.Run(() => bot.RunAsync(stop.Token));
    if (options.Warmup > 0)
    {
        report.Warmup(await SupporterLoad.WarmUpAsync(telegram, load => Volatile.Write(ref current, load), options.Todays, options.Warmup, options.Seed, options.Timeout));
        if (options.Rate > 0)
        {
            var paced = new SupporterLoad(telegram, 3_000_000_000, options.Supporters, options.Todays, options.Rate, options.Seed);
            Volatile.Write(ref current, paced);
            await paced.RunAsync(TimeSpan.FromSeconds(10), options.Timeout);
        }
    }

    GC.Collect();
    telegram.ResponseDelay = options.ResponseDelay;
    var load = new SupporterLoad(telegram, 5_000_000_000, options.Supporters, options.Todays, options.Rate, options.Seed);
    Volatile.Write(ref current, load);
    var process = ProcessSnapshot.Take();
    var machine = OtherProcesses.Take();
    var result = await load.RunAsync(options.Duration, options.Timeout);
    var processUsed = ProcessSnapshot.Take().Since(process);
    var others = OtherProcesses.Take().Since(machine, processUsed.Wall, Environment.ProcessId);
    await stop.CancelAsync();
    await polling;

    report.Load(result, processUsed, others, "fake Bot API + driver + echo bot", null);
    report.Telegram(result);
    return report.Failed(result) ? 1 : 0;
}

static int RunWorkflowOnly(BenchOptions options, Report report)
{
    report.Title("SupporterWorkflow alone, one thread (session JSON in, workflow, JSON out)", options, 6 + options.Todays);
    var (handle, handleAllocated, withJson, allocated, events) = WorkflowLoad.Run(options.Supporters, options.Todays);
    report.Workflow(handle, handleAllocated, withJson, allocated, events);
    return 0;
}

static async Task<int> RunRedisOnlyAsync(BenchOptions options, Report report)
{
    await using var redis = await RedisUnderTest.StartAsync(options);
    var updates = 6 + options.Todays;
    report.Title($"{redis.Name} alone (the host's commands, {options.Concurrency} workers)", options, updates);
    if (options.Warmup > 0)
    {
        await RedisOnlyLoad.RunAsync(redis.ConnectionString, options.Warmup * 1000, updates, options.Concurrency, Report.SessionBytes, options.Timeout);
    }

    var before = await redis.SnapshotAsync();
    var process = ProcessSnapshot.Take();
    var machine = OtherProcesses.Take();
    var (count, wall, latencies) = await RedisOnlyLoad.RunAsync(redis.ConnectionString, options.Supporters, updates, options.Concurrency, Report.SessionBytes, options.Timeout);
    var processUsed = ProcessSnapshot.Take().Since(process);
    var others = OtherProcesses.Take().Since(machine, processUsed.Wall, Environment.ProcessId, redis.ProcessId);
    var used = (await redis.SnapshotAsync()).Since(before);
    report.RedisOnly(count, wall, latencies, processUsed, others, used, redis.InProcess);
    return 0;
}
